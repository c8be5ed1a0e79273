/**
 * The treatment pillar's maintained aggregates (issue 9; tables in ../db/schema-aggregates-treatment.ts): the one
 * module that writes them, reads them, rebuilds them from the base tables and verifies them.
 *
 * Writes. Every change of a stay changes its summaries in the same transaction, by a signed delta:
 *  - admission: +1 in `treatment_agg_admissions` (day admitted, legal basis, referral source) and in
 *    `treatment_agg_admission_dims` (sex, age band, primary drug), at the three grains (day, month, year);
 *  - discharge: +1 in `treatment_agg_discharges` (day discharged, the stay's legal basis, reason);
 *  - void: −1 of the admission and, when it was discharged, of the discharge (a voided stay contributes nothing).
 *  Each table's rows go in one `INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n`, in key order (no
 *  deadlock between two writers). A row brought back to 0 stays (as 0); readers and verify ignore zeros. The service
 *  applies a delta only after its checks passed (a discharge or void of the same stay twice is a 409), so a replayed
 *  request never counts twice.
 *
 * Reads. A period is read as a `cover`: whole years from the year rows, whole months from the month rows, the days
 * left over from the day rows. "In care on day D" is a prefix sum: admitted on or before D minus discharged on or
 * before D, over the cover from 1900 to D — a few dozen rows per centre and split, whatever D. (Chosen over a
 * maintained per-day in-care table: one open stay would have to add to every day from its admission on, a discharge
 * or void rewrite up to years of rows, and "every day until the discharge" has no end while the stay is open.)
 */
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../db/index.js';
import type { DB } from '../db/schema.js';
import type { TreatmentGrain } from '../db/schema-aggregates-treatment.js';
import type { AggregateMaintainer, VerifyResult } from '../aggregates/registry.js';
import { dayBucket, type CountRow, type CountSource } from '../disclosure/release.js';
import { referredToTreatment } from '../enforcement/aggregates.js';
import { addDays } from '../../core/dates.js';
import type { Campaign, Period } from '../../core/periods.js';
import { TREATMENT_MEASURES } from '../../core/indicators/treatment.js';

type Db = Kysely<DB> | Transaction<DB>;

export const GRAINS: readonly TreatmentGrain[] = ['day', 'month', 'year'];
export const CLIENT_DIMENSIONS = ['sex', 'age_band', 'primary_drug'] as const;
/** Summaries are read from here on (no stay can be admitted before 2000; the year rows make the prefix cheap). */
const FIRST_DAY = '1900-01-01';

/** The first day of the grain's bucket that holds a day. */
export function grainDay(grain: TreatmentGrain, day: string): string {
  return grain === 'day' ? day : grain === 'month' ? `${day.slice(0, 7)}-01` : `${day.slice(0, 4)}-01-01`;
}

// ------------------------------------------------------------------------------------------------------ writes

/** The facts of a stay that its summaries are made of. */
export interface StayFacts {
  organisation_id: string;
  centre_id: string;
  admitted_on: string;
  legal_basis: string;
  referral_source: string;
  sex: string;
  age_band: string;
  primary_drug: string;
  discharged_on: string | null;
  discharge_reason: string | null;
}

