/**
 * Harm reduction national aggregates benchmark (issue 9): a year of outreach contacts generated in the database
 * (INSERT … SELECT generate_series), the summaries rebuilt with the pillar's rebuild, then the national aggregates
 * for the year and for a campaign week through the API (p95), next to the raw GROUP BY / COUNT(DISTINCT) over the
 * contacts, with the server process's RSS before and after.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --expose-gc --import tsx bench/harm-reduction.ts
 *   BENCH_CONTACTS=4000000 BENCH_CLIENTS=200000 (default: a fifth of national scale, one year)
 *   BENCH_YEARS=5 spreads the contacts over five years (2021–2025; national scale is 20,000,000 contacts in five
 *   years) and adds a campaign from 2021 (a Monday: ISO weeks) whose "to date" covers all of them.
 * Prints a table; nothing here asserts a time.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { keptDatabase, startTestApp } from '../test/helpers.js';
import { pastCampaign } from '../test/campaign-helpers.js';
import { forgetSums, rebuildHarmReduction } from '../src/server/outreach/aggregates.js';
import { forgetDecisions } from '../src/server/disclosure/release.js';
import { clientRecord, contactRecord, pushOk, registerDevice } from '../test/outreach-helpers.js';
import { todayInCambodia } from '../src/core/dates.js';
import { PROVINCE_CODES } from '../src/core/geography.js';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 4_000_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200_000);
const ORGS = Number(process.env.BENCH_ORGS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const RAW_RUNS = Number(process.env.BENCH_RAW_RUNS ?? 3);
const YEAR = 2025;
const YEARS = Number(process.env.BENCH_YEARS ?? 1);
const FIRST = YEAR - YEARS + 1;
const DAYS = Math.round((Date.UTC(YEAR + 1, 0, 1) - Date.UTC(FIRST, 0, 1)) / 86_400_000);

const mb = () => Math.round(process.memoryUsage().rss / 1048576);
const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

// BENCH_KEEP_DB=<name>: the data is built once in that database (PostgreSQL) and kept; later runs only measure
// (BENCH_BUILD_ONLY=1 stops after building). Without it, a fresh database dropped at the end, as in the tests.
const keepName = process.env.BENCH_KEEP_DB;
const kept = keepName ? await keptDatabase(keepName) : undefined;
const t = await startTestApp({ loginRateLimit: 100_000 }, kept);
const built = kept && !kept.fresh ? await t.db.selectFrom('campaigns').select(['id', 'name_en']).where('name_en', 'in', ['Bench campaign', 'Bench long campaign']).execute() : [];
const suffix = Date.now().toString(36);
const analyst = await t.user('analyst', await t.org('oversight', 'national_committee', `Bench committee ${suffix}`), `bench-analyst-${suffix}`);
let campaignId: string;
let longId: string | null;
let genMs = 0;
let rebuildMs = 0;
const counted = built.length ? await t.db.selectFrom('hr_period_counts').select('period').limit(1).executeTakeFirst() : undefined;
if (built.length && !counted) throw new Error(`${keepName} holds the bench's campaigns but no summaries (a build stopped half way): drop it and build again`);
if (built.length) {
  log(`measuring the data kept in ${keepName}`);
  campaignId = built.find((c) => c.name_en === 'Bench campaign')!.id;
  longId = built.find((c) => c.name_en === 'Bench long campaign')?.id ?? null;
} else {
  const orgs: string[] = [];
  for (let i = 0; i < ORGS; i++) orgs.push(await t.org('health', i % 10 === 9 ? 'health_centre' : 'ngo', `Bench HR ${i}`, PROVINCE_CODES[i % PROVINCE_CODES.length]));
  const worker = await t.user('outreach_worker', orgs[0], `bench-worker-${suffix}`);
  // a campaign starting on a Thursday: its weeks are not ISO weeks (the alignment rows are filled by the rebuild)
  // a health campaign over past days: the service's trusted path (over HTTP one starts today or later)
  campaignId = (await pastCampaign(t, { nameEn: 'Bench campaign', nameKm: 'យុទ្ធនាការ', startDate: `${YEAR}-03-06`, pillars: ['harm_reduction'] })).id;
  // with several years: a campaign over all of them, from a Monday (its weeks are ISO weeks)
  longId = YEARS > 1 ? (await pastCampaign(t, { nameEn: 'Bench long campaign', nameKm: 'យុទ្ធនាការវែង', startDate: `${FIRST}-03-01`, pillars: ['harm_reduction'] })).id : null;
  const orgArray = `{${orgs.join(',')}}`;
  const t0 = performance.now();
  log(`generating ${CLIENTS} clients`);
  await sql`insert into outreach_clients (organisation_id, id, uic, sex, birth_year, first_contact_on, drugs, route, status, last_contact_at, merged_into, change_seq, created_by, device_id, created_at, updated_at)
    select (${orgArray}::uuid[])[(1 + i % ${ORGS})::int], md5('client' || i)::uuid, 'BNCH' || lpad(i::text, 7, '0'),
           (array['male','female','other'])[1 + (i % 7 = 0)::int * 2 + (i % 7 <> 0 and i % 3 = 0)::int],
           case when i % 11 = 0 then null else 1965 + i % 40 end, ${`${FIRST}-01-01`}::date, '["heroin"]'::jsonb, 'inject', 'active', null, null,
           nextval('outreach_change_seq'), ${worker.accountId}::uuid, null, now(), now()
      from generate_series(0::bigint, ${CLIENTS - 1}::bigint) as g(i)`.execute(t.db);
  log(`generating ${CONTACTS} contacts`);
  const CHUNK = 1_000_000;
  for (let start = 0; start < CONTACTS; start += CHUNK) {
    const end = Math.min(CONTACTS, start + CHUNK) - 1;
    // client k = a spread of the row number; its organisation is that of the client; one contact in ten anonymous
    await sql`insert into outreach_contacts (organisation_id, id, client_id, at, setting, hotspot_id, needles, syringes, needles_total, syringes_total, returned, condoms, naloxone, hiv_test, hcv_test, counselling, wound_care, created_by, device_id, created_at)
      select (${orgArray}::uuid[])[(1 + k % ${ORGS})::int], md5('contact' || i)::uuid, case when i % 10 = 0 then null else md5('client' || k)::uuid end,
             ${`${FIRST}-01-01T00:00:00Z`}::timestamptz + ((i * 7919) % ${DAYS}) * interval '1 day' + (i % 14) * interval '1 hour',
             (array['drop_in','mobile','drop_in'])[(1 + i % 3)::int], null, '{}'::jsonb, '{}'::jsonb, 10, 10, 8, 2, 0,
             case when i % 9 = 0 then 'negative' else 'not_done' end, 'not_done', false, false, ${worker.accountId}::uuid, null, now()
        from (select i, (i * 104729) % ${CLIENTS} as k from generate_series(${start}::bigint, ${end}::bigint) as g(i)) s`.execute(t.db);
    log(`  ${end + 1}`);
  }
  await sql`analyze`.execute(t.db);
  genMs = performance.now() - t0;
  log('rebuilding the summaries');
  const t1 = performance.now();
  await t.db.transaction().execute((trx) => rebuildHarmReduction(trx, log));
  await sql`analyze`.execute(t.db);
  rebuildMs = performance.now() - t1;
}
const periodRows = Number((await sql<{ n: number }>`select count(*)::int as n from hr_period_clients`.execute(t.db)).rows[0].n);
if (process.env.BENCH_BUILD_ONLY) {
  log(`built: ${periodRows} client × period rows; generation ${(genMs / 1000).toFixed(0)} s, rebuild ${(rebuildMs / 1000).toFixed(0)} s`);
  await t.close();
  process.exit(0);
}

/** Tonle's time as a fraction of raw (1/n), or as a multiple when slower (n×). */
const ratio = (tonle: number, raw: number) => (tonle <= raw ? `1/${(raw / tonle).toFixed(0)}` : `${(tonle / raw).toFixed(1)}×`);
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
/** Median and p95 of `fn` over `runs` runs; `before` runs before each, untimed. */
async function timeRuns(runs: number, fn: () => Promise<void>, before?: () => Promise<void>) {
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (before) await before();
    const s = performance.now();
    await fn();
    ts.push(performance.now() - s);
  }
  return { p95: p95(ts), median: [...ts].sort((a, b) => a - b)[Math.floor(ts.length / 2)] };
}
const api = (q: string) => async () => {
  const r = await analyst.get(`/api/outreach/aggregates?${q}`);
  if (r.statusCode !== 200) throw new Error(r.body.slice(0, 300));
};
const rawReached = (from: string, to: string) => async () => {
  await sql`select o.province_code, cl.sex, count(distinct c.client_id) as reached, count(distinct c.client_id) filter (where cl.first_contact_on between ${from}::date and ${to}::date) as fresh,
                   count(c.client_id) as contacts, sum(c.needles_total + c.syringes_total) as ns
              from outreach_contacts c join organisations o on o.id = c.organisation_id
              left join outreach_clients cl on cl.organisation_id = c.organisation_id and cl.id = c.client_id
             where c.at >= ${`${from}T00:00:00+07:00`}::timestamptz and c.at < (${to}::date + 1)::timestamp at time zone 'Asia/Phnom_Penh'
             group by 1, 2`.execute(t.db);
};

