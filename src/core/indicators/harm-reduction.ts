/**
 * Harm reduction indicators (WHO 2022 strategic information guidelines, UNAIDS indicator registry), computed in one
 * place from contact facts (the server's store selects them). Pure: the same functions serve the organisation's
 * indicators, their CSV and the suppressed aggregates for everyone else.
 */
import { addDays, daysBetween, type DateRange } from '../dates.js';
import { ageBand } from '../harm-reduction.js';
import { suppress, type Published, type SuppressedTable } from '../suppression.js';

/** One contact, as the indicators need it (no UIC, no hotspot id: a hotspot code only inside the organisation). */
export interface ContactFact {
  /** Contact date in Cambodia, 'YYYY-MM-DD'. */
  on: string;
  clientId: string | null;
  setting: string;
  hotspotCode: string | null;
  sex: string | null;
  birthYear: number | null;
  firstContactOn: string | null;
  needles: number;
  syringes: number;
  returned: number;
  hivTested: boolean;
  hivPositive: boolean;
  referralsMade: number;
  referralsCompleted: number;
  /** For the aggregates: the recording organisation's province and kind. */
  provinceCode?: string;
  providerKind?: string;
}

export const INDICATOR_GROUPS = ['total', 'week', 'hotspot', 'sex', 'age', 'setting'] as const;
export type IndicatorGroup = (typeof INDICATOR_GROUPS)[number];

export interface IndicatorRow {
  key: string;
  clientsReached: number;
  newClients: number;
  contacts: number;
  anonymousContacts: number;
  needles: number;
  syringes: number;
  needlesSyringes: number;
  /** needles and syringes per client reached (null without clients) */
  perClient: number | null;
  returned: number;
  /** used needles and syringes collected per one distributed (null when none distributed) */
  returnRate: number | null;
  /** clients with a contact in every 30-day period of the range */
  regularAccess: number;
  regularAccessRate: number | null;
  hivTests: number;
  hivPositive: number;
  referralsMade: number;
  referralsCompleted: number;
}

export const INDICATOR_COLUMNS: (keyof IndicatorRow)[] = [
  'key',
  'clientsReached',
  'newClients',
  'contacts',
  'anonymousContacts',
  'needles',
  'syringes',
  'needlesSyringes',
  'perClient',
  'returned',
  'returnRate',
  'regularAccess',
  'regularAccessRate',
  'hivTests',
  'hivPositive',
  'referralsMade',
  'referralsCompleted',
];

/** Monday of the week of a date ('YYYY-MM-DD'). */
export function weekOf(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((dow + 6) % 7));
}

const round = (n: number) => Math.round(n * 100) / 100;

export function groupKey(f: ContactFact, by: IndicatorGroup): string {
  switch (by) {
    case 'total':
      return 'total';
    case 'week':
      return weekOf(f.on);
    case 'hotspot':
      return f.hotspotCode ?? `(${f.setting})`;
    case 'sex':
      return f.sex ?? 'anonymous';
    case 'age':
      return f.clientId ? ageBand(f.birthYear, Number(f.on.slice(0, 4))) : 'anonymous';
    case 'setting':
      return f.setting;
  }
}

/** The indicators of a set of contacts over a range (the period of "new" and of regular access). */
export function measure(facts: readonly ContactFact[], range: DateRange, key: string, newFrom = range.from, newTo = range.to): IndicatorRow {
  const clients = new Set<string>();
  const fresh = new Set<string>();
  const periods = Math.max(1, Math.ceil((daysBetween(range.from, range.to) + 1) / 30));
  const seenIn = new Map<string, Set<number>>();
  const row: IndicatorRow = {
    key,
    clientsReached: 0,
    newClients: 0,
    contacts: 0,
    anonymousContacts: 0,
    needles: 0,
    syringes: 0,
    needlesSyringes: 0,
    perClient: null,
    returned: 0,
    returnRate: null,
    regularAccess: 0,
    regularAccessRate: null,
    hivTests: 0,
    hivPositive: 0,
    referralsMade: 0,
    referralsCompleted: 0,
  };
  for (const f of facts) {
    if (f.clientId) {
      row.contacts++;
      clients.add(f.clientId);
      if (f.firstContactOn && f.firstContactOn >= newFrom && f.firstContactOn <= newTo) fresh.add(f.clientId);
      const p = Math.floor(daysBetween(range.from, f.on) / 30);
      if (!seenIn.has(f.clientId)) seenIn.set(f.clientId, new Set());
      seenIn.get(f.clientId)!.add(p);
    } else row.anonymousContacts++;
    row.needles += f.needles;
    row.syringes += f.syringes;
    row.returned += f.returned;
    if (f.hivTested) row.hivTests++;
    if (f.hivPositive) row.hivPositive++;
    row.referralsMade += f.referralsMade;
    row.referralsCompleted += f.referralsCompleted;
  }
  row.clientsReached = clients.size;
  row.newClients = fresh.size;
  row.needlesSyringes = row.needles + row.syringes;
  row.perClient = row.clientsReached ? round(row.needlesSyringes / row.clientsReached) : null;
  row.returnRate = row.needlesSyringes ? round(row.returned / row.needlesSyringes) : null;
  row.regularAccess = [...seenIn.values()].filter((s) => s.size === periods).length;
  row.regularAccessRate = row.clientsReached ? round(row.regularAccess / row.clientsReached) : null;
  return row;
}