const byKey = <T extends Record<string, unknown>>(cols: readonly (keyof T)[]) => (a: T, b: T) => {
  for (const c of cols) {
    const [x, y] = [String(a[c]), String(b[c])];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

/** Add (+1) or take away (−1) an admission in its summaries. */
export async function addAdmission(trx: Transaction<DB>, s: StayFacts, sign: 1 | -1): Promise<void> {
  const base = { organisation_id: s.organisation_id, centre_id: s.centre_id, legal_basis: s.legal_basis, n: sign };
  const adm = GRAINS.map((grain) => ({ ...base, grain, day: grainDay(grain, s.admitted_on), referral_source: s.referral_source }));
  const dims = GRAINS.flatMap((grain) =>
    CLIENT_DIMENSIONS.map((dimension) => ({ ...base, grain, day: grainDay(grain, s.admitted_on), dimension, value: String(s[dimension]) })),
  ).sort(byKey(['grain', 'day', 'dimension', 'value']));
  await trx
    .insertInto('treatment_agg_admissions')
    .values(adm)
    .onConflict((oc) => oc.columns(['organisation_id', 'centre_id', 'grain', 'day', 'legal_basis', 'referral_source']).doUpdateSet({ n: sql`treatment_agg_admissions.n + excluded.n` }))
    .execute();
  await trx
    .insertInto('treatment_agg_admission_dims')
    .values(dims)
    .onConflict((oc) =>
      oc.columns(['organisation_id', 'centre_id', 'grain', 'day', 'legal_basis', 'dimension', 'value']).doUpdateSet({ n: sql`treatment_agg_admission_dims.n + excluded.n` }),
    )
    .execute();
}

/** Add (+1) or take away (−1) the discharge of a discharged stay. */
export async function addDischarge(trx: Transaction<DB>, s: StayFacts, sign: 1 | -1): Promise<void> {
  if (s.discharged_on === null || s.discharge_reason === null) return;
  const rows = GRAINS.map((grain) => ({
    organisation_id: s.organisation_id,
    centre_id: s.centre_id,
    grain,
    day: grainDay(grain, s.discharged_on!),
    legal_basis: s.legal_basis,
    reason: s.discharge_reason!,
    n: sign,
  }));
  await trx
    .insertInto('treatment_agg_discharges')
    .values(rows)
    .onConflict((oc) => oc.columns(['organisation_id', 'centre_id', 'grain', 'day', 'legal_basis', 'reason']).doUpdateSet({ n: sql`treatment_agg_discharges.n + excluded.n` }))
    .execute();
}

// ------------------------------------------------------------------------------------------------------ reads

/** A part of a cover: the rows of one grain whose bucket starts from `from` to `to` (real dates). */
export interface Segment {
  grain: TreatmentGrain;
  from: string;
  to: string;
}

const monthEnd = (d: string) => addDays(`${nextMonth(d)}`, -1);
function nextMonth(d: string): string {
  const [y, m] = [Number(d.slice(0, 4)), Number(d.slice(5, 7))];
  return m === 12 ? `${String(y + 1).padStart(4, '0')}-01-01` : `${d.slice(0, 4)}-${String(m + 1).padStart(2, '0')}-01`;
}
const nextYear = (d: string) => `${String(Number(d.slice(0, 4)) + 1).padStart(4, '0')}-01-01`;

/**
 * The range from … to as whole years, whole months and days (adjacent parts of one grain merged): at most five
 * segments, and the number of summary rows it reads grows with the years, not the days.
 */
export function cover(from: string, to: string): Segment[] {
  const out: Segment[] = [];
  const push = (grain: TreatmentGrain, a: string, b: string) => {
    const last = out[out.length - 1];
    if (last && last.grain === grain && addDays(last.to, 1) === a) last.to = b;
    else out.push({ grain, from: a, to: b });
  };
  let d = from;
  while (d <= to) {
    if (d.slice(5) === '01-01' && addDays(nextYear(d), -1) <= to) {
      push('year', d, addDays(nextYear(d), -1));
      d = nextYear(d);
    } else if (d.slice(8) === '01' && monthEnd(d) <= to) {
      push('month', d, monthEnd(d));
      d = nextMonth(d);
    } else {
      push('day', d, d);
      d = addDays(d, 1);
    }
  }
  return out;
}

/** Merge the covers of several periods (one grain's adjacent segments joined). */
export function coverAll(ranges: readonly { from: string; to: string }[]): Segment[] {
  const all = ranges.flatMap((r) => cover(r.from, r.to));
  const merged: Segment[] = [];
  for (const g of GRAINS) {
    const segs = all.filter((s) => s.grain === g).sort((a, b) => (a.from < b.from ? -1 : 1));
    for (const s of segs) {
      const last = merged[merged.length - 1];
      if (last && last.grain === g && addDays(last.to, 1) >= s.from) last.to = last.to > s.to ? last.to : s.to;
      else merged.push({ ...s });
    }
  }
  return merged;
}

/** SQL: the rows of a table (alias `s`) inside a cover. */
export function inCover(segments: readonly Segment[]): Expression<SqlBool> {
  if (!segments.length) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(
    segments.map((g) => sql`(s.grain = ${g.grain} and s.day >= ${g.from}::date and s.day <= ${g.to}::date)`),
    sql` or `,
  )})`;
}

/** The summary columns of the release dimensions (TREATMENT_MEASURES), `c` being the centre, `s` the summary row. */
const DIM_COLUMN: Record<string, RawBuilder<string>> = {
  centre: sql<string>`s.centre_id`,
  province: sql<string>`c.province_code`,
  kind: sql<string>`c.kind`,
  legal_basis: sql<string>`s.legal_basis`,
  referral_source: sql<string>`s.referral_source`,
  reason: sql<string>`s.reason`,
};

type SummaryTable = 'treatment_agg_admissions' | 'treatment_agg_discharges';

/**
 * Counts of a summary per period bucket and dimensions, over every centre (the national view) or one centre. Rows
 * of a period type never straddle two periods (a cover's year and month rows lie inside the period that needs them).
 */
async function summed(
  db: Db,
  table: SummaryTable,
  segments: readonly Segment[],
  by: readonly string[],
  bucket: RawBuilder<string> | null,
  centreId?: string,
): Promise<{ period: string; values: string[]; n: number }[]> {
  const cols = by.map((d) => {
    const c = DIM_COLUMN[d];
    if (!c) throw new Error(`treatment summaries: no dimension ${d} in ${table}`);
    return c;
  });
  const keys = [...(bucket ? [bucket] : []), ...cols];
  const names = keys.map((_, i) => `k${i}`);
  const inner = keys.length ? sql.join(keys.map((k, i) => sql`(${k})::text as ${sql.ref(names[i])}`)) : sql`1 as one`;
  // grouped outside: the bucket's SQL carries parameters, which a GROUP BY could not match to the select list
  const rows = await sql<Record<string, string> & { n: number }>`
    select ${keys.length ? sql`${sql.join(names.map((x) => sql.ref(`q.${x}`)))},` : sql``} sum(q.n)::int as n from (
      select ${inner}, s.n from ${sql.table(table)} as s
        ${by.includes('province') || by.includes('kind') ? sql`join treatment_centres as c on c.id = s.centre_id` : sql``}
      where ${inCover(segments)} ${centreId ? sql`and s.centre_id = ${centreId}` : sql``}
    ) as q
    ${keys.length ? sql`group by ${sql.join(names.map((x) => sql.ref(`q.${x}`)))}` : sql``}
    having sum(q.n) <> 0`.execute(db);
  return rows.rows.map((r) => {
    const k = names.map((x) => r[x]);
    return bucket ? { period: k[0], values: k.slice(1), n: Number(r.n) } : { period: '', values: k, n: Number(r.n) };
  });
}

/** In care at the end of `day`, by the dimensions (admitted on or before it, minus discharged on or before it). */
export async function inCareOnDay(db: Db, day: string, by: readonly string[], centreId?: string): Promise<{ values: string[]; n: number }[]> {
  const segments = cover(FIRST_DAY, day);
  const [adm, dis] = await Promise.all([
    summed(db, 'treatment_agg_admissions', segments, by, null, centreId),
    summed(db, 'treatment_agg_discharges', segments, by, null, centreId),
  ]);
  const m = new Map<string, { values: string[]; n: number }>();
  for (const [rows, sign] of [[adm, 1], [dis, -1]] as const) {
    for (const r of rows) {
      const k = JSON.stringify(r.values);
      const e = m.get(k) ?? { values: r.values, n: 0 };
      e.n += sign * r.n;
      m.set(k, e);
    }
  }
  return [...m.values()].filter((e) => e.n !== 0);
}

/**
 * The exact counts the national view releases (src/server/disclosure/release.ts asks; the measures are those of
 * src/core/indicators/treatment.ts): from the summaries only, one GROUP BY per measure, dimensions and period type.
 * Answers are kept for the request, so that two tables asking for the same cell read it once.
 */
export class TreatmentCountSource implements CountSource {
  private memo = new Map<string, Promise<CountRow[]>>();
  private fine = new Map<string, Promise<CountRow[]>>();
  private centres: Promise<Map<string, { kind: string; province: string }>> | null = null;
  constructor(
    private readonly db: Db,
    private readonly campaign?: Campaign,
  ) {}

  counts(measure: string, periods: readonly Period[], by: readonly string[]): Promise<CountRow[]> {
    if (!periods.length) return Promise.resolve([]);
    const columns = this.columns(measure, by);
    const key = `${measure}|${by.join(',')}|${periods.map((p) => p.key).join(',')}`;
    if (!this.memo.has(key)) this.memo.set(key, this.rollUp(measure, columns, this.finest(measure, columns, periods), by));
    return this.memo.get(key)!;
  }

  /** The summary columns a split is summed from (referral source only when it is asked for: 7 times fewer rows). */
  private columns(measure: string, by: readonly string[]): readonly string[] {
    const M = TREATMENT_MEASURES;
    if (measure === M.admissions.id) return by.includes('referral_source') ? ['centre', 'legal_basis', 'referral_source'] : ['centre', 'legal_basis'];
    if (measure === M.discharges.id) return ['centre', 'reason'];
    if (measure === M.inCare.id) return ['centre', 'legal_basis'];
    if (measure === M.referrals.id) return ['province', 'disposition'];
    throw new Error(`treatment: unknown measure ${measure}`);
  }

  /**
   * The counts of a measure in the periods per centre and summary column (one query per measure, columns and set of
   * periods, shared by every table and split of the request); any split is summed from these.
   */
  private finest(measure: string, columns: readonly string[], periods: readonly Period[]): Promise<CountRow[]> {
    const key = `${measure}|${columns.join(',')}|${periods.map((p) => p.key).join(',')}`;
    if (!this.fine.has(key)) this.fine.set(key, this.fetch(measure, columns, periods));
    return this.fine.get(key)!;
  }

  private async fetch(measure: string, columns: readonly string[], periods: readonly Period[]): Promise<CountRow[]> {
    const M = TREATMENT_MEASURES;
    if (measure === M.admissions.id || measure === M.discharges.id) {
      const table = measure === M.admissions.id ? 'treatment_agg_admissions' : 'treatment_agg_discharges';
      return summed(this.db, table, coverAll(periods), columns, dayBucket(periods[0].type, sql`s.day`, this.campaign));
    }
    if (measure === M.inCare.id) {
      const each = await Promise.all(periods.map((p) => inCareOnDay(this.db, p.to, columns)));
      return periods.flatMap((p, i) => each[i].map((r) => ({ period: p.key, values: r.values, n: r.n })));
    }
    // persons the police referred to treatment: the enforcement pillar's summaries
    const each = await Promise.all(periods.map((p) => referredToTreatment(this.db, { from: p.from, to: p.to })));
    return periods.flatMap((p, i) => each[i].map((r) => ({ period: p.key, values: [r.provinceCode, r.disposition], n: Number(r.n) })));
  }

  /** Sum the finest counts to the dimensions asked for. */
  private async rollUp(measure: string, columns: readonly string[], finest: Promise<CountRow[]>, by: readonly string[]): Promise<CountRow[]> {
    const [rows, centres] = await Promise.all([finest, columns[0] === 'centre' ? this.register() : Promise.resolve(new Map<string, { kind: string; province: string }>())]);
    const pickers = by.map((d): ((r: CountRow) => string) => {
      const i = columns.indexOf(d);
      if (i >= 0) return (r) => r.values[i];
      if (columns[0] === 'centre' && d === 'kind') return (r) => centres.get(r.values[0])?.kind ?? '';
      if (columns[0] === 'centre' && d === 'province') return (r) => centres.get(r.values[0])?.province ?? '';
      throw new Error(`treatment: ${measure} has no dimension ${d}`);
    });
    const sums = new Map<string, CountRow & { n: number }>();
    for (const r of rows) {
      const values = pickers.map((f) => f(r));
      const k = `${r.period}|${values.join('|')}`;
      const e = sums.get(k);
      if (e) e.n += r.n;
      else sums.set(k, { period: r.period, values, n: r.n });
    }
    return [...sums.values()];
  }

  /** Each centre's kind and province (the register: a few dozen rows), once per request. */
  private register() {
    this.centres ??= this.db
      .selectFrom('treatment_centres')
      .select(['id', 'kind', 'province_code'])
      .execute()
      .then((rs) => new Map(rs.map((r) => [r.id, { kind: r.kind, province: r.province_code }])));
    return this.centres;
  }
}

/** One centre's exact counts over a range: totals by the summary's columns, and per 7-day bucket from `from`. */
export async function centreCounts(db: Db, centreId: string, from: string, to: string) {
  const segments = cover(from, to);
  const q = (table: 'treatment_agg_admissions' | 'treatment_agg_discharges' | 'treatment_agg_admission_dims', cols: RawBuilder<unknown>) =>
    sql<{ k: string[]; n: number }>`select array[${cols}]::text[] as k, sum(s.n)::int as n from ${sql.table(table)} as s
      where s.centre_id = ${centreId} and ${inCover(segments)} group by ${cols} having sum(s.n) <> 0`.execute(db);
  const week = sql`floor((s.day - ${from}::date) / 7.0)::int`;
  const weekly = (table: 'treatment_agg_admissions' | 'treatment_agg_discharges') =>
    sql<{ w: number; n: number }>`select ${week} as w, sum(s.n)::int as n from ${sql.table(table)} as s
      where s.centre_id = ${centreId} and s.grain = 'day' and s.day >= ${from}::date and s.day <= ${to}::date group by 1 having sum(s.n) <> 0`.execute(db);
  const [adm, dis, dims, wa, wd] = await Promise.all([
    q('treatment_agg_admissions', sql`s.legal_basis, s.referral_source`),
    q('treatment_agg_discharges', sql`s.reason`),
    q('treatment_agg_admission_dims', sql`s.dimension, s.value`),
    weekly('treatment_agg_admissions'),
    weekly('treatment_agg_discharges'),
  ]);
  return {
    admissions: adm.rows.map((r) => ({ legalBasis: r.k[0], referralSource: r.k[1], n: Number(r.n) })),
    discharges: dis.rows.map((r) => ({ reason: r.k[0], n: Number(r.n) })),
    clients: dims.rows.map((r) => ({ dimension: r.k[0], value: r.k[1], n: Number(r.n) })),
    weekly: [...wa.rows.map((r) => ({ week: Number(r.w), admissions: Number(r.n), discharges: 0 })), ...wd.rows.map((r) => ({ week: Number(r.w), admissions: 0, discharges: Number(r.n) }))],
  };
}

// --------------------------------------------------------------------------------------- from the base tables

const grainsSql = sql`(values ('day'), ('month'), ('year')) as g(grain)`;
const bucketOf = (col: RawBuilder<unknown>) =>
  sql`(case g.grain when 'day' then ${col} when 'month' then date_trunc('month', ${col}::timestamp)::date else date_trunc('year', ${col}::timestamp)::date end)`;

/** What each summary must hold, from the base tables (rebuild, verify and the migration use these); `only` narrows the stays. */
const EXPECTED = {
  treatment_agg_admissions: {
    extra: ['referral_source'],
    select: (only = sql`true`) => sql`select a.organisation_id, a.centre_id, g.grain, ${bucketOf(sql`a.admitted_on`)} as day, a.legal_basis, a.referral_source, count(*)::int as n
      from treatment_admissions a cross join ${grainsSql} where a.voided_at is null and ${only} group by 1, 2, 3, 4, 5, 6`,
  },
  treatment_agg_admission_dims: {
    extra: ['dimension', 'value'],
    select: (only = sql`true`) => sql`select a.organisation_id, a.centre_id, g.grain, ${bucketOf(sql`a.admitted_on`)} as day, a.legal_basis, d.dimension,
        (case d.dimension when 'sex' then a.sex when 'age_band' then a.age_band else a.primary_drug end) as value, count(*)::int as n
      from treatment_admissions a cross join ${grainsSql} cross join (values ('sex'), ('age_band'), ('primary_drug')) as d(dimension)
      where a.voided_at is null and ${only} group by 1, 2, 3, 4, 5, 6, 7`,
  },
  treatment_agg_discharges: {
    extra: ['reason'],
    select: (only = sql`true`) => sql`select a.organisation_id, a.centre_id, g.grain, ${bucketOf(sql`a.discharged_on`)} as day, a.legal_basis, a.discharge_reason as reason, count(*)::int as n
      from treatment_admissions a cross join ${grainsSql} where a.voided_at is null and a.discharged_on is not null and ${only} group by 1, 2, 3, 4, 5, 6`,
  },
} as const;
type Summary = keyof typeof EXPECTED;
const SUMMARIES = Object.keys(EXPECTED) as Summary[];
const keyCols = (t: Summary) => ['organisation_id', 'centre_id', 'grain', 'day', 'legal_basis', ...EXPECTED[t].extra];

/** Fill the (empty) summaries from the base tables. */
export async function fillTreatmentAggregates(db: Kysely<any>): Promise<void> {
  for (const t of SUMMARIES) {
    const cols = sql.join([...keyCols(t), 'n'].map((c) => sql.ref(c)));
    await sql`insert into ${sql.table(t)} (${cols}) ${EXPECTED[t].select()}`.execute(db);
  }
}

/**
 * Add the stays of centres bulk-inserted in the caller's transaction (the demo dataset): their summaries, added to
 * what is there (those centres' stays must not have been counted yet).
 */
export async function addStaysOfCentres(trx: Transaction<DB>, centreIds: readonly string[]): Promise<void> {
  if (!centreIds.length) return;
  const only = sql`a.centre_id in (${sql.join(centreIds.map((id) => sql`${id}::uuid`))})`;
  for (const t of SUMMARIES) {
    const cols = sql.join([...keyCols(t), 'n'].map((c) => sql.ref(c)));
    await sql`insert into ${sql.table(t)} (${cols}) ${EXPECTED[t].select(only)}
      on conflict (${sql.join(keyCols(t).map((c) => sql.ref(c)))}) do update set n = ${sql.table(t)}.n + excluded.n`.execute(trx);
  }
}

export const treatmentAggregates: AggregateMaintainer = {
  name: 'treatment',
  async rebuild(db) {
    await db.transaction().execute(async (trx) => {
      for (const t of SUMMARIES) await sql`delete from ${sql.table(t)}`.execute(trx);
      await fillTreatmentAggregates(trx);
    });
  },
  async verify(db): Promise<VerifyResult> {
    let checked = 0;
    for (const t of SUMMARIES) {
      const cols = sql.join([...keyCols(t), 'n'].map((c) => sql.ref(c)));
      const actual = sql`select ${cols} from ${sql.table(t)} where n <> 0`;
      const diff = await sql<Record<string, unknown> & { side: string }>`
        (select 'missing' as side, * from ((${EXPECTED[t].select()}) except (${actual})) as m)
        union all
        (select 'extra' as side, * from ((${actual}) except (${EXPECTED[t].select()})) as x)
        order by 3, 4, 5
        limit 1`.execute(db);
      if (diff.rows.length) {
        const r = diff.rows[0];
        const key = keyCols(t)
          .map((c) => `${c} ${c === 'day' ? String(r[c] instanceof Date ? (r[c] as Date).toISOString().slice(0, 10) : r[c]) : String(r[c])}`)
          .join(', ');
        const expected = await sql<{ n: number }>`select n from (${EXPECTED[t].select()}) as e where ${sql.join(
          keyCols(t).map((c) => sql`${sql.ref(c)} = ${r[c]}`),
          sql` and `,
        )}`.execute(db);
        const held = await sql<{ n: number }>`select n from ${sql.table(t)} where ${sql.join(
          keyCols(t).map((c) => sql`${sql.ref(c)} = ${r[c]}`),
          sql` and `,
        )}`.execute(db);
        return {
          ok: false,
          difference: `${t} (${key}): the stays give ${expected.rows[0]?.n ?? 0}, the summary holds ${held.rows[0]?.n ?? 0}`,
        };
      }
      const n = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)} where n <> 0`.execute(db);
      checked += Number(n.rows[0].n);
    }
    return { ok: true, checked };
  },
};
