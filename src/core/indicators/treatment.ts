/**
 * Treatment indicators (BRIEF "Indicators": admissions; share voluntary by centre kind; occupancy (in care ÷
 * capacity); completion rate; admissions by referral source), shaped from the counts that the server's store selects
 * with GROUP BY queries. Pure, no I/O. docs/treatment-api.md is the contract.
 *
 *  - `centreView`: the exact figures of one centre, for the staff of the organisation that runs it.
 *  - `nationalView`: every centre, for everyone: counts of people go through `suppress()` (1–4 → "<5", secondary
 *    suppression "*"); capacities are not people and are exact; a rate is given only when every count it is made of
 *    is a published number (a rate of hidden counts would give them away).
 */
import { addDays, type DateRange } from '../dates.js';
import { PROVINCE_CODES } from '../geography.js';
import { HIDDEN, isHidden, suppress, suppressCount, type Published, type SuppressedTable } from '../suppression.js';
import { toCsv } from '../csv.js';
import {
  CENTRE_KINDS,
  completionRate,
  DISCHARGE_REASONS,
  LEGAL_BASES,
  REFERRAL_SOURCES,
  type CentreDto,
  type DischargeReason,
  type LegalBasis,
  type ReferralSource,
} from '../treatment.js';

/** Enforcement dispositions that refer a person to treatment (the referrals next to capacity). */
export const REFERRAL_DISPOSITIONS = ['referred_treatment_voluntary', 'referred_treatment_compulsory'] as const;
/** The tables of the national view that can be downloaded as CSV. */
export const NATIONAL_TABLES = ['kind', 'province', 'referrals'] as const;
export type NationalTable = (typeof NATIONAL_TABLES)[number];

/** 7-day buckets from `from`; the last one may be shorter and ends at `to`. */
export function weekBuckets(range: DateRange): DateRange[] {
  const out: DateRange[] = [];
  for (let d = range.from; d <= range.to; d = addDays(d, 7)) {
    const end = addDays(d, 6);
    out.push({ from: d, to: end < range.to ? end : range.to });
  }
  return out;
}

/** Counts of `n` per key, over a fixed list of keys (a key outside the list is counted under `fallback`). */
function tally<K extends string>(keys: readonly K[], items: readonly { key: string; n: number }[], fallback: K): Record<K, number> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const it of items) out[(keys as readonly string[]).includes(it.key) ? (it.key as K) : fallback] += it.n;
  return out;
}

// ------------------------------------------------------------------------------------------------ one centre

/** What the store counts for one centre (GROUP BY admitted_on, legal_basis, referral_source / discharged_on, reason). */
export interface CentreFacts {
  inCareToday: number;
  /** Stays admitted inside the range, per day, legal basis and referral source. */
  admissions: readonly { on: string; legalBasis: string; referralSource: string; n: number }[];
  /** Stays discharged inside the range, per day and reason. */
  discharges: readonly { on: string; reason: string; n: number }[];
}

export interface CentreView {
  centre: CentreDto;
  range: DateRange;
  today: string;
  inCareToday: number;
  capacity: number;
  /** inCareToday ÷ capacity; null when the capacity is 0. */
  occupancy: number | null;
  overCapacity: boolean;
  weeks: { from: string; to: string; admissions: number; discharges: number }[];
  admissions: number;
  discharges: number;
  byLegalBasis: Record<LegalBasis, number>;
  /** voluntary ÷ admissions; null without admissions. */
  shareVoluntary: number | null;
  byReferralSource: Record<ReferralSource, number>;
  byDischargeReason: Record<DischargeReason, number>;
  /** completed ÷ (discharges − transfers); null when that is 0 (completionRate() in src/core/treatment.ts). */
  completionRate: number | null;
}

