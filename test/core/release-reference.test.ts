/**
 * release() is the disclosure control's hot path (issue 9, point 6): it interns cells and builds their lines without
 * the CellRef objects of src/core/disclosure.ts `cellLines`. This property test keeps it honest: for random counts,
 * measures, periods and filters, it publishes exactly what the plain definition publishes — every cell asked for,
 * its lines from `cellLines()`, each decided by `publish()` with the cell's rounding key (test/attacker/reference-release.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowedFilter, cellKey, releasedCell, type CellRef, type Filter, type MeasureSpec } from '../../src/core/disclosure.js';
import { HR_MEASURE_SPECS } from '../../src/core/indicators/harm-reduction.js';
import { TREATMENT_SPECS } from '../../src/core/indicators/treatment.js';
import { campaignDayPeriod, campaignToDatePeriod, campaignWeekPeriod, dayPeriod, isoWeekPeriod, monthPeriod, quarterPeriod, yearPeriod, type Campaign, type Period } from '../../src/core/periods.js';
import { release, specMap, type CountSource, type Specs } from '../../src/server/disclosure/release.js';
import { referenceRelease } from '../attacker/reference-release.js';

/** A source answering from a seeded hash of (measure, period, values): the same counts for both releases. */
function source(seed: number, zeros: number): CountSource {
  const h = (s: string) => {
    let x = seed ^ 0x9e3779b9;
    for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), 0x01000193);
    return (x >>> 0) / 4294967296;
  };
  return {
    async counts(measure, periods, by) {
      const spec = specsAll.get(measure)!;
      const dims = by.map((d) => spec.dims.find((x) => x.id === d)!.values);
      const out: { period: string; values: string[]; n: number }[] = [];
      const walk = (i: number, values: string[], p: Period) => {
        if (i === dims.length) {
          const u = h(`${measure}|${p.key}|${values.join(',')}`);
          if (u >= zeros) out.push({ period: p.key, values, n: Math.floor(((u - zeros) / (1 - zeros)) * 14) });
          return;
        }
        for (const v of dims[i]) walk(i + 1, [...values, v], p);
      };
      for (const p of periods) walk(0, [], p);
      // a value the dimension does not list is counted under its last value
      if (dims.length && out.length) out.push({ ...out[0], values: ['unlisted', ...out[0].values.slice(1)], n: 2 });
      return out;
    },
  };
}
const specsAll: Specs = new Map([...specMap(...HR_MEASURE_SPECS), ...TREATMENT_SPECS]);
const campaign: Campaign = { id: 'c1', startDate: '2026-03-05', endDate: null };
/** The released periods asked for (days and campaign days are never published, only parts of the lines checked). */
const PERIODS: Period[] = [
  isoWeekPeriod(2026, 40),
  monthPeriod(2026, 10),
  quarterPeriod(2026, 4),
  yearPeriod(2025),
  campaignWeekPeriod(campaign, 3),
  campaignToDatePeriod(campaign, '2026-06-01'),
];
const UNRELEASED_PERIODS: Period[] = [dayPeriod('2026-10-03'), campaignDayPeriod(campaign, 9)];

function filters(spec: MeasureSpec): Filter[] {
  const out: Filter[] = [{}];
  for (const d of spec.dims) for (const v of d.values.slice(0, 3)) out.push({ [d.id]: v });
  for (const [a, b] of spec.crosses) {
    const va = spec.dims.find((x) => x.id === a)!.values;
    const vb = spec.dims.find((x) => x.id === b)!.values;
    out.push({ [a]: va[0], [b]: vb[vb.length - 1] }, { [a]: va[va.length - 1], [b]: vb[0] });
  }
  return out.filter((f) => allowedFilter(spec, f));
}

describe('release() publishes what the plain definition publishes', () => {
  it('for random cells, counts and periods of the treatment and harm-reduction measures', async () => {
    const specs = [...specsAll.values()];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        fc.subarray(PERIODS, { minLength: 1 }),
        fc.array(fc.tuple(fc.nat({ max: specs.length - 1 }), fc.nat({ max: 40 })), { minLength: 1, maxLength: 30 }),
        async (seed, zeros, periods, picks) => {
          const cells: CellRef[] = [];
          for (const p of periods)
            for (const [s, f] of picks) {
              const fs = filters(specs[s]);
              const cell = { measure: specs[s].id, period: p, filter: fs[f % fs.length] };
              // only cells that are published: two-way cells of months, quarters and years, never of weeks
              if (releasedCell(specs[s], cell)) cells.push(cell);
            }
          fc.pre(cells.length > 0);
          const src = source(seed, zeros);
          const [a, b] = await Promise.all([release(specsAll, src, cells, campaign), referenceRelease(specsAll, src, cells, campaign)]);
          for (const c of cells) expect(a.get(cellKey(c)), cellKey(c)).toBe(b.get(cellKey(c)));
          expect(a.size).toBe(b.size);
        },
      ),
      { numRuns: Number(process.env.TONLE_FUZZ_RUNS ?? 60) },
    );
  });
});

describe('release() refuses a cell that is never published (a programming error)', () => {
  const src = source(7, 0.2);
  it('a day or a campaign day, whatever the filter', async () => {
    for (const period of UNRELEASED_PERIODS)
      for (const spec of specsAll.values())
        await expect(release(specsAll, src, [{ measure: spec.id, period, filter: {} }], campaign), `${spec.id} ${period.key}`).rejects.toThrow(/not released for a (day|campaign_day)/);
  });
  it('a two-way cell of an ISO week, a campaign week or campaign to date; the same cell of a month is released', async () => {
    let crosses = 0;
    for (const spec of specsAll.values())
      for (const f of filters(spec).filter((x) => Object.keys(x).length === 2)) {
        crosses++;
        for (const period of PERIODS.filter((p) => !['month', 'quarter', 'year'].includes(p.type)))
          await expect(release(specsAll, src, [{ measure: spec.id, period, filter: f }], campaign)).rejects.toThrow(/not released/);
        // its margins are released for the week
        const margin = { [Object.keys(f)[0]]: f[Object.keys(f)[0]] };
        const week = await release(specsAll, src, [{ measure: spec.id, period: PERIODS[0], filter: margin }], campaign);
        expect(week.size).toBe(1);
        const month = await release(specsAll, src, [{ measure: spec.id, period: monthPeriod(2026, 10), filter: f }], campaign);
        expect(month.size).toBe(1);
      }
    expect(crosses).toBeGreaterThan(0);
  });
});
