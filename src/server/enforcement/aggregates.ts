/**
 * The enforcement pillar's maintained aggregates (issue 9): summary tables written in the same transaction as the case
 * they come from, so that the report reads summaries, never a range of cases (tables: db/schema-aggregates-enforcement.ts).
 *
 * One place computes what a case contributes (`caseContribution`) and applies a change (`applyDelta`: the old
 * contribution subtracted, the new one added, netted to one delta per key and upserted in one statement per table).
 * Every write of the case service and the import calls `applyDelta` inside its transaction: create, correction,
 * disposition change, void, import. A voided case contributes nothing. A summary row whose figures all come back to
 * zero is deleted, so that the maintained tables are always exactly what `rebuild` computes from the base tables.
 *
 * Sums of numeric columns (cash, quantities) are added as exact decimals (BigInt), never as binary floats.
 */
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../db/index.js';
import type { DB } from '../db/schema.js';
import type { AggregateGrain, EnforcementAggregateTables } from '../db/schema-aggregates-enforcement.js';
import type { AggregateMaintainer, VerifyResult } from '../aggregates/registry.js';
import { addDays, type DateRange } from '../../core/dates.js';
import { PERSON_ROLES, SEXES } from '../../core/enforcement.js';
import type { EnforcementInputs, PersonMarginals } from '../../core/indicators/enforcement.js';

type Db = Kysely<DB> | Transaction<DB>;

// ---------------------------------------------------------------------------------------------------------------
// Exact decimals for numeric sums: a value is [digits, scale] = digits / 10^scale.