/** The exact figures of a centre over a range (its own staff only: nothing here is suppressed). */
export function centreView(centre: CentreDto, range: DateRange, today: string, facts: CentreFacts): CentreView {
  const inRange = (d: string) => d >= range.from && d <= range.to;
  const adm = facts.admissions.filter((a) => inRange(a.on));
  const dis = facts.discharges.filter((d) => inRange(d.on));
  const admissions = adm.reduce((s, a) => s + a.n, 0);
  const discharges = dis.reduce((s, d) => s + d.n, 0);
  const byLegalBasis = tally(LEGAL_BASES, adm.map((a) => ({ key: a.legalBasis, n: a.n })), 'compulsory_administrative');
  const byDischargeReason = tally(DISCHARGE_REASONS, dis.map((d) => ({ key: d.reason, n: d.n })), 'other');
  const weeks = weekBuckets(range).map((w) => ({
    from: w.from,
    to: w.to,
    admissions: adm.filter((a) => a.on >= w.from && a.on <= w.to).reduce((s, a) => s + a.n, 0),
    discharges: dis.filter((d) => d.on >= w.from && d.on <= w.to).reduce((s, d) => s + d.n, 0),
  }));
  return {
    centre,
    range,
    today,
    inCareToday: facts.inCareToday,
    capacity: centre.capacity,
    occupancy: centre.capacity > 0 ? facts.inCareToday / centre.capacity : null,
    overCapacity: facts.inCareToday > centre.capacity,
    weeks,
    admissions,
    discharges,
    byLegalBasis,
    shareVoluntary: admissions > 0 ? byLegalBasis.voluntary / admissions : null,
    byReferralSource: tally(REFERRAL_SOURCES, adm.map((a) => ({ key: a.referralSource, n: a.n })), 'other'),
    byDischargeReason,
    completionRate: completionRate(byDischargeReason),
  };
}

// ------------------------------------------------------------------------------------------------ national

/** The register, counted: centres and their capacity per kind, province and status. */
export interface RegisterFact {
  kind: string;
  provinceCode: string;
  status: string;
  centres: number;
  capacity: number;
}
/** A count of stays per centre kind and province, split by `key` (a legal basis or a discharge reason). */
export interface StayFact {
  kind: string;
  provinceCode: string;
  key: string;
  n: number;
}
export interface ReferralFact {
  provinceCode: string;
  disposition: string;
  n: number;
}
export interface NationalFacts {
  centres: readonly RegisterFact[];
  /** Admitted in the range, by legal basis. */
  admissions: readonly StayFact[];
  /** In care on the last day of the range (inCareOn), by legal basis. */
  inCare: readonly StayFact[];
  /** Discharged in the range, by reason. */
  discharges: readonly StayFact[];
  /** Enforcement persons referred to treatment, in non-voided cases that occurred in the range, by case province. */
  referrals: readonly ReferralFact[];
}

/** The exact counts behind a Breakdown (never published as such). */
export interface BreakdownCounts {
  rows: string[];
  /** Open centres. */
  centres: number[];
  /** Capacity of open centres. */
  capacity: number[];
  /** Capacity of planned centres. */
  plannedCapacity: number[];
  /** rows × LEGAL_BASES */
  admissions: number[][];
  /** rows × LEGAL_BASES */
  inCare: number[][];
  /** rows × DISCHARGE_REASONS */
  discharges: number[][];
}

export interface Breakdown {
  rows: string[];
  centres: number[];
  capacity: number[];
  plannedCapacity: number[];
  admissions: SuppressedTable;
  inCare: SuppressedTable;
  discharges: SuppressedTable;
  shareVoluntary: (number | null)[];
  occupancy: (number | null)[];
  completion: (number | null)[];
}

export interface NationalView {
  range: DateRange;
  /** The day "in care" is counted: the last day of the range. */
  asOf: string;
  byKind: Breakdown;
  byProvince: Breakdown;
  referrals: {
    rows: string[];
    columns: string[];
    persons: SuppressedTable;
    capacity: number[];
    plannedCapacity: number[];
    inCare: Published[];
    referralsPerPlace: (number | null)[];
    noCentre: boolean[];
  };
}

/** Sum the facts into rows (by centre kind or by province). Keys outside the code lists count as `other`/skipped. */
export function breakdownCounts(rows: readonly string[], by: 'kind' | 'provinceCode', facts: NationalFacts): BreakdownCounts {
  const index = new Map(rows.map((r, i) => [r, i]));
  const zeros = (c: number) => rows.map(() => new Array<number>(c).fill(0));
  const out: BreakdownCounts = {
    rows: [...rows],
    centres: rows.map(() => 0),
    capacity: rows.map(() => 0),
    plannedCapacity: rows.map(() => 0),
    admissions: zeros(LEGAL_BASES.length),
    inCare: zeros(LEGAL_BASES.length),
    discharges: zeros(DISCHARGE_REASONS.length),
  };
  for (const c of facts.centres) {
    const i = index.get(c[by]);
    if (i === undefined) continue;
    if (c.status === 'open') {
      out.centres[i] += c.centres;
      out.capacity[i] += c.capacity;
    } else if (c.status === 'planned') out.plannedCapacity[i] += c.capacity;
  }
  const add = (grid: number[][], keys: readonly string[], fallback: number, list: readonly StayFact[]) => {
    for (const f of list) {
      const i = index.get(f[by]);
      if (i === undefined) continue;
      const j = keys.indexOf(f.key);
      grid[i][j >= 0 ? j : fallback] += f.n;
    }
  };
  add(out.admissions, LEGAL_BASES, LEGAL_BASES.indexOf('compulsory_administrative'), facts.admissions);
  add(out.inCare, LEGAL_BASES, LEGAL_BASES.indexOf('compulsory_administrative'), facts.inCare);
  add(out.discharges, DISCHARGE_REASONS, DISCHARGE_REASONS.indexOf('other'), facts.discharges);
  return out;
}

