/**
 * The education pillar's maintained aggregates (issue 9): the one module that writes them.
 *
 *  - `education_sessions_daily`: sessions by organisation, day held, province, district ('' for none), setting, topic.
 *  - `education_people_daily`: people reached (participants) by organisation, day held, province, setting, sex, age band.
 *
 * A session recorded adds its contribution (`applySession(trx, s, +1)`), a session voided removes it (`-1`), in the
 * transaction that writes the session or its void (the void holds the session's row lock, so a session is removed at
 * most once). Rows that fall to zero are deleted, so the summaries equal a rebuild row for row. Views read only these
 * tables (`EducationCountSource` for the disclosure control; the session counts exactly).
 *
 * `educationAggregates` is the pillar's `AggregateMaintainer`: rebuild recomputes both tables from the sessions in
 * one transaction; verify compares them with the base tables and names the first difference.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/index.js';
import type { DB } from '../db/schema.js';
import type { AggregateMaintainer, VerifyResult } from '../aggregates/registry.js';
import { dayBucket, spanOf, type CountRow, type CountSource } from '../disclosure/release.js';
import type { Campaign, Period } from '../../core/periods.js';
import { EDUCATION_PEOPLE } from '../../core/indicators/education.js';

type Trx = Transaction<DB>;

export interface SessionFacts {
  organisationId: string;
  heldOn: string;
  provinceCode: string;
  districtCode: string | null;
  setting: string;
  topic: string;
  /** non-zero participant cells */
  participants: readonly { sex: string; age_band: string; count: number }[];
}

/** Add (+1) or remove (−1) one session's contribution to both summaries, in the caller's transaction. */
export async function applySession(trx: Trx, s: SessionFacts, sign: 1 | -1): Promise<void> {
  const day = { organisation_id: s.organisationId, held_on: s.heldOn, province_code: s.provinceCode, setting: s.setting };
  const sessionKey = { ...day, district_code: s.districtCode ?? '', topic: s.topic };
  await trx
    .insertInto('education_sessions_daily')
    .values({ ...sessionKey, sessions: sign })
    .onConflict((oc) =>
      oc.columns(['organisation_id', 'held_on', 'province_code', 'district_code', 'setting', 'topic']).doUpdateSet({ sessions: sql`education_sessions_daily.sessions + excluded.sessions` }),
    )
    .execute();
  if (s.participants.length)
    await trx
      .insertInto('education_people_daily')
      .values(s.participants.map((p) => ({ ...day, sex: p.sex, age_band: p.age_band, participants: sign * p.count })))
      .onConflict((oc) =>
        oc.columns(['organisation_id', 'held_on', 'province_code', 'setting', 'sex', 'age_band']).doUpdateSet({ participants: sql`education_people_daily.participants + excluded.participants` }),
      )
      .execute();
  if (sign < 0) {
    // what a void brought to zero leaves the summaries (a rebuild has no zero rows)
    await trx
      .deleteFrom('education_sessions_daily')
      .where('organisation_id', '=', sessionKey.organisation_id)
      .where('held_on', '=', sessionKey.held_on)
      .where('province_code', '=', sessionKey.province_code)
      .where('district_code', '=', sessionKey.district_code)
      .where('setting', '=', sessionKey.setting)
      .where('topic', '=', sessionKey.topic)
      .where('sessions', '=', 0)
      .execute();
    await trx
      .deleteFrom('education_people_daily')
      .where('organisation_id', '=', day.organisation_id)
      .where('held_on', '=', day.held_on)
      .where('province_code', '=', day.province_code)
      .where('setting', '=', day.setting)
      .where('participants', '=', 0)
      .execute();
  }
}

/** The summary column of each dimension of the people-reached measure (a fixed list: never a caller's string). */
const PEOPLE_COLUMNS: Readonly<Record<string, 'province_code' | 'setting' | 'sex' | 'age_band'>> = {
  province: 'province_code',
  setting: 'setting',
  sex: 'sex',
  age_band: 'age_band',
};

