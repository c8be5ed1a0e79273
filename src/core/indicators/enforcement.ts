/**
 * Enforcement indicators, computed in one place from grouped counts (the server's store does the GROUP BYs).
 * Pure: the same functions serve the report API, the CSV export and the tests.
 */
import { AGE_BANDS, DISPOSITIONS, DRUGS, PERSON_ROLES, SEXES, toKilograms, type QuantityUnit } from '../enforcement.js';
import { eachDay, type CampaignDates, type DateRange, campaignDay } from '../dates.js';
import { PROVINCES } from '../geography.js';
import { pressSummary, type PressPeriod } from '../press.js';

export interface PersonCubeRow {
  role: string;
  sex: string;
  ageBand: string;
  nationality: string;
  disposition: string;
  n: number;
}
export interface SeizureRow {
  drug: string;
  unit: string;
  quantity: number;
  cases: number;
}
export interface DailyRow {
  date: string;
  cases: number;
}
export interface DailyRoleRow {
  date: string;
  role: string;
  n: number;
}
export interface ProvinceRow {
  provinceCode: string;
  cases: number;
}
export interface ProvinceRoleRow {
  provinceCode: string;
  role: string;
  sex: string;
  n: number;
}
export interface AssetTotals {
  vehicles: number;
  motorcycles: number;
  phones: number;
  cashKhr: number;
  cashUsd: number;
  weapons: number;
}

/** Persons by role and sex, and by each other dimension alone: all the report needs of the persons cube. */
export interface PersonMarginals {
  roleSex: { role: string; sex: string; n: number }[];
  ageBand: { key: string; n: number }[];
  nationality: { key: string; n: number }[];
  disposition: { key: string; n: number }[];
}

/** The persons cube reduced to the marginals the report shows. */
export function personMarginals(rows: readonly PersonCubeRow[]): PersonMarginals {
  const sum = (pick: (r: PersonCubeRow) => string) => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(pick(r), (m.get(pick(r)) ?? 0) + r.n);
    return [...m].map(([key, n]) => ({ key, n }));
  };
  return {
    roleSex: sum((r) => `${r.role}\u0001${r.sex}`).map(({ key, n }) => ({ role: key.split('\u0001')[0], sex: key.split('\u0001')[1], n })),
    ageBand: sum((r) => r.ageBand),
    nationality: sum((r) => r.nationality),
    disposition: sum((r) => r.disposition),
  };
}

export interface EnforcementInputs {
  range: DateRange;
  cases: number;
  /** The persons cube (every person dimension), or directly its marginals (what the maintained aggregates give). */
  persons?: PersonCubeRow[];
  personMarginals?: PersonMarginals;
  seizures: SeizureRow[];
  assets: AssetTotals;
  daily: DailyRow[];
  dailyRoles: DailyRoleRow[];
  provinces: ProvinceRow[];
  provinceRoles: ProvinceRoleRow[];
}

export interface Count<K extends string = string> {
  key: K;
  n: number;
}

export interface EnforcementReport {
  range: DateRange;
  totals: { cases: number; persons: number; female: number; traffickers: number; users: number; others: number };
  byRole: Count[];
  bySex: Count[];
  byAgeBand: Count[];
  byNationality: Count[];
  byDisposition: Count[];
  /** Persons by role and sex (the "of whom female" line of police reports). */
  byRoleSex: { role: string; male: number; female: number; unknown: number }[];
  seizures: { drug: string; unit: string; quantity: number; kg: number | null; cases: number }[];
  kgByDrug: { drug: string; kg: number }[];
  assets: AssetTotals;
  daily: { date: string; day: number | null; cases: number; persons: number; traffickers: number; users: number; others: number }[];
  byProvince: { provinceCode: string; cases: number; persons: number; traffickers: number; users: number; others: number; female: number }[];
  press: { en: string; km: string };
}

function tally<K extends string, R extends { n: number }>(keys: readonly K[], rows: readonly R[], pick: (r: R) => string): Count<K>[] {
  const m = new Map<string, number>(keys.map((k) => [k, 0]));
  for (const r of rows) m.set(pick(r), (m.get(pick(r)) ?? 0) + r.n);
  return [...m].map(([key, n]) => ({ key: key as K, n }));
}

/** The press sentence's period, from the campaign (if any) and the range. */
export function pressPeriod(range: DateRange, campaign: CampaignDates | null, hint?: { kind: 'week'; n: number } | { kind: 'to_date' } | { kind: 'day'; n: number }): PressPeriod {
  if (!campaign) return { kind: 'range', from: range.from, to: range.to };
  const fromDay = campaignDay(campaign, range.from);
  const toDay = campaignDay(campaign, range.to);
  if (fromDay < 1) return { kind: 'range', from: range.from, to: range.to };
  if (hint?.kind === 'to_date') return { kind: 'to_date', days: toDay };
  if (hint?.kind === 'week' && hint.n > 1) return { kind: 'week', n: hint.n, fromDay, toDay };
  if (fromDay === toDay && fromDay > 1) return { kind: 'day', n: fromDay };
  if (fromDay === 1) return { kind: 'first_days', days: toDay };
  return { kind: 'days', fromDay, toDay };
}

