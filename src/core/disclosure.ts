/**
 * Disclosure control for every count of people from health data that leaves the recording organisation (BRIEF
 * rule 3, DEVELOPERS rule 6, issue 9). One module decides what such a count is published as; the server's
 * release helper (src/server/disclosure/release.ts) only fetches exact counts and calls `publish()`.
 *
 * The method: small-cell suppression with rounding to base 5, decided per cell over a fixed lattice.
 *  - The lattice. A figure is a cell: a measure (clients reached, admissions…), a fixed reporting period
 *    (src/core/periods.ts: never a date range a caller chose) and a filter of at most two dimensions that the measure
 *    releases together (province × sex, centre kind × legal basis …). Every query of the API is a set of such cells,
 *    so a reader who asks everything obtains at most every cell of the lattice.
 *  - Zero stays 0. A count of 1–4 is "<5" (a reader knows 1–4). A count of 5 or more is randomly rounded to base 5
 *    (up with probability r/5 for n = 5k + r, so unbiased; never below 5), the draw fixed by the cell's key: a
 *    secret-keyed hash of the cell's dates and filter (`round5`). A reader knows a published 10 only as 6–14 (a 5
 *    as 5–9). This is the practice of statistics offices that publish flexible tables: small counts suppressed,
 *    the rest randomly rounded with a fixed key per cell (Statistics New Zealand's random rounding, the cell key
 *    method of the ABS and ONS census tables); the rounding is what defeats differencing — two overlapping figures
 *    subtracted leave a window of 17 values — and the fixed key is what defeats averaging: the same cell reads the
 *    same every time, so repeating a query gains nothing.
 *  - Lines. A cell is the exact sum of parts in several ways ("lines"): over the parts of its period (a month is its
 *    days, a year its quarters: src/core/periods.ts `timeLine`), over the values of each dimension it can be split
 *    by (the national figure is the sum of the provinces, a total the sum of the sexes…). Rounding alone can still
 *    pin a part: two "<5" parts whose total reads "5" with a third part of 0 … (see `linePins`). So a cell is
 *    checked against every line it heads whose parts a reader can have — not a line made only of cells that are
 *    never published, such as a month's days or a week's province × sex cells (`checkedTimeLine`, `cellLines`) —
 *    with each part's bounds as the part alone would be published; when a line would pin a part of 1–4 to
 *    one value, the cell is published as "*" (not shown: a reader knows only that it is not zero). Hiding a cell only
 *    widens what a reader knows, so it can never open a new way in; checking with the parts' own bounds (never
 *    their "*") is conservative.
 *  - Consistency. What a cell is published as depends only on the data of the cell and of its lines, never on the
 *    query that asked for it: the same figure reads the same in every table, page, CSV and export, however often
 *    it is asked — repeating or recombining queries gains nothing.
 *  test/core/attacker.test.ts plays the reader: every query the lattice allows over a generated dataset with many
 *  small cells, then linear programming over all answers together; it fails on the old per-table suppression over
 *  date ranges and passes on this.
 *
 * Pure, no I/O: the web app shares the marks and the bounds.
 */
import type { Period, PeriodType } from './periods.js';
import { timeLine, type Campaign } from './periods.js';

export const SMALL = '<5' as const;
export const HIDDEN = '*' as const;
/** A published count of people: an exact 0, "<5" (1–4), a multiple of 5 (rounded), or "*" (not shown). */
export type Shown = number | typeof SMALL | typeof HIDDEN;

export const isSmall = (n: number) => n >= 1 && n <= 4;
export const isHiddenMark = (p: Shown): p is typeof SMALL | typeof HIDDEN => p === SMALL || p === HIDDEN;

/**
 * A count of 5 or more rounded to a multiple of 5 (never below 5), up or down at random with the probability that
 * keeps it unbiased: n = 5k + r is published as 5k + 5 with probability r/5, else 5k. `u` (0 ≤ u < 1) is the cell's
 * key: the same cell always draws the same u (src/server/disclosure/release.ts derives it from a secret and the
 * cell's dates and filter), so asking again or elsewhere gives the same figure. Without a key, u = 0.5 (nearest).
 */
export function round5(n: number, u = 0.5): number {
  if (n < 5) throw new RangeError('round5: only counts of 5 or more are rounded');
  const down = Math.floor(n / 5) * 5;
  const r = n - down;
  return r > 0 && u < r / 5 ? down + 5 : down;
}

/** What a reader can infer from a published count: the values it may stand for, inclusive. */
export function bounds(p: Shown): [number, number] {
  if (p === SMALL) return [1, 4];
  if (p === HIDDEN) return [1, Infinity];
  if (p === 0) return [0, 0];
  if (p === 5) return [5, 9];
  return [p - 4, p + 4];
}

/** A count and its cell's key (see round5). */
export interface Keyed {
  n: number;
  key?: number;
}
const asKeyed = (c: number | Keyed): Keyed => (typeof c === 'number' ? { n: c } : c);

