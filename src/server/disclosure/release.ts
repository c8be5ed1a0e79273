/**
 * Releasing counts of people from health data (issue 9): the one way every national view, export and bulletin turns
 * exact counts from the maintained aggregates into what may leave the recording organisation. It asks a pillar's
 * `CountSource` for the exact counts of the cells wanted and of every line they head, then lets
 * src/core/disclosure.ts decide each cell. The work is bounded: one GROUP BY over summary rows per measure, set of
 * dimensions and kind of period, whatever period or filter is asked.
 */
import { sql, type RawBuilder } from 'kysely';
import { allowedFilter, cellKey, checkedTimeLine, isCrossedPeriod, publish, releasedForPeriod, type CellRef, type Dimension, type Filter, type MeasureSpec, type Shown, type ShownTable } from '../../core/disclosure.js';
import type { Campaign, Period, PeriodType } from '../../core/periods.js';

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
  /**
   * Optional: every `counts()` call a release is about to make, before it makes them, so that a source can read
   * them together (harm reduction sums every split of every period in one GROUPING SETS query).
   */
  prefetch?(asks: readonly CountAsk[]): Promise<void>;
  /**
   * Optional, with `scope`: a version of each period's figures — a value that changes whenever anything the period's
   * counts are read from changes, and is never given twice (undefined: none). A release keeps what it decided for a
   * cell whose lines all lie in its own period by (scope, period, version), and decides it again only when the
   * version changes. `scope` names the source (one pillar's figures).
   */
  versions?(periods: readonly Period[]): Promise<(string | undefined)[]>;
  readonly scope?: string;
}

/** One `counts()` call, as `prefetch()` is told of it. */
export interface CountAsk {
  measure: string;
  periods: readonly Period[];
  by: readonly string[];
}

export type Specs = ReadonlyMap<string, MeasureSpec>;
export const specMap = (...specs: MeasureSpec[]): Specs => new Map(specs.map((s) => [s.id, s]));

/** A cell of one release: its exact count once fetched, and its key (the `Keyed` publish() reads). */
interface Node {
  id: string;
  measure: string;
  /** The measure's number in this release. */
  m: number;
  period: Period;
  filter: Filter;
  /** The filter's number in this release. */
  fi: number;
  /** The filter's canonical text (`d=v,…`, dimensions sorted): the tail of `cellKey`. */
  f: string;
  n: number;
  key: number;
}

/** The canonical text of a filter, as `cellKey` writes it. */
function filterText(f: Filter): string {
  const dims = Object.keys(f);
  if (dims.length === 0) return '';
  if (dims.length > 1) dims.sort();
  return dims.map((d) => `${d}=${f[d]}`).join(',');
}

/**
 * The published value of every cell asked for, by `cellKey`. Every cell's lines (src/core/disclosure.ts
 * `cellLines`) are worked out here, once per cell and request, as cells of the same release; the exact counts of all
 * of them are fetched with one `counts()` per measure, set of dimensions and kind of period, all at once; then each
 * cell asked for is decided by `publish()`. Ask for every table of a page in one call: the lines they share are read
 * once.
 */
export async function release(specs: Specs, source: CountSource, cells: readonly CellRef[], campaign?: Campaign): Promise<Map<string, Shown>> {
  const shown = await releaseCells(specs, source, cells, campaign);
  const out = new Map<string, Shown>();
  cells.forEach((c, i) => out.set(cellKey(c), shown[i]));
  return out;
}

