/**
 * The harm-reduction pillar's maintained aggregates (issue 9): the one module that writes them. Every write of the
 * pillar calls it in its own transaction — a sync push (`contactsAdded`, `referralOutcomesChanged`), a referral
 * outcome set by the programme manager, a merge of duplicates (`clientMerged`) — and so does a campaign saved
 * (`campaignSaved`). A replayed push writes no contact, so it changes nothing here either.
 *
 * Contacts (stored as instants) count on their day in Cambodia (UTC+7).
 *  - `hr_contacts_daily` (organisation, day, setting, client's sex, age band at the contact's year; 'anonymous' for
 *    a contact without a client), `hr_contacts_daily_hotspot` (organisation, day, setting, hotspot) and
 *    `hr_contacts_daily_org` (organisation, day): contacts, anonymous contacts, needles, syringes, returned, HIV
 *    tests and positives, referrals made and completed. A referral's outcome changing later moves its completed count
 *    on the row of the contact it was made at, in the same transaction. Province and provider kind are the
 *    organisation's: they are joined at read time (organisations is a small reference table), so an organisation
 *    moved to another province moves its figures, exactly as the views did before.
 *  - `hr_client_days`: one row per client, day and place (setting, hotspot) with a contact. The organisation's own
 *    exact indicators over a date range (at most a year) count distinct clients over these rows in SQL.
 *  - `hr_client_span`: per client, the days of its first and last contact. A client is **new** in the reporting
 *    period that holds its first contact (so new clients add up over time exactly: each client is new once).
 *  - `hr_period_clients`: one row per client and reporting period it was reached in, for the periods figures are
 *    released for: day (= campaign day), ISO week, month, quarter, year, 7-day blocks of every other weekday
 *    alignment a campaign needs (`week7:<first day>`, from that campaign's start on; a campaign starting on a Monday
 *    uses the ISO weeks) and each campaign's "to date" (from its start through its end, or open). Each row carries
 *    the client's sex and age band at the period's first day, whether the client is new in it and (quarter, year)
 *    whether it has regular access: a contact in every calendar month of the period. A "to date" row also carries
    the client's first day of contact in the campaign (`first_day`, the earliest of its days, moved back by late
    data and merges): campaign to date through its last complete week is its rows less those whose first day is
    after it (`lateClients`, one index range).
 *  - `hr_period_counts`: those rows counted per organisation, period, sex and age band (reached, new, regular).
 *    `hr_period_margins` holds them summed over organisations, one dimension at a time (the period's total, by
 *    province, provider kind, sex, age band); the database keeps it in the statement that changes the counters, and
 *    when an organisation changes province or kind (triggers: migration 20261203100000_hr_period_margins), and gives
    the period a new version (`hr_period_versions`, migration 20261203180000): what a server keeps of a period's
    sums and decided cells holds only while its version is the same.
 *    A push inserts the candidate rows with `ON CONFLICT DO NOTHING RETURNING`: only the rows really new increment
 *    the counters, so replays count nothing twice.
 *  - A merge of client b into a (duplicates) moves b's contacts to a: b's daily rows are moved to a's sex and age,
 *    b's client-days and period rows become a's (a period both were reached in counts one client), a's first and
 *    last contact take the earlier and later of both, and a's new and regular flags are recomputed.
 *  - A campaign created or changed: its alignment's rows are filled from its start (if not kept yet) and its "to
 *    date" rows are refilled for its new span, from `hr_client_days`, bounded by the days of the span (in chunks of
 *    a year, with progress to the log when long).
 *
 * Rebuild recomputes everything from the contacts, referrals, clients and campaigns in one transaction; verify
 * recomputes into temporary tables and compares row by row (all-zero rows are not rows), naming the first difference.
 * `HarmReductionCountSource` answers the disclosure control's counts from `hr_period_margins` and `hr_period_counts`
 * only.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/index.js';
import type { DB } from '../db/schema.js';
import type { AggregateMaintainer, VerifyResult } from '../aggregates/registry.js';
import type { CountAsk, CountRow, CountSource } from '../disclosure/release.js';
import { addDays, daysBetween, todayInCambodia } from '../../core/dates.js';
import { isoMonday, periodContaining, type Period, type PeriodType } from '../../core/periods.js';
import { ageBand } from '../../core/harm-reduction.js';

type Exec = Kysely<DB> | Transaction<DB>;

export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
export const OPEN_END = '9999-12-31';
const OUTREACH_LOCK = 7_130_004;
/**
 * The pillar's advisory lock: every writer of its summaries holds it to the end of its transaction (a sync push, a
 * merge, a campaign saved, a rebuild), and so does an organisation's update, which moves its counters' margins when
 * its province changes — taken before the organisation's row, as a push takes it before it counts for that row.
 */
export const lockHarmReduction = (trx: Transaction<DB>) => sql`select pg_advisory_xact_lock(${OUTREACH_LOCK})`.execute(trx);
/** A Monday: the alignment of a 7-day block is its first day's distance from a Monday (0 = ISO weeks). */
const MONDAY = '2000-01-03';
export const alignmentOf = (date: string) => ((daysBetween(MONDAY, date) % 7) + 7) % 7;

export const MEASURE_COLUMNS = ['contacts', 'anonymous_contacts', 'needles', 'syringes', 'returned', 'hiv_tests', 'hiv_positive', 'referrals_made', 'referrals_completed'] as const;
type MeasureColumn = (typeof MEASURE_COLUMNS)[number];
type Measures = Record<MeasureColumn, number>;

const DAILY = {
  hr_contacts_daily: ['organisation_id', 'day', 'setting', 'sex', 'age_band'],
  hr_contacts_daily_hotspot: ['organisation_id', 'day', 'setting', 'hotspot_id'],
  hr_contacts_daily_org: ['organisation_id', 'day'],
} as const;
type DailyTable = keyof typeof DAILY;

const dayOfInstant = (at: Date | string) => todayInCambodia(new Date(at));

// ------------------------------------------------------------------------------------------------ periods kept

export interface StoredPeriod {
  key: string;
  from: string;
  to: string;
}

export interface Coverage {
  /** alignment (1–6) → first day kept */
  alignments: Map<number, string>;
  campaigns: { id: string; start: string; end: string | null }[];
}

async function coverage(db: Exec): Promise<Coverage> {
  const r = await sql<{ kind: string; id: string; a: string; b: string | null }>`
    select 'a' as kind, alignment::text as id, from_date::text as a, null::text as b from hr_week_alignments
    union all select 'c', campaign_id::text, start_date::text, end_date::text from hr_campaign_spans`.execute(db);
  const alignments = new Map<number, string>();
  const campaigns: Coverage['campaigns'] = [];
  for (const x of r.rows) {
    if (x.kind === 'a') alignments.set(Number(x.id), x.a);
    else campaigns.push({ id: x.id, start: x.a, end: x.b });
  }
  return { alignments, campaigns };
}

/** Every stored period a day of contact falls in. */
export function periodsOfDay(day: string, cov: Coverage): StoredPeriod[] {
  const out: StoredPeriod[] = [];
  for (const t of ['day', 'iso_week', 'month', 'quarter', 'year'] as const) {
    const p = periodContaining(t, day);
    out.push({ key: p.key, from: p.from, to: p.to });
  }
  for (const [, from] of cov.alignments) {
    if (day < from) continue;
    const start = addDays(day, -(daysBetween(from, day) % 7));
    out.push({ key: `week7:${start}`, from: start, to: addDays(start, 6) });
  }
  for (const c of cov.campaigns) if (day >= c.start && (c.end === null || day <= c.end)) out.push({ key: `campaign_to_date:${c.id}`, from: c.start, to: c.end ?? OPEN_END });
  return out;
}

/**
 * The stored period that answers a released period: a campaign day is its calendar day, a campaign week the ISO week
 * (Monday start) or the 7-day block of its alignment; null when that alignment is not kept from that day.
 */
export function storedKey(p: Period, cov?: Coverage): string | null {
  switch (p.type) {
    case 'campaign_day':
      return `day:${p.from}`;
    case 'campaign_week': {
      if (isoMonday(p.from) === p.from) return periodContaining('iso_week', p.from).key;
      const from = cov?.alignments.get(alignmentOf(p.from));
      return from !== undefined && from <= p.from ? `week7:${p.from}` : null;
    }
    default:
      return p.key;
  }
}

// ------------------------------------------------------------------------------------------------ deltas

export interface ContactFacts {
  clientId: string | null;
  at: Date | string;
  setting: string;
  hotspotId: string | null;
  needles: number;
  syringes: number;
  returned: number;
  hivTest: string;
  referralsMade: number;
  referralsCompleted: number;
}