export interface IndicatorReport {
  range: DateRange;
  by: IndicatorGroup;
  rows: IndicatorRow[];
  total: IndicatorRow;
}

/** The organisation's indicators, by one dimension (rows sorted by key), with the total over the range. */
export function harmReductionIndicators(facts: readonly ContactFact[], range: DateRange, by: IndicatorGroup): IndicatorReport {
  const inRange = facts.filter((f) => f.on >= range.from && f.on <= range.to);
  const groups = new Map<string, ContactFact[]>();
  for (const f of inRange) {
    const k = groupKey(f, by);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(f);
  }
  const rows = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, fs]) => {
      if (by !== 'week') return measure(fs, range, k);
      // a week row: new clients are those whose first contact falls in that week
      const to = addDays(k, 6);
      return measure(fs, range, k, k, to);
    });
  return { range, by, rows, total: measure(inRange, range, 'total') };
}

export function indicatorsCsv(r: IndicatorReport): string {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const lines = [INDICATOR_COLUMNS.join(',')];
  for (const row of [...r.rows, r.total]) lines.push(INDICATOR_COLUMNS.map((c) => cell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Aggregates for everyone outside the organisation: counts of people, suppressed; never a client id, UIC or hotspot.

export const AGGREGATE_ROWS = ['province', 'week', 'provider'] as const;
export const AGGREGATE_COLUMNS = ['sex', 'age'] as const;
export type AggregateRows = (typeof AGGREGATE_ROWS)[number];
export type AggregateColumns = (typeof AGGREGATE_COLUMNS)[number];

export interface AggregateReport {
  range: DateRange;
  rows: AggregateRows;
  columns: AggregateColumns;
  rowKeys: string[];
  columnKeys: string[];
  /** distinct clients reached per row and column (a client counts once per row) */
  clientsReached: SuppressedTable;
  /** clients whose first contact falls in the range */
  newClients: SuppressedTable;
  /** per row: contacts and needles-syringes, shown only when the row's clients reached is shown and 5 or more */
  contacts: (number | null)[];
  needlesSyringes: (number | null)[];
}

const COLUMN_KEYS: Record<AggregateColumns, string[]> = { sex: ['male', 'female', 'other'], age: ['<25', '25+', 'unknown'] };

export function harmReductionAggregates(facts: readonly ContactFact[], range: DateRange, rows: AggregateRows, columns: AggregateColumns): AggregateReport {
  const inRange = facts.filter((f) => f.on >= range.from && f.on <= range.to);
  const rowOf = (f: ContactFact) => (rows === 'province' ? (f.provinceCode ?? 'unknown') : rows === 'week' ? weekOf(f.on) : (f.providerKind ?? 'unknown'));
  const columnKeys = COLUMN_KEYS[columns];
  const rowKeys = [...new Set(inRange.map(rowOf))].sort();
  const ri = new Map(rowKeys.map((k, i) => [k, i]));
  // one column per client and row: the client's sex, or the age band at its first contact of the row
  const reached = new Map<string, { row: number; col: number; fresh: boolean }>();
  const contacts = rowKeys.map(() => 0);
  const distributed = rowKeys.map(() => 0);
  const sorted = [...inRange].sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  for (const f of sorted) {
    const r = ri.get(rowOf(f))!;
    distributed[r] += f.needles + f.syringes;
    if (!f.clientId) continue;
    contacts[r]++;
    const k = `${r}|${f.clientId}`;
    if (reached.has(k)) continue;
    const col = columns === 'sex' ? columnKeys.indexOf(f.sex ?? 'other') : columnKeys.indexOf(ageBand(f.birthYear, Number(f.on.slice(0, 4))));
    const weekFrom = rows === 'week' ? rowKeys[r] : range.from;
    const weekTo = rows === 'week' ? addDays(rowKeys[r], 6) : range.to;
    const fresh = !!f.firstContactOn && f.firstContactOn >= range.from && f.firstContactOn <= range.to && f.firstContactOn >= weekFrom && f.firstContactOn <= weekTo;
    reached.set(k, { row: r, col: col < 0 ? columnKeys.length - 1 : col, fresh });
  }
  const reachedCounts = rowKeys.map(() => columnKeys.map(() => 0));
  const newCounts = rowKeys.map(() => columnKeys.map(() => 0));
  for (const v of reached.values()) {
    reachedCounts[v.row][v.col]++;
    if (v.fresh) newCounts[v.row][v.col]++;
  }
  const clientsReached = suppress(reachedCounts);
  const shown = (i: number) => {
    const t: Published = clientsReached.rowTotals[i];
    return typeof t === 'number' && t >= 5;
  };
  return {
    range,
    rows,
    columns,
    rowKeys,
    columnKeys,
    clientsReached,
    newClients: suppress(newCounts),
    contacts: contacts.map((n, i) => (shown(i) ? n : null)),
    needlesSyringes: distributed.map((n, i) => (shown(i) ? n : null)),
  };
}
