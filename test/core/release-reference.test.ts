/**
 * release() is the disclosure control's hot path (issue 9, point 6): it interns cells and builds their lines without
 * the CellRef objects of src/core/disclosure.ts `cellLines`. This property test keeps it honest: for random counts,
 * measures, periods and filters, it publishes exactly what the plain definition publishes — every cell asked for,
 * its lines from `cellLines()`, each decided by `publish()` with the cell's rounding key.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowedFilter, cellKey, cellLines, publish, type CellRef, type Filter, type MeasureSpec, type Shown } from '../../src/core/disclosure.js';
import { HR_MEASURE_SPECS } from '../../src/core/indicators/harm-reduction.js';
import { TREATMENT_SPECS } from '../../src/core/indicators/treatment.js';
import { campaignDayPeriod, campaignToDatePeriod, campaignWeekPeriod, dayPeriod, isoWeekPeriod, monthPeriod, quarterPeriod, timeLine, yearPeriod, type Campaign, type Period, type PeriodType } from '../../src/core/periods.js';
import { release, roundingKey, specMap, type CountSource, type Specs } from '../../src/server/disclosure/release.js';

/** The plain definition (the release of the first version of the layer, kept as the reference). */
async function referenceRelease(specs: Specs, source: CountSource, cells: readonly CellRef[], campaign?: Campaign): Promise<Map<string, Shown>> {
  for (const c of cells) {
    const spec = specs.get(c.measure);
    if (!spec) throw new Error(`release: unknown measure ${c.measure}`);
    if (!allowedFilter(spec, c.filter)) throw new Error(`release: ${c.measure} is not released by ${Object.keys(c.filter).join(' × ')}`);
  }
  const lines = new Map<string, CellRef[][]>();
  const needed = new Map<string, CellRef>();
  // every cell of a table shares its period's time line: work it out once
  const timeLines = new Map<string, readonly Period[]>();
  const line = (p: Period) => {
    let parts = timeLines.get(p.key + p.to);
    if (!parts) timeLines.set(p.key + p.to, (parts = timeLine(p, campaign)));
    return parts;
  };
  for (const c of cells) {
    needed.set(cellKey(c), c);
    const ls = cellLines(specs, c, campaign, line);
    lines.set(cellKey(c), ls);
    for (const l of ls) for (const p of l) needed.set(cellKey(p), p);
  }
  // one query per measure, dimensions and period type
  const groups = new Map<string, { measure: string; by: string[]; type: PeriodType; periods: Map<string, Period> }>();
  for (const c of needed.values()) {
    const by = Object.keys(c.filter).sort();
    const g = `${c.measure}|${by.join(',')}|${c.period.type}`;
    if (!groups.has(g)) groups.set(g, { measure: c.measure, by, type: c.period.type, periods: new Map() });
    groups.get(g)!.periods.set(c.period.key, c.period);
  }
  const value = new Map<string, number>();
  for (const g of groups.values()) {
    const spec = specs.get(g.measure)!;
    const dims = g.by.map((d) => spec.dims.find((x) => x.id === d)!);
    const rows = await source.counts(g.measure, [...g.periods.values()], g.by);
    for (const r of rows) {
      if (!g.periods.has(r.period)) continue;
      const filter: Record<string, string> = {};
      dims.forEach((dim, i) => (filter[dim.id] = dim.values.includes(r.values[i]) ? r.values[i] : dim.values[dim.values.length - 1]));
      const k = cellKey({ measure: g.measure, period: g.periods.get(r.period)!, filter });
      value.set(k, (value.get(k) ?? 0) + Number(r.n));
    }
  }
  const memo = new Map<string, { n: number; key: number }>();
  const keyed = (c: CellRef) => {
    const k = cellKey(c);
    let v = memo.get(k);
    if (!v) {
      const n = value.get(k) ?? 0;
      memo.set(k, (v = { n, key: roundingKey(c, n) }));
    }
    return v;
  };
  const out = new Map<string, Shown>();
  for (const c of cells) {
    const k = cellKey(c);
    out.set(k, publish(keyed(c), lines.get(k)!.map((l) => l.map(keyed))));
  }
  return out;
}


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
const PERIODS: Period[] = [
  dayPeriod('2026-10-03'),
  isoWeekPeriod(2026, 40),
  monthPeriod(2026, 10),
  quarterPeriod(2026, 4),
  yearPeriod(2025),
  campaignDayPeriod(campaign, 9),
  campaignWeekPeriod(campaign, 3),
  campaignToDatePeriod(campaign, '2026-06-01'),
];

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
              cells.push({ measure: specs[s].id, period: p, filter: fs[f % fs.length] });
            }
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