type Dec = [bigint, number];
function toDec(x: number | string): Dec {
  let s = String(x).trim();
  let neg = false;
  if (s.startsWith('-')) [neg, s] = [true, s.slice(1)];
  else if (s.startsWith('+')) s = s.slice(1);
  let exp = 0;
  const e = s.search(/e/i);
  if (e >= 0) [exp, s] = [Number(s.slice(e + 1)), s.slice(0, e)];
  const dot = s.indexOf('.');
  let scale = 0;
  if (dot >= 0) [s, scale] = [s.slice(0, dot) + s.slice(dot + 1), s.length - dot - 1];
  scale -= exp;
  let v = BigInt(s || '0');
  if (scale < 0) [v, scale] = [v * 10n ** BigInt(-scale), 0];
  return [neg ? -v : v, scale];
}
function decAdd(a: Dec, b: Dec): Dec {
  const scale = Math.max(a[1], b[1]);
  return [a[0] * 10n ** BigInt(scale - a[1]) + b[0] * 10n ** BigInt(scale - b[1]), scale];
}
function decString([v, scale]: Dec): string {
  const neg = v < 0n;
  let digits = (neg ? -v : v).toString().padStart(scale + 1, '0');
  if (scale > 0) digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`.replace(/\.?0+$/, '');
  return `${neg ? '-' : ''}${digits}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The tables, their keys and their figures.

export const GRAINS: readonly AggregateGrain[] = ['day', 'month', 'year'];
const KEY = ['grain', 'occurred_on', 'province_code', 'district_code', 'case_type', 'organisation_id'] as const;
const DAY_KEY = ['occurred_on', 'province_code', 'district_code', 'case_type', 'organisation_id'] as const;
export const ROLE_SEX_COLUMNS = PERSON_ROLES.flatMap((r) => SEXES.map((s) => `${r}_${s}` as const));
const ASSET_COLUMNS = ['vehicles', 'motorcycles', 'phones', 'weapons'] as const;
const PERSON_DIMENSIONS = ['age_band', 'nationality', 'disposition'] as const;

type TableName = keyof EnforcementAggregateTables;
interface TableSpec {
  table: TableName;
  key: readonly string[];
  /** Integer figures (counts). */
  ints: readonly string[];
  /** Exact numeric figures (sums of money and quantities). */
  decs: readonly string[];
}
const CASES: TableSpec = { table: 'enforcement_agg_cases', key: KEY, ints: ['cases', ...ASSET_COLUMNS, ...ROLE_SEX_COLUMNS], decs: ['cash_khr', 'cash_usd'] };
const DIMS: TableSpec = { table: 'enforcement_agg_person_dims', key: [...KEY, 'dimension', 'value'], ints: ['persons'], decs: [] };
const SEIZURES: TableSpec = { table: 'enforcement_agg_seizures', key: [...KEY, 'drug', 'unit'], ints: ['seizures', 'cases'], decs: ['quantity'] };
export const ENFORCEMENT_AGGREGATE_TABLES: readonly TableSpec[] = [CASES, DIMS, SEIZURES];

/** What a case is made of, as far as the figures go (a CaseInput or a CaseDto plus its organisation). */
export interface CaseFacts {
  organisationId: string;
  occurredOn: string;
  provinceCode: string;
  districtCode?: string | null;
  caseType: string;
  assets: { vehicles: number; motorcycles: number; phones: number; cashKhr: number | string; cashUsd: number | string; weapons: number };
  persons: readonly { role: string; sex: string; ageBand: string; nationality: string; disposition: string }[];
  seizures: readonly { drug: string; quantity: number | string; unit: string }[];
}

export function periodStart(grain: AggregateGrain, day: string): string {
  return grain === 'day' ? day : grain === 'month' ? `${day.slice(0, 7)}-01` : `${day.slice(0, 4)}-01-01`;
}

interface Entry {
  key: Record<string, string>;
  ints: number[];
  decs: Dec[];
}

/** A signed sum of case contributions, one entry per summary row. */
export class AggregateDelta {
  private maps = new Map<TableName, Map<string, Entry>>(ENFORCEMENT_AGGREGATE_TABLES.map((t) => [t.table, new Map()]));

  private bump(spec: TableSpec, key: Record<string, string>, ints: Record<string, number>, decs: Record<string, number | string>, sign: 1 | -1) {
    const m = this.maps.get(spec.table)!;
    const k = spec.key.map((c) => key[c]).join('\u0001');
    let e = m.get(k);
    if (!e) m.set(k, (e = { key, ints: spec.ints.map(() => 0), decs: spec.decs.map((): Dec => [0n, 0]) }));
    spec.ints.forEach((c, i) => (e.ints[i] += sign * (ints[c] ?? 0)));
    spec.decs.forEach((c, i) => {
      const d = toDec(decs[c] ?? 0);
      e.decs[i] = decAdd(e.decs[i], [BigInt(sign) * d[0], d[1]]);
    });
  }

  /**
   * Add (sign 1) or subtract (sign -1) what one case contributes to every summary. Only the day grain is kept
   * here; `rows()` rolls the days up into months and years (a case is in one day, so its month's and year's
   * figures are the sums of its days': the same as adding it at every grain, for a third of the work).
   */
  add(c: CaseFacts, sign: 1 | -1 = 1): this {
    const key = { grain: 'day', occurred_on: c.occurredOn, province_code: c.provinceCode, district_code: c.districtCode ?? '', case_type: c.caseType, organisation_id: c.organisationId };
    const roleSex: Record<string, number> = {};
    for (const p of c.persons) roleSex[`${p.role}_${p.sex}`] = (roleSex[`${p.role}_${p.sex}`] ?? 0) + 1;
    const bySeizure = new Map<string, { drug: string; unit: string; quantity: Dec; seizures: number }>();
    for (const s of c.seizures) {
      const k = `${s.drug}\u0001${s.unit}`;
      const e = bySeizure.get(k) ?? { drug: s.drug, unit: s.unit, quantity: [0n, 0] as Dec, seizures: 0 };
      e.quantity = decAdd(e.quantity, toDec(s.quantity));
      e.seizures++;
      bySeizure.set(k, e);
    }
    const a = c.assets;
    this.bump(CASES, key, { cases: 1, vehicles: a.vehicles, motorcycles: a.motorcycles, phones: a.phones, weapons: a.weapons, ...roleSex }, { cash_khr: a.cashKhr, cash_usd: a.cashUsd }, sign);
    for (const p of c.persons) {
      const values = { age_band: p.ageBand, nationality: p.nationality, disposition: p.disposition };
      for (const dimension of PERSON_DIMENSIONS) this.bump(DIMS, { ...key, dimension, value: values[dimension] }, { persons: 1 }, {}, sign);
    }
    for (const s of bySeizure.values()) this.bump(SEIZURES, { ...key, drug: s.drug, unit: s.unit }, { seizures: s.seizures, cases: 1 }, { quantity: decString(s.quantity) }, sign);
    return this;
  }

  /** The non-zero entries of one table at every grain (days rolled up), in key order (every writer locks summary rows in the same order). */
  rows(table: TableName): { row: Record<string, string | number>; negative: boolean }[] {
    const spec = ENFORCEMENT_AGGREGATE_TABLES.find((t) => t.table === table)!;
    const all = new Map(this.maps.get(table)!);
    for (const grain of GRAINS) {
      if (grain === 'day') continue;
      for (const e of this.maps.get(table)!.values()) {
        const key: Record<string, string> = { ...e.key, grain, occurred_on: periodStart(grain, e.key.occurred_on) };
        const k = spec.key.map((c) => key[c]).join('\u0001');
        let r = all.get(k);
        if (!r) all.set(k, (r = { key, ints: spec.ints.map(() => 0), decs: spec.decs.map((): Dec => [0n, 0]) }));
        for (let i = 0; i < r.ints.length; i++) r.ints[i] += e.ints[i];
        for (let i = 0; i < r.decs.length; i++) r.decs[i] = decAdd(r.decs[i], e.decs[i]);
      }
    }
    return [...all]
      .filter(([, e]) => e.ints.some((n) => n !== 0) || e.decs.some((d) => d[0] !== 0n))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, e]) => {
        const row: Record<string, string | number> = { ...e.key };
        spec.ints.forEach((c, i) => (row[c] = e.ints[i]));
        spec.decs.forEach((c, i) => (row[c] = decString(e.decs[i])));
        return { row, negative: e.ints.some((n) => n < 0) || e.decs.some((d) => d[0] < 0n) };
      });
  }
}

