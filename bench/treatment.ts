/**
 * Treatment benchmark, as ratios against the database doing the same work raw.
 *   npx tsx bench/treatment.ts              (PGlite in memory)
 *   DATABASE_URL=postgres://… npx tsx bench/treatment.ts   (a fresh database is created and dropped)
 *   BENCH_ADMISSIONS=200000 BENCH_CASES=50000 BENCH_RUNS=30 (defaults: national scale over five years — 20 centres,
 *   200 k admissions; enforcement cases for the "referred to treatment" column)
 * The stays are bulk-inserted, then the maintained summaries rebuilt from them (as `rebuild-aggregates` does).
 * Measures: (1) the national treatment view through the HTTP API (policy, validation, the released tables read from
 * the summaries, disclosure control, JSON) for a campaign week, a month, a year and campaign to date — median and p95
 * — against the raw GROUP BYs over the base tables for the same dates (what the view did before issue 9);
 * (2) one centre's view (exact figures, audited read) for twelve weeks and five years; (3) admitting a client through
 * the API (validation, centre lock, overlap check, summary deltas, audit entry) against a raw insert of the same row.
 * Prints a table; nothing here asserts a time.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { addDays } from '../src/core/dates.js';
import { AGE_BANDS, DISPOSITIONS, PERSON_ROLES } from '../src/core/enforcement.js';
import { PROVINCES } from '../src/core/geography.js';
import { CENTRE_KINDS, DISCHARGE_REASONS, LEGAL_BASES, REFERRAL_SOURCES } from '../src/core/treatment.js';
import { startTestApp } from '../test/helpers.js';
import { pastCampaign } from '../test/campaign-helpers.js';
import { treatmentAggregates } from '../src/server/treatment/aggregates.js';
import { enforcementAggregates } from '../src/server/enforcement/aggregates.js';
import { campaignWeekPeriod, monthPeriod, yearPeriod, type Period } from '../src/core/periods.js';
import { profiled, rng, time } from './lib.js';

const ADMISSIONS = Number(process.env.BENCH_ADMISSIONS ?? 200_000);
const CASES = Number(process.env.BENCH_CASES ?? 50_000);
const CENTRES = 20;
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
/** Median and p95 (ms) of RUNS runs. */
async function stats(fn: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  const ts: number[] = [];
  for (let i = 0; i < RUNS; i++) ts.push((await time(fn))[0]);
  ts.sort((a, b) => a - b);
  return { median: ts[Math.floor(ts.length / 2)], p95: ts[Math.min(ts.length - 1, Math.ceil(ts.length * 0.95) - 1)] };
}
const DAYS = 1800;
const END = new Date().toISOString().slice(0, 10);
const START = addDays(END, -DAYS);
const NO_ASSETS = { vehicles: 0, motorcycles: 0, phones: 0, cash_khr: 0, cash_usd: 0, weapons: 0, version: 1 };

const uicOf = (n: number) => `SKDR${n % 2 ? 'M' : 'F'}${String(80 + (n % 20)).padStart(2, '0')}${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}`;

const t = await startTestApp();
const committee = await t.org('oversight', 'national_committee', 'Bench committee');
const analyst = await t.user('analyst', committee);
const unit = await t.org('enforcement', 'police_unit', 'Bench unit');
const clerk = await t.user('enforcement_clerk', unit);
const r = rng(7);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];

