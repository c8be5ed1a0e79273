/**
 * Enforcement benchmark, as ratios against the database doing the same work raw.
 *   npx tsx bench/enforcement.ts            (PGlite in memory; BENCH_CASES=200000 by default)
 *   DATABASE_URL=postgres://… npx tsx bench/enforcement.ts   (a fresh database is created and dropped)
 *   BENCH_CASES=1000000 …                   (national scale: five years of cases)
 * Measures: (1) the committee's report through the HTTP API (validation, policy, 7 GROUP BYs, indicator assembly,
 * JSON) against the same GROUP BYs sent straight to the database; (2) the CSV import of 50,000 rows through the API
 * (parse, validate, idempotency check, audit chain) against a raw bulk insert of the same rows.
 * Prints a table; nothing here asserts a time.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { addDays } from '../src/core/dates.js';
import { AGE_BANDS, DISPOSITIONS, PERSON_ROLES, type CaseInput } from '../src/core/enforcement.js';
import { PROVINCES } from '../src/core/geography.js';
import { casesToCsv } from '../src/server/demo/enforcement-seed.js';
import { startTestApp } from '../test/helpers.js';
import { median as medianOf, rng, time } from './lib.js';

const N = Number(process.env.BENCH_CASES ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (fn: () => Promise<unknown>) => medianOf(fn, RUNS);
const START = '2021-01-01';
const NO_ASSETS = { vehicles: 0, motorcycles: 0, phones: 0, cash_khr: 0, cash_usd: 0, weapons: 0, version: 1 };
const DAYS = 1800;


const t = await startTestApp();
const unit = await t.org('enforcement', 'police_unit', 'Bench unit');
const clerk = await t.user('enforcement_clerk', unit);
const committee = await t.org('oversight', 'national_committee', 'Bench committee');
const analyst = await t.user('analyst', committee);
const camp = await t.admin.post('/api/campaigns', { nameEn: 'Bench campaign', nameKm: 'យុទ្ធនាការ', startDate: START, pillars: ['enforcement'] });
const campaignId = camp.json().id;

// National-scale synthetic data, written straight to the tables in batches.
const r = rng(42);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
const [genMs] = await time(async () => {
  const BATCH = 2000;
  const now = new Date();
  for (let i = 0; i < N; i += BATCH) {
    const cases = [];
    const persons = [];
    const seizures = [];
    for (let k = i; k < Math.min(N, i + BATCH); k++) {
      const id = randomUUID();
      const np = 1 + Math.floor(r() * 4);
      cases.push({
        id,
        organisation_id: unit,
        unit_reference: `B-${k}`,
        occurred_on: addDays(START, Math.floor(r() * DAYS)),
        reported_on: addDays(START, DAYS),
        province_code: pick(PROVINCES).code,
        case_type: 'trafficking',
        ...NO_ASSETS,
        persons_count: np,
        created_by: clerk.accountId,
        created_at: now,
        updated_at: now,
      });
      for (let p = 0; p < np; p++) {
        persons.push({ id: randomUUID(), case_id: id, organisation_id: unit, position: p, role: pick(PERSON_ROLES), sex: r() < 0.15 ? 'female' : 'male', age_band: pick(AGE_BANDS), nationality: r() < 0.9 ? 'KH' : 'VN', disposition: pick(DISPOSITIONS) });
      }
      seizures.push({ id: randomUUID(), case_id: id, organisation_id: unit, position: 0, drug: 'crystal_meth', quantity: Math.round(r() * 1000) / 10, unit: 'g' });
    }
    await t.db.insertInto('enforcement_cases').values(cases).execute();
    for (let j = 0; j < persons.length; j += 5000) await t.db.insertInto('case_persons').values(persons.slice(j, j + 5000)).execute();
    await t.db.insertInto('case_seizures').values(seizures).execute();
  }
  await sql`analyze`.execute(t.db);
});
const persons = Number((await t.db.selectFrom('case_persons').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

// (1) Report: a campaign week, and campaign to date.
// The same seven GROUP BYs, sent at once as Tonle sends them (PGlite runs them one after another either way).
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
for (const [label, q, from, to] of [
  ['report, one campaign week', 'period=week:10', addDays(START, 63), addDays(START, 69)],
  ['report, campaign to date (5 years)', `from=${START}&to=${addDays(START, DAYS)}`, START, addDays(START, DAYS)],
] as const) {
  await api(q)();
  await rawReport(from, to)();
  const a = await median(api(q));
  const b = await median(rawReport(from, to));
  rows.push([label, `${a.toFixed(0)} ms`, `${b.toFixed(0)} ms`, (a / b).toFixed(2)]);
}

// (2) Import 50,000 rows through the API vs a raw insert of the same rows.
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
rows.push([`import 50,000 rows (${importCases.length} cases) via API vs raw insert`, `${impMs.toFixed(0)} ms`, `${rawMs.toFixed(0)} ms`, (impMs / rawMs).toFixed(2)]);
const [reImpMs] = await time(() => clerk.post('/api/cases/import', files));
rows.push(['re-import of the same 50,000 rows (all unchanged) vs the raw insert', `${reImpMs.toFixed(0)} ms`, `${rawMs.toFixed(0)} ms`, (reImpMs / rawMs).toFixed(2)]);

console.log(`\nEngine: ${t.engine}; ${N.toLocaleString('en')} cases, ${persons.toLocaleString('en')} persons (generated in ${(genMs / 1000).toFixed(1)} s); median of ${RUNS} runs\n`);
console.log('| work | Tonle | database raw | ratio |');
console.log('| --- | ---: | ---: | ---: |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
await t.close();