/** The sets of dimensions a figure of people reached is released by (EDUCATION_PEOPLE_SPEC: none, one, or a cross). */
const PEOPLE_GROUPINGS: readonly (readonly string[])[] = [[], ['province'], ['setting'], ['sex'], ['age_band'], ['province', 'sex'], ['setting', 'sex'], ['age_band', 'sex']];
const PEOPLE_DIMS = ['province', 'setting', 'sex', 'age_band'] as const;
/** PostgreSQL's grouping() bit mask of a set of dimensions: a bit is set for each dimension NOT grouped by. */
const maskOf = (by: readonly string[]) => PEOPLE_DIMS.reduce((m, d, i) => (by.includes(d) ? m : m | (1 << (PEOPLE_DIMS.length - 1 - i))), 0);

type PeopleRow = { period: string; g: number; province_code: string | null; setting: string | null; sex: string | null; age_band: string | null; n: number };

/**
 * Exact people-reached counts from `education_people_daily`, for `release()`. The first call for a kind of period
 * reads, in one GROUP BY GROUPING SETS over the summary rows of the days the periods span, the counts of every period
 * of that kind by every set of dimensions the measure releases (at most 152 rows a period); later calls for the same
 * kind within that span are answered from it. One source serves one request.
 */
export class EducationCountSource implements CountSource {
  private readonly cache = new Map<string, { from: string; to: string; rows: Promise<PeopleRow[]> }>();

  constructor(
    private readonly db: Database,
    private readonly campaign?: Campaign,
  ) {}

  private rows(periods: readonly Period[]): Promise<PeopleRow[]> {
    const type = periods[0].type;
    const span = spanOf(periods);
    const hit = this.cache.get(type);
    if (hit && hit.from <= span.from && span.to <= hit.to) return hit.rows;
    const bucket = dayBucket(type, sql.ref('held_on'), this.campaign);
    const sets = sql.join(PEOPLE_GROUPINGS.map((by) => (by.length ? sql`(${sql.join(by.map((d) => sql.ref(PEOPLE_COLUMNS[d])))})` : sql`()`)));
    const rows = sql<PeopleRow>`
      select ${bucket} as period, grouping(province_code, setting, sex, age_band) as g, province_code, setting, sex, age_band,
        sum(participants)::int8 as n
      from education_people_daily
      where held_on >= ${span.from}::date and held_on <= ${span.to}::date
      group by 1, grouping sets (${sets})`
      .execute(this.db)
      .then((r) => r.rows);
    this.cache.set(type, { ...span, rows });
    return rows;
  }

  async counts(measure: string, periods: readonly Period[], by: readonly string[]): Promise<CountRow[]> {
    if (measure !== EDUCATION_PEOPLE) throw new Error(`EducationCountSource: unknown measure ${measure}`);
    if (periods.length === 0) return [];
    const cols = by.map((d) => {
      const c = PEOPLE_COLUMNS[d];
      if (!c) throw new Error(`EducationCountSource: unknown dimension ${d}`);
      return c;
    });
    if (!PEOPLE_GROUPINGS.some((g) => g.length === by.length && g.every((d) => by.includes(d)))) throw new Error(`EducationCountSource: ${by.join(' × ')} is not released`);
    const mask = maskOf(by);
    const out: CountRow[] = [];
    for (const r of await this.rows(periods)) if (Number(r.g) === mask) out.push({ period: String(r.period), values: cols.map((c) => String(r[c])), n: Number(r.n) });
    return out;
  }
}

/** Exact sessions by period of one type (`Period.key`), province and topic, over the days the periods span. */
export async function sessionCounts(db: Database, periods: readonly Period[], campaign?: Campaign): Promise<{ part: string; provinceCode: string; topic: string; sessions: number }[]> {
  if (periods.length === 0) return [];
  const span = spanOf(periods);
  const bucket = dayBucket(periods[0].type, sql.ref('held_on'), campaign);
  const rows = await db
    .selectFrom('education_sessions_daily')
    .select([bucket.as('part'), 'province_code as provinceCode', 'topic', sql<number>`sum(sessions)::int8`.as('sessions')])
    .where('held_on', '>=', span.from)
    .where('held_on', '<=', span.to)
    .groupBy([sql`1`, 'province_code', 'topic'])
    .execute();
  return rows.map((r) => ({ ...r, sessions: Number(r.sessions) }));
}