/** What one case contributes to the summaries (the rows it adds), as a delta. */
export function caseContribution(c: CaseFacts): AggregateDelta {
  return new AggregateDelta().add(c, 1);
}

/** The SQL type of each summary column, for the arrays a batch is sent as (everything else is text). */
const COLUMN_ARRAY: Record<string, (v: unknown[]) => RawBuilder<unknown>> = {
  occurred_on: (v) => sql`${v}::date[]`,
  organisation_id: (v) => sql`${v}::uuid[]`,
};
const textArray = (v: unknown[]) => sql`${v}::text[]`;
const intArray = (v: unknown[]) => sql`${v}::bigint[]`;
const numericArray = (v: unknown[]) => sql`${v}::numeric[]`;

/** `unnest($1::type[], $2::type[], …) as u(col, …)`: any number of rows in one bind parameter per column. */
function unnest(spec: TableSpec, columns: readonly string[], rows: Record<string, string | number>[]) {
  const arrays = columns.map((c) => {
    const values = rows.map((r) => r[c]);
    if (spec.ints.includes(c)) return intArray(values);
    if (spec.decs.includes(c)) return numericArray(values);
    return (COLUMN_ARRAY[c] ?? textArray)(values);
  });
  return sql`unnest(${sql.join(arrays)}) as u(${sql.join(columns.map((c) => sql.ref(c)))})`;
}

/** Run several data-modifying queries as one statement (writable CTEs): one round trip, one parse. */
async function runTogether(trx: Transaction<DB>, queries: RawBuilder<unknown>[]): Promise<void> {
  if (queries.length === 0) return;
  const last = queries[queries.length - 1];
  if (queries.length === 1) return void (await last.execute(trx));
  const ctes = sql.join(queries.slice(0, -1).map((q, i) => sql`${sql.ref(`w${i}`)} as (${q})`));
  await sql`with ${ctes} ${last}`.execute(trx);
}

/**
 * Subtract the `minus` cases' contributions and add the `plus` ones, in the caller's transaction: one delta per
 * summary row, then one statement for the four tables — per table `INSERT … ON CONFLICT (key) DO UPDATE SET
 * n = t.n + excluded.n`, as writable CTEs (a whole import batch is one statement too: its rows come as one array
 * parameter per column, `unnest($1::date[], …)`). When a figure went down, a second statement deletes the rows that came back to all zeros.
 */
export async function applyDelta(trx: Transaction<DB>, minus: readonly CaseFacts[], plus: readonly CaseFacts[]): Promise<void> {
  const delta = new AggregateDelta();
  for (const c of minus) delta.add(c, -1);
  for (const c of plus) delta.add(c, 1);
  await applyAggregateDelta(trx, delta);
}

