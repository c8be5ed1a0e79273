/**
 * Releasing counts of people from health data (issue 9): the one way every national view, export and bulletin turns
 * exact counts from the maintained aggregates into what may leave the recording organisation. It asks a pillar's
 * `CountSource` for the exact counts of the cells wanted and of every line they head, then lets
 * src/core/disclosure.ts decide each cell. The work is bounded: one GROUP BY over summary rows per measure, set of
 * dimensions and kind of period, whatever period or filter is asked.
 */
import { sql, type RawBuilder } from 'kysely';
import { allowedFilter, cellKey, cellLines, publish, type CellRef, type Filter, type MeasureSpec, type Shown, type ShownTable } from '../../core/disclosure.js';
import { timeLine, type Campaign, type Period, type PeriodType } from '../../core/periods.js';

export interface CountRow {
  /** Period key (`Period.key`). */
  period: string;
  /** The values of the `by` dimensions, in their order. */
  values: readonly string[];
  n: number;
}

/** Exact counts of a measure, from a pillar's summaries. */
export interface CountSource {
  /**
   * Counts of `measure` in each of `periods` (all of one type, never overlapping), grouped by the dimensions `by`.
   * Missing rows are zeros.
   */
  counts(measure: string, periods: readonly Period[], by: readonly string[]): Promise<CountRow[]>;
}

export type Specs = ReadonlyMap<string, MeasureSpec>;
export const specMap = (...specs: MeasureSpec[]): Specs => new Map(specs.map((s) => [s.id, s]));

/** The published value of every cell asked for, by `cellKey`. */
export async function release(specs: Specs, source: CountSource, cells: readonly CellRef[], campaign?: Campaign): Promise<Map<string, Shown>> {
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

let secret = 'tonle';
/** The deployment's secret for the rounding keys (src/server/disclosure/secret.ts loads it at start). */
export function setDisclosureSecret(s: string): void {
  secret = s;
}

/**
 * The rounding key of a cell, 0 ≤ key < 1: a hash of the secret, the measure, the cell's filter and its exact count —
 * not its period. Two cells with the same people read the same wherever and whenever they are asked (campaign day 3
 * and its calendar day; campaign to date before and after a week with nobody), so a reader cannot intersect several
 * independent roundings of one count; a count that changes draws afresh.
 */
export function roundingKey(c: CellRef, n: number): number {
  const f = Object.keys(c.filter)
    .sort()
    .map((d) => `${d}=${c.filter[d]}`)
    .join(',');
  const text = `${secret}|${c.measure}|${f}|${n}`;
  // FNV-1a, 32 bits, then one round of mixing
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 4294967296;
}

/** A two-way table as published (src/core/disclosure.ts). */
export type ReleasedTable = ShownTable;

/**
 * One measure in one period by a row dimension and (optionally) a column dimension, within a filter (for example
 * one province): every cell, margin and total released through `release()`.
 */
export async function releaseTable(
  specs: Specs,
  source: CountSource,
  t: { measure: string; period: Period; rows: string; columns?: string; filter?: Filter },
  campaign?: Campaign,
): Promise<ReleasedTable> {
  const spec = specs.get(t.measure);
  if (!spec) throw new Error(`releaseTable: unknown measure ${t.measure}`);
  const values = (d: string) => spec.dims.find((x) => x.id === d)?.values ?? [];
  const rows = [...values(t.rows)];
  const columns = t.columns ? [...values(t.columns)] : [];
  const base = t.filter ?? {};
  const cell = (f: Filter): CellRef => ({ measure: t.measure, period: t.period, filter: { ...base, ...f } });
  const grid = rows.map((r) => columns.map((c) => cell({ [t.rows]: r, [t.columns!]: c })));
  const rowCells = rows.map((r) => cell({ [t.rows]: r }));
  const colCells = columns.map((c) => cell({ [t.columns!]: c }));
  const all = [...grid.flat(), ...rowCells, ...colCells, cell({})];
  const shown = await release(specs, source, all, campaign);
  const get = (c: CellRef) => shown.get(cellKey(c))!;
  return {
    rows,
    columns,
    cells: grid.map((r) => r.map(get)),
    rowTotals: rowCells.map(get),
    columnTotals: colCells.map(get),
    total: get(cell({})),
    withheld: false,
  };
}

/**
 * The period key of the day in `column` for periods of one type, as SQL (for sources that keep one summary row
 * per day): 'month:2026-11', 'campaign_week:<id>:3' … — the same keys as src/core/periods.ts gives.
 */
export function dayBucket(type: PeriodType, column: RawBuilder<unknown>, campaign?: Campaign): RawBuilder<string> {
  switch (type) {
    case 'day':
      return sql<string>`'day:' || to_char(${column}, 'YYYY-MM-DD')`;
    case 'iso_week':
      return sql<string>`'iso_week:' || to_char(${column}, 'IYYY-"W"IW')`;
    case 'month':
      return sql<string>`'month:' || to_char(${column}, 'YYYY-MM')`;
    case 'quarter':
      return sql<string>`'quarter:' || to_char(${column}, 'YYYY-"Q"Q')`;
    case 'year':
      return sql<string>`'year:' || to_char(${column}, 'YYYY')`;
    case 'campaign_day':
    case 'campaign_week':
    case 'campaign_to_date': {
      if (!campaign) throw new Error(`dayBucket: ${type} needs its campaign`);
      const prefix = `${type}:${campaign.id}`;
      const offset = sql<number>`(${column}::date - ${campaign.startDate}::date)`;
      if (type === 'campaign_day') return sql<string>`${prefix} || ':' || (${offset} + 1)::text`;
      if (type === 'campaign_week') return sql<string>`${prefix} || ':' || (floor(${offset} / 7.0)::int + 1)::text`;
      return sql<string>`${prefix}`;
    }
  }
}

/** The first and last date of a list of periods. */
export function spanOf(periods: readonly Period[]): { from: string; to: string } {
  let from = periods[0].from;
  let to = periods[0].to;
  for (const p of periods) {
    if (p.from < from) from = p.from;
    if (p.to > to) to = p.to;
  }
  return { from, to };
}
