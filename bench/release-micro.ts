/**
 * The disclosure control's own cost, without a database: the national treatment view's eight tables released for a
 * month, a campaign week and a year, and harm reduction's weekly series of a campaign to date of 300 weeks (by sex),
 * from an in-memory source that answers every cell (each answer kept after the first run, so only the release is
 * timed; counts 0–12, the worst case for the line checks). Prints the median and p95 of the release alone.
 *   npx tsx bench/release-micro.ts   (BENCH_RUNS=200)
 */
import { NATIONAL_VIEW_TABLES, TREATMENT_SPECS } from '../src/core/indicators/treatment.js';
import { HR_MEASURE_SPECS } from '../src/core/indicators/harm-reduction.js';
import { campaignToDatePeriod, campaignWeekPeriod, monthPeriod, releasedSeries, yearPeriod, type Campaign } from '../src/core/periods.js';
import type { CellRef } from '../src/core/disclosure.js';
import { release, releaseTables, specMap, type CountSource, type Specs } from '../src/server/disclosure/release.js';
import { rng } from './lib.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const random = rng(7);
/** Every combination of the values of `by` in every period, with a count of 0–12. */
const cache = new Map<string, { period: string; values: string[]; n: number }[]>();
const sourceOf = (specs: Specs): CountSource => ({
  async counts(measure, periods, by) {
    const k = `${measure}|${by.join(',')}|${periods.map((p) => p.key).join(',')}`;
    if (cache.has(k)) return cache.get(k)!;
    const spec = specs.get(measure)!;
    const dims = by.map((d) => spec.dims.find((x) => x.id === d)!.values);
    const out: { period: string; values: string[]; n: number }[] = [];
    const walk = (i: number, values: string[], period: string) => {
      if (i === dims.length) return void out.push({ period, values, n: Math.floor(random() * 13) });
      for (const v of dims[i]) walk(i + 1, [...values, v], period);
    };
    for (const p of periods) walk(0, [], p.key);
    cache.set(k, out);
    return out;
  },
});
const source = sourceOf(TREATMENT_SPECS);
const median = (ts: number[]) => [...ts].sort((x, y) => x - y)[Math.floor(ts.length / 2)];
const p95 = (ts: number[]) => [...ts].sort((x, y) => x - y)[Math.ceil(ts.length * 0.95) - 1];
const campaign: Campaign = { id: 'c', startDate: '2026-03-05', endDate: null };
for (const [label, period] of [
  ['month', monthPeriod(2026, 10)],
  ['campaign week', campaignWeekPeriod(campaign, 20)],
  ['year', yearPeriod(2025)],
] as const) {
  const tables = NATIONAL_VIEW_TABLES.map(([measure, rows, columns]) => ({ measure, period, rows, columns }));
  const ts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await releaseTables(TREATMENT_SPECS, source, tables, campaign);
    ts.push(performance.now() - t0);
  }
  ts.sort((x, y) => x - y);
  console.log(`${label}: median ${ts[Math.floor(RUNS / 2)].toFixed(1)} ms, p95 ${ts[Math.ceil(RUNS * 0.95) - 1].toFixed(1)} ms`);
}

// harm reduction: a campaign running since 2021, its 300 weeks as a series by sex (the cells the view asks)
{
  const specs = specMap(...HR_MEASURE_SPECS);
  const long: Campaign = { id: 'long', startDate: '2021-03-01', endDate: null };
  const toDate = campaignToDatePeriod(long, '2026-12-01');
  const series = releasedSeries(toDate, long);
  const sexes = [...specs.get('hr_clients_reached')!.dims.find((d) => d.id === 'sex')!.values];
  const cells: CellRef[] = [];
  for (const measure of ['hr_clients_reached', 'hr_new_clients', 'hr_returning_clients'])
    for (const p of [...series, toDate]) {
      cells.push({ measure, period: p, filter: {} });
      for (const v of sexes) cells.push({ measure, period: p, filter: { sex: v } });
    }
  const hr = sourceOf(specs);
  const ts: number[] = [];
  for (let i = 0; i < Math.min(RUNS, 50); i++) {
    const t0 = performance.now();
    await release(specs, hr, cells, long);
    ts.push(performance.now() - t0);
  }
  console.log(`harm reduction, campaign to date of ${series.length} weeks by time × sex (${cells.length} cells): median ${median(ts).toFixed(1)} ms, p95 ${p95(ts).toFixed(1)} ms`);
}