export interface ClientDims {
  sex: string;
  birthYear: number | null;
}

const zero = (): Measures => ({ contacts: 0, anonymous_contacts: 0, needles: 0, syringes: 0, returned: 0, hiv_tests: 0, hiv_positive: 0, referrals_made: 0, referrals_completed: 0 });

async function upsertDaily(trx: Trx, table: DailyTable, rows: (Record<string, unknown> & Measures)[]) {
  if (!rows.length) return;
  const set = Object.fromEntries(MEASURE_COLUMNS.map((m) => [m, sql`${sql.ref(`${table}.${m}`)} + ${sql.ref(`excluded.${m}`)}`]));
  for (let k = 0; k < rows.length; k += 500) {
    await (trx as Kysely<any>)
      .insertInto(table)
      .values(rows.slice(k, k + 500))
      .onConflict((oc) => oc.columns([...DAILY[table]]).doUpdateSet(set))
      .execute();
  }
}
type Trx = Transaction<DB>;

/**
 * Add measures to the three daily summaries, keyed by each table's dimensions: one statement (the items as column
 * arrays, grouped and upserted into the three tables by data-modifying CTEs).
 */
async function addToDaily(trx: Trx, org: string, items: { day: string; setting: string; hotspotId: string; sex: string; ageBand: string; m: Measures }[]) {
  if (!items.length) return;
  const arr = <T>(f: (i: (typeof items)[number]) => T) => items.map(f);
  const sums = sql.raw(MEASURE_COLUMNS.map((c) => `sum(v.${c})::int`).join(', '));
  const cols = sql.raw(MEASURE_COLUMNS.join(', '));
  const set = (table: string) => sql.raw(MEASURE_COLUMNS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', '));
  const measures = sql.join(MEASURE_COLUMNS.map((c) => sql`${arr((i) => i.m[c])}::int[]`));
  await sql`
    with v as (
      select * from unnest(${arr((i) => i.day)}::date[], ${arr((i) => i.setting)}::text[], ${arr((i) => i.hotspotId)}::uuid[], ${arr((i) => i.sex)}::text[], ${arr((i) => i.ageBand)}::text[], ${measures})
        as v(day, setting, hotspot_id, sex, age_band, ${cols})),
    a as (
      insert into hr_contacts_daily (organisation_id, day, setting, sex, age_band, ${cols})
      select ${org}::uuid, v.day, v.setting, v.sex, v.age_band, ${sums} from v group by v.day, v.setting, v.sex, v.age_band
      on conflict (organisation_id, day, setting, sex, age_band) do update set ${set('hr_contacts_daily')}),
    b as (
      insert into hr_contacts_daily_hotspot (organisation_id, day, setting, hotspot_id, ${cols})
      select ${org}::uuid, v.day, v.setting, v.hotspot_id, ${sums} from v group by v.day, v.setting, v.hotspot_id
      on conflict (organisation_id, day, setting, hotspot_id) do update set ${set('hr_contacts_daily_hotspot')})
    insert into hr_contacts_daily_org (organisation_id, day, ${cols})
    select ${org}::uuid, v.day, ${sums} from v group by v.day
    on conflict (organisation_id, day) do update set ${set('hr_contacts_daily_org')}`.execute(trx);
}

type CountDelta = { period: string; sex: string; age_band: string; reached: number; new_clients: number; regular: number };

async function applyCounts(trx: Trx, org: string, deltas: CountDelta[]) {
  const acc = new Map<string, CountDelta>();
  for (const d of deltas) {
    const k = `${d.period}|${d.sex}|${d.age_band}`;
    const a = acc.get(k);
    if (a) {
      a.reached += d.reached;
      a.new_clients += d.new_clients;
      a.regular += d.regular;
    } else acc.set(k, { ...d });
  }
  const rows = [...acc.values()].filter((r) => r.reached || r.new_clients || r.regular).map((r) => ({ organisation_id: org, ...r }));
  for (let k = 0; k < rows.length; k += 1000) {
    await trx
      .insertInto('hr_period_counts')
      .values(rows.slice(k, k + 1000))
      .onConflict((oc) =>
        oc.columns(['organisation_id', 'period', 'sex', 'age_band']).doUpdateSet({
          reached: sql`hr_period_counts.reached + excluded.reached`,
          new_clients: sql`hr_period_counts.new_clients + excluded.new_clients`,
          regular: sql`hr_period_counts.regular + excluded.regular`,
        }),
      )
      .execute();
  }
  const down = rows.filter((r) => r.reached < 0);
  if (down.length) {
    await trx
      .deleteFrom('hr_period_counts')
      .where('organisation_id', '=', org)
      .where('reached', '=', 0)
      .where(
        'period',
        'in',
        [...new Set(down.map((r) => r.period))],
      )
      .execute();
  }
}

/** Recompute the new and regular flags of some clients' period rows; the counter deltas of those that changed. */
async function refreshFlags(trx: Trx, org: string, clientIds: readonly string[]): Promise<CountDelta[]> {
  if (!clientIds.length) return [];
  const ids = sql.join(clientIds.map((id) => sql`${id}::uuid`));
  const out: CountDelta[] = [];
  const fresh = await sql<{ period: string; sex: string; age_band: string; is_new: boolean }>`
    update hr_period_clients q set is_new = (s.first_on between q.p_from and q.p_to)
      from hr_client_span s
     where s.organisation_id = q.organisation_id and s.client_id = q.client_id
       and q.organisation_id = ${org} and q.client_id in (${ids})
       and q.is_new <> (s.first_on between q.p_from and q.p_to)
    returning q.period, q.sex, q.age_band, q.is_new`.execute(trx);
  for (const r of fresh.rows) out.push({ period: r.period, sex: r.sex, age_band: r.age_band, reached: 0, new_clients: r.is_new ? 1 : -1, regular: 0 });
  const regular = await sql<{ period: string; sex: string; age_band: string; regular: boolean }>`
    update hr_period_clients q set regular = x.reg
      from (select y.client_id, y.period,
                   (select count(*) from hr_period_clients m
                     where m.organisation_id = y.organisation_id and m.client_id = y.client_id
                       and m.period like 'month:%' and m.p_from between y.p_from and y.p_to)
                   = (case when y.period like 'year:%' then 12 else 3 end) as reg
              from hr_period_clients y
             where y.organisation_id = ${org} and y.client_id in (${ids})
               and (y.period like 'quarter:%' or y.period like 'year:%')) x
     where q.organisation_id = ${org} and q.client_id = x.client_id and q.period = x.period and q.regular <> x.reg
    returning q.period, q.sex, q.age_band, q.regular`.execute(trx);
  for (const r of regular.rows) out.push({ period: r.period, sex: r.sex, age_band: r.age_band, reached: 0, new_clients: 0, regular: r.regular ? 1 : -1 });
  return out;
}

/**
 * Insert client × period rows (ignoring those already there) and count the rows really inserted into the counters,
 * in one statement; returns the clients that got a new month row (their regular access may change).
 */
/** A client × period row to insert; `first_day` on campaign to date rows only (the day of contact, or the earliest). */
type PeriodRow = { client_id: string; period: string; p_from: string; p_to: string; sex: string; age_band: string; is_new: boolean; first_day: string | null };
const TO_DATE = 'campaign_to_date:';