/** Write a delta built by the caller (an import adds every batch's cases to one delta and writes it once). */
export async function applyAggregateDelta(trx: Transaction<DB>, delta: AggregateDelta): Promise<void> {
  const upserts: RawBuilder<unknown>[] = [];
  const deletes: RawBuilder<unknown>[] = [];
  for (const spec of ENFORCEMENT_AGGREGATE_TABLES) {
    const rows = delta.rows(spec.table);
    if (!rows.length) continue;
    const figures = [...spec.ints, ...spec.decs];
    const columns = [...spec.key, ...figures];
    const t = sql.table(spec.table);
    const add = sql.join(figures.map((c) => sql`${sql.ref(c)} = ${t}.${sql.ref(c)} + excluded.${sql.ref(c)}`));
    // A single case's few rows as VALUES (cheapest to plan); a batch as one array per column.
    const source =
      rows.length * columns.length <= 2000
        ? sql`values ${sql.join(rows.map((r) => sql`(${sql.join(columns.map((c) => r.row[c]))})`))}`
        : sql`select * from ${unnest(spec, columns, rows.map((r) => r.row))}`;
    upserts.push(sql`insert into ${t} (${sql.join(columns.map((c) => sql.ref(c)))}) ${source} on conflict (${sql.join(spec.key.map((c) => sql.ref(c)))}) do update set ${add}`);
    // A figure went down: the row may now be all zeros; such a row is deleted (rebuild would not have it).
    const down = rows.filter((r) => r.negative).map((r) => r.row);
    if (down.length) {
      const match = sql.join(spec.key.map((c) => sql`${t}.${sql.ref(c)} = u.${sql.ref(c)}`), sql` and `);
      const zero = sql.join(figures.map((c) => sql`${t}.${sql.ref(c)} = 0`), sql` and `);
      deletes.push(sql`delete from ${t} using ${unnest(spec, spec.key, down)} where ${match} and ${zero}`);
    }
  }
  await runTogether(trx, upserts);
  // After the upserts (a separate statement: within one statement the deletes would not see the new figures).
  await runTogether(trx, deletes);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading: a date range as whole years, whole months and single days.

export interface CoverSegment {
  grain: AggregateGrain;
  /** First and last period start of the segment (a day for 'day', a month's first day, a January 1st). */
  from: string;
  to: string;
}

function nextPeriod(grain: 'month' | 'year', start: string): string {
  const y = Number(start.slice(0, 4));
  const m = Number(start.slice(5, 7));
  if (grain === 'year') return `${String(y + 1).padStart(4, '0')}-01-01`;
  return m === 12 ? `${String(y + 1).padStart(4, '0')}-01-01` : `${start.slice(0, 4)}-${String(m + 1).padStart(2, '0')}-01`;
}

/**
 * The fewest summary periods that exactly cover [from, to]: days up to the first whole month, months up to the first
 * whole year, whole years, then months and days again. Each day of the range is in exactly one segment.
 */
export function periodCover(from: string, to: string, grain: AggregateGrain = 'year'): CoverSegment[] {
  if (from > to) return [];
  if (grain === 'day') return [{ grain: 'day', from, to }];
  const finer: AggregateGrain = grain === 'year' ? 'month' : 'day';
  const start = periodStart(grain, from);
  const first = start === from ? start : nextPeriod(grain, start); // first whole period's start
  // The last whole period is the one whose next period starts at most the day after `to`.
  const afterTo = addDays(to, 1);
  // The start of the period containing the day after `to`: the whole periods end just before it.
  const last = periodStart(grain, afterTo);
  if (first >= last) return periodCover(from, to, finer);
  const lastWhole = periodStart(grain, addDays(last, -1));
  return [...periodCover(from, addDays(first, -1), finer), { grain, from: first, to: lastWhole }, ...periodCover(last, to, finer)];
}

type SummaryTable = 'enforcement_agg_cases' | 'enforcement_agg_person_dims' | 'enforcement_agg_seizures';

/** WHERE clause: the summary rows of the cover of a range, in an area. */
function coverWhere(segments: CoverSegment[], area: { province?: string; district?: string }) {
  return (eb: any): Expression<SqlBool> => {
    const conds = [eb.or(segments.map((s) => eb.and([eb('grain', '=', s.grain), eb('occurred_on', '>=', s.from), eb('occurred_on', '<=', s.to)])))];
    if (area.province) conds.push(eb('province_code', '=', area.province));
    if (area.district) conds.push(eb('district_code', '=', area.district));
    return eb.and(conds);
  };
}

const num = (e: RawBuilder<unknown>) => sql<number>`(${e})::float8`;
const sumOf = (cols: readonly string[]) => sql.join(cols.map((c) => sql`${sql.ref(c)}`), sql` + `);

/** The report's grouped figures for a range and area, from the summaries (a handful of small GROUP BYs). */
export async function readEnforcementInputs(db: Db, range: DateRange, area: { province?: string; district?: string }): Promise<Omit<EnforcementInputs, 'persons'> & { personMarginals: PersonMarginals }> {
  const cover = periodCover(range.from, range.to);
  const from = (t: SummaryTable) => db.selectFrom(t).where(coverWhere(cover, area));
  const roleSexSums = ROLE_SEX_COLUMNS.map((c) => num(sql`coalesce(sum(${sql.ref(c)}), 0)`).as(c));
  const roleSum = (role: string) => sumOf(ROLE_SEX_COLUMNS.filter((c) => c.startsWith(`${role}_`)));
  const [totals, provinces, daily, dims, seizures] = await Promise.all([
    from('enforcement_agg_cases')
      .select([
        num(sql`coalesce(sum(cases), 0)`).as('cases'),
        ...ASSET_COLUMNS.map((c) => num(sql`coalesce(sum(${sql.ref(c)}), 0)`).as(c)),
        num(sql`coalesce(sum(cash_khr), 0)`).as('cash_khr'),
        num(sql`coalesce(sum(cash_usd), 0)`).as('cash_usd'),
        ...roleSexSums,
      ])
      .executeTakeFirstOrThrow() as Promise<Record<string, number>>,
    from('enforcement_agg_cases')
      .select(['province_code', num(sql`sum(cases)`).as('cases'), ...roleSexSums])
      .groupBy('province_code')
      .execute() as unknown as Promise<(Record<string, number> & { province_code: string })[]>,
    db
      .selectFrom('enforcement_agg_cases')
      .where(coverWhere([{ grain: 'day', from: range.from, to: range.to }], area))
      .select([
        sql<string>`occurred_on::text`.as('date'),
        num(sql`sum(cases)`).as('cases'),
        ...PERSON_ROLES.map((r) => num(sql`sum(${roleSum(r)})`).as(r)),
      ])
      .groupBy('occurred_on')
      .execute() as unknown as Promise<(Record<string, number> & { date: string })[]>,
    from('enforcement_agg_person_dims')
      .select(['dimension', 'value', num(sql`sum(persons)`).as('n')])
      .groupBy(['dimension', 'value'])
      .having(sql`sum(persons)`, '<>', 0)
      .execute(),
    from('enforcement_agg_seizures')
      .select(['drug', 'unit', num(sql`sum(quantity)`).as('quantity'), num(sql`sum(cases)`).as('cases')])
      .groupBy(['drug', 'unit'])
      .having(sql`sum(seizures)`, '<>', 0)
      .execute(),
  ]);
  const roleSexRows = (r: Record<string, number>) =>
    PERSON_ROLES.flatMap((role) => SEXES.map((sex) => ({ role, sex, n: r[`${role}_${sex}`] }))).filter((x) => x.n !== 0);
  const dim = (d: string) => dims.filter((x) => x.dimension === d).map((x) => ({ key: x.value, n: x.n }));
  return {
    range,
    cases: totals.cases,
    assets: { vehicles: totals.vehicles, motorcycles: totals.motorcycles, phones: totals.phones, cashKhr: totals.cash_khr, cashUsd: totals.cash_usd, weapons: totals.weapons },
    personMarginals: { roleSex: roleSexRows(totals), ageBand: dim('age_band'), nationality: dim('nationality'), disposition: dim('disposition') },
    seizures,
    daily: daily.map((d) => ({ date: d.date, cases: d.cases })),
    dailyRoles: daily.flatMap((d) => PERSON_ROLES.map((role) => ({ date: d.date, role, n: d[role] }))),
    provinces: provinces.map((p) => ({ provinceCode: p.province_code, cases: p.cases })),
    provinceRoles: provinces.flatMap((p) => roleSexRows(p).map((x) => ({ provinceCode: p.province_code, ...x }))),
  };
}

export const REFERRAL_DISPOSITIONS = ['referred_treatment_voluntary', 'referred_treatment_compulsory'] as const;

/**
 * Persons the police referred to treatment (dispositions referred_treatment_voluntary / _compulsory) in cases that
 * occurred in the range and are not voided, by the case's province — for the national treatment view.
 */
export async function referredToTreatment(db: Db, range: DateRange): Promise<{ provinceCode: string; disposition: string; n: number }[]> {
  return db
    .selectFrom('enforcement_agg_person_dims')
    .where(coverWhere(periodCover(range.from, range.to), {}))
    .where('dimension', '=', 'disposition')
    .where('value', 'in', [...REFERRAL_DISPOSITIONS])
    .select(['province_code as provinceCode', 'value as disposition', sql<number>`sum(persons)::int`.as('n')])
    .groupBy(['province_code', 'value'])
    .having(sql`sum(persons)`, '<>', 0)
    .orderBy('province_code')
    .orderBy('value')
    .execute();
}

// ---------------------------------------------------------------------------------------------------------------
// From the base tables: what every summary must hold (used by rebuild, verify and the migration).

const ref = (c: string) => sql.ref(c);
const cols = (names: readonly string[], prefix?: string) => sql.join(names.map((c) => ref(prefix ? `${prefix}.${c}` : c)));
const period = sql`case g.grain when 'day' then d.occurred_on when 'month' then date_trunc('month', d.occurred_on::timestamp)::date else date_trunc('year', d.occurred_on::timestamp)::date end`;
const grains = sql`(values ('day'), ('month'), ('year')) as g(grain)`;
const live = sql`c.voided_at is null`;
const dayPlace = sql`c.occurred_on, c.province_code, coalesce(c.district_code, '') as district_code, c.case_type, c.organisation_id`;
const dayPlaceGroup = sql`c.occurred_on, c.province_code, coalesce(c.district_code, ''), c.case_type, c.organisation_id`;

/** Roll a day-level SELECT (columns DAY_KEY + extra keys + figures) up to the three grains. */
function rollUp(day: RawBuilder<unknown>, extraKey: readonly string[], figures: readonly string[], numeric: readonly string[]) {
  const fig = sql.join(figures.map((c) => (numeric.includes(c) ? sql`sum(${ref(`d.${c}`)}) as ${ref(c)}` : sql`sum(${ref(`d.${c}`)})::bigint as ${ref(c)}`)));
  const extra = extraKey.length ? sql`, ${cols(extraKey, 'd')}` : sql``;
  return sql`select g.grain, ${period} as occurred_on, d.province_code, d.district_code, d.case_type, d.organisation_id${extra}, ${fig}
    from (${day}) as d cross join ${grains}
    group by g.grain, ${period}, d.province_code, d.district_code, d.case_type, d.organisation_id${extra}`;
}

function baseCases() {
  const roleSex = sql.join(
    PERSON_ROLES.flatMap((role) => SEXES.map((sex) => sql`count(*) filter (where role = ${role} and sex = ${sex}) as ${ref(`${role}_${sex}`)}`)),
  );
  const personsByCase = sql`select case_id, ${roleSex} from case_persons group by case_id`;
  const day = sql`select ${dayPlace}, count(*) as cases,
      ${sql.join(ASSET_COLUMNS.map((c) => sql`sum(${ref(`c.${c}`)}) as ${ref(c)}`))},
      sum(c.cash_khr) as cash_khr, sum(c.cash_usd) as cash_usd,
      ${sql.join(ROLE_SEX_COLUMNS.map((c) => sql`coalesce(sum(${ref(`pc.${c}`)}), 0) as ${ref(c)}`))}
    from enforcement_cases c left join (${personsByCase}) as pc on pc.case_id = c.id
    where ${live}
    group by ${dayPlaceGroup}`;
  return rollUp(day, [], [...CASES.ints, ...CASES.decs], CASES.decs);
}

const personsDay = sql`select ${dayPlace}, p.role, p.sex, p.age_band, p.nationality, p.disposition, count(*)::bigint as persons
  from enforcement_cases c join case_persons p on p.case_id = c.id
  where ${live}
  group by ${dayPlaceGroup}, p.role, p.sex, p.age_band, p.nationality, p.disposition`;

function baseDims() {
  const value = sql`case x.dimension when 'age_band' then d.age_band when 'nationality' then d.nationality else d.disposition end`;
  const day = sql`select d.occurred_on, d.province_code, d.district_code, d.case_type, d.organisation_id, x.dimension, ${value} as value, sum(d.persons) as persons
    from (${personsDay}) as d cross join (values ('age_band'), ('nationality'), ('disposition')) as x(dimension)
    group by d.occurred_on, d.province_code, d.district_code, d.case_type, d.organisation_id, x.dimension, ${value}`;
  return rollUp(day, ['dimension', 'value'], ['persons'], []);
}

function baseSeizures() {
  const day = sql`select ${dayPlace}, s.drug, s.unit, sum(s.quantity) as quantity, count(*) as seizures, count(distinct c.id) as cases
    from enforcement_cases c join case_seizures s on s.case_id = c.id
    where ${live}
    group by ${dayPlaceGroup}, s.drug, s.unit`;
  return rollUp(day, ['drug', 'unit'], ['seizures', 'cases', 'quantity'], ['quantity']);
}

const BASE: Record<TableName, () => RawBuilder<unknown>> = {
  enforcement_agg_cases: baseCases,
  enforcement_agg_person_dims: baseDims,
  enforcement_agg_seizures: baseSeizures,
};

/** The GROUP BY of the base tables that a summary table must equal (for tests and benchmarks). */
export function baseSelect(table: TableName): RawBuilder<unknown> {
  return BASE[table]();
}

/** Fill the (empty) summaries from the base tables: INSERT … SELECT … GROUP BY, one statement per table. */
export async function fillEnforcementAggregates(db: Kysely<any>): Promise<void> {
  for (const spec of ENFORCEMENT_AGGREGATE_TABLES) {
    const all = [...spec.key, ...spec.ints, ...spec.decs];
    await sql`insert into ${sql.table(spec.table)} (${cols(all)}) select ${cols(all, 'b')} from (${BASE[spec.table]()}) as b`.execute(db);
  }
}

/** Recompute every enforcement summary from the base tables, in one transaction. */
export async function rebuildEnforcementAggregates(db: Database): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const spec of ENFORCEMENT_AGGREGATE_TABLES) await trx.deleteFrom(spec.table).execute();
    await fillEnforcementAggregates(trx);
  });
}