const week = 10; // campaign week 10: 2025-05-08 … 2025-05-14
const weekFrom = '2025-05-08';
const weekTo = '2025-05-14';
const rssBefore = mb();
const rows: [string, { p95: number; median: number }, { p95: number; median: number }][] = [];
rows.push(['national aggregates, year by province × sex', await timeRuns(RUNS, api(`period=${YEAR}&by=province&split=sex`)), await timeRuns(RAW_RUNS, rawReached(`${YEAR}-01-01`, `${YEAR}-12-31`))]);
rows.push(['national aggregates, year by quarter × age', await timeRuns(RUNS, api(`period=${YEAR}&by=time&split=age`)), rows[0][2]]);
rows.push([`national aggregates, month (${YEAR}-06) by province × sex`, await timeRuns(RUNS, api(`period=${YEAR}-06&by=province&split=sex`)), await timeRuns(RAW_RUNS, rawReached(`${YEAR}-06-01`, `${YEAR}-06-30`))]);
rows.push([`national aggregates, campaign week ${week} by province × sex`, await timeRuns(RUNS, api(`period=week:${week}&campaignId=${campaignId}&by=province&split=sex`)), await timeRuns(RAW_RUNS, rawReached(weekFrom, weekTo))]);
rows.push([`national aggregates, campaign week ${week} by time (one row) × sex`, await timeRuns(RUNS, api(`period=week:${week}&campaignId=${campaignId}&by=time&split=sex`)), rows[3][2]]);
rows.push(['national aggregates, campaign to date by province × age', await timeRuns(RUNS, api(`period=to_date&campaignId=${campaignId}&by=province&split=age`)), await timeRuns(RAW_RUNS, rawReached(`${YEAR}-03-06`, '2026-12-01'))]);
if (longId) {
  const table = `period=to_date&campaignId=${longId}&by=province&split=age`;
  const series = `period=to_date&campaignId=${longId}&by=time&split=sex`;
  const raw = await timeRuns(RAW_RUNS, rawReached(`${FIRST}-03-01`, '2026-12-01'));
  rows.push([`national aggregates, campaign to date (${FIRST}–${YEAR}) by province × age`, await timeRuns(RUNS, api(table)), raw]);
  rows.push([`national aggregates, campaign to date (${FIRST}–${YEAR}) by time (weeks) × sex`, await timeRuns(RUNS, api(series)), raw]);
  // what the server keeps of closed periods (by their version) does not flatter these: the same two with a sync
  // push of a contact today before each request (the field's case: the running week and campaign to date change,
  // the closed weeks do not), and with nothing kept at all before each request (as after a start)
  const writer = await t.user('outreach_worker', await t.org('health', 'ngo', `Bench writer ${suffix}`, 'KH-12'), `bench-writer-${suffix}`);
  const device = await registerDevice(writer);
  const client = clientRecord({ sex: 'female', firstContactOn: todayInCambodia() });
  await pushOk(writer, device, [client]);
  const write = async () => void (await pushOk(writer, device, [contactRecord(client.id, { at: new Date().toISOString() })]));
  const forget = async () => {
    forgetDecisions();
    forgetSums();
  };
  rows.push([`  the same, by province × age, after a contact pushed today (each time)`, await timeRuns(RUNS, api(table), write), raw]);
  rows.push([`  the same, by weeks × sex, after a contact pushed today (each time)`, await timeRuns(RUNS, api(series), write), raw]);
  rows.push([`  the same, by province × age, nothing kept (each time)`, await timeRuns(RUNS, api(table), forget), raw]);
  rows.push([`  the same, by weeks × sex, nothing kept (each time)`, await timeRuns(RUNS, api(series), forget), raw]);
}
const rssAfter = mb();