/** `release`, answered as a list: the published value of each cell, in the order asked. */
export async function releaseCells(specs: Specs, source: CountSource, cells: readonly CellRef[], campaign?: Campaign): Promise<Shown[]> {
  for (const c of cells) {
    const spec = specs.get(c.measure);
    if (!spec) throw new Error(`release: unknown measure ${c.measure}`);
    if (!allowedFilter(spec, c.filter)) throw new Error(`release: ${c.measure} is not released by ${Object.keys(c.filter).join(' × ')}`);
    if (!releasedForPeriod(c)) throw new Error(`release: ${c.measure} by ${Object.keys(c.filter).join(' × ') || 'total'} is not released for a ${c.period.type}`);
  }
  // Cells are interned: a measure, a period and a filter each get a small number, a cell the three combined, so
  // that the thousands of parts of a page's lines cost a numeric map lookup each, not a string built and hashed.
  const measures = new Map<string, number>();
  const periods = new Map<string, { period: Period; i: number }>();
  const filters = new Map<string, number>();
  const intern = <K>(m: Map<K, number>, k: K) => {
    let i = m.get(k);
    if (i === undefined) m.set(k, (i = m.size));
    return i;
  };
  const periodOf = (p: Period) => {
    let e = periods.get(p.key);
    if (!e) {
      if (periods.size >= 8192) throw new Error('release: more than 8,192 periods in one release');
      periods.set(p.key, (e = { period: p, i: periods.size }));
    }
    return e.i;
  };
  interface FilterRef {
    filter: Filter;
    f: string;
    i: number;
    /** The filter's dimensions, sorted: the `by` of the query that counts it (`byI` its number). */
    by: string[];
    byI: number;
  }
  const bys = new Map<string, number>();
  const filterRefs: FilterRef[] = [];
  const filterRef = (filter: Filter, f = filterText(filter)): FilterRef => {
    let i = filters.get(f);
    if (i === undefined) {
      if (filters.size >= 1048576) throw new Error('release: more than 1,048,576 filters in one release');
      filters.set(f, (i = filters.size));
      const by = Object.keys(filter).sort();
      filterRefs.push({ filter, f, i, by, byI: intern(bys, by.join(',')) });
    }
    return filterRefs[i];
  };
  // by measure and period (m * 8192 + p), then by filter: small integers as keys (a single key of the three would pass
  // 2^31 and be hashed as a heap number, allocated at every lookup)
  const nodes = new Map<number, Map<number, Node>>();
  /**
   * One query per measure, dimensions and period type (filled as cells are met); `lookup` finds a filter's number
   * from the values of an answer's row, dimension by dimension, without building its text.
   */
  interface Group {
    measure: string;
    m: number;
    by: string[];
    periods: Map<string, Period>;
    lookup: Map<string, unknown> | number;
  }
  const groups = new Map<number, Group>();
  const types = new Map<string, number>();
  const node = (measure: string, m: number, period: Period, p: number, fr: FilterRef): Node => {
    const mp = m * 8192 + p;
    let at = nodes.get(mp);
    if (!at) nodes.set(mp, (at = new Map()));
    let x = at.get(fr.i);
    if (!x) {
      at.set(fr.i, (x = { id: '', measure, m, period, filter: fr.filter, fi: fr.i, f: fr.f, n: 0, key: -1 }));
      const gk = (m * 4096 + fr.byI) * 16 + intern(types, period.type);
      let g = groups.get(gk);
      if (!g) groups.set(gk, (g = { measure, m, by: fr.by, periods: new Map(), lookup: fr.by.length ? new Map() : fr.i }));
      g.periods.set(period.key, period);
      if (typeof g.lookup !== 'number') {
        let at = g.lookup;
        for (let d = 0; d < fr.by.length - 1; d++) {
          const v = fr.filter[fr.by[d]];
          let next = at.get(v) as Map<string, unknown> | undefined;
          if (!next) at.set(v, (next = new Map()));
          at = next;
        }
        at.set(fr.filter[fr.by[fr.by.length - 1]], fr.i);
      }
    }
    return x;
  };
  // every cell of a table shares its period's time line, and a filter's split parts: work each out once
  const timeLines = new Map<string, { period: Period; i: number }[]>();
  const line = (p: Period) => {
    let parts = timeLines.get(p.key + p.to);
    if (!parts) timeLines.set(p.key + p.to, (parts = checkedTimeLine(p, campaign).map((q) => ({ period: q, i: periodOf(q) }))));
    return parts;
  };
  const splits = new Map<number, FilterRef[] | null>();
  // a split is a line only when its parts are published for the period (as in cellLines); for a released period
  // that depends only on whether it is crossed (the key: measure, filter, dimension and crossed, as one small integer)
  const split = (spec: MeasureSpec, m: number, fr: FilterRef, dim: Dimension, d: number, period: Period) => {
    const k = ((m * 1048576 + fr.i) * 16 + d) * 2 + (isCrossedPeriod(period) ? 1 : 0);
    let parts = splits.get(k);
    if (parts === undefined) {
      const first = { ...fr.filter, [dim.id]: dim.values[0] };
      parts = allowedFilter(spec, first) && releasedForPeriod({ period, filter: first }) ? dim.values.map((v) => filterRef({ ...fr.filter, [dim.id]: v })) : null;
      splits.set(k, parts);
    }
    return parts;
  };
  // what was decided before for cells whose lines lie in their own period, at the same version of its figures
  const out = new Map<string, Shown>();
  const ids: string[] = [];
  // by period object (a page's cells share them), then by its key and last day: its kept decisions, null when none
  const memo = new Map<Period, Map<string, Shown> | null>();
  if (source.versions && source.scope) {
    const byValue = new Map<string, Period[]>();
    for (const c of cells) {
      if (memo.has(c.period)) continue;
      memo.set(c.period, null);
      const k = `${c.period.key}|${c.period.to}`;
      const same = byValue.get(k);
      if (same) same.push(c.period);
      else byValue.set(k, [c.period]);
    }
    const list = [...byValue.values()];
    const vs = await source.versions(list.map((ps) => ps[0]));
    list.forEach((ps, i) => {
      if (vs[i] === undefined) return;
      const kept = decidedAt(`${source.scope}|${ps[0].key}|${ps[0].to}`, vs[i]!);
      for (const p of ps) memo.set(p, kept);
    });
  }
  // the lines of each cell asked for (the same as cellLines() gives, as nodes)
  const asked: { node: Node; lines: Node[][]; keep?: Map<string, Shown> }[] = [];
  for (const c of cells) {
    const spec = specs.get(c.measure)!;
    const fr = filterRef(c.filter);
    const id = `${c.measure}|${c.period.key}|${fr.f}`;
    ids.push(id);
    if (out.has(id)) continue; // asked twice, or decided before
    // a cell whose lines all lie in its period (no time line) is decided by its period's figures alone
    const keep = memo.size && (!spec.additiveInTime || !line(c.period).length) ? memo.get(c.period) ?? undefined : undefined;
    const before = keep?.get(id);
    if (before !== undefined) {
      out.set(id, before);
      continue;
    }
    const m = intern(measures, c.measure);
    const p = periodOf(c.period);
    const self = node(c.measure, m, c.period, p, fr);
    if (self.id) continue; // asked twice
    self.id = id;
    const lines: Node[][] = [];
    if (spec.additiveInTime) {
      const parts = line(c.period);
      if (parts.length) lines.push(parts.map((q) => node(c.measure, m, q.period, q.i, fr)));
    }
    for (let d = 0; d < spec.dims.length; d++) {
      const dim = spec.dims[d];
      if (dim.id in c.filter || spec.overlapping?.includes(dim.id)) continue;
      const parts = split(spec, m, fr, dim, d, c.period);
      if (parts) lines.push(parts.map((g) => node(c.measure, m, c.period, p, g)));
    }
    if (spec.sumOf?.length) lines.push(spec.sumOf.map((other) => node(other, intern(measures, other), c.period, p, fr)));
    asked.push({ node: self, lines, keep });
  }
  // the queries, all at once
  if (source.prefetch) await source.prefetch([...groups.values()].map((g) => ({ measure: g.measure, periods: [...g.periods.values()], by: g.by })));
  await Promise.all(
    [...groups.values()].map(async (g) => {
      const spec = specs.get(g.measure)!;
      const dims = g.by.map((d) => spec.dims.find((x) => x.id === d)!);
      const rows = await source.counts(g.measure, [...g.periods.values()], g.by);
      for (const r of rows) {
        const p = periods.get(r.period);
        if (!p) continue;
        let at: unknown = g.lookup;
        for (let d = 0; d < dims.length && at !== undefined; d++) {
          const level = at as Map<string, unknown>;
          const v = r.values[d];
          at = level.get(v);
          // a value outside the dimension's list is counted under its last value
          if (at === undefined && !dims[d].values.includes(v)) at = level.get(dims[d].values[dims[d].values.length - 1]);
        }
        if (typeof at !== 'number') continue;
        const x = nodes.get(g.m * 8192 + p.i)?.get(at);
        if (x) x.n += Number(r.n);
      }
    }),
  );
  // the rounding keys, only where a rounding draws (5 or more, not a multiple of 5)
  const prefixes = new Map<number, number>();
  for (const byFilter of nodes.values()) {
    for (const x of byFilter.values()) {
      if (x.n < 5 || x.n % 5 === 0) continue;
      const pk = x.m * 1048576 + x.fi;
      let h = prefixes.get(pk);
      if (h === undefined) prefixes.set(pk, (h = fnv(FNV_START, `${secret}|${x.measure}|${x.f}|`)));
      x.key = finishKey(fnv(h, String(x.n)));
    }
  }
  for (const a of asked) {
    const shown = publish(a.node, a.lines);
    out.set(a.node.id, shown);
    if (a.keep) keepDecided(a.keep, a.node.id, shown);
  }
  trimDecided();
  return ids.map((id) => out.get(id)!);
}