const published = (p: Published): number | null => (typeof p === 'number' ? p : null);

/** a ÷ b when both are published numbers and b > 0; otherwise null (a rate must not give a hidden count away). */
export function publishedRatio(a: Published, b: Published): number | null {
  const x = published(a);
  const y = published(b);
  return x !== null && y !== null && y > 0 ? x / y : null;
}

/** The rates of a Breakdown's rows, from what is published only. */
function rates(t: { admissions: SuppressedTable; inCare: SuppressedTable; discharges: SuppressedTable; capacity: number[] }) {
  const vol = LEGAL_BASES.indexOf('voluntary');
  const done = DISCHARGE_REASONS.indexOf('completed');
  const moved = DISCHARGE_REASONS.indexOf('transferred');
  return {
    shareVoluntary: t.admissions.rowTotals.map((total, i) => publishedRatio(t.admissions.cells[i][vol], total)),
    occupancy: t.inCare.rowTotals.map((n, i) => (t.capacity[i] > 0 ? publishedRatio(n, t.capacity[i]) : null)),
    completion: t.discharges.rowTotals.map((total, i) => {
      const [all, completed, transferred] = [published(total), published(t.discharges.cells[i][done]), published(t.discharges.cells[i][moved])];
      if (all === null || completed === null || transferred === null) return null;
      return completionRate({ completed, transferred, other: all - completed - transferred });
    }),
  };
}

/** A Breakdown from exact counts: every table of people suppressed, rates from published counts only. */
export function buildBreakdown(c: BreakdownCounts): Breakdown {
  const t = { admissions: suppress(c.admissions), inCare: suppress(c.inCare), discharges: suppress(c.discharges), capacity: c.capacity };
  return { rows: c.rows, centres: c.centres, capacity: c.capacity, plannedCapacity: c.plannedCapacity, admissions: t.admissions, inCare: t.inCare, discharges: t.discharges, ...rates(t) };
}

/** What suppress() publishes for a table that cannot be protected: the grand total only. */
function withheld(t: SuppressedTable, grandTotal: number): SuppressedTable {
  return {
    cells: t.cells.map((r) => r.map(() => HIDDEN)),
    rowTotals: t.rowTotals.map(() => HIDDEN),
    columnTotals: t.columnTotals.map(() => HIDDEN),
    total: suppressCount(grandTotal),
    withheld: true,
  };
}

/**
 * Two tables of the same people by different rows (by kind, by province) share their column totals and grand total:
 * a margin hidden in one but shown in the other is known to the reader, and with it the hidden cells it protected.
 * suppress() protects each table alone; here a table that hides a shared margin which the other shows is withheld
 * (only its grand total is published). Returns the pair as published.
 */
