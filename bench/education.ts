/**
 * Education benchmark, as ratios against the database doing the same work raw.
 *   npx tsx bench/education.ts              (PGlite in memory)
 *   DATABASE_URL=postgres://… npx tsx bench/education.ts   (a fresh database is created and dropped)
 *   BENCH_SESSIONS=100000 (default: 100 k sessions over five years, 3 participant cells each, 20 offices)
 * Measures: (1) the national education view through the HTTP API (policy, period, summaries, disclosure control of
 * every published cell and of the lines it heads, JSON) for a month, a quarter, a year and a one-year campaign to
 * date, against the GROUP BY of people over the base tables for the same period sent straight to the database (what
 * the view did before the summaries); (2) recording a session through the API (validation, insert, summaries, audit)
 * against a raw insert of the session and its participants; (3) rebuild and verify of the summaries.
 * Prints a table; nothing here asserts a time.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { addDays, todayInCambodia } from '../src/core/dates.js';
import { periodContaining } from '../src/core/periods.js';
import { educationAggregates } from '../src/server/education/aggregates.js';
import { startTestApp } from '../test/helpers.js';
import { pastCampaign } from '../test/campaign-helpers.js';
import { median as medianOf, time } from './lib.js';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (fn: () => Promise<unknown>) => medianOf(fn, RUNS);
const today = todayInCambodia();
const DAYS = 1800;

const t = await startTestApp({ loginRateLimit: 100_000 });
const analyst = await t.user('analyst', await t.org('oversight', 'national_committee', 'Bench committee'));
const offices: string[] = [];
for (let i = 0; i < 20; i++) offices.push(await t.org('education', 'education_office', `Bench education office ${i}`));
const officer = await t.user('education_officer', offices[0]);

const [loadMs] = await time(async () => {
  await sql`
    insert into education_sessions (id, organisation_id, held_on, province_code, district_code, setting, topic, total, created_by, created_at)
    select gen_random_uuid(), (${sql.val(offices)}::uuid[])[1 + i % 20], ${today}::date - (i * 7919 % ${DAYS}),
      'KH-' || (1 + i * 31 % 25), null, (array['school','community','workplace','prison','online'])[1 + i % 5],
      (array['drug_risks','hiv_hepatitis','family_support','life_skills','law_and_rights','services','other'])[1 + i % 7],
      3 + i % 40, ${officer.accountId}::uuid, now()
    from generate_series(1, ${SESSIONS}) i`.execute(t.db);
  await sql`
    insert into education_participants (session_id, sex, age_band, count)
    select s.id, x.sex, x.band, 1 + (abs(hashtext(s.id::text || x.sex)) % 15)
    from education_sessions s
    cross join (values ('male','15_17'), ('female','15_17'), ('female','18_24')) as x(sex, band)`.execute(t.db);
});
const [rebuildMs] = await time(() => educationAggregates.rebuild(t.db));
const [verifyMs, verified] = await time(() => educationAggregates.verify(t.db));
if (!verified.ok) throw new Error(verified.difference);

// a health campaign over past days: the service's trusted path (over HTTP one starts today or later)
const campaignId = (await pastCampaign(t, { nameEn: 'Bench campaign', nameKm: 'យុទ្ធនាការ', startDate: addDays(today, -364), pillars: ['education'] })).id;

/** The old view's people GROUP BY over the base tables, for a range. */
const raw = (from: string, to: string) =>
  sql`select s.province_code, s.held_on, s.setting, p.sex, p.age_band, sum(p.count)
      from education_sessions s join education_participants p on p.session_id = s.id
      where s.voided_at is null and s.held_on between ${from}::date and ${to}::date
      group by 1, 2, 3, 4, 5`.execute(t.db);

// the last complete month, quarter and year (figures of health data are released once a period is over)
const lastMonth = periodContaining('month', addDays(`${today.slice(0, 7)}-01`, -1));
let lastQuarter = periodContaining('quarter', today);
lastQuarter = periodContaining('quarter', addDays(lastQuarter.from, -1));
const lastYear = periodContaining('year', `${Number(today.slice(0, 4)) - 1}-06-01`);
const cases: [string, string, string, string][] = [
  ['month', `period=${lastMonth.spec}`, lastMonth.from, lastMonth.to],
  ['quarter', `period=${lastQuarter.spec}`, lastQuarter.from, lastQuarter.to],
  ['year', `period=${lastYear.spec}`, lastYear.from, lastYear.to],
  ['campaign to date (one year)', `period=to_date&campaignId=${campaignId}`, addDays(today, -364), today],
];
const rows: string[][] = [];
for (const [name, q, from, to] of cases) {
  const res = await analyst.get(`/api/education/national?${q}`);
  if (res.statusCode !== 200) throw new Error(res.body);
  const api = await median(() => analyst.get(`/api/education/national?${q}`));
  const db = await median(() => raw(from, to));
  rows.push([`national view, ${name}`, `${api.toFixed(0)} / ${db.toFixed(0)} ms`, (api / db).toFixed(2)]);
}

const body = { heldOn: addDays(today, -1), provinceCode: 'KH-12', setting: 'school', topic: 'drug_risks', participants: { female: { '15_17': 12, '18_24': 3 }, male: { '15_17': 9 } } };
const write = await median(async () => {
  const r = await officer.post('/api/education/sessions', body);
  if (r.statusCode !== 201) throw new Error(r.body);
});
const rawWrite = await median(() =>
  t.db.transaction().execute(async (trx) => {
    const id = randomUUID();
    await trx
      .insertInto('education_sessions')
      .values({ id, organisation_id: offices[0], held_on: body.heldOn, province_code: 'KH-12', district_code: null, setting: 'school', topic: 'drug_risks', total: 24, created_by: officer.accountId, created_at: new Date() })
      .execute();
    await trx
      .insertInto('education_participants')
      .values([
        { session_id: id, sex: 'female', age_band: '15_17', count: 12 },
        { session_id: id, sex: 'female', age_band: '18_24', count: 3 },
        { session_id: id, sex: 'male', age_band: '15_17', count: 9 },
      ])
      .execute();
  }),
);
rows.push(['one session recorded (API) / raw insert', `${write.toFixed(1)} / ${rawWrite.toFixed(1)} ms`, (write / rawWrite).toFixed(1)]);

const summaryRows = verified.checked;
console.log(`education bench (${t.engine}): ${SESSIONS.toLocaleString('en-US')} sessions, ${summaryRows.toLocaleString('en-US')} summary rows; load ${loadMs.toFixed(0)} ms, rebuild ${rebuildMs.toFixed(0)} ms, verify ${verifyMs.toFixed(0)} ms; median of ${RUNS}`);
console.log('| work | Tonle / raw | ratio |\n| --- | ---: | ---: |');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
await t.close();
