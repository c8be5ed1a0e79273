/**
 * Enforcement benchmark, as ratios against the database doing the same work raw.
 *   npx tsx bench/enforcement.ts            (PGlite in memory; BENCH_CASES=200000 by default)
 *   DATABASE_URL=postgres://… npx tsx bench/enforcement.ts   (a fresh database is created and dropped)
 *   BENCH_CASES=1000000 …                   (national scale: five years of cases, ~2.5 M persons)
 *   BENCH_ONLY=writes                       (only the writes: one case write and the import; runs on older checkouts
 *                                            too, to compare)
 * Measures: (1) the committee's report through the HTTP API (validation, policy, the GROUP BYs over the maintained
 * summaries, indicator assembly, JSON) for a campaign week, a month, a year and campaign to date, against the report's
 * seven GROUP BYs sent straight to the base tables (p50 and p95); (2) one case write through the API — a create and
 * a correction (validation, audit entry and, with this change, the summaries' upserts); (3) the CSV import of 50,000
 * rows through the API against a raw bulk insert of the same rows, and the re-import of the same file.
 * The synthetic cases are written with INSERT … SELECT from generate_series, then the summaries are rebuilt from them
 * (the maintainer's rebuild, timed). Prints tables and the server's RSS before and after the report runs; nothing here
 * asserts a time.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { addDays } from '../src/core/dates.js';
import { PERSON_ROLES, type CaseInput } from '../src/core/enforcement.js';
import { PROVINCES } from '../src/core/geography.js';
import { casesToCsv } from '../src/server/demo/enforcement-seed.js';
import { startTestApp } from '../test/helpers.js';
import { rng, time } from './lib.js';

const N = Number(process.env.BENCH_CASES ?? 200_000);
const REPORT_RUNS = Number(process.env.BENCH_RUNS ?? 40);
const RAW_RUNS = Number(process.env.BENCH_RAW_RUNS ?? 5);
const WRITES = Number(process.env.BENCH_WRITES ?? 200);
const ONLY = process.env.BENCH_ONLY;
const START = '2021-01-01';
const NO_ASSETS = { vehicles: 0, motorcycles: 0, phones: 0, cash_khr: 0, cash_usd: 0, weapons: 0, version: 1 };
const DAYS = 1800;
// The maintainer exists only from this change on: an older checkout (BENCH_ONLY=writes) runs without it.
const aggregates = await import('../src/server/enforcement/aggregates.js').catch(() => null);

async function samples(fn: () => Promise<unknown>, runs: number): Promise<number[]> {
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) ts.push((await time(fn))[0]);
  return ts.sort((a, b) => a - b);
}
const pct = (ts: number[], p: number) => ts[Math.min(ts.length - 1, Math.ceil(p * ts.length) - 1)];
const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en')} ms`;
const mb = () => `${Math.round(process.memoryUsage().rss / 1048576).toLocaleString('en')} MB`;

const t = await startTestApp();
const unit = await t.org('enforcement', 'police_unit', 'Bench unit');
const clerk = await t.user('enforcement_clerk', unit);
const committee = await t.org('oversight', 'national_committee', 'Bench committee');
const analyst = await t.user('analyst', committee);
const camp = await t.admin.post('/api/campaigns', { nameEn: 'Bench campaign', nameKm: 'យុទ្ធនាការ', startDate: START, pillars: ['enforcement'] });
const campaignId = camp.json().id;

// National-scale synthetic data: INSERT … SELECT from generate_series, 100,000 cases per statement.
const [genMs] = await time(async () => {
  await sql`select setseed(0.42)`.execute(t.db);
  for (let i = 0; i < N; i += 100_000) {
    const to = Math.min(N, i + 100_000) - 1;
    await sql`insert into enforcement_cases (id, organisation_id, unit_reference, occurred_on, reported_on, province_code, case_type,
        vehicles, motorcycles, phones, cash_khr, cash_usd, weapons, persons_count, version, created_by, created_at, updated_at)
      select gen_random_uuid(), ${unit}, 'B-' || k, ${START}::date + floor(random() * ${DAYS})::int, ${addDays(START, DAYS)}::date,
        'KH-' || (1 + floor(random() * 25))::int, 'trafficking', 0, 0, 0, 0, 0, 0, 1 + floor(random() * 4)::int, 1, ${clerk.accountId}, now(), now()
      from generate_series(${i}::int, ${to}::int) as k`.execute(t.db);
  }
  // Persons: persons_count rows per case; roles, age bands and dispositions uniform, 15 % female, 90 % Cambodian.
  await sql`insert into case_persons (id, case_id, organisation_id, position, role, sex, age_band, nationality, disposition)
    select gen_random_uuid(), c.id, c.organisation_id, g.p,
      (array['suspected_trafficker', 'alleged_user', 'other'])[1 + floor(random() * 3)::int],
      case when random() < 0.15 then 'female' else 'male' end,
      (array['under_15', '15_17', '18_24', '25_34', '35_49', '50_plus', 'unknown'])[1 + floor(random() * 7)::int],
      case when random() < 0.9 then 'KH' else 'VN' end,
      (array['pending', 'educated_released', 'sent_to_court', 'referred_treatment_voluntary', 'referred_treatment_compulsory', 'released'])[1 + floor(random() * 6)::int]
    from enforcement_cases c cross join lateral generate_series(0, c.persons_count - 1) as g(p)`.execute(t.db);
  await sql`insert into case_seizures (id, case_id, organisation_id, position, drug, quantity, unit)
    select gen_random_uuid(), c.id, c.organisation_id, 0, 'crystal_meth', round((random() * 100)::numeric, 1), 'g' from enforcement_cases c`.execute(t.db);
});
const [rebuildMs] = aggregates ? await time(() => aggregates.enforcementAggregates.rebuild(t.db)) : [0];
await sql`analyze`.execute(t.db);
const persons = Number((await t.db.selectFrom('case_persons').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const summaryRows = aggregates
  ? await Promise.all(
      aggregates.ENFORCEMENT_AGGREGATE_TABLES.map(async (s) => `${s.table} ${Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(s.table)}`.execute(t.db)).rows[0].n).toLocaleString('en')}`),
    )
  : [];
console.log(`\nEngine: ${t.engine}; ${N.toLocaleString('en')} cases, ${persons.toLocaleString('en')} persons (generated in ${(genMs / 1000).toFixed(1)} s${aggregates ? `; summaries rebuilt in ${(rebuildMs / 1000).toFixed(1)} s: ${summaryRows.join(', ')}` : ''})`);

if (ONLY !== 'writes') {
  // (1) The report. The raw side: the report's seven GROUP BYs over the base tables, sent at once as the report
  // used to send them (PGlite runs them one after another either way).
  const rawReport = (from: string, to: string) => async () => {
    const where = sql`c.voided_at is null and c.occurred_on between ${from} and ${to}`;
    await Promise.all([
      sql`select count(*), sum(vehicles), sum(motorcycles), sum(phones), sum(cash_khr), sum(cash_usd), sum(weapons) from enforcement_cases c where ${where}`.execute(t.db),
      sql`select p.role, p.sex, p.age_band, p.nationality, p.disposition, count(*) from enforcement_cases c join case_persons p on p.case_id = c.id where ${where} group by 1,2,3,4,5`.execute(t.db),
      sql`select s.drug, s.unit, sum(s.quantity), count(distinct c.id) from enforcement_cases c join case_seizures s on s.case_id = c.id where ${where} group by 1,2`.execute(t.db),
      sql`select c.occurred_on, count(*) from enforcement_cases c where ${where} group by 1`.execute(t.db),
      sql`select c.occurred_on, p.role, count(*) from enforcement_cases c join case_persons p on p.case_id = c.id where ${where} group by 1,2`.execute(t.db),
      sql`select c.province_code, count(*) from enforcement_cases c where ${where} group by 1`.execute(t.db),
      sql`select c.province_code, p.role, p.sex, count(*) from enforcement_cases c join case_persons p on p.case_id = c.id where ${where} group by 1,2,3`.execute(t.db),
    ]);
  };
  const api = (q: string) => async () => {
    const res = await analyst.get(`/api/enforcement/report?campaignId=${campaignId}&${q}`);
    if (res.statusCode !== 200) throw new Error(res.body);
  };
  const rows: string[][] = [];
  const rssBefore = mb();
  for (const [label, q, from, to] of [
    ['report, one campaign week', 'period=week:10', addDays(START, 63), addDays(START, 69)],
    ['report, a month (30 days)', `from=${addDays(START, 500)}&to=${addDays(START, 529)}`, addDays(START, 500), addDays(START, 529)],
    ['report, a year (365 days from 1 March)', `from=2022-03-01&to=2023-02-28`, '2022-03-01', '2023-02-28'],
    ['report, campaign to date (5 years)', `from=${START}&to=${addDays(START, DAYS)}`, START, addDays(START, DAYS)],
    ['report, campaign to date, one province', `from=${START}&to=${addDays(START, DAYS)}&province=KH-12`, START, addDays(START, DAYS)],
  ] as const) {
    await api(q)();
    const a = await samples(api(q), REPORT_RUNS);
    const b = label.includes('one province') ? null : await samples(rawReport(from, to), RAW_RUNS);
    rows.push([label, ms(pct(a, 0.5)), ms(pct(a, 0.95)), b ? ms(pct(b, 0.5)) : '', b ? ms(pct(b, 0.95)) : '', b ? `1/${Math.round(pct(b, 0.95) / pct(a, 0.95))}` : '']);
  }
  const rssAfter = mb();
  console.log(`\nReport: Tonle ${REPORT_RUNS} runs, raw ${RAW_RUNS} runs; server RSS ${rssBefore} before the report runs, ${rssAfter} after\n`);
  console.log('| report | Tonle p50 | Tonle p95 | raw GROUP BY p50 | raw p95 | Tonle p95 / raw p95 |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

// (2) One case write through the API: create, then correct (two persons, one seizure, assets).
{
  const r = rng(42);
  const body = (k: number, unitReference: string): CaseInput =>
    ({
      unitReference,
      occurredOn: addDays(START, Math.floor(r() * DAYS)),
      reportedOn: addDays(START, DAYS),
      provinceCode: PROVINCES[Math.floor(r() * 25)].code,
      caseType: 'trafficking',
      persons: [
        { role: 'suspected_trafficker', sex: 'male', ageBand: '25_34', nationality: 'KH', disposition: 'pending' },
        { role: 'alleged_user', sex: k % 2 ? 'female' : 'male', ageBand: '18_24', nationality: 'KH', disposition: 'referred_treatment_voluntary' },
      ],
      seizures: [{ drug: 'crystal_meth', quantity: 1 + (k % 50) / 10, unit: 'g' }],
      assets: { vehicles: 0, motorcycles: 1, phones: k % 3, cashKhr: 10_000 * (k % 7), cashUsd: 0, weapons: 0 },
    }) as CaseInput;
  const created: { id: string; version: number; ref: string }[] = [];
  const createTs: number[] = [];
  for (let k = 0; k < WRITES; k++) {
    const ref = `W-${k}/2025`;
    const [d, res] = await time(() => clerk.post('/api/cases', body(k, ref)));
    if (res.statusCode !== 201) throw new Error(res.body);
    createTs.push(d);
    created.push({ id: res.json().id, version: res.json().version, ref });
  }
  const correctTs: number[] = [];
  for (const [k, c] of created.entries()) {
    const [d, res] = await time(() => clerk.request('PUT', `/api/cases/${c.id}`, { ...body(k + 1, c.ref), version: c.version }));
    if (res.statusCode !== 200) throw new Error(res.body);
    correctTs.push(d);
  }
  createTs.sort((a, b) => a - b);
  correctTs.sort((a, b) => a - b);
  console.log(`\nOne case write through the API (${WRITES} each, ${aggregates ? 'with' : 'without'} maintained summaries)\n`);
  console.log('| write | p50 | p95 |');
  console.log('| --- | ---: | ---: |');
  console.log(`| create | ${ms(pct(createTs, 0.5))} | ${ms(pct(createTs, 0.95))} |`);
  console.log(`| correction | ${ms(pct(correctTs, 0.5))} | ${ms(pct(correctTs, 0.95))} |`);
}

{
  // (3) Import 50,000 rows through the API vs a raw insert of the same rows.
  const rows: string[][] = [];
  const importCases: CaseInput[] = [];
  for (let rowsSoFar = 0, k = 0; rowsSoFar < 50_000; k++) {
    const np = 1 + (k % 4);
    rowsSoFar += np;
    importCases.push({
      unitReference: `IMP-${k}`,
      occurredOn: addDays(START, k % DAYS),
      reportedOn: addDays(START, k % DAYS),
      provinceCode: PROVINCES[k % 25].code,
      districtCode: null,
      communeCode: null,
      caseType: 'possession',
      persons: Array.from({ length: np }, (_, p) => ({ role: PERSON_ROLES[p % 3], sex: 'male' as const, ageBand: '25_34' as const, nationality: 'KH', disposition: 'pending' as const })),
      seizures: [{ drug: 'meth_tablets', quantity: 10, unit: 'tablets' }],
      assets: { vehicles: 0, motorcycles: 0, phones: 1, cashKhr: 0, cashUsd: 0, weapons: 0 },
    });
  }
  const files = casesToCsv(importCases);
  const [impMs, impRes] = await time(() => clerk.post('/api/cases/import', files));
  if (impRes.statusCode !== 200 || !impRes.body.includes('"result"')) throw new Error(impRes.body.slice(0, 500));
  const unit2 = await t.org('enforcement', 'police_unit', 'Bench raw unit');
  const [rawMs] = await time(() =>
    t.db.transaction().execute(async (trx) => {
      const now = new Date();
      for (let i = 0; i < importCases.length; i += 1000) {
        const chunk = importCases.slice(i, i + 1000).map((c) => ({ c, id: randomUUID() }));
        await trx
          .insertInto('enforcement_cases')
          .values(chunk.map(({ c, id }) => ({ id, organisation_id: unit2, unit_reference: c.unitReference, occurred_on: c.occurredOn, reported_on: c.reportedOn, province_code: c.provinceCode, case_type: c.caseType, ...NO_ASSETS, persons_count: c.persons.length, created_by: clerk.accountId, created_at: now, updated_at: now })))
          .execute();
        const ps = chunk.flatMap(({ c, id }) => c.persons.map((p, pos) => ({ id: randomUUID(), case_id: id, organisation_id: unit2, position: pos, role: p.role, sex: p.sex, age_band: p.ageBand, nationality: p.nationality, disposition: p.disposition })));
        await trx.insertInto('case_persons').values(ps).execute();
        await trx.insertInto('case_seizures').values(chunk.map(({ c, id }) => ({ id: randomUUID(), case_id: id, organisation_id: unit2, position: 0, drug: c.seizures[0].drug, quantity: c.seizures[0].quantity, unit: c.seizures[0].unit }))).execute();
      }
    }),
  );
  rows.push([`import 50,000 rows (${importCases.length.toLocaleString('en')} cases) via the API vs raw insert`, ms(impMs), ms(rawMs), (impMs / rawMs).toFixed(2)]);
  const [reImpMs] = await time(() => clerk.post('/api/cases/import', files));
  rows.push(['re-import of the same 50,000 rows (all unchanged) vs the raw insert', ms(reImpMs), ms(rawMs), (reImpMs / rawMs).toFixed(2)]);
  console.log('\n| import | Tonle | database raw | ratio |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  if (aggregates) {
    // The raw unit's cases went straight into the tables (no summaries): rebuild, then everything must verify.
    await aggregates.enforcementAggregates.rebuild(t.db);
    const [verifyMs, v] = await time(() => aggregates.enforcementAggregates.verify(t.db));
    console.log(`\nverify-aggregates after all of the above: ${v.ok ? `clean, ${v.checked.toLocaleString('en')} summary rows` : v.difference} (${(verifyMs / 1000).toFixed(1)} s)`);
  }
}
await t.close();
