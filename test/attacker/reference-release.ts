/**
 * The plain definition of the release (src/server/disclosure/release.ts `release()` without its speed-ups): every
 * cell asked for, its lines from `cellLines()`, each decided by `publish()` with the cell's rounding key. It does not
 * check `releasedCell`, so the attackers use it to play a server that publishes every cell of the lattice (days, and
 * two-way tables of weeks: what the layer published before), and test/core/release-reference.test.ts checks that
 * `release()` publishes exactly this for the cells it releases.
 */
import { allowedFilter, cellKey, cellLines, checkedTimeLine, publish, type CellRef, type Shown } from '../../src/core/disclosure.js';
import { timeLine, type Campaign, type Period, type PeriodType } from '../../src/core/periods.js';
import { roundingKey, type CountSource, type Specs } from '../../src/server/disclosure/release.js';

/**
 * `everything`: play a server that publishes every cell, days and two-way tables of weeks included, so that every
 * cell is checked against its whole time line (`timeLine`) and every split; without it, the lines release() checks
 * (`checkedTimeLine`, and splits whose parts are published for the period).
 */
export async function referenceRelease(specs: Specs, source: CountSource, cells: readonly CellRef[], campaign?: Campaign, opts: { everything?: boolean } = {}): Promise<Map<string, Shown>> {
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
    if (!parts) timeLines.set(p.key + p.to, (parts = opts.everything ? timeLine(p, campaign) : checkedTimeLine(p, campaign)));
    return parts;
  };
  for (const c of cells) {
    needed.set(cellKey(c), c);
    const ls = cellLines(specs, c, campaign, line, opts.everything);
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