/** The count as it would be published on its own (before the line check). */
function primary(c: Keyed): Shown {
  if (c.n === 0) return 0;
  if (isSmall(c.n)) return SMALL;
  return round5(c.n, c.key);
}

/**
 * Would a line (a whole whose value lies in `whole`, equal to the sum of `parts`, each published alone) let a reader
 * pin one of its parts of 1–4 to a single value?
 */
export function linePins(whole: readonly [number, number], parts: readonly (number | Keyed)[]): boolean {
  // two passes without allocating: a page checks tens of thousands of parts
  let lo = 0;
  let hi = 0;
  let small = 0;
  for (const part of parts) {
    const [l, h] = bounds(primary(asKeyed(part)));
    lo += l;
    hi += h;
    if (l === 1 && h === 4) small++;
  }
  if (!small) return false;
  for (const part of parts) {
    const c = asKeyed(part);
    if (!isSmall(c.n)) continue;
    // a part of 1–4 is published alone as "<5": bounds 1–4
    const othersLo = lo - 1;
    const othersHi = hi - 4;
    const min = Math.max(1, whole[0] - othersHi);
    const max = Math.min(4, whole[1] - othersLo);
    if (min >= max) return true;
  }
  return false;
}

/**
 * What a count of people is published as, given its exact value (and key) and, for every line it heads, the exact
 * values (and keys) of the parts it is the sum of.
 */
export function publish(cell: number | Keyed, lines: readonly (readonly (number | Keyed)[])[] = []): Shown {
  const c = asKeyed(cell);
  if (!Number.isInteger(c.n) || c.n < 0) throw new RangeError('publish: counts are non-negative integers');
  const p = primary(c);
  if (c.n === 0) return 0;
  const whole = bounds(p);
  for (const parts of lines) if (linePins(whole, parts)) return HIDDEN;
  return p;
}

/**
 * A two-way table as published: cells, margins and total (the shape the web app draws; the old SuppressedTable's).
 * `withheld` is kept for that shape; the lattice never withholds a whole table.
 */
export interface ShownTable {
  rows: string[];
  columns: string[];
  cells: Shown[][];
  rowTotals: Shown[];
  columnTotals: Shown[];
  total: Shown;
  withheld: boolean;
  /**
   * False for a period released one dimension at a time (a week, a campaign week, campaign to date: `isCrossedPeriod`):
   * then `cells` holds an empty list per row, and only the margins and the total are published.
   */
  crossed: boolean;
}

/** The cells of a table's row for a CSV or a grid: empty strings in a table released without cells (`crossed` false). */
export function rowCells(t: ShownTable, i: number): (Shown | '')[] {
  return t.crossed ? t.cells[i] : t.columns.map(() => '');
}

/** A rate made of published counts: null when either is not a published number or the denominator is 0. */
export function shownRatio(a: Shown, b: Shown): number | null {
  return typeof a === 'number' && typeof b === 'number' && b > 0 ? a / b : null;
}

// ------------------------------------------------------------------------------------------------ the lattice

export interface Dimension {
  id: string;
  /** Every value, so that a split line covers the whole (a count outside the list is counted under the last). */
  values: readonly string[];
}

/** How one measure of people is released. */
export interface MeasureSpec {
  id: string;
  /** The dimensions a figure of the measure can be filtered or split by (province is one of them). */
  dims: readonly Dimension[];
  /** Pairs of dimensions released together as two-way tables; a filter has one dimension, or one of these pairs. */
  crosses: readonly (readonly [string, string])[];
  /**
   * True when the measure adds up over time (admissions, new clients, people reached by sessions): a period is then
   * the sum of its time line. Distinct counts over a period (clients reached) are not.
   */
  additiveInTime: boolean;
  /**
   * Dimensions that are not a partition of the people (a client reached in two settings counts in both): they are
   * never a split line of the total.
   */
  overlapping?: readonly string[];
  /** Measures this one is the exact sum of, cell by cell (clients reached = new + returning). */
  sumOf?: readonly string[];
}

export type Filter = Readonly<Record<string, string>>;

export interface CellRef {
  measure: string;
  period: Period;
  filter: Filter;
}

const filterDims = (f: Filter) => Object.keys(f).sort();

/** Is this filter a released one for the measure: no dimension, one, or one of its crosses? */
export function allowedFilter(spec: MeasureSpec, filter: Filter): boolean {
  const dims = filterDims(filter);
  for (const d of dims) {
    const dim = spec.dims.find((x) => x.id === d);
    if (!dim || !dim.values.includes(filter[d])) return false;
  }
  if (dims.length <= 1) return true;
  if (dims.length > 2) return false;
  return spec.crosses.some(([a, b]) => (a === dims[0] && b === dims[1]) || (a === dims[1] && b === dims[0]));
}