/** The number of sessions of one organisation (not voided) held in a range, from the summary. */
export async function organisationSessionCount(db: Database, organisationId: string, range: { from?: string; to?: string }): Promise<number> {
  let q = db.selectFrom('education_sessions_daily').select(sql<number>`coalesce(sum(sessions), 0)::int8`.as('n')).where('organisation_id', '=', organisationId);
  if (range.from) q = q.where('held_on', '>=', range.from);
  if (range.to) q = q.where('held_on', '<=', range.to);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

// ------------------------------------------------------------------------------------------- rebuild and verify

const SESSIONS_FROM_BASE = sql`
  select organisation_id, held_on, province_code, coalesce(district_code, '') as district_code, setting, topic, count(*)::int8 as n
  from education_sessions where voided_at is null
  group by 1, 2, 3, 4, 5, 6`;
const PEOPLE_FROM_BASE = sql`
  select s.organisation_id, s.held_on, s.province_code, s.setting, p.sex, p.age_band, sum(p.count)::int8 as n
  from education_sessions s join education_participants p on p.session_id = s.id
  where s.voided_at is null
  group by 1, 2, 3, 4, 5, 6`;

async function rebuild(db: Database): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('education_sessions_daily').execute();
    await trx.deleteFrom('education_people_daily').execute();
    await sql`insert into education_sessions_daily (organisation_id, held_on, province_code, district_code, setting, topic, sessions)
      select organisation_id, held_on, province_code, district_code, setting, topic, n from (${SESSIONS_FROM_BASE}) b`.execute(trx);
    await sql`insert into education_people_daily (organisation_id, held_on, province_code, setting, sex, age_band, participants)
      select organisation_id, held_on, province_code, setting, sex, age_band, n from (${PEOPLE_FROM_BASE}) b`.execute(trx);
  });
}

type Diff = Record<string, string | number | null>;

async function verify(db: Database): Promise<VerifyResult> {
  const sessions = await sql<Diff>`
    select organisation_id::text, held_on::text, province_code, district_code, setting, topic, b.n as base, s.sessions::int8 as summary
    from (${SESSIONS_FROM_BASE}) b
    full outer join education_sessions_daily s using (organisation_id, held_on, province_code, district_code, setting, topic)
    where b.n is distinct from s.sessions::int8
    order by 1, 2, 3, 4, 5, 6 limit 1`.execute(db);
  const d = sessions.rows[0];
  if (d)
    return {
      ok: false,
      difference: `education_sessions_daily: organisation ${d.organisation_id}, ${d.held_on}, ${d.province_code}, district '${d.district_code}', ${d.setting}, ${d.topic}: the summary has ${d.summary ?? 'no row'}, the sessions give ${d.base ?? 0}`,
    };
  const people = await sql<Diff>`
    select organisation_id::text, held_on::text, province_code, setting, sex, age_band, b.n as base, s.participants::int8 as summary
    from (${PEOPLE_FROM_BASE}) b
    full outer join education_people_daily s using (organisation_id, held_on, province_code, setting, sex, age_band)
    where b.n is distinct from s.participants::int8
    order by 1, 2, 3, 4, 5, 6 limit 1`.execute(db);
  const e = people.rows[0];
  if (e)
    return {
      ok: false,
      difference: `education_people_daily: organisation ${e.organisation_id}, ${e.held_on}, ${e.province_code}, ${e.setting}, ${e.sex}, ${e.age_band}: the summary has ${e.summary ?? 'no row'}, the sessions give ${e.base ?? 0}`,
    };
  const n = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('education_sessions_daily').select(sql<number>`count(*)::int8`.as('c')).as('a'),
      eb.selectFrom('education_people_daily').select(sql<number>`count(*)::int8`.as('c')).as('b'),
    ])
    .executeTakeFirstOrThrow();
  return { ok: true, checked: Number(n.a) + Number(n.b) };
}

export const educationAggregates: AggregateMaintainer = { name: 'education', rebuild, verify };