export function linkShared(a: SuppressedTable, b: SuppressedTable, grandTotal: number): [SuppressedTable, SuppressedTable] {
  const shared = (t: SuppressedTable) => [...t.columnTotals, t.total];
  // a withheld table shows its grand total: the other one may then have to be withheld too (at most two rounds)
  for (let round = 0; round < 2; round++) {
    const sa = shared(a);
    const sb = shared(b);
    const aHidesShown = !a.withheld && sa.some((p, j) => isHidden(p) && !isHidden(sb[j]));
    const bHidesShown = !b.withheld && sb.some((p, j) => isHidden(p) && !isHidden(sa[j]));
    if (!aHidesShown && !bHidesShown) break;
    if (aHidesShown) a = withheld(a, grandTotal);
    if (bHidesShown) b = withheld(b, grandTotal);
  }
  return [a, b];
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
const grand = (grid: readonly (readonly number[])[]) => sum(grid.map(sum));

/** The national view, from the store's counts. */
export function nationalView(range: DateRange, facts: NationalFacts): NationalView {
  const kindCounts = breakdownCounts(CENTRE_KINDS, 'kind', facts);
  const provinceCounts = breakdownCounts(PROVINCE_CODES, 'provinceCode', facts);
  const byKind = buildBreakdown(kindCounts);
  const byProvince = buildBreakdown(provinceCounts);
  for (const table of ['admissions', 'inCare', 'discharges'] as const) {
    [byKind[table], byProvince[table]] = linkShared(byKind[table], byProvince[table], grand(kindCounts[table]));
  }
  Object.assign(byKind, rates({ ...byKind }));
  Object.assign(byProvince, rates({ ...byProvince }));

  const rowOf = new Map(PROVINCE_CODES.map((p, i) => [p, i]));
  const referralCounts = PROVINCE_CODES.map(() => REFERRAL_DISPOSITIONS.map(() => 0));
  for (const f of facts.referrals) {
    const i = rowOf.get(f.provinceCode);
    const j = (REFERRAL_DISPOSITIONS as readonly string[]).indexOf(f.disposition);
    if (i !== undefined && j >= 0) referralCounts[i][j] += f.n;
  }
  const persons = suppress(referralCounts);
  return {
    range,
    asOf: range.to,
    byKind,
    byProvince,
    referrals: {
      rows: [...PROVINCE_CODES],
      columns: [...REFERRAL_DISPOSITIONS],
      persons,
      capacity: provinceCounts.capacity,
      plannedCapacity: provinceCounts.plannedCapacity,
      // the same published figures as byProvince (one suppression of in-care per province, never two)
      inCare: byProvince.inCare.rowTotals,
      referralsPerPlace: persons.rowTotals.map((n, i) => (provinceCounts.capacity[i] > 0 ? publishedRatio(n, provinceCounts.capacity[i]) : null)),
      // zeros are never hidden: a province shows referrals (a number > 0, "<5" or "*") exactly when it has some
      noCentre: referralCounts.map((r, i) => sum(r) > 0 && provinceCounts.capacity[i] === 0),
    },
  };
}

// ------------------------------------------------------------------------------------------------ CSV

const rate = (r: number | null) => (r === null ? '' : String(Math.round(r * 10_000) / 10_000));

/** One table of the national view as published ("<5", "*" as shown; a rate not given is empty). */
export function nationalCsv(v: NationalView, table: NationalTable): string {
  if (table === 'referrals') {
    const r = v.referrals;
    return toCsv(
      ['province_code', ...r.columns, 'total', 'capacity', 'planned_capacity', `in_care_on_${v.asOf}`, 'referrals_per_place', 'no_centre'],
      [
        ...r.rows.map((p, i) => [p, ...r.persons.cells[i], r.persons.rowTotals[i], r.capacity[i], r.plannedCapacity[i], r.inCare[i], rate(r.referralsPerPlace[i]), r.noCentre[i] ? 'yes' : 'no']),
        ['total', ...r.persons.columnTotals, r.persons.total, sum(r.capacity), sum(r.plannedCapacity), v.byProvince.inCare.total, '', ''],
      ],
    );
  }
  const b = table === 'kind' ? v.byKind : v.byProvince;
  const header = [
    table === 'kind' ? 'centre_kind' : 'province_code',
    'open_centres',
    'capacity',
    'planned_capacity',
    ...LEGAL_BASES.map((l) => `admissions_${l}`),
    'admissions',
    ...LEGAL_BASES.map((l) => `in_care_${l}`),
    'in_care',
    ...DISCHARGE_REASONS.map((d) => `discharges_${d}`),
    'discharges',
    'share_voluntary',
    'occupancy',
    'completion_rate',
  ];
  const rows = b.rows.map((key, i) => [
    key,
    b.centres[i],
    b.capacity[i],
    b.plannedCapacity[i],
    ...b.admissions.cells[i],
    b.admissions.rowTotals[i],
    ...b.inCare.cells[i],
    b.inCare.rowTotals[i],
    ...b.discharges.cells[i],
    b.discharges.rowTotals[i],
    rate(b.shareVoluntary[i]),
    rate(b.occupancy[i]),
    rate(b.completion[i]),
  ]);
  const total = rates({
    admissions: { ...b.admissions, cells: [b.admissions.columnTotals], rowTotals: [b.admissions.total] },
    inCare: { ...b.inCare, cells: [b.inCare.columnTotals], rowTotals: [b.inCare.total] },
    discharges: { ...b.discharges, cells: [b.discharges.columnTotals], rowTotals: [b.discharges.total] },
    capacity: [sum(b.capacity)],
  });
  rows.push([
    'total',
    sum(b.centres),
    sum(b.capacity),
    sum(b.plannedCapacity),
    ...b.admissions.columnTotals,
    b.admissions.total,
    ...b.inCare.columnTotals,
    b.inCare.total,
    ...b.discharges.columnTotals,
    b.discharges.total,
    rate(total.shareVoluntary[0]),
    rate(total.occupancy[0]),
    rate(total.completion[0]),
  ]);
  return toCsv(header, rows);
}