async function insertPeriodRows(trx: Trx, org: string, rows: PeriodRow[]): Promise<{ months: Set<string> }> {
  const months = new Set<string>();
  // one statement per 5,000 rows, as column arrays (unnest): a few parameters instead of nine per row
  for (let k = 0; k < rows.length; k += 5000) {
    const part = rows.slice(k, k + 5000);
    const col = <T>(f: (r: (typeof rows)[number]) => T) => part.map(f);
    const inserted = await sql<{ client_id: string }>`
      with ins as (
        insert into hr_period_clients (organisation_id, client_id, period, p_from, p_to, sex, age_band, is_new, regular, first_day)
        select ${org}::uuid, u.client_id, u.period, u.p_from, u.p_to, u.sex, u.age_band, u.is_new, false, u.first_day
          from unnest(${col((r) => r.client_id)}::uuid[], ${col((r) => r.period)}::text[], ${col((r) => r.p_from)}::date[], ${col((r) => r.p_to)}::date[],
                      ${col((r) => r.sex)}::text[], ${col((r) => r.age_band)}::text[], ${col((r) => r.is_new)}::boolean[], ${col((r) => r.first_day)}::date[])
               as u(client_id, period, p_from, p_to, sex, age_band, is_new, first_day)
        on conflict do nothing
        returning client_id, period, sex, age_band, is_new),
      counted as (
        insert into hr_period_counts (organisation_id, period, sex, age_band, reached, new_clients, regular)
        select ${org}::uuid, period, sex, age_band, count(*), count(*) filter (where is_new), 0 from ins group by period, sex, age_band
        on conflict (organisation_id, period, sex, age_band) do update
          set reached = hr_period_counts.reached + excluded.reached, new_clients = hr_period_counts.new_clients + excluded.new_clients)
      select distinct client_id from ins where period like 'month:%'`.execute(trx);
    for (const r of inserted.rows) months.add(r.client_id);
  }
  // campaign to date rows already there: an earlier first day (late data, a merge) moves it back
  const early = rows.filter((r) => r.first_day !== null);
  for (let k = 0; k < early.length; k += 5000) {
    const part = early.slice(k, k + 5000);
    await sql`
      update hr_period_clients q set first_day = u.first_day
        from unnest(${part.map((r) => r.client_id)}::uuid[], ${part.map((r) => r.period)}::text[], ${part.map((r) => r.first_day)}::date[]) as u(client_id, period, first_day)
       where q.organisation_id = ${org}::uuid and q.client_id = u.client_id and q.period = u.period and q.first_day > u.first_day`.execute(trx);
  }
  return { months };
}

/**
 * Contacts newly stored (never a replay: the push writes only contacts it did not have), with the sex and birth
 * year of their clients (already resolved through merges).
 */
export async function contactsAdded(trx: Trx, org: string, contacts: readonly ContactFacts[], dims: ReadonlyMap<string, ClientDims>): Promise<void> {
  if (!contacts.length) return;
  const items = contacts.map((c) => {
    const day = dayOfInstant(c.at);
    const d = c.clientId ? dims.get(c.clientId) : undefined;
    if (c.clientId && !d) throw new Error(`contactsAdded: no dimensions for client ${c.clientId}`);
    const m = zero();
    if (c.clientId) m.contacts = 1;
    else m.anonymous_contacts = 1;
    m.needles = c.needles;
    m.syringes = c.syringes;
    m.returned = c.returned;
    m.hiv_tests = c.hivTest !== 'not_done' ? 1 : 0;
    m.hiv_positive = c.hivTest === 'positive' ? 1 : 0;
    m.referrals_made = c.referralsMade;
    m.referrals_completed = c.referralsCompleted;
    return {
      day,
      clientId: c.clientId,
      setting: c.setting,
      hotspotId: c.hotspotId ?? NIL_UUID,
      sex: d ? d.sex : 'anonymous',
      ageBand: d ? ageBand(d.birthYear, Number(day.slice(0, 4))) : 'anonymous',
      m,
    };
  });
  await addToDaily(trx, org, items);

  const withClient = items.filter((i) => i.clientId);
  if (!withClient.length) return;
  // distinct client × day × place, and first / last contact (the span's old first day read in the same statement:
  // a CTE sees the rows as they were before the statement)
  const batch = new Map<string, { first: string; last: string }>();
  for (const i of withClient) {
    const b = batch.get(i.clientId!);
    if (!b) batch.set(i.clientId!, { first: i.day, last: i.day });
    else {
      if (i.day < b.first) b.first = i.day;
      if (i.day > b.last) b.last = i.day;
    }
  }
  const ids = [...batch.keys()];
  const spans = [...batch.values()];
  const old = new Map<string, string>();
  const oldRows = await sql<{ client_id: string; first_on: string }>`
    with cd as (
      insert into hr_client_days (organisation_id, day, client_id, setting, hotspot_id)
      select distinct ${org}::uuid, u.day, u.client_id, u.setting, u.hotspot_id
        from unnest(${withClient.map((i) => i.day)}::date[], ${withClient.map((i) => i.clientId)}::uuid[], ${withClient.map((i) => i.setting)}::text[], ${withClient.map((i) => i.hotspotId)}::uuid[])
             as u(day, client_id, setting, hotspot_id)
      on conflict do nothing),
    b as (select * from unnest(${ids}::uuid[], ${spans.map((x) => x.first)}::date[], ${spans.map((x) => x.last)}::date[]) as b(client_id, first_on, last_on)),
    old as (select s.client_id, s.first_on::text as first_on from hr_client_span s join b on b.client_id = s.client_id where s.organisation_id = ${org}),
    up as (
      insert into hr_client_span (organisation_id, client_id, first_on, last_on)
      select ${org}::uuid, b.client_id, b.first_on, b.last_on from b
      on conflict (organisation_id, client_id) do update set first_on = least(hr_client_span.first_on, excluded.first_on), last_on = greatest(hr_client_span.last_on, excluded.last_on))
    select client_id, first_on from old`.execute(trx);
  for (const r of oldRows.rows) old.set(r.client_id, String(r.first_on).slice(0, 10));
  const firstOf = (id: string) => {
    const o = old.get(id);
    const b = batch.get(id)!.first;
    return o !== undefined && o < b ? o : b;
  };
  const firstMoved = ids.filter((id) => old.has(id) && batch.get(id)!.first < old.get(id)!);

  // candidate period rows
  const cov = await coverage(trx);
  const perDay = new Map<string, StoredPeriod[]>();
  const rows = new Map<string, PeriodRow>();
  for (const i of withClient) {
    if (!perDay.has(i.day)) perDay.set(i.day, periodsOfDay(i.day, cov));
    const d = dims.get(i.clientId!)!;
    const f = firstOf(i.clientId!);
    for (const p of perDay.get(i.day)!) {
      const k = `${i.clientId}|${p.key}`;
      const had = rows.get(k);
      if (had) {
        if (had.first_day !== null && i.day < had.first_day) had.first_day = i.day;
        continue;
      }
      rows.set(k, {
        client_id: i.clientId!,
        period: p.key,
        p_from: p.from,
        p_to: p.to,
        sex: d.sex,
        age_band: ageBand(d.birthYear, Number(p.from.slice(0, 4))),
        is_new: f >= p.from && f <= p.to,
        first_day: p.key.startsWith(TO_DATE) ? i.day : null,
      });
    }
  }
  const { months } = await insertPeriodRows(trx, org, [...rows.values()]);
  const refresh = [...new Set([...firstMoved, ...months])];
  if (refresh.length) await applyCounts(trx, org, await refreshFlags(trx, org, refresh));
}

/** Referral outcomes changed on referrals already stored: move their completed count (same transaction). */
export async function referralOutcomesChanged(trx: Trx, org: string, changes: readonly { id: string; before: string; after: string }[]): Promise<void> {
  const moved = changes.filter((c) => (c.before === 'completed') !== (c.after === 'completed'));
  if (!moved.length) return;
  const sign = new Map(moved.map((c) => [c.id, c.after === 'completed' ? 1 : -1]));
  const rows = await trx
    .selectFrom('outreach_referrals as r')
    .innerJoin('outreach_contacts as c', (j) => j.onRef('c.organisation_id', '=', 'r.organisation_id').onRef('c.id', '=', 'r.contact_id'))
    .leftJoin('outreach_clients as cl', (j) => j.onRef('cl.organisation_id', '=', 'c.organisation_id').onRef('cl.id', '=', 'c.client_id'))
    .select(['r.id', 'c.at', 'c.setting', 'c.hotspot_id', 'c.client_id', 'cl.sex', 'cl.birth_year'])
    .where('r.organisation_id', '=', org)
    .where('r.id', 'in', [...sign.keys()])
    .execute();
  await addToDaily(
    trx,
    org,
    rows.map((r) => {
      const day = dayOfInstant(r.at);
      const m = zero();
      m.referrals_completed = sign.get(r.id)!;
      return {
        day,
        setting: r.setting,
        hotspotId: r.hotspot_id ?? NIL_UUID,
        sex: r.client_id ? r.sex! : 'anonymous',
        ageBand: r.client_id ? ageBand(r.birth_year ?? null, Number(day.slice(0, 4))) : 'anonymous',
        m,
      };
    }),
  );
}

/**
 * Client b is merged into a: call BEFORE b's contacts are moved to a (it reads them under b). a's figures then hold
 * b's contacts as a's: one client where both were reached.
 */
