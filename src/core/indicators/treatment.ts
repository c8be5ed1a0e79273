/**
 * Treatment indicators (BRIEF "Indicators": admissions; share voluntary by centre kind; occupancy (in care ÷
 * capacity); completion rate; admissions by referral source), shaped from the counts the server reads from the
 * maintained summaries (src/server/treatment/aggregates.ts). Pure, no I/O. docs/treatment-api.md is the contract.
 *
 *  - `centreView`: the exact figures of one centre, for the staff of the organisation that runs it (any range).
 *  - `TREATMENT_MEASURES`: how each count of people of the national view is released (src/core/disclosure.ts): for
 *    a fixed reporting period only, every cell rounded to 5 / "<5" / "*" the same way in every table and CSV.
 *  - `nationalView`: every centre, for everyone, from the released tables; capacities are not people and are exact;
 *    rates only of published counts (`shownRatio`).
 */
import type { DateRange } from '../dates.js';
import { PROVINCE_CODES } from '../geography.js';
import { rowCells, shownRatio, type Dimension, type MeasureSpec, type Shown, type ShownTable } from '../disclosure.js';
import type { Period } from '../periods.js';
import { toCsv } from '../csv.js';
import { addDays } from '../dates.js';
import {
  CENTRE_KINDS,
  completionRate,
  DISCHARGE_REASONS,
  LEGAL_BASES,
  REFERRAL_SOURCES,
  TREATMENT_AGE_BANDS,
  TREATMENT_DRUGS,
  TREATMENT_SEXES,
  type CentreDto,
  type DischargeReason,
  type LegalBasis,
  type ReferralSource,
} from '../treatment.js';

/** Enforcement dispositions that refer a person to treatment (the referrals next to capacity). */
export const REFERRAL_DISPOSITIONS = ['referred_treatment_voluntary', 'referred_treatment_compulsory'] as const;
/** The tables of the national view that can be downloaded as CSV. */
export const NATIONAL_TABLES = ['kind', 'province', 'referral_source', 'referrals'] as const;
export type NationalTable = (typeof NATIONAL_TABLES)[number];

// ------------------------------------------------------------------------------------------------ release

const dim = (id: string, values: readonly string[]): Dimension => ({ id, values });
export const TREATMENT_DIMENSIONS = {
  province: dim('province', PROVINCE_CODES),
  kind: dim('kind', CENTRE_KINDS),
  legal_basis: dim('legal_basis', LEGAL_BASES),
  referral_source: dim('referral_source', REFERRAL_SOURCES),
  reason: dim('reason', DISCHARGE_REASONS),
  disposition: dim('disposition', REFERRAL_DISPOSITIONS),
} as const;
const D = TREATMENT_DIMENSIONS;

/**
 * The measures of people the national view releases. The crosses are exactly the two-way tables it publishes, so a
 * cell's lines are its time line and its splits by the dimensions those tables use: a state centre's compulsory
 * admissions are checked against their own days or months, never against a private centre's small count.
 */
export const TREATMENT_MEASURES = {
  /** Admissions (not voided) by the day admitted. */
  admissions: {
    id: 'treatment_admissions',
    dims: [D.province, D.kind, D.legal_basis, D.referral_source],
    crosses: [
      ['province', 'legal_basis'],
      ['kind', 'legal_basis'],
      ['kind', 'referral_source'],
    ],
    additiveInTime: true,
  },
  /** People in care at the end of the period's last day: a stock, not additive in time. */
  inCare: {
    id: 'treatment_in_care',
    dims: [D.province, D.kind, D.legal_basis],
    crosses: [
      ['province', 'legal_basis'],
      ['kind', 'legal_basis'],
    ],
    additiveInTime: false,
  },
  /** Discharges (of stays not voided) by the day discharged. */
  discharges: {
    id: 'treatment_discharges',
    dims: [D.province, D.kind, D.reason],
    crosses: [
      ['province', 'reason'],
      ['kind', 'reason'],
    ],
    additiveInTime: true,
  },
  /**
   * Persons the police referred to treatment, by the case's province (enforcement data, not health data: the
   * enforcement report gives them for any range; released here the same way as the rest of the page, over the
   * period as one figure).
   */
  referrals: {
    id: 'treatment_police_referrals',
    dims: [D.province, D.disposition],
    crosses: [['province', 'disposition']],
    additiveInTime: false,
  },
} as const satisfies Record<string, MeasureSpec>;

export const TREATMENT_SPECS: ReadonlyMap<string, MeasureSpec> = new Map(Object.values(TREATMENT_MEASURES).map((m) => [m.id, m as MeasureSpec]));

/** A two-way table as released (src/core/disclosure.ts). */
export type PublishedTable = ShownTable;

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

