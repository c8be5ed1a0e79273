/**
 * The disclosure control's own cost, without a database: the national treatment view's eight tables released for a
 * month, a campaign week and a year from an in-memory source that answers every cell (each answer kept after the first run, so only the release is timed) (all counts non-zero, the worst
 * case for the line checks). Prints the median and p95 of the release alone.
 *   npx tsx bench/release-micro.ts   (BENCH_RUNS=200)
 */
import { NATIONAL_VIEW_TABLES, TREATMENT_SPECS } from '../src/core/indicators/treatment.js';
import { campaignWeekPeriod, monthPeriod, yearPeriod, type Campaign } from '../src/core/periods.js';
import { releaseTables, type CountSource } from '../src/server/disclosure/release.js';
import { rng } from './lib.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const random = rng(7);
/** Every combination of the values of `by` in every period, with a count of 0–12. */
const cache = new Map<string, { period: string; values: string[]; n: number }[]>();
const source: CountSource = {
  async counts(measure, periods, by) {
    const k = `${measure}|${by.join(',')}|${periods.map((p) => p.key).join(',')}`;
    if (cache.has(k)) return cache.get(k)!;
    const spec = TREATMENT_SPECS.get(measure)!;
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
};
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
