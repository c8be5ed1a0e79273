/**
 * Harm reduction indicators (WHO 2022 strategic information guidelines, UNAIDS indicator registry). Pure.
 *  - The organisation's indicators: their shape, CSV and definitions. The server computes them in SQL from the
 *    maintained summaries (src/server/outreach/indicators.ts); `harmReductionIndicators` below is the same
 *    computation over contact facts, kept as the reference the summaries are tested against
 *    (test/outreach-aggregates.test.ts) — no request loads contact facts any more.
 *  - The national aggregates: the MeasureSpecs of the counts of people released by the disclosure control, and the
 *    report's shape.
 */
import { addDays, daysBetween, type DateRange } from '../dates.js';
import { ageBand } from '../harm-reduction.js';
import type { Dimension, MeasureSpec, Shown, ShownTable } from '../disclosure.js';
import { PROVINCE_CODES } from '../geography.js';
import { KINDS_BY_SECTOR } from '../roles.js';

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
// Aggregates for everyone outside the organisation (issue 9): counts of people released through the disclosure
// control (src/core/disclosure.ts) for a fixed reporting period; never a client id, UIC or hotspot.

export const HR_SEXES = ['male', 'female', 'other'] as const;
export const HR_AGE_BANDS = ['<25', '25+', 'unknown'] as const;
/** Provider kinds: the kinds of health organisations (an outreach NGO, a health centre, a treatment centre …). */
export const HR_PROVIDER_KINDS = KINDS_BY_SECTOR.health;

const HR_DIMS: Dimension[] = [
  { id: 'province', values: PROVINCE_CODES },
  { id: 'provider', values: HR_PROVIDER_KINDS },
  { id: 'sex', values: HR_SEXES },
  { id: 'age', values: HR_AGE_BANDS },
];
const HR_CROSSES: (readonly [string, string])[] = [
  ['province', 'sex'],
  ['province', 'age'],
  ['provider', 'sex'],
  ['provider', 'age'],
];

/**
 * Clients reached: distinct clients with a contact in the period (a client counts once however often seen). Not
 * additive in time (a client reached in two weeks of a month is one client of the month); it is the exact sum of
 * new and returning clients. Sex is the client's, age band the client's at the period's first day, province and
 * provider kind those of the recording organisation.
 */
export const HR_CLIENTS_REACHED: MeasureSpec = {
  id: 'hr_clients_reached',
  dims: HR_DIMS,
  crosses: HR_CROSSES,
  additiveInTime: false,
  sumOf: ['hr_new_clients', 'hr_returning_clients'],
};
/** New clients: clients whose first contact falls in the period (each client is new once: adds up over time). */
export const HR_NEW_CLIENTS: MeasureSpec = { id: 'hr_new_clients', dims: HR_DIMS, crosses: HR_CROSSES, additiveInTime: true };
/** Returning clients: reached in the period, first seen before it (clients reached − new clients). */
export const HR_RETURNING_CLIENTS: MeasureSpec = { id: 'hr_returning_clients', dims: HR_DIMS, crosses: HR_CROSSES, additiveInTime: false };
/**
 * Regular access (quarter and year only): clients with a contact in every calendar month of the period (3 of 3, 12
 * of 12). Kept by the summaries; not additive in time.
 */
export const HR_REGULAR_ACCESS: MeasureSpec = { id: 'hr_regular_access', dims: HR_DIMS, crosses: HR_CROSSES, additiveInTime: false };
export const HR_MEASURE_SPECS: readonly MeasureSpec[] = [HR_CLIENTS_REACHED, HR_NEW_CLIENTS, HR_RETURNING_CLIENTS, HR_REGULAR_ACCESS];

/** Rows of the aggregates: province, provider kind, or the period's time line (its quarters, months, weeks or days). */
export const AGGREGATE_ROWS = ['province', 'provider', 'time'] as const;
export const AGGREGATE_COLUMNS = ['sex', 'age'] as const;
export type AggregateRows = (typeof AGGREGATE_ROWS)[number];
export type AggregateColumns = (typeof AGGREGATE_COLUMNS)[number];

/** A table as released (src/core/disclosure.ts). */
export type ReleasedCounts = ShownTable;

export interface AggregateReport {
  period: { type: string; key: string; spec: string; from: string; to: string; campaignId?: string };
  rows: AggregateRows;
  columns: AggregateColumns;
  /** province codes, provider kinds, or the time line's periods (their `spec`: '2026-Q1', '2026-11-03', 'week:2') */
  rowKeys: string[];
  columnKeys: string[];
  clientsReached: ReleasedCounts;
  newClients: ReleasedCounts;
  returningClients: ReleasedCounts;
  /** per row: contacts with a client, and needles-syringes; shown only where the row's clients reached is a published number of 5 or more */
  contacts: (number | null)[];
  needlesSyringes: (number | null)[];
}

/** Contacts and needles-syringes of a row are shown only where its clients reached is published as 5 or more. */
export const rowFiguresShown = (reached: Shown) => typeof reached === 'number' && reached >= 5;