/**
 * The fixed periods whose counts of people leave the recording organisation (issue 9). Not single days: a reader who
 * has every day, every week and every month of one place and sex — each "<5" or rounded — can solve the days of a
 * week against the week and its neighbours together and pin a day's 1–4 (test/core/attacker-distinct.test.ts and
 * test/attacker-api.test.ts do exactly that against a release that includes days; without days they pin nothing).
 * Days are not in the lines the release checks either (`checkedTimeLine`): a line protects parts a reader has.
 */
export const RELEASED_PERIOD_TYPES: readonly PeriodType[] = ['iso_week', 'month', 'quarter', 'year', 'campaign_week', 'campaign_to_date'];
/**
 * The periods long enough for two-way tables (province × sex, centre kind × legal basis …). A week, a campaign week
 * or campaign to date is released by one dimension at a time: with two-way cells of every week as well, the linked
 * tables of overlapping weeks (ISO and campaign weeks a few days apart) pin small counts; months, quarters and years
 * do not overlap one another except by nesting.
 */
export const CROSSED_PERIOD_TYPES: readonly PeriodType[] = ['month', 'quarter', 'year'];

export const isReleasedPeriod = (p: Pick<Period, 'type'>) => RELEASED_PERIOD_TYPES.includes(p.type);
export const isCrossedPeriod = (p: Pick<Period, 'type'>) => CROSSED_PERIOD_TYPES.includes(p.type);

/**
 * Is this cell one that is published: a released period, and a filter the measure releases for that period (two
 * dimensions only for months, quarters and years)? Cells outside it are never published; they may still be parts of
 * a published cell's lines (`cellLines`, which uses `allowedFilter`), which only hides more.
 */
export function releasedCell(spec: MeasureSpec, cell: CellRef): boolean {
  return allowedFilter(spec, cell.filter) && releasedForPeriod(cell);
}

/** The period half of `releasedCell`, for a filter already known to be allowed (`allowedFilter`). */
export function releasedForPeriod(cell: Pick<CellRef, 'period' | 'filter'>): boolean {
  return isReleasedPeriod(cell.period) && (Object.keys(cell.filter).length < 2 || isCrossedPeriod(cell.period));
}

const DAY_LINED: ReadonlySet<PeriodType> = new Set(['day', 'campaign_day', 'iso_week', 'month', 'campaign_week']);

/**
 * The time line a cell is checked against: its period's parts (`timeLine`), unless no part is a released period —
 * a month's, an ISO week's or a campaign week's days. A line protects the parts a reader also has; no reader has a
 * figure of any day, so checking a week against its seven days only hid weeks for figures nobody can see, and cost
 * a page thousands of day cells. What a reader can still do with the days — solve them from overlapping weeks, a
 * month and its weeks — is what the attackers (test/core/attacker*.test.ts, test/attacker-api.test.ts) try over
 * everything together. A line with some released parts (campaign to date: its weeks, then the days of a week not
 * complete) is kept whole.
 */
export function checkedTimeLine(p: Period, campaign?: Campaign): Period[] {
  // the periods whose parts are always days (a 7-day campaign week is never a calendar month, quarter or year)
  if (DAY_LINED.has(p.type)) return [];
  const parts = timeLine(p, campaign);
  return parts.some(isReleasedPeriod) ? parts : [];
}

/** A stable key of a cell (measure, period, filter), for maps. */
export function cellKey(c: CellRef): string {
  return `${c.measure}|${c.period.key}|${filterDims(c.filter)
    .map((d) => `${d}=${c.filter[d]}`)
    .join(',')}`;
}

/**
 * The lines a cell heads: its checked time line (measures additive in time: `checkedTimeLine`), one split line per
 * dimension the filter can be extended by (not an overlapping one) whose parts are published for the period (a
 * week's female total is not split by province: no week publishes province × sex), and the measures it is the sum
 * of. A line protects the parts a reader also has; `everything` plays a server that publishes every cell of the
 * lattice (the attackers' proof that the rules are needed): every split the measure allows.
 */
export function cellLines(
  specs: ReadonlyMap<string, MeasureSpec>,
  cell: CellRef,
  campaign?: Campaign,
  line: (p: Period) => readonly Period[] = (p) => checkedTimeLine(p, campaign),
  everything = false,
): CellRef[][] {
  const spec = specs.get(cell.measure);
  if (!spec) throw new Error(`cellLines: unknown measure ${cell.measure}`);
  const lines: CellRef[][] = [];
  if (spec.additiveInTime) {
    const parts = line(cell.period);
    if (parts.length) lines.push(parts.map((period) => ({ ...cell, period })));
  }
  for (const dim of spec.dims) {
    if (dim.id in cell.filter || spec.overlapping?.includes(dim.id)) continue;
    const parts = dim.values.map((v) => ({ ...cell, filter: { ...cell.filter, [dim.id]: v } }));
    if (allowedFilter(spec, parts[0].filter) && (everything || releasedForPeriod(parts[0]))) lines.push(parts);
  }
  if (spec.sumOf?.length) lines.push(spec.sumOf.map((measure) => ({ ...cell, measure })));
  return lines;
}