/** Compare every summary with the GROUP BY of the base tables (all-zero rows count as absent); the first difference. */
export async function verifyEnforcementAggregates(db: Db): Promise<VerifyResult> {
  let checked = 0;
  for (const spec of ENFORCEMENT_AGGREGATE_TABLES) {
    const figures = [...spec.ints, ...spec.decs];
    const nonZero = sql.join(figures.map((c) => sql`${ref(c)} <> 0`), sql` or `);
    const on = sql.join(spec.key.map((c) => sql`${ref(`s.${c}`)} = ${ref(`b.${c}`)}`), sql` and `);
    const differs = sql.join(figures.map((c) => sql`coalesce(${ref(`s.${c}`)}, 0) <> coalesce(${ref(`b.${c}`)}, 0)`), sql` or `);
    const keys = sql.join(spec.key.map((c) => sql`coalesce(${ref(`s.${c}`)}, ${ref(`b.${c}`)})::text as ${ref(c)}`));
    const values = sql.join(figures.flatMap((c) => [sql`${ref(`s.${c}`)}::text as ${ref(`s_${c}`)}`, sql`${ref(`b.${c}`)}::text as ${ref(`b_${c}`)}`]));
    const count = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(spec.table)} where ${nonZero}`.execute(db);
    checked += Number(count.rows[0].n);
    const diff = await sql<Record<string, string | null>>`
      select ${keys}, ${values}
      from (select * from ${sql.table(spec.table)} where ${nonZero}) as s
      full outer join (${BASE[spec.table]()}) as b on ${on}
      where ${differs}
      order by ${cols(spec.key)}
      limit 1`.execute(db);
    const d = diff.rows[0];
    if (d) {
      const key = spec.key.map((c) => `${c}=${d[c] === '' ? "''" : d[c]}`).join(', ');
      const c =
        figures.find((f) => Number(d[`s_${f}`] ?? 0) !== Number(d[`b_${f}`] ?? 0)) ?? figures.find((f) => (d[`s_${f}`] ?? '0') !== (d[`b_${f}`] ?? '0')) ?? figures[0];
      const s = d[`s_${c}`] === null ? '0 (no summary row)' : d[`s_${c}`];
      const b = d[`b_${c}`] === null ? '0 (no such cases)' : d[`b_${c}`];
      return { ok: false, difference: `${spec.table} (${key}): ${c} is ${s} in the summary but ${b} in the base tables` };
    }
  }
  return { ok: true, checked };
}

export const enforcementAggregates: AggregateMaintainer = {
  name: 'enforcement',
  rebuild: rebuildEnforcementAggregates,
  verify: verifyEnforcementAggregates,
};