export async function clientMerged(trx: Trx, org: string, a: string, b: string): Promise<void> {
  const dims = await trx.selectFrom('outreach_clients').select(['id', 'sex', 'birth_year']).where('organisation_id', '=', org).where('id', 'in', [a, b]).execute();
  const da = dims.find((d) => d.id === a)!;
  const db_ = dims.find((d) => d.id === b)!;
  // daily: b's contacts leave b's sex and age, arrive under a's (only hr_contacts_daily has them)
  const byDay = await sql<{ day: string; setting: string; n: number; needles: number; syringes: number; returned: number; tests: number; positive: number; made: number; done: number }>`
    select ((c.at at time zone 'UTC') + interval '7 hours')::date as day, c.setting, count(*)::int as n,
           sum(c.needles_total)::int as needles, sum(c.syringes_total)::int as syringes, sum(c.returned)::int as returned,
           (count(*) filter (where c.hiv_test <> 'not_done'))::int as tests, (count(*) filter (where c.hiv_test = 'positive'))::int as positive,
           coalesce(sum(r.made), 0)::int as made, coalesce(sum(r.done), 0)::int as done
      from outreach_contacts c
      left join (select contact_id, count(*) as made, count(*) filter (where outcome = 'completed') as done
                   from outreach_referrals
                  where organisation_id = ${org} and contact_id in (select id from outreach_contacts where organisation_id = ${org} and client_id = ${b})
                  group by contact_id) r on r.contact_id = c.id
     where c.organisation_id = ${org} and c.client_id = ${b}
     group by 1, 2`.execute(trx);
  const rows: { organisation_id: string; day: string; setting: string; sex: string; age_band: string }[] = [];
  const values: (Record<string, unknown> & Measures)[] = [];
  for (const r of byDay.rows) {
    const m: Measures = { contacts: r.n, anonymous_contacts: 0, needles: r.needles, syringes: r.syringes, returned: r.returned, hiv_tests: r.tests, hiv_positive: r.positive, referrals_made: r.made, referrals_completed: r.done };
    const y = Number(String(r.day).slice(0, 4));
    const from = { organisation_id: org, day: r.day, setting: r.setting, sex: db_.sex, age_band: ageBand(db_.birth_year, y) };
    const to = { organisation_id: org, day: r.day, setting: r.setting, sex: da.sex, age_band: ageBand(da.birth_year, y) };
    if (from.sex === to.sex && from.age_band === to.age_band) continue;
    values.push({ ...from, ...(Object.fromEntries(MEASURE_COLUMNS.map((c) => [c, -m[c]])) as Measures) }, { ...to, ...m });
    rows.push(from);
  }
  if (values.length) {
    // apply the negatives and positives as separate upserts (the same key can appear once per statement)
    const neg = values.filter((_, i) => i % 2 === 0);
    const pos = values.filter((_, i) => i % 2 === 1);
    await upsertDaily(trx, 'hr_contacts_daily', neg);
    await upsertDaily(trx, 'hr_contacts_daily', pos);
    await trx
      .deleteFrom('hr_contacts_daily')
      .where('organisation_id', '=', org)
      .where((eb) => eb.and(MEASURE_COLUMNS.map((c) => eb(c, '=', 0))))
      .where(
        'day',
        'in',
        [...new Set(rows.map((r) => r.day))],
      )
      .execute();
  }

  // client-days and span
  await sql`insert into hr_client_days (organisation_id, day, client_id, setting, hotspot_id)
            select organisation_id, day, ${a}::uuid, setting, hotspot_id from hr_client_days where organisation_id = ${org} and client_id = ${b}
            on conflict do nothing`.execute(trx);
  await trx.deleteFrom('hr_client_days').where('organisation_id', '=', org).where('client_id', '=', b).execute();
  const spanB = await trx.deleteFrom('hr_client_span').where('organisation_id', '=', org).where('client_id', '=', b).returning(['first_on', 'last_on']).executeTakeFirst();
  if (spanB) {
    await trx
      .insertInto('hr_client_span')
      .values({ organisation_id: org, client_id: a, first_on: spanB.first_on, last_on: spanB.last_on })
      .onConflict((oc) =>
        oc.columns(['organisation_id', 'client_id']).doUpdateSet({ first_on: sql`least(hr_client_span.first_on, excluded.first_on)`, last_on: sql`greatest(hr_client_span.last_on, excluded.last_on)` }),
      )
      .execute();
  }

  // period rows: b's leave, a's arrive where a was not reached yet
  const gone = await trx.deleteFrom('hr_period_clients').where('organisation_id', '=', org).where('client_id', '=', b).returning(['period', 'p_from', 'p_to', 'sex', 'age_band', 'is_new', 'regular', 'first_day']).execute();
  const deltas: CountDelta[] = gone.map((r) => ({ period: r.period, sex: r.sex, age_band: r.age_band, reached: -1, new_clients: r.is_new ? -1 : 0, regular: r.regular ? -1 : 0 }));
  await applyCounts(trx, org, deltas);
  await insertPeriodRows(
    trx,
    org,
    gone.map((r) => ({ client_id: a, period: r.period, p_from: r.p_from, p_to: r.p_to, sex: da.sex, age_band: ageBand(da.birth_year, Number(r.p_from.slice(0, 4))), is_new: false, first_day: r.first_day })),
  );
  await trx.deleteFrom('hr_period_counts').where('organisation_id', '=', org).where('reached', '=', 0).execute();
  await applyCounts(trx, org, await refreshFlags(trx, org, [a]));
}

// ------------------------------------------------------------------------------------------------ campaigns

const CHUNK_DAYS = 366;

/**
 * A campaign created or changed (call in its transaction): keep its week alignment from its start, and refill its
 * "to date" rows for its span. Bounded by the client-days of the span; long fills report progress.
 */
export async function campaignSaved(trx: Trx, c: { id: string; startDate: string; endDate: string | null }, progress: (msg: string) => void = () => {}): Promise<void> {
  await sql`select pg_advisory_xact_lock(${OUTREACH_LOCK})`.execute(trx);
  const t = TABLES;
  const k = alignmentOf(c.startDate);
  if (k !== 0) {
    const have = await trx.selectFrom('hr_week_alignments').select('from_date').where('alignment', '=', k).executeTakeFirst();
    if (!have || have.from_date > c.startDate) {
      const until = have ? addDays(have.from_date, -1) : OPEN_END;
      await fillRange(trx, t, { kind: 'week7', anchor: c.startDate }, c.startDate, until, progress);
      await trx
        .insertInto('hr_week_alignments')
        .values({ alignment: k, from_date: c.startDate })
        .onConflict((oc) => oc.column('alignment').doUpdateSet({ from_date: c.startDate }))
        .execute();
    }
  }
  await trimAlignments(trx);
  const span = await trx.selectFrom('hr_campaign_spans').selectAll().where('campaign_id', '=', c.id).executeTakeFirst();
  if (span && span.start_date === c.startDate && span.end_date === c.endDate) return;
  const key = `campaign_to_date:${c.id}`;
  await trx.deleteFrom('hr_period_clients').where('period', '=', key).execute();
  await trx.deleteFrom('hr_period_counts').where('period', '=', key).execute();
  await fillRange(trx, t, { kind: 'to_date', campaign: { id: c.id, start: c.startDate, end: c.endDate } }, c.startDate, c.endDate ?? OPEN_END, progress);
  await trx
    .insertInto('hr_campaign_spans')
    .values({ campaign_id: c.id, start_date: c.startDate, end_date: c.endDate })
    .onConflict((oc) => oc.column('campaign_id').doUpdateSet({ start_date: c.startDate, end_date: c.endDate }))
    .execute();
}

/**
 * Keep each alignment only from the earliest start of the campaigns that need it (a campaign moved later, or to
 * another weekday, leaves no rows behind): the kept rows are then exactly a rebuild's.
 */
async function trimAlignments(trx: Trx): Promise<void> {
  const need = await coverageOfCampaigns(trx);
  const kept = await coverage(trx);
  for (const [k, from] of kept.alignments) {
    const keep = need.alignments.get(k);
    if (keep !== undefined && keep <= from) continue;
    const until = keep ?? OPEN_END;
    const inAlignment = sql`period like 'week7:%' and substring(period from 7)::date >= ${from}::date and substring(period from 7)::date < ${until}::date
      and (substring(period from 7)::date - ${from}::date) % 7 = 0`;
    await sql`delete from hr_period_clients where ${inAlignment}`.execute(trx);
    await sql`delete from hr_period_counts where ${inAlignment}`.execute(trx);
    if (keep === undefined) await trx.deleteFrom('hr_week_alignments').where('alignment', '=', k).execute();
    else await trx.updateTable('hr_week_alignments').set({ from_date: keep }).where('alignment', '=', k).execute();
  }
}

// ------------------------------------------------------------------------------------------------ rebuild, verify