/**
 * The decisions this server process keeps, by source scope and period, with the version of the period's figures
 * they were decided at (`CountSource.versions`): replaced when the version changes, never kept past it. What a cell
 * is published as depends only on the exact counts of the cell and of its lines (publish(), the keys), so a cell
 * whose lines lie in its own period reads the same until that period's figures change. Bounded in cells (least
 * recently used period out first): memory stays flat whatever is asked.
 */
const DECIDED_CELLS = 200_000;
const decided = new Map<string, { version: string; cells: Map<string, Shown> }>();
let decidedCells = 0;
function decidedAt(period: string, version: string): Map<string, Shown> {
  let e = decided.get(period);
  if (e) decided.delete(period);
  if (e && e.version !== version) {
    decidedCells -= e.cells.size;
    e = undefined;
  }
  e ??= { version, cells: new Map() };
  decided.set(period, e); // most recently used last
  return e.cells;
}
function keepDecided(cells: Map<string, Shown>, id: string, shown: Shown) {
  if (!cells.has(id)) decidedCells++;
  cells.set(id, shown);
}
function trimDecided() {
  for (const [k, x] of decided) {
    if (decidedCells <= DECIDED_CELLS) break;
    decided.delete(k);
    decidedCells -= x.cells.size;
  }
}

/** Forget every kept decision (the benchmark's "nothing kept", as after a start). */
export function forgetDecisions(): void {
  decided.clear();
  decidedCells = 0;
}