/** What the summaries give for one centre over a range (src/server/treatment/aggregates.ts `centreCounts`). */
export interface CentreFacts {
  inCareToday: number;
  /** Admitted inside the range, by legal basis and referral source. */
  admissions: readonly { legalBasis: string; referralSource: string; n: number }[];
  /** Discharged inside the range, by reason. */
  discharges: readonly { reason: string; n: number }[];
  /** Admitted inside the range, by one client dimension at a time (sex, age_band, primary_drug). */
  clients: readonly { dimension: string; value: string; n: number }[];
  /** Per 7-day bucket from the range's first day (0 = the first week). */
  weekly: readonly { week: number; admissions: number; discharges: number }[];
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
  /** Admissions by sex, age band and primary drug (the Treatment Demand Indicator's client profile). */
  bySex: Record<string, number>;
  byAgeBand: Record<string, number>;
  byPrimaryDrug: Record<string, number>;
}

/** The exact figures of a centre over a range (its own staff only: nothing here is suppressed). */
export function centreView(centre: CentreDto, range: DateRange, today: string, facts: CentreFacts): CentreView {
  const adm = facts.admissions;
  const dis = facts.discharges;
  const admissions = adm.reduce((s, a) => s + a.n, 0);
  const discharges = dis.reduce((s, d) => s + d.n, 0);
  const byLegalBasis = tally(LEGAL_BASES, adm.map((a) => ({ key: a.legalBasis, n: a.n })), 'compulsory_administrative');
  const byDischargeReason = tally(DISCHARGE_REASONS, dis.map((d) => ({ key: d.reason, n: d.n })), 'other');
  const weeks = weekBuckets(range).map((w) => ({ from: w.from, to: w.to, admissions: 0, discharges: 0 }));
  for (const w of facts.weekly) {
    if (!weeks[w.week]) continue;
    weeks[w.week].admissions += w.admissions;
    weeks[w.week].discharges += w.discharges;
  }
  const clients = (dimension: string, keys: readonly string[]) =>
    tally(keys, facts.clients.filter((c) => c.dimension === dimension).map((c) => ({ key: c.value, n: c.n })), keys[keys.length - 1]);
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
    bySex: clients('sex', TREATMENT_SEXES),
    byAgeBand: clients('age_band', TREATMENT_AGE_BANDS),
    byPrimaryDrug: clients('primary_drug', TREATMENT_DRUGS),
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

export interface Breakdown {
  rows: string[];
  /** Open centres (the register: exact). */
  centres: number[];
  /** Capacity of open centres. */
  capacity: number[];
  /** Capacity of planned centres. */
  plannedCapacity: number[];
  /** rows × LEGAL_BASES */
  admissions: PublishedTable;
  /** rows × LEGAL_BASES, at the end of `asOf` */
  inCare: PublishedTable;
  /** rows × DISCHARGE_REASONS */
  discharges: PublishedTable;
  shareVoluntary: (number | null)[];
  occupancy: (number | null)[];
  completion: (number | null)[];
}

/**
 * The two-way tables of the national view, in the order of `NationalTables` (by kind: admissions, in care,
 * discharges; by province: the same; admissions by referral source; police referrals): measure, rows, columns.
 */
export const NATIONAL_VIEW_TABLES: readonly (readonly [measure: string, rows: string, columns: string])[] = [
  [TREATMENT_MEASURES.admissions.id, 'kind', 'legal_basis'],
  [TREATMENT_MEASURES.inCare.id, 'kind', 'legal_basis'],
  [TREATMENT_MEASURES.discharges.id, 'kind', 'reason'],
  [TREATMENT_MEASURES.admissions.id, 'province', 'legal_basis'],
  [TREATMENT_MEASURES.inCare.id, 'province', 'legal_basis'],
  [TREATMENT_MEASURES.discharges.id, 'province', 'reason'],
  [TREATMENT_MEASURES.admissions.id, 'kind', 'referral_source'],
  [TREATMENT_MEASURES.referrals.id, 'province', 'disposition'],
];

/** The released tables the national view is made of (NATIONAL_VIEW_TABLES, released together). */
export interface NationalTables {
  byKind: { admissions: PublishedTable; inCare: PublishedTable; discharges: PublishedTable };
  byProvince: { admissions: PublishedTable; inCare: PublishedTable; discharges: PublishedTable };
  /** kind × REFERRAL_SOURCES */
  byReferralSource: PublishedTable;
  /** province × REFERRAL_DISPOSITIONS */
  referrals: PublishedTable;
}

export interface NationalView {
  period: { type: Period['type']; spec: string; from: string; to: string; campaignId?: string; n?: number };
  range: DateRange;
  /** The day "in care" is counted at the end of: the period's last day (today for a period not yet over). */
  asOf: string;
  byKind: Breakdown;
  byProvince: Breakdown;
  byReferralSource: PublishedTable;
  referrals: {
    rows: string[];
    columns: string[];
    persons: PublishedTable;
    capacity: number[];
    plannedCapacity: number[];
    inCare: Shown[];
    referralsPerPlace: (number | null)[];
    noCentre: boolean[];
  };
}

/** The register's centres and capacity per row (by kind or by province): open centres, open and planned capacity. */
export function registerBy(rows: readonly string[], by: 'kind' | 'provinceCode', centres: readonly RegisterFact[]) {
  const index = new Map(rows.map((r, i) => [r, i]));
  const out = { centres: rows.map(() => 0), capacity: rows.map(() => 0), plannedCapacity: rows.map(() => 0) };
  for (const c of centres) {
    const i = index.get(c[by]);
    if (i === undefined) continue;
    if (c.status === 'open') {
      out.centres[i] += c.centres;
      out.capacity[i] += c.capacity;
    } else if (c.status === 'planned') out.plannedCapacity[i] += c.capacity;
  }
  return out;
}

/** Completion of published counts: completed ÷ (discharges − transfers), null unless all three are numbers. */
export function shownCompletion(completed: Shown, transferred: Shown, all: Shown): number | null {
  if (typeof all !== 'number' || typeof transferred !== 'number') return null;
  const r = shownRatio(completed, all - transferred);
  return r === null ? null : Math.min(1, r);
}

/** The rates of a breakdown's rows (or of its total line), from published counts only. */
export function breakdownRates(t: { admissions: PublishedTable; inCare: PublishedTable; discharges: PublishedTable; capacity: number[] }) {
  const vol = LEGAL_BASES.indexOf('voluntary');
  const done = DISCHARGE_REASONS.indexOf('completed');
  const moved = DISCHARGE_REASONS.indexOf('transferred');
  return {
    shareVoluntary: t.admissions.rowTotals.map((total, i) => (t.admissions.crossed ? shownRatio(t.admissions.cells[i][vol], total) : null)),
    occupancy: t.inCare.rowTotals.map((n, i) => (t.capacity[i] > 0 ? shownRatio(n, t.capacity[i]) : null)),
    completion: t.discharges.rowTotals.map((all, i) => (t.discharges.crossed ? shownCompletion(t.discharges.cells[i][done], t.discharges.cells[i][moved], all) : null)),
  };
}

function breakdown(rows: readonly string[], by: 'kind' | 'provinceCode', centres: readonly RegisterFact[], t: NationalTables['byKind']): Breakdown {
  const reg = registerBy(rows, by, centres);
  return { rows: [...rows], ...reg, ...t, ...breakdownRates({ ...t, capacity: reg.capacity }) };
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

/** The national view, from the register and the released tables. */
export function nationalView(period: Period, today: string, centres: readonly RegisterFact[], t: NationalTables): NationalView {
  const byKind = breakdown(CENTRE_KINDS, 'kind', centres, t.byKind);
  const byProvince = breakdown(PROVINCE_CODES, 'provinceCode', centres, t.byProvince);
  const persons = t.referrals;
  const { type, spec, from, to, campaignId, n } = period;
  return {
    period: { type, spec, from, to, ...(campaignId ? { campaignId } : {}), ...(n !== undefined ? { n } : {}) },
    range: { from, to },
    asOf: to < today ? to : today,
    byKind,
    byProvince,
    byReferralSource: t.byReferralSource,
    referrals: {
      rows: [...PROVINCE_CODES],
      columns: [...REFERRAL_DISPOSITIONS],
      persons,
      capacity: byProvince.capacity,
      plannedCapacity: byProvince.plannedCapacity,
      // the same published figures as byProvince (one release of in care per province)
      inCare: byProvince.inCare.rowTotals,
      referralsPerPlace: persons.rowTotals.map((x, i) => (byProvince.capacity[i] > 0 ? shownRatio(x, byProvince.capacity[i]) : null)),
      // zeros are never hidden: a province shows referrals (a number, "<5" or "*") exactly when it has some
      noCentre: persons.rowTotals.map((x, i) => x !== 0 && byProvince.capacity[i] === 0),
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
        ...r.rows.map((p, i) => [p, ...rowCells(r.persons, i), r.persons.rowTotals[i], r.capacity[i], r.plannedCapacity[i], r.inCare[i], rate(r.referralsPerPlace[i]), r.noCentre[i] ? 'yes' : 'no']),
        ['total', ...r.persons.columnTotals, r.persons.total, sum(r.capacity), sum(r.plannedCapacity), v.byProvince.inCare.total, '', ''],
      ],
    );
  }
  if (table === 'referral_source') {
    const t = v.byReferralSource;
    return toCsv(
      ['centre_kind', ...t.columns.map((c) => `admissions_${c}`), 'admissions'],
      [...t.rows.map((k, i) => [k, ...rowCells(t, i), t.rowTotals[i]]), ['total', ...t.columnTotals, t.total]],
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
    ...rowCells(b.admissions, i),
    b.admissions.rowTotals[i],
    ...rowCells(b.inCare, i),
    b.inCare.rowTotals[i],
    ...rowCells(b.discharges, i),
    b.discharges.rowTotals[i],
    rate(b.shareVoluntary[i]),
    rate(b.occupancy[i]),
    rate(b.completion[i]),
  ]);
  const line = (t: PublishedTable): PublishedTable => ({ ...t, cells: [t.columnTotals], rowTotals: [t.total], crossed: true });
  const total = breakdownRates({ admissions: line(b.admissions), inCare: line(b.inCare), discharges: line(b.discharges), capacity: [sum(b.capacity)] });
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