interface TableNames {
  daily: string;
  hotspot: string;
  org: string;
  clientDays: string;
  span: string;
  periodClients: string;
  periodCounts: string;
}
const TABLES: TableNames = {
  daily: 'hr_contacts_daily',
  hotspot: 'hr_contacts_daily_hotspot',
  org: 'hr_contacts_daily_org',
  clientDays: 'hr_client_days',
  span: 'hr_client_span',
  periodClients: 'hr_period_clients',
  periodCounts: 'hr_period_counts',
};
const tbl = (n: string) => sql.table(n);

type PeriodSql = { key: RawBuilder<string>; from: RawBuilder<string>; to: RawBuilder<string> };
type FillKind = { kind: 'calendar'; type: PeriodType } | { kind: 'week7'; anchor: string } | { kind: 'to_date'; campaign: { id: string; start: string; end: string | null } };

function periodSql(f: FillKind): PeriodSql {
  const d = sql`d.day`;
  if (f.kind === 'week7') {
    const start = sql<string>`(d.day - ((d.day - ${f.anchor}::date) % 7))`;
    return { key: sql<string>`'week7:' || to_char(${start}, 'YYYY-MM-DD')`, from: start, to: sql<string>`(${start} + 6)` };
  }
  if (f.kind === 'to_date') return { key: sql<string>`${`campaign_to_date:${f.campaign.id}`}::text`, from: sql<string>`${f.campaign.start}::date`, to: sql<string>`${f.campaign.end ?? OPEN_END}::date` };
  switch (f.type) {
    case 'day':
      return { key: sql<string>`'day:' || to_char(${d}, 'YYYY-MM-DD')`, from: sql<string>`${d}`, to: sql<string>`${d}` };
    case 'iso_week':
      return { key: sql<string>`'iso_week:' || to_char(${d}, 'IYYY-"W"IW')`, from: sql<string>`date_trunc('week', ${d})::date`, to: sql<string>`(date_trunc('week', ${d})::date + 6)` };
    case 'month':
      return { key: sql<string>`'month:' || to_char(${d}, 'YYYY-MM')`, from: sql<string>`date_trunc('month', ${d})::date`, to: sql<string>`(date_trunc('month', ${d}) + interval '1 month' - interval '1 day')::date` };
    case 'quarter':
      return { key: sql<string>`'quarter:' || to_char(${d}, 'YYYY-"Q"Q')`, from: sql<string>`date_trunc('quarter', ${d})::date`, to: sql<string>`(date_trunc('quarter', ${d}) + interval '3 months' - interval '1 day')::date` };
    case 'year':
      return { key: sql<string>`'year:' || to_char(${d}, 'YYYY')`, from: sql<string>`date_trunc('year', ${d})::date`, to: sql<string>`(date_trunc('year', ${d}) + interval '1 year' - interval '1 day')::date` };
    default:
      throw new Error(`periodSql: ${f.type} is not stored`);
  }
}

const ageSql = (birthYear: RawBuilder<unknown>, year: RawBuilder<unknown>) =>
  sql<string>`case when ${birthYear} is null then 'unknown' when extract(year from ${year})::int - ${birthYear} < 25 then '<25' else '25+' end`;

/** Period rows (and their counters) of one kind for the client-days in [from, to], into the tables t. */
async function fillRange(trx: Exec, t: TableNames, f: FillKind, from: string, to: string, progress: (msg: string) => void = () => {}) {
  const p = periodSql(f);
  // the migration that made these tables fills them with this code before first_day exists (20261203190000)
  const withFirstDay = (await sql<{ n: number }>`select count(*)::int as n from information_schema.columns where table_name = 'hr_period_clients' and column_name = 'first_day'`.execute(trx)).rows[0].n > 0;
  const last = to > todayPlusYear() ? todayPlusYear() : to;
  const days = daysBetween(from, last) + 1;
  for (let start = from, i = 0; start <= last; start = addDays(start, CHUNK_DAYS), i++) {
    const end = addDays(start, CHUNK_DAYS - 1) < last ? addDays(start, CHUNK_DAYS - 1) : last;
    if (days > CHUNK_DAYS) progress(`harm reduction: ${f.kind === 'calendar' ? f.type : f.kind} ${start} … ${end}`);
    // chunks are whole periods for week7 (chunks of 366 days are not multiples of 7: rows straddling are kept once by the
    // key); chunks go forward in time, so the row a client keeps has its first day of the period (campaign to date)
    const firstDay = f.kind === 'to_date' ? sql`x.first_day` : sql`null::date`;
    await sql`
      insert into ${tbl(t.periodClients)} (organisation_id, client_id, period, p_from, p_to, sex, age_band, is_new, regular${withFirstDay ? sql`, first_day` : sql``})
      select x.organisation_id, x.client_id, x.period, x.p_from, x.p_to, cl.sex, ${ageSql(sql`cl.birth_year`, sql`x.p_from`)},
             s.first_on between x.p_from and x.p_to, false${withFirstDay ? sql`, ${firstDay}` : sql``}
        from (select d.organisation_id, d.client_id, ${p.key} as period, ${p.from} as p_from, ${p.to} as p_to, min(d.day) as first_day
                from ${tbl(t.clientDays)} d where d.day between ${start}::date and ${end}::date group by 1, 2, 3, 4, 5) x
        join outreach_clients cl on cl.organisation_id = x.organisation_id and cl.id = x.client_id
        join ${tbl(t.span)} s on s.organisation_id = x.organisation_id and s.client_id = x.client_id
      on conflict do nothing`.execute(trx);
  }
  // counters of the periods filled (none of them had counters before the fill)
  const keyFilter =
    f.kind === 'to_date' ? sql`period = ${`campaign_to_date:${f.campaign.id}`}` : f.kind === 'week7' ? sql`period >= ${`week7:${from}`} and period <= ${`week7:${last}`}` : sql`period like ${`${f.type}:%`}`;
  if (f.kind !== 'calendar') {
    // a 7-day block straddling the end of the range may have had counters (from pushes): recount those keys whole
    await sql`delete from ${tbl(t.periodCounts)} where ${keyFilter}`.execute(trx);
    await sql`
      insert into ${tbl(t.periodCounts)} (organisation_id, period, sex, age_band, reached, new_clients, regular)
      select organisation_id, period, sex, age_band, count(*), count(*) filter (where is_new), count(*) filter (where regular)
        from ${tbl(t.periodClients)} where ${keyFilter} group by 1, 2, 3, 4`.execute(trx);
  }
}

function todayPlusYear() {
  return addDays(todayInCambodia(), 366);
}

const dayOfContact = sql<string>`((c.at at time zone 'UTC') + interval '7 hours')::date`;

async function fillDaily(trx: Exec, t: TableNames) {
  const sums = sql`count(c.client_id), count(*) - count(c.client_id), coalesce(sum(c.needles_total), 0), coalesce(sum(c.syringes_total), 0), coalesce(sum(c.returned), 0),
    count(*) filter (where c.hiv_test <> 'not_done'), count(*) filter (where c.hiv_test = 'positive'), coalesce(sum(r.made), 0), coalesce(sum(r.done), 0)`;
  const cols = sql.raw(MEASURE_COLUMNS.join(', '));
  const from = sql`from outreach_contacts c
    left join outreach_clients cl on cl.organisation_id = c.organisation_id and cl.id = c.client_id
    left join (select organisation_id, contact_id, count(*) as made, count(*) filter (where outcome = 'completed') as done
                 from outreach_referrals group by 1, 2) r on r.organisation_id = c.organisation_id and r.contact_id = c.id`;
  await sql`insert into ${tbl(t.daily)} (organisation_id, day, setting, sex, age_band, ${cols})
    select c.organisation_id, ${dayOfContact}, c.setting, coalesce(cl.sex, 'anonymous'),
           case when c.client_id is null then 'anonymous' else ${ageSql(sql`cl.birth_year`, dayOfContact)} end, ${sums}
    ${from} group by 1, 2, 3, 4, 5`.execute(trx);
  await sql`insert into ${tbl(t.hotspot)} (organisation_id, day, setting, hotspot_id, ${cols})
    select c.organisation_id, ${dayOfContact}, c.setting, coalesce(c.hotspot_id, ${NIL_UUID}::uuid), ${sums}
    ${from} group by 1, 2, 3, 4`.execute(trx);
  await sql`insert into ${tbl(t.org)} (organisation_id, day, ${cols})
    select c.organisation_id, ${dayOfContact}, ${sums} ${from} group by 1, 2`.execute(trx);
  await sql`insert into ${tbl(t.clientDays)} (organisation_id, day, client_id, setting, hotspot_id)
    select distinct c.organisation_id, ${dayOfContact}, c.client_id, c.setting, coalesce(c.hotspot_id, ${NIL_UUID}::uuid)
      from outreach_contacts c where c.client_id is not null`.execute(trx);
  await sql`insert into ${tbl(t.span)} (organisation_id, client_id, first_on, last_on)
    select organisation_id, client_id, min(day), max(day) from ${tbl(t.clientDays)} group by 1, 2`.execute(trx);
}