// The register: CENTRES centres, each run by its own health organisation, over the provinces.
const centres: { id: string; org: string }[] = [];
for (let i = 0; i < CENTRES; i++) {
  const org = await t.org('health', i < 7 ? 'state_treatment_centre' : 'private_treatment_centre', `Bench centre organisation ${i}`);
  const res = await t.admin.post('/api/treatment/centres', {
    name: `Bench centre ${i}`,
    organisationId: org,
    kind: CENTRE_KINDS[i % CENTRE_KINDS.length],
    modality: 'residential',
    admissionPolicy: i < 7 ? 'compulsory' : 'mixed',
    capacity: 200 + 50 * (i % 5),
    provinceCode: PROVINCES[i % 25].code,
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  centres.push({ id: res.json().id, org });
}
const staff = await t.user('treatment_staff', centres[0].org);
const anyAccount = analyst.accountId;

const [genMs] = await time(async () => {
  const now = new Date();
  const BATCH = 2000;
  for (let i = 0; i < ADMISSIONS; i += BATCH) {
    const rows = [];
    for (let k = i; k < Math.min(ADMISSIONS, i + BATCH); k++) {
      const c = centres[k % CENTRES];
      const admitted = addDays(START, Math.floor(r() * DAYS));
      const stay = 14 + Math.floor(r() * 200);
      const discharged = addDays(admitted, stay) < END && r() < 0.95 ? addDays(admitted, stay) : null;
      const legal = pick(LEGAL_BASES);
      rows.push({
        id: randomUUID(),
        organisation_id: c.org,
        centre_id: c.id,
        uic: uicOf(k),
        admitted_on: admitted,
        referral_source: pick(REFERRAL_SOURCES),
        legal_basis: legal,
        consent_recorded: legal === 'voluntary',
        primary_drug: 'crystal_meth',
        secondary_drugs: JSON.stringify([]),
        route: 'smoke',
        injecting: 'never',
        previous_treatment: 'unknown',
        sex: r() < 0.1 ? 'female' : 'male',
        age_band: pick(AGE_BANDS),
        discharged_on: discharged,
        discharge_reason: discharged ? pick(DISCHARGE_REASONS) : null,
        version: 1,
        created_by: anyAccount,
        created_at: now,
        updated_at: now,
      });
    }
    await t.db.insertInto('treatment_admissions').values(rows).execute();
  }
  for (let i = 0; i < CASES; i += 2000) {
    const cases = [];
    const persons = [];
    for (let k = i; k < Math.min(CASES, i + 2000); k++) {
      const id = randomUUID();
      const np = 1 + Math.floor(r() * 4);
      cases.push({ id, organisation_id: unit, unit_reference: `T-${k}`, occurred_on: addDays(START, Math.floor(r() * DAYS)), reported_on: END, province_code: pick(PROVINCES).code, case_type: 'use', ...NO_ASSETS, persons_count: np, created_by: clerk.accountId, created_at: now, updated_at: now });
      for (let p = 0; p < np; p++) persons.push({ id: randomUUID(), case_id: id, organisation_id: unit, position: p, role: pick(PERSON_ROLES), sex: 'male', age_band: pick(AGE_BANDS), nationality: 'KH', disposition: pick(DISPOSITIONS) });
    }
    await t.db.insertInto('enforcement_cases').values(cases).execute();
    for (let j = 0; j < persons.length; j += 5000) await t.db.insertInto('case_persons').values(persons.slice(j, j + 5000)).execute();
  }
  await sql`analyze`.execute(t.db);
});
const [aggMs] = await time(async () => {
  await treatmentAggregates.rebuild(t.db);
  await enforcementAggregates.rebuild(t.db);
  await sql`analyze`.execute(t.db);
});
const summaryRows = Number((await sql<{ n: number }>`select (select count(*) from treatment_agg_admissions) + (select count(*) from treatment_agg_discharges) as n`.execute(t.db)).rows[0].n);

// A campaign of twenty weeks and three days, for the campaign periods.
// (a health campaign over past days: the service's trusted path; over HTTP one starts today or later)
const created = await pastCampaign(t, { nameEn: 'Bench campaign', nameKm: 'យុទ្ធនាការសាកល្បង', startDate: addDays(END, -142), endDate: null, pillars: ['treatment'] });
const campaign = { id: created.id, startDate: addDays(END, -142), endDate: null };

// (1) The national view: Tonle (summaries + disclosure control) vs the raw GROUP BYs over the base tables.
const rawNational = (from: string, to: string) => async () => {
  await Promise.all([
    sql`select kind, province_code, status, count(*), coalesce(sum(capacity), 0) from treatment_centres group by 1,2,3`.execute(t.db),
    sql`select c.kind, c.province_code, a.legal_basis, a.referral_source, count(*) from treatment_admissions a join treatment_centres c on c.id = a.centre_id where a.voided_at is null and a.admitted_on between ${from} and ${to} group by 1,2,3,4`.execute(t.db),
    sql`select c.kind, c.province_code, a.legal_basis, count(*) from treatment_admissions a join treatment_centres c on c.id = a.centre_id where a.voided_at is null and a.admitted_on <= ${to} and (a.discharged_on is null or a.discharged_on > ${to}) group by 1,2,3`.execute(t.db),
    sql`select c.kind, c.province_code, a.discharge_reason, count(*) from treatment_admissions a join treatment_centres c on c.id = a.centre_id where a.voided_at is null and a.discharged_on between ${from} and ${to} group by 1,2,3`.execute(t.db),
    sql`select e.province_code, p.disposition, count(*) from case_persons p join enforcement_cases e on e.id = p.case_id where e.voided_at is null and e.occurred_on between ${from} and ${to} and p.disposition in ('referred_treatment_voluntary', 'referred_treatment_compulsory') group by 1,2`.execute(t.db),
  ]);
};
const api = (client: typeof analyst, url: string) => async () => {
  const res = await client.get(url);
  if (res.statusCode !== 200) throw new Error(res.body);
};
const rows: string[][] = [];
const lastMonth = monthPeriod(Number(addDays(END.slice(0, 8) + '01', -1).slice(0, 4)), Number(addDays(END.slice(0, 8) + '01', -1).slice(5, 7)));
const lastYear = yearPeriod(Number(END.slice(0, 4)) - 1);
const week = campaignWeekPeriod(campaign, 20);
const periods: [string, string, Period | { from: string; to: string }][] = [
  ['campaign week (week:20)', `period=week:20&campaignId=${campaign.id}`, week],
  [`month (${lastMonth.spec})`, `period=${lastMonth.spec}`, lastMonth],
  [`year (${lastYear.spec})`, `period=${lastYear.spec}`, lastYear],
  ['campaign to date (143 days)', `period=to_date&campaignId=${campaign.id}`, { from: campaign.startDate, to: END }],
];
const rssBefore = process.memoryUsage().rss;
for (const [label, query, p] of periods) {
  const a0 = api(analyst, `/api/treatment/national?${query}`);
  await a0();
  await rawNational(p.from, p.to)();
  const a = await profiled(`treatment national ${label}`, () => stats(a0));
  const b = await stats(rawNational(p.from, p.to));
  rows.push([`national view, ${label}`, `${a.median.toFixed(1)} / ${a.p95.toFixed(1)} ms`, `${b.median.toFixed(1)} / ${b.p95.toFixed(1)} ms`, (a.p95 / b.p95).toFixed(3)]);
}
const rssAfter = process.memoryUsage().rss;
// The floor of any answer through the API: a signed-in GET that reads no figure (session lookup, policy, JSON).
// A view cannot cost less; against a raw GROUP BY of a few milliseconds, it alone decides the ratio.
{
  const a = await stats(api(analyst, '/api/auth/me'));
  rows.push(['floor: a signed-in GET that reads no figure (/api/auth/me)', `${a.median.toFixed(1)} / ${a.p95.toFixed(1)} ms`, '', '']);
}

// (2) One centre's view (exact figures for its staff; the read is audited), from the summaries.
for (const [label, from] of [
  ['twelve weeks', addDays(END, -83)],
  ['five years', START],
] as const) {
  const c = centres[0];
  const raw = async () => {
    await Promise.all([
      sql`select count(*) from treatment_admissions where organisation_id = ${c.org} and centre_id = ${c.id} and voided_at is null and admitted_on <= ${END} and (discharged_on is null or discharged_on > ${END})`.execute(t.db),
      sql`select admitted_on, legal_basis, referral_source, count(*) from treatment_admissions where organisation_id = ${c.org} and centre_id = ${c.id} and voided_at is null and admitted_on between ${from} and ${END} group by 1,2,3`.execute(t.db),
      sql`select discharged_on, discharge_reason, count(*) from treatment_admissions where organisation_id = ${c.org} and centre_id = ${c.id} and voided_at is null and discharged_on between ${from} and ${END} group by 1,2`.execute(t.db),
    ]);
  };
  const a0 = api(staff, `/api/treatment/centres/${c.id}/view?from=${from}&to=${END}`);
  await a0();
  await raw();
  const a = await stats(a0);
  const b = await stats(raw);
  rows.push([`centre view, ${label} (one centre)`, `${a.median.toFixed(1)} / ${a.p95.toFixed(1)} ms`, `${b.median.toFixed(1)} / ${b.p95.toFixed(1)} ms`, (a.p95 / b.p95).toFixed(3)]);
}

// (3) Admitting a client: the API (validation, centre row lock, overlap check, audit entry) vs a raw insert.
{
  const N = 200;
  const body = (k: number) => ({
    centreId: centres[0].id,
    uic: `MNPK${k % 2 ? 'M' : 'F'}${String(10 + (k % 80)).padStart(2, '0')}${String(1 + (k % 12)).padStart(2, '0')}${String(1 + Math.floor(k / 12) % 28).padStart(2, '0')}`,
    admittedOn: END,
    referralSource: 'family',
    legalBasis: 'voluntary',
    consentRecorded: true,
    primaryDrug: 'crystal_meth',
    route: 'smoke',
    injecting: 'never',
    previousTreatment: 'never',
    sex: 'male',
    ageBand: '25_34',
  });
  const [apiMs] = await time(async () => {
    for (let k = 0; k < N; k++) {
      const res = await staff.post('/api/treatment/admissions', body(k));
      if (res.statusCode !== 201) throw new Error(res.body);
    }
  });
  const now = new Date();
  const [rawMs] = await time(async () => {
    for (let k = 0; k < N; k++) {
      const b = body(k);
      await t.db
        .insertInto('treatment_admissions')
        .values({ id: randomUUID(), organisation_id: centres[1].org, centre_id: centres[1].id, uic: b.uic, admitted_on: END, referral_source: b.referralSource, legal_basis: b.legalBasis, consent_recorded: true, primary_drug: b.primaryDrug, secondary_drugs: '[]', route: b.route, injecting: b.injecting, previous_treatment: b.previousTreatment, sex: b.sex, age_band: b.ageBand, version: 1, created_by: anyAccount, created_at: now, updated_at: now })
        .execute();
    }
  });
  rows.push([`admit ${N} clients one by one (API vs raw insert), per admission`, `${(apiMs / N).toFixed(1)} ms`, `${(rawMs / N).toFixed(1)} ms`, (apiMs / rawMs).toFixed(2)]);
}

const persons = Number((await t.db.selectFrom('case_persons').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
console.log(`\nEngine: ${t.engine}; ${CENTRES} centres, ${ADMISSIONS.toLocaleString('en')} admissions, ${CASES.toLocaleString('en')} cases / ${persons.toLocaleString('en')} persons (generated in ${(genMs / 1000).toFixed(1)} s; summaries rebuilt in ${(aggMs / 1000).toFixed(1)} s: ${summaryRows.toLocaleString('en')} admission and discharge rows); ${RUNS} runs each`);
console.log(`RSS before the national views ${(rssBefore / 2 ** 20).toFixed(0)} MB, after ${(rssAfter / 2 ** 20).toFixed(0)} MB\n`);
console.log('| work | Tonle median / p95 | raw GROUP BY median / p95 | ratio of p95 |');
console.log('| --- | ---: | ---: | ---: |');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
await t.close();