console.log(`\nEngine: ${t.engine}; ${CONTACTS.toLocaleString('en')} contacts of ${CLIENTS.toLocaleString('en')} clients in ${ORGS} organisations, ${YEARS > 1 ? `${YEARS} years (${FIRST}–${YEAR})` : `one year (${YEAR})`} and a campaign from ${YEAR}-03-06 (a Thursday)${longId ? `, another from ${FIRST}-03-01 (a Monday)` : ''}`);
console.log(`generation ${(genMs / 1000).toFixed(0)} s; rebuild of the summaries ${(rebuildMs / 1000).toFixed(0)} s (${periodRows.toLocaleString('en')} client × period rows)\n`);
console.log('| work | Tonle p95 (median) | raw GROUP BY / COUNT DISTINCT p95 (median) | ratio of p95 |');
console.log('| --- | ---: | ---: | ---: |');
for (const [label, a, r] of rows) console.log(`| ${label} | ${a.p95.toFixed(1)} ms (${a.median.toFixed(1)}) | ${r.p95.toFixed(0)} ms (${r.median.toFixed(0)}) | ${ratio(a.p95, r.p95)} |`);
console.log(`\nserver process RSS: ${rssBefore} MB before the aggregate requests, ${rssAfter} MB after (${RUNS * rows.length} requests)`);
// Flat memory: the heap after a garbage collection, before and after as many requests again (run with
// `node --expose-gc --import tsx bench/harm-reduction.ts` to measure it; RSS alone includes what was never collected).
const gc = (globalThis as { gc?: () => void }).gc;
if (gc) {
  const heap = () => (gc(), Math.round(process.memoryUsage().heapUsed / 1048576));
  const h0 = heap();
  for (let i = 0; i < RUNS; i++) {
    await api(`period=${YEAR}&by=province&split=sex`)();
    await api(`period=to_date&campaignId=${campaignId}&by=province&split=age`)();
    await api(`period=week:${week}&campaignId=${campaignId}&by=time&split=sex`)();
  }
  console.log(`heap after a garbage collection: ${h0} MB, then ${heap()} MB after ${RUNS * 3} more requests (year, campaign to date, campaign week)`);
} else console.log('(heap after a garbage collection: run with node --expose-gc to measure it)');
await t.close();