let secret = 'tonle';
/** The deployment's secret for the rounding keys (src/server/disclosure/secret.ts loads it at start). */
export function setDisclosureSecret(s: string): void {
  if (s !== secret) forgetDecisions(); // the roundings were drawn with the old one
  secret = s;
}

/**
 * The rounding key of a cell, 0 ≤ key < 1: a hash of the secret, the measure, the cell's filter and its exact count —
 * not its period. Two cells with the same people read the same wherever and whenever they are asked (campaign day 3
 * and its calendar day; campaign to date before and after a week with nobody), so a reader cannot intersect several
 * independent roundings of one count; a count that changes draws afresh.
 */
export function roundingKey(c: CellRef, n: number): number {
  return roundingKeyOf(c.measure, filterText(c.filter), n);
}
function roundingKeyOf(measure: string, filter: string, n: number): number {
  return finishKey(fnv(FNV_START, `${secret}|${measure}|${filter}|${n}`));
}
// FNV-1a, 32 bits, then one round of mixing (a text hashed in two pieces hashes the same as whole)
const FNV_START = 0x811c9dc5;
function fnv(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}
function finishKey(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 4294967296;
}

/** A two-way table as published (src/core/disclosure.ts). */
export type ReleasedTable = ShownTable;

/** A two-way table to release: one measure in one period by a row dimension and (optionally) a column dimension. */
export interface TableAsk {
  measure: string;
  period: Period;
  rows: string;
  columns?: string;
  /** A filter every cell of the table keeps (for example one province). */
  filter?: Filter;
}

/**
 * Tables of a page (every cell, margin and total) released together through one `release()`: the lines they share
 * are read and decided once.
 */
export async function releaseTables(specs: Specs, source: CountSource, asks: readonly TableAsk[], campaign?: Campaign): Promise<ReleasedTable[]> {
  const plans = asks.map((t) => {
    const spec = specs.get(t.measure);
    if (!spec) throw new Error(`releaseTable: unknown measure ${t.measure}`);
    const values = (d: string) => spec.dims.find((x) => x.id === d)?.values ?? [];
    const rows = [...values(t.rows)];
    const columns = t.columns ? [...values(t.columns)] : [];
    const base = t.filter ?? {};
    const cell = (f: Filter): CellRef => ({ measure: t.measure, period: t.period, filter: { ...base, ...f } });
    const crossed = isCrossedPeriod(t.period);
    const grid = rows.map((r) => (crossed ? columns.map((c) => cell({ [t.rows]: r, [t.columns!]: c })) : []));
    const rowCells = rows.map((r) => cell({ [t.rows]: r }));
    const colCells = columns.map((c) => cell({ [t.columns!]: c }));
    return { rows, columns, grid, rowCells, colCells, total: cell({}), crossed };
  });
  const all = plans.flatMap((p) => [...p.grid.flat(), ...p.rowCells, ...p.colCells, p.total]);
  const shown = await releaseCells(specs, source, all, campaign);
  // read back in the order asked
  let at = 0;
  return plans.map((p) => ({
    cells: p.grid.map((r) => r.map(() => shown[at++])),
    rowTotals: p.rowCells.map(() => shown[at++]),
    columnTotals: p.colCells.map(() => shown[at++]),
    total: shown[at++],
    rows: p.rows,
    columns: p.columns,
    withheld: false,
    crossed: p.crossed,
  }));
}

/** One table (see releaseTables). */
export async function releaseTable(specs: Specs, source: CountSource, t: TableAsk, campaign?: Campaign): Promise<ReleasedTable> {
  return (await releaseTables(specs, source, [t], campaign))[0];
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