async function fillAll(trx: Exec, t: TableNames, cov: Coverage, progress: (msg: string) => void = () => {}) {
  await fillDaily(trx, t);
  const first = await sql<{ d: string | null }>`select min(day)::text as d from ${tbl(t.clientDays)}`.execute(trx);
  const lastRow = await sql<{ d: string | null }>`select max(day)::text as d from ${tbl(t.clientDays)}`.execute(trx);
  const lo = first.rows[0]?.d;
  const hi = lastRow.rows[0]?.d;
  if (lo && hi) {
    for (const type of ['day', 'iso_week', 'month', 'quarter', 'year'] as const) {
      progress(`harm reduction: ${type}`);
      await fillRange(trx, t, { kind: 'calendar', type }, lo, hi);
    }
    for (const [, anchor] of cov.alignments) if (anchor <= hi) await fillRange(trx, t, { kind: 'week7', anchor }, anchor, hi, progress);
    for (const c of cov.campaigns) if (c.start <= hi) await fillRange(trx, t, { kind: 'to_date', campaign: c }, c.start, c.end ?? hi, progress);
    // regular access: a contact in every month of the quarter / year
    for (const [type, months] of [
      ['quarter', 3],
      ['year', 12],
    ] as const) {
      const key = type === 'quarter' ? sql`'quarter:' || to_char(p_from, 'YYYY-"Q"Q')` : sql`'year:' || to_char(p_from, 'YYYY')`;
      await sql`update ${tbl(t.periodClients)} q set regular = true
        from (select organisation_id, client_id, ${key} as k from ${tbl(t.periodClients)} where period like 'month:%' group by 1, 2, 3 having count(*) = ${months}) m
       where q.organisation_id = m.organisation_id and q.client_id = m.client_id and q.period = m.k`.execute(trx);
    }
  }
  await sql`delete from ${tbl(t.periodCounts)}`.execute(trx);
  await sql`insert into ${tbl(t.periodCounts)} (organisation_id, period, sex, age_band, reached, new_clients, regular)
    select organisation_id, period, sex, age_band, count(*), count(*) filter (where is_new), count(*) filter (where regular)
      from ${tbl(t.periodClients)} group by 1, 2, 3, 4`.execute(trx);
}

/** The coverage the campaigns need: each campaign's span, each alignment from its earliest campaign start. */
async function coverageOfCampaigns(trx: Exec): Promise<Coverage> {
  const cs = await trx.selectFrom('campaigns').select(['id', 'start_date', 'end_date']).execute();
  const alignments = new Map<number, string>();
  for (const c of cs) {
    const k = alignmentOf(c.start_date);
    if (k !== 0 && (!alignments.has(k) || alignments.get(k)! > c.start_date)) alignments.set(k, c.start_date);
  }
  return { alignments, campaigns: cs.map((c) => ({ id: c.id, start: c.start_date, end: c.end_date })) };
}

/** Recompute every harm-reduction summary from the base tables, in the caller's transaction. */
export async function rebuildHarmReduction(trx: Exec, progress: (msg: string) => void = () => {}): Promise<void> {
  await sql`select pg_advisory_xact_lock(${OUTREACH_LOCK})`.execute(trx);
  for (const n of Object.values(TABLES)) await sql`delete from ${tbl(n)}`.execute(trx);
  // the counters' triggers took away what they held; whatever is left in the margins did not come from them (the
  // table is not there yet when the migration that made the counters fills them: its own migration sums them after)
  const margins = await sql<{ t: string | null }>`select to_regclass('hr_period_margins')::text as t`.execute(trx);
  if (margins.rows[0].t) await trx.deleteFrom('hr_period_margins').execute();
  await trx.deleteFrom('hr_week_alignments').execute();
  await trx.deleteFrom('hr_campaign_spans').execute();
  const cov = await coverageOfCampaigns(trx);
  for (const [alignment, from_date] of cov.alignments) await trx.insertInto('hr_week_alignments').values({ alignment, from_date }).execute();
  for (const c of cov.campaigns) await trx.insertInto('hr_campaign_spans').values({ campaign_id: c.id, start_date: c.start, end_date: c.end }).execute();
  await fillAll(trx, TABLES, cov, progress);
  // every period's figures may have changed: new versions for all (the refilled ones have theirs from the triggers)
  const versions = await sql<{ t: string | null }>`select to_regclass('hr_period_versions')::text as t`.execute(trx);
  if (versions.rows[0].t) await sql`update hr_period_versions set version = gen_random_uuid()`.execute(trx);
}

const COMPARE: { name: keyof TableNames; cols: string; zero?: string }[] = [
  { name: 'daily', cols: `organisation_id, day, setting, sex, age_band, ${MEASURE_COLUMNS.join(', ')}` },
  { name: 'hotspot', cols: `organisation_id, day, setting, hotspot_id, ${MEASURE_COLUMNS.join(', ')}` },
  { name: 'org', cols: `organisation_id, day, ${MEASURE_COLUMNS.join(', ')}` },
  { name: 'clientDays', cols: 'organisation_id, day, client_id, setting, hotspot_id' },
  { name: 'span', cols: 'organisation_id, client_id, first_on, last_on' },
  { name: 'periodClients', cols: 'organisation_id, client_id, period, p_from, p_to, sex, age_band, is_new, regular, first_day' },
  { name: 'periodCounts', cols: 'organisation_id, period, sex, age_band, reached, new_clients, regular' },
];