export function buildEnforcementReport(i: EnforcementInputs, campaign: CampaignDates | null, period: PressPeriod): EnforcementReport {
  const m = i.personMarginals ?? personMarginals(i.persons ?? []);
  const byRole = tally(PERSON_ROLES, m.roleSex, (r) => r.role);
  const roleN = (k: string) => byRole.find((c) => c.key === k)?.n ?? 0;
  const bySex = tally(SEXES, m.roleSex, (r) => r.sex);
  const persons = m.roleSex.reduce((s, r) => s + r.n, 0);
  const nat = new Map<string, number>();
  for (const r of m.nationality) nat.set(r.key, (nat.get(r.key) ?? 0) + r.n);
  const byRoleSex = PERSON_ROLES.map((role) => {
    const rows = m.roleSex.filter((r) => r.role === role);
    const s = (sex: string) => rows.filter((r) => r.sex === sex).reduce((a, r) => a + r.n, 0);
    return { role, male: s('male'), female: s('female'), unknown: s('unknown') };
  });

  const seizures = i.seizures
    .map((s) => ({ drug: s.drug, unit: s.unit, quantity: s.quantity, kg: toKilograms(s.quantity, s.unit as QuantityUnit), cases: s.cases }))
    .sort((a, b) => DRUGS.indexOf(a.drug as never) - DRUGS.indexOf(b.drug as never) || a.unit.localeCompare(b.unit));
  const kgMap = new Map<string, number>();
  for (const s of seizures) if (s.kg !== null) kgMap.set(s.drug, (kgMap.get(s.drug) ?? 0) + s.kg);
  const kgByDrug = DRUGS.filter((d) => kgMap.has(d)).map((drug) => ({ drug, kg: round6(kgMap.get(drug)!) }));

  const dailyCases = new Map(i.daily.map((d) => [d.date, d.cases]));
  const dailyRole = new Map<string, Record<string, number>>();
  for (const r of i.dailyRoles) {
    const o = dailyRole.get(r.date) ?? {};
    o[r.role] = (o[r.role] ?? 0) + r.n;
    dailyRole.set(r.date, o);
  }
  const daily = eachDay(i.range).map((date) => {
    const o = dailyRole.get(date) ?? {};
    const traffickers = o.suspected_trafficker ?? 0;
    const users = o.alleged_user ?? 0;
    const others = o.other ?? 0;
    return { date, day: campaign ? campaignDay(campaign, date) : null, cases: dailyCases.get(date) ?? 0, persons: traffickers + users + others, traffickers, users, others };
  });

  const provCases = new Map(i.provinces.map((p) => [p.provinceCode, p.cases]));
  const byProvince = PROVINCES.map((p) => {
    const rows = i.provinceRoles.filter((r) => r.provinceCode === p.code);
    const role = (k: string) => rows.filter((r) => r.role === k).reduce((a, r) => a + r.n, 0);
    return {
      provinceCode: p.code,
      cases: provCases.get(p.code) ?? 0,
      persons: rows.reduce((a, r) => a + r.n, 0),
      traffickers: role('suspected_trafficker'),
      users: role('alleged_user'),
      others: role('other'),
      female: rows.filter((r) => r.sex === 'female').reduce((a, r) => a + r.n, 0),
    };
  });

  const totals = {
    cases: i.cases,
    persons,
    female: bySex.find((s) => s.key === 'female')?.n ?? 0,
    traffickers: roleN('suspected_trafficker'),
    users: roleN('alleged_user'),
    others: roleN('other'),
  };
  const figures = { cases: totals.cases, persons: totals.persons, traffickers: totals.traffickers, users: totals.users, others: totals.others };
  return {
    range: i.range,
    totals,
    byRole,
    bySex,
    byAgeBand: tally(AGE_BANDS, m.ageBand, (r) => r.key),
    byNationality: [...nat].map(([key, n]) => ({ key, n })).sort((a, b) => b.n - a.n || a.key.localeCompare(b.key)),
    byDisposition: tally(DISPOSITIONS, m.disposition, (r) => r.key),
    byRoleSex,
    seizures,
    kgByDrug,
    assets: i.assets,
    daily,
    byProvince,
    press: { en: pressSummary(figures, period, 'en'), km: pressSummary(figures, period, 'km') },
  };
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/** What the report API returns: the indicators, the campaign they were computed for and the area. */
export interface EnforcementReportResult extends EnforcementReport {
  campaign: { id: string; nameEn: string; nameKm: string; startDate: string; endDate: string | null } | null;
  area: { provinceCode: string | null; districtCode: string | null };
}

/** The report's tables, each downloadable as CSV. */
export const REPORT_TABLES = ['summary', 'province', 'daily', 'persons', 'nationality', 'seizures', 'assets'] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];