/** Compare the summaries with a recomputation from the base tables (under the coverage kept); first difference. */
export async function verifyHarmReduction(db: Database): Promise<VerifyResult> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${OUTREACH_LOCK})`.execute(trx);
    // coverage: every campaign's span recorded as it is, every alignment kept from its campaigns' starts
    const need = await coverageOfCampaigns(trx);
    const cov = await coverage(trx);
    for (const c of need.campaigns) {
      const have = cov.campaigns.find((x) => x.id === c.id);
      if (!have || have.start !== c.start || have.end !== c.end) return { ok: false as const, difference: `hr_campaign_spans: campaign ${c.id} is kept for ${have ? `${have.start} … ${have.end ?? 'open'}` : 'nothing'}, not ${c.start} … ${c.end ?? 'open'}` };
    }
    for (const [k, from] of need.alignments) {
      const have = cov.alignments.get(k);
      if (have !== from) return { ok: false as const, difference: `hr_week_alignments: alignment ${k} is kept from ${have ?? 'never'}, its earliest campaign starts ${from}` };
    }
    for (const [k, from] of cov.alignments) if (!need.alignments.has(k)) return { ok: false as const, difference: `hr_week_alignments: alignment ${k} is kept from ${from}, no campaign needs it` };
    if (cov.campaigns.length !== need.campaigns.length) return { ok: false as const, difference: `hr_campaign_spans: ${cov.campaigns.length} campaigns kept, ${need.campaigns.length} exist` };
    const temp: TableNames = { daily: 'v_hr_daily', hotspot: 'v_hr_hotspot', org: 'v_hr_org', clientDays: 'v_hr_client_days', span: 'v_hr_span', periodClients: 'v_hr_period_clients', periodCounts: 'v_hr_period_counts' };
    for (const k of Object.keys(TABLES) as (keyof TableNames)[]) await sql`create temp table ${tbl(temp[k])} (like ${tbl(TABLES[k])} including all) on commit drop`.execute(trx);
    await fillAll(trx, temp, { alignments: cov.alignments, campaigns: cov.campaigns.filter((c) => need.campaigns.some((x) => x.id === c.id)) });
    let checked = 0;
    for (const c of COMPARE) {
      const cols = sql.raw(c.cols);
      const kept = tbl(TABLES[c.name]);
      const want = tbl(temp[c.name]);
      const extra = await sql<Record<string, unknown>>`select ${cols} from ${kept} except select ${cols} from ${want} limit 1`.execute(trx);
      if (extra.rows.length) return { ok: false as const, difference: `${TABLES[c.name]}: kept ${JSON.stringify(extra.rows[0])}, which the records do not give` };
      const missing = await sql<Record<string, unknown>>`select ${cols} from ${want} except select ${cols} from ${kept} limit 1`.execute(trx);
      if (missing.rows.length) return { ok: false as const, difference: `${TABLES[c.name]}: the records give ${JSON.stringify(missing.rows[0])}, which is not kept` };
      checked += Number((await sql<{ n: number }>`select count(*)::int as n from ${kept}`.execute(trx)).rows[0].n);
    }
    // the margins, against the counters just checked summed again (by the statement the triggers add)
    const want = sql`select m.* from (select array_agg(c) as d from hr_period_counts c) a cross join lateral hr_period_margins_of(a.d) m`;
    const marginCols = sql`period, dim, value, reached, new_clients, regular`;
    const extra = await sql<Record<string, unknown>>`select ${marginCols} from hr_period_margins except select ${marginCols} from (${want}) w limit 1`.execute(trx);
    if (extra.rows.length) return { ok: false as const, difference: `hr_period_margins: kept ${JSON.stringify(extra.rows[0])}, which the counters do not give` };
    const missing = await sql<Record<string, unknown>>`select ${marginCols} from (${want}) w except select ${marginCols} from hr_period_margins limit 1`.execute(trx);
    if (missing.rows.length) return { ok: false as const, difference: `hr_period_margins: the counters give ${JSON.stringify(missing.rows[0])}, which is not kept` };
    checked += Number((await sql<{ n: number }>`select count(*)::int as n from hr_period_margins`.execute(trx)).rows[0].n);
    return { ok: true as const, checked };
  });
}

export const harmReductionAggregates: AggregateMaintainer = {
  name: 'harm reduction',
  rebuild: (db) => db.transaction().execute((trx) => rebuildHarmReduction(trx, (m) => process.stderr.write(`${m}\n`))),
  verify: (db) => verifyHarmReduction(db),
};

// ------------------------------------------------------------------------------------------------ counts

type CountsRow = { period: string; province: string; provider: string; sex: string; age: string; reached: number; fresh: number; regular: number };
type SumEntry = { values: string[]; reached: number; fresh: number; regular: number };
const DIMENSIONS = ['province', 'provider', 'sex', 'age'] as const;
const VALUE: Record<string, (r: CountsRow) => number> = {
  hr_clients_reached: (r) => r.reached,
  hr_new_clients: (r) => r.fresh,
  hr_returning_clients: (r) => r.reached - r.fresh,
  hr_regular_access: (r) => r.regular,
};

/**
 * Exact counts of people per released period, summed in the database: a release tells the source every count it
 * will ask (`prefetch`). Totals and one-way splits come from `hr_period_margins` (the counters already summed over
 * organisations, about 34 rows a period, kept by triggers: migration 20261203100000_hr_period_margins), two-way
 * splits (months, quarters, years) from `hr_period_counts` in one GROUPING SETS query — where the counters are one
 * row per organisation, sex and age band of every period (about 88,000 rows for the weeks of a campaign running
 * five years). `counts()` then picks its sums; asked without a prefetch, it makes its own.
 */
/**
 * What this server process keeps of the sums it has read: by stored period and set of dimensions (`<key>|<dims>`),
 * with the period's version when they were read (`hr_period_versions`, migration 20261203180000). Kept only while
 * the version is the same: a record saved changes the version of every period it counts in, so it is in the next
 * answer; what is kept saves reading a long campaign's closed weeks again. Bounded (least recently used out first):
 * memory stays flat whatever is asked.
 */
const KEPT_ENTRIES = 200_000;
const kept = new Map<string, { version: string; sums: Map<number, SumEntry> }>();
let keptEntries = 0;
function keptSums(k: string, version: string | undefined): Map<number, SumEntry> | undefined {
  const e = version === undefined ? undefined : kept.get(k);
  if (!e || e.version !== version) return undefined;
  kept.delete(k);
  kept.set(k, e); // most recently used last
  return e.sums;
}
function keepSums(k: string, version: string | undefined, sums: Map<number, SumEntry>) {
  if (version === undefined) return;
  const had = kept.get(k);
  if (had) {
    keptEntries -= had.sums.size + 1;
    kept.delete(k);
  }
  kept.set(k, { version, sums });
  keptEntries += sums.size + 1;
  for (const [old, e] of kept) {
    if (keptEntries <= KEPT_ENTRIES) break;
    kept.delete(old);
    keptEntries -= e.sums.size + 1;
  }
}
/** Forget every kept sum (the benchmark's "nothing kept", as after a start). */
export function forgetSums(): void {
  kept.clear();
  keptEntries = 0;
}
/** The number of each dimension's values in the kept sums' keys (a few dozen values in all). */
const CODES: Map<string, number>[] = DIMENSIONS.map(() => new Map());

export class HarmReductionCountSource implements CountSource {
  private cov?: Coverage;
  /** `keep` false: read everything from the database and give no versions (what the tests compare the kept answers with). */
  constructor(
    private db: Database,
    private keep = true,
  ) {}

  readonly scope = 'harm_reduction';
  /** The stored key of each period asked (periods repeat across the queries of one release). */
  private stored = new Map<string, string>();
  /** The sums of each stored period by each set of dimensions (`<key>|<dims>`), keyed by the values' numbers. */
  private sums = new Map<string, Map<number, SumEntry>>();
  /** The version of each stored period, read once in a request (absent: nothing counted yet). */
  private version = new Map<string, string | undefined>();

  private async versionsOf(keys: readonly string[]): Promise<void> {
    const missing = [...new Set(keys.filter((k) => !this.version.has(k)))];
    for (let i = 0; i < missing.length; i += 1000) {
      const part = missing.slice(i, i + 1000);
      for (const k of part) this.version.set(k, undefined);
      const rows = await this.db.selectFrom('hr_period_versions').select(['period', sql<string>`version::text`.as('version')]).where('period', 'in', part).execute();
      for (const r of rows) this.version.set(r.period, r.version);
    }
  }

  /**
   * The version of each period's figures (undefined where none can be given): what a release keeps a cell's
   * decision by. Campaign to date has none: its figures also depend on the days after the period (`lateClients`).
   */
  async versions(periods: readonly Period[]): Promise<(string | undefined)[]> {
    if (!this.keep) return periods.map(() => undefined);
    if (periods.some((p) => p.type === 'campaign_week')) this.cov ??= await coverage(this.db);
    const keys = periods.map((p) => (p.type === 'campaign_to_date' ? null : storedKey(p, this.cov)));
    await this.versionsOf(keys.filter((k): k is string => k !== null));
    return keys.map((k) => (k === null ? undefined : this.version.get(k)));
  }

  private async storedKeys(periods: readonly Period[]): Promise<string[]> {
    if (periods.some((p) => p.type === 'campaign_week')) this.cov ??= await coverage(this.db);
    return periods.map((p) => {
      let k = this.stored.get(p.key + p.to);
      if (k === undefined) {
        const s = storedKey(p, this.cov);
        if (s === null) throw new Error(`HarmReductionCountSource: the 7-day blocks of ${p.from} are not kept (save the campaign again, or rebuild the aggregates)`);
        this.stored.set(p.key + p.to, (k = s));
      }
      return k;
    });
  }

  private static dims(by: readonly string[]): number[] {
    return by.map((d) => {
      const i = DIMENSIONS.indexOf(d as (typeof DIMENSIONS)[number]);
      if (i < 0) throw new Error(`HarmReductionCountSource: unknown dimension ${d}`);
      return i;
    });
  }

  async prefetch(asks: readonly CountAsk[]): Promise<void> {
    // per set of dimensions, the stored periods whose sums are not read yet
    const missing = new Map<string, { dims: number[]; keys: Set<string> }>();
    for (const a of asks) {
      if (!VALUE[a.measure]) throw new Error(`HarmReductionCountSource: unknown measure ${a.measure}`);
      const b = a.by.join(',');
      let e = missing.get(b);
      if (!e) missing.set(b, (e = { dims: HarmReductionCountSource.dims(a.by), keys: new Set() }));
      for (const k of await this.storedKeys(a.periods)) if (!this.sums.has(`${k}|${b}`)) e.keys.add(k);
    }
    // what this process kept at the same version need not be read again (the versions are read before the sums, so
    // sums kept under a version are never older than it)
    if (this.keep) await this.versionsOf([...new Set([...missing.values()].flatMap((e) => [...e.keys]))]);
    for (const [b, e] of this.keep ? missing : []) {
      for (const k of e.keys) {
        const sums = keptSums(`${k}|${b}`, this.version.get(k));
        if (sums) {
          this.sums.set(`${k}|${b}`, sums);
          e.keys.delete(k);
        }
      }
      if (!e.keys.size) missing.delete(b);
    }
    const oneWay = [...missing].filter(([, e]) => e.dims.length <= 1);
    if (oneWay.length) await this.readMargins(oneWay);
    const twoWay = [...missing].filter(([, e]) => e.dims.length > 1);
    if (twoWay.length) await this.readCrossed(twoWay);
    if (this.keep) for (const [b, e] of missing) for (const k of e.keys) keepSums(`${k}|${b}`, this.version.get(k), this.sums.get(`${k}|${b}`)!);
  }

  /**
   * Totals and one-way splits, from `hr_period_margins` (already summed over organisations): about 34 rows a period,
   * read by its key.
   */
  private async readMargins(sets: [string, { dims: number[]; keys: Set<string> }][]) {
    const keys = [...new Set(sets.flatMap(([, e]) => [...e.keys]))];
    const dims = sets.map(([b]) => b);
    for (let i = 0; i < keys.length; i += 500) {
      const part = keys.slice(i, i + 500);
      const maps = new Map<string, Map<number, SumEntry>>();
      for (const [b, e] of sets) for (const k of part) if (e.keys.has(k)) maps.set(`${k}|${b}`, new Map());
      const rows = await this.db
        .selectFrom('hr_period_margins')
        .select(['period', 'dim', 'value', 'reached', 'new_clients', 'regular'])
        .where('period', 'in', part)
        .where('dim', 'in', dims)
        .execute();
      for (const r of rows) {
        const m = maps.get(`${r.period}|${r.dim}`);
        if (!m) continue;
        const d = r.dim ? DIMENSIONS.indexOf(r.dim as (typeof DIMENSIONS)[number]) : -1;
        m.set(d < 0 ? 0 : this.codeOf(d, r.value), { values: d < 0 ? [] : [r.value], reached: Number(r.reached), fresh: Number(r.new_clients), regular: Number(r.regular) });
      }
      for (const [k, m] of maps) this.sums.set(k, m);
    }
  }

  /**
   * Two-way splits (months, quarters and years only), summed from `hr_period_counts` in one GROUPING SETS query per
   * 500 periods.
   */
  private async readCrossed(asked: [string, { dims: number[]; keys: Set<string> }][]) {
    const sets = new Map(asked.map(([b, e]) => [b, e.dims]));
    const keys = [...new Set(asked.flatMap(([, e]) => [...e.keys]))];
    const column = [sql.ref('o.province_code'), sql.ref('o.kind'), sql.ref('c.sex'), sql.ref('c.age_band')];
    const groupingSets = sql.join([...sets.values()].map((dims) => sql`(${sql.join([sql.ref('c.period'), ...dims.map((d) => column[d])])})`));
    // only the dimensions some set uses can be selected, and grouping() takes no other: a bit set for each one a row is not grouped
    // by, the first the highest
    const present = [...new Set([...sets.values()].flat())].sort((x, y) => x - y);
    const grouping = sql`grouping(${sql.join(present.map((d) => column[d]))})`;
    const all = (1 << present.length) - 1;
    const bitsOf = (dims: number[]) => dims.reduce((m, d) => m & ~(1 << (present.length - 1 - present.indexOf(d))), all);
    const setOfBits = new Map([...sets].map(([b, dims]) => [bitsOf(dims), { b, dims }]));
    for (let i = 0; i < keys.length; i += 500) {
      const part = keys.slice(i, i + 500);
      // in memory: with the default work_mem (4 MB) a large sort spills to disk; bounded by the periods of one release
      const r = await this.db.transaction().execute(async (trx) => {
        await sql`set local work_mem = '32MB'`.execute(trx);
        return sql<{ period: string; province: string | null; provider: string | null; sex: string | null; age: string | null; g: number; reached: number; fresh: number; regular: number }>`
        select c.period, ${sql.join(DIMENSIONS.map((name, d) => sql`${present.includes(d) ? column[d] : sql`null::text`} as ${sql.ref(name)}`))},
               ${grouping} as g,
               sum(c.reached)::int as reached, sum(c.new_clients)::int as fresh, sum(c.regular)::int as regular
          from hr_period_counts c join organisations o on o.id = c.organisation_id
         where c.period in (${sql.join(part)})
         group by grouping sets (${groupingSets})`.execute(trx);
      });
      // every (period, split) asked gets its map, empty when nothing was counted
      const maps = new Map<string, Map<number, SumEntry>>();
      for (const [b, e] of asked) for (const k of part) if (e.keys.has(k)) maps.set(`${k}|${b}`, new Map());
      for (const x of r.rows) {
        const set = setOfBits.get(Number(x.g));
        const m = set && maps.get(`${x.period}|${set.b}`);
        if (!set || !m) continue;
        const row = x as unknown as CountsRow;
        let code = 0;
        for (const d of set.dims) code = code * 4096 + this.codeOf(d, row[DIMENSIONS[d]]);
        m.set(code, { values: set.dims.map((d) => String(row[DIMENSIONS[d]])), reached: Number(x.reached), fresh: Number(x.fresh), regular: Number(x.regular) });
      }
      for (const [k, m] of maps) this.sums.set(k, m);
    }
  }

  private codeOf(d: number, v: string): number {
    const codes = CODES[d];
    let c = codes.get(v);
    if (c === undefined) codes.set(v, (c = codes.size));
    return c;
  }

  async counts(measure: string, periods: readonly Period[], by: readonly string[]): Promise<CountRow[]> {
    const value = VALUE[measure];
    if (!value) throw new Error(`HarmReductionCountSource: unknown measure ${measure}`);
    if (!periods.length) return [];
    await this.prefetch([{ measure, periods, by }]); // nothing to do when the release told everything first
    const keyOf = new Map<string, string>();
    const storedOf = await this.storedKeys(periods);
    periods.forEach((p, i) => keyOf.set(storedOf[i], p.key));
    const b = by.join(',');
    const out: CountRow[] = [];
    for (const [k, periodKey] of keyOf) {
      for (const e of this.sums.get(`${k}|${b}`)!.values()) {
        const n = value(e as unknown as CountsRow);
        if (n !== 0) out.push({ period: periodKey, values: e.values, n });
      }
    }
    // campaign to date: the kept rows count every client reached since the start, through the days after the
    // period (the week still running): take away the clients first reached in the campaign after the period
    for (const p of periods) {
      if (p.type !== 'campaign_to_date') continue;
      const late = await this.lateClients(p);
      if (!late.length) continue;
      const at = new Map<string, CountRow>();
      for (const r of out) if (r.period === p.key) at.set(r.values.join('|'), r);
      for (const r of late) {
        const values = by.map((d) => String(r[d as 'province']));
        const row = at.get(values.join('|'));
        if (row) row.n -= value(r);
        else {
          const x = { period: p.key, values, n: -value(r) };
          at.set(values.join('|'), x);
          out.push(x);
        }
      }
    }
    return out.filter((r) => r.n !== 0);
  }

  private late = new Map<string, Promise<CountsRow[]>>();
  /**
   * The clients of a campaign's kept "to date" rows who have no contact from its start through the period's last
   * day (all their contacts of the campaign came after it), per organisation, sex and age band: the rows whose first
   * day in the campaign is after the period (migration 20261203190000_hr_first_day). Bounded: an index range as long
   * as the clients first reached in the days after the period — at most the week still running, none once the
   * campaign has ended.
   */
  private lateClients(p: Period): Promise<CountsRow[]> {
    const k = `${p.key}|${p.to}`;
    let r = this.late.get(k);
    if (!r) {
      r = (async () => {
        this.cov ??= await coverage(this.db);
        const c = this.cov.campaigns.find((x) => `campaign_to_date:${x.id}` === p.key);
        if (!c) return [];
        const end = c.end ?? OPEN_END;
        if (end <= p.to) return [];
        const rows = await sql<CountsRow>`
          select ${p.key}::text as period, o.province_code as province, o.kind as provider, t.sex, t.age_band as age,
                 count(*)::int as reached, (count(*) filter (where t.is_new))::int as fresh, 0 as regular
            from hr_period_clients t join organisations o on o.id = t.organisation_id
           where t.period = ${p.key} and t.first_day > ${p.to}::date
           group by o.province_code, o.kind, t.sex, t.age_band`.execute(this.db);
        return rows.rows.map((x) => ({ ...x, reached: Number(x.reached), fresh: Number(x.fresh), regular: 0 }));
      })();
      this.late.set(k, r);
    }
    return r;
  }
}
