/**
 * The enforcement pillar's maintained aggregates (src/server/enforcement/aggregates.ts), through the real services on
 * a real database: random sequences of creates, corrections, disposition changes, voids, imports and re-imports keep
 * the summaries equal to the GROUP BY of the base tables (`verify`), and the report read from the summaries equals
 * the report computed the old way, straight from the cases (the reference GROUP BYs are kept below); rebuild gives
 * the same rows; a tampered summary row is named by `verify` and by the CLI (exit 1); a write that fails after the
 * summaries were updated leaves neither the record nor the summaries changed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers.js';
import { runCli } from './cli-helper.js';
import { importResult } from './enforcement-helpers.js';
import { openDatabase, type Database } from '../src/server/db/index.js';
import { bootstrap } from '../src/server/bootstrap.js';
import {
  ENFORCEMENT_AGGREGATE_TABLES,
  enforcementAggregates,
  periodCover,
  referredToTreatment,
} from '../src/server/enforcement/aggregates.js';
import { CaseImportService } from '../src/server/enforcement/import.js';
import { buildEnforcementReport, pressPeriod, type EnforcementInputs } from '../src/core/indicators/enforcement.js';
import { AGE_BANDS, CASE_TYPES, DISPOSITIONS, DRUGS, PERSON_ROLES, QUANTITY_UNITS, SEXES, type CaseInput } from '../src/core/enforcement.js';
import { addDays, eachDay, type DateRange } from '../src/core/dates.js';
import { casesToCsv } from '../src/server/demo/enforcement-seed.js';

// ---------------------------------------------------------------------------------------------------------------
// The reference: the report's seven GROUP BYs over the base tables, as the report ran them before the summaries.

async function referenceInputs(db: Database, range: DateRange, area: { province?: string; district?: string }): Promise<EnforcementInputs> {
  const cases = () => {
    let b = db.selectFrom('enforcement_cases as c').where('c.voided_at', 'is', null).where('c.occurred_on', '>=', range.from).where('c.occurred_on', '<=', range.to);
    if (area.province) b = b.where('c.province_code', '=', area.province);
    if (area.district) b = b.where('c.district_code', '=', area.district);
    return b;
  };
  const int = (e: ReturnType<typeof sql>) => sql<number>`(${e})::int`;
  const float = (e: ReturnType<typeof sql>) => sql<number>`(${e})::float8`;
  const [totals, persons, seizures, daily, dailyRoles, provinces, provinceRoles] = await Promise.all([
    cases()
      .select([
        int(sql`count(*)`).as('cases'),
        int(sql`coalesce(sum(c.vehicles), 0)`).as('vehicles'),
        int(sql`coalesce(sum(c.motorcycles), 0)`).as('motorcycles'),
        int(sql`coalesce(sum(c.phones), 0)`).as('phones'),
        float(sql`coalesce(sum(c.cash_khr), 0)`).as('cashKhr'),
        float(sql`coalesce(sum(c.cash_usd), 0)`).as('cashUsd'),
        int(sql`coalesce(sum(c.weapons), 0)`).as('weapons'),
      ])
      .executeTakeFirstOrThrow(),
    cases()
      .innerJoin('case_persons as p', 'p.case_id', 'c.id')
      .select(['p.role', 'p.sex', 'p.age_band as ageBand', 'p.nationality', 'p.disposition', int(sql`count(*)`).as('n')])
      .groupBy(['p.role', 'p.sex', 'p.age_band', 'p.nationality', 'p.disposition'])
      .execute(),
    cases()
      .innerJoin('case_seizures as s', 's.case_id', 'c.id')
      .select(['s.drug', 's.unit', float(sql`sum(s.quantity)`).as('quantity'), int(sql`count(distinct c.id)`).as('cases')])
      .groupBy(['s.drug', 's.unit'])
      .execute(),
    cases().select([sql<string>`c.occurred_on::text`.as('date'), int(sql`count(*)`).as('cases')]).groupBy('c.occurred_on').execute(),
    cases()
      .innerJoin('case_persons as p', 'p.case_id', 'c.id')
      .select([sql<string>`c.occurred_on::text`.as('date'), 'p.role', int(sql`count(*)`).as('n')])
      .groupBy(['c.occurred_on', 'p.role'])
      .execute(),
    cases().select(['c.province_code as provinceCode', int(sql`count(*)`).as('cases')]).groupBy('c.province_code').execute(),
    cases()
      .innerJoin('case_persons as p', 'p.case_id', 'c.id')
      .select(['c.province_code as provinceCode', 'p.role', 'p.sex', int(sql`count(*)`).as('n')])
      .groupBy(['c.province_code', 'p.role', 'p.sex'])
      .execute(),
  ]);
  const { cases: n, ...assets } = totals;
  return { range, cases: n, persons, seizures, assets, daily, dailyRoles, provinces, provinceRoles };
}

async function referenceReport(db: Database, range: DateRange, area: { province?: string; district?: string }) {
  const r = buildEnforcementReport(await referenceInputs(db, range, area), null, pressPeriod(range, null));
  return JSON.parse(JSON.stringify({ ...r, campaign: null, area: { provinceCode: area.province ?? null, districtCode: area.district ?? null } }));
}

/** Every summary row (all four tables), in key order: what rebuild must reproduce. */
async function snapshot(db: Database) {
  const out: Record<string, unknown[]> = {};
  for (const spec of ENFORCEMENT_AGGREGATE_TABLES) {
    const r = await sql<Record<string, unknown>>`select * from ${sql.table(spec.table)} order by ${sql.join(spec.key.map((c) => sql.ref(c)))}`.execute(db);
    out[spec.table] = r.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)])));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

let t: TestApp;
let unit: string;
let clerk: Awaited<ReturnType<TestApp['user']>>;
let analyst: Awaited<ReturnType<TestApp['user']>>;
let ref = 0;

beforeAll(async () => {
  t = await startTestApp();
  const imp = await t.admin.post('/api/geography/import', readFileSync('reference/geography-sample-phnom-penh.csv', 'utf8'), { 'content-type': 'text/csv' });
  expect(imp.statusCode, imp.body).toBe(200);
  unit = await t.org('enforcement', 'police_unit', 'Aggregates unit');
  clerk = await t.user('enforcement_clerk', unit);
  analyst = await t.user('analyst', await t.org('oversight', 'national_committee', 'Aggregates committee'));
}, 60_000);
afterAll(() => t?.close());

// Cases from mid-November 2023 to February 2024: ranges cross month and year boundaries.
const FIRST = '2023-11-20';
const DAYS = 80;
const SPAN: DateRange = { from: '2023-11-01', to: '2024-03-31' };

const person = fc.record({
  role: fc.constantFrom(...PERSON_ROLES),
  sex: fc.constantFrom(...SEXES),
  ageBand: fc.constantFrom(...AGE_BANDS),
  nationality: fc.constantFrom<string>('KH', 'VN', 'TH'),
  disposition: fc.constantFrom(...DISPOSITIONS),
});
const quantity = fc.oneof(fc.constantFrom(0.1, 0.2, 0.3, 12.5), fc.integer({ min: 1, max: 10_000_000 }).map((n) => n / 1000));
const seizure = fc.record({ drug: fc.constantFrom(...DRUGS.slice(0, 3)), quantity, unit: fc.constantFrom(...QUANTITY_UNITS.slice(0, 3)) });
const place = fc.constantFrom(
  { provinceCode: 'KH-12', districtCode: null },
  { provinceCode: 'KH-12', districtCode: '1201' },
  { provinceCode: 'KH-12', districtCode: '1202' },
  { provinceCode: 'KH-3', districtCode: null },
  { provinceCode: 'KH-17', districtCode: null },
);
/** A case's content (without its reference). */
const content = fc.record({
  day: fc.integer({ min: 0, max: DAYS }),
  place,
  caseType: fc.constantFrom(...CASE_TYPES),
  persons: fc.array(person, { maxLength: 4 }),
  seizures: fc.array(seizure, { maxLength: 3 }),
  assets: fc.record({
    vehicles: fc.integer({ min: 0, max: 2 }),
    motorcycles: fc.integer({ min: 0, max: 3 }),
    phones: fc.integer({ min: 0, max: 5 }),
    cashKhr: fc.integer({ min: 0, max: 500_000 }),
    cashUsd: fc.integer({ min: 0, max: 100_000 }).map((n) => n / 100),
    weapons: fc.integer({ min: 0, max: 1 }),
  }),
});
type Content = typeof content extends fc.Arbitrary<infer T> ? T : never;

function toInput(unitReference: string, c: Content): CaseInput {
  const on = addDays(FIRST, c.day);
  return { unitReference, occurredOn: on, reportedOn: on, ...c.place, communeCode: null, caseType: c.caseType, persons: c.persons, seizures: c.seizures, assets: c.assets } as CaseInput;
}

const command = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('create' as const), c: content }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('correct' as const), pick: fc.nat(), c: content, keepIds: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('disposition' as const), pick: fc.nat(), person: fc.nat(), disposition: fc.constantFrom(...DISPOSITIONS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('import' as const),
      fresh: fc.array(content, { maxLength: 4 }),
      changed: fc.array(fc.record({ pick: fc.nat(), c: content }), { maxLength: 3 }),
      unchanged: fc.array(fc.nat(), { maxLength: 2 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'reimport' as const }) },
);
type Command = typeof command extends fc.Arbitrary<infer T> ? T : never;

interface Known {
  id: string;
  input: CaseInput;
  voided: boolean;
}

async function run(cmds: Command[], known: Known[], last: { files?: { cases: string; seizures: string } }) {
  const live = () => known.filter((k) => !k.voided);
  for (const cmd of cmds) {
    if (cmd.kind === 'create') {
      const input = toInput(`AGG-${++ref}`, cmd.c);
      const res = await clerk.post('/api/cases', input);
      expect(res.statusCode, res.body).toBe(201);
      known.push({ id: res.json().id, input, voided: false });
    } else if (cmd.kind === 'correct' || cmd.kind === 'disposition' || cmd.kind === 'void') {
      const ks = live();
      if (!ks.length) continue;
      const k = ks[cmd.pick % ks.length];
      const cur = (await clerk.get(`/api/cases/${k.id}`)).json();
      if (cmd.kind === 'correct') {
        const input = toInput(k.input.unitReference, cmd.c);
        const persons = input.persons.map((p, i) => (cmd.keepIds && cur.persons[i] ? { ...p, id: cur.persons[i].id } : p));
        const res = await clerk.request('PUT', `/api/cases/${k.id}`, { ...input, persons, version: cur.version });
        expect(res.statusCode, res.body).toBe(200);
        k.input = input;
      } else if (cmd.kind === 'disposition') {
        if (!cur.persons.length) continue;
        const p = cur.persons[cmd.person % cur.persons.length];
        const res = await clerk.patch(`/api/cases/${k.id}/persons/${p.id}`, { disposition: cmd.disposition });
        expect(res.statusCode, res.body).toBe(200);
        k.input = { ...k.input, persons: k.input.persons.map((q, i) => (i === cmd.person % cur.persons.length ? { ...q, disposition: cmd.disposition } : q)) };
      } else {
        const res = await clerk.post(`/api/cases/${k.id}/void`, { reason: 'entered_in_error' });
        expect(res.statusCode, res.body).toBe(200);
        k.voided = true;
      }
    } else if (cmd.kind === 'import') {
      const ks = live();
      const batch = new Map<string, CaseInput>();
      for (const c of cmd.fresh) {
        const input = toInput(`AGG-${++ref}`, c);
        batch.set(input.unitReference, input);
      }
      for (const ch of ks.length ? cmd.changed : []) {
        const k = ks[ch.pick % ks.length];
        batch.set(k.input.unitReference, toInput(k.input.unitReference, ch.c));
      }
      for (const u of ks.length ? cmd.unchanged : []) {
        const k = ks[u % ks.length];
        if (!batch.has(k.input.unitReference)) batch.set(k.input.unitReference, k.input);
      }
      if (!batch.size) continue;
      const files = casesToCsv([...batch.values()]);
      importResult(await clerk.post('/api/cases/import', files));
      last.files = files;
      const ids = await t.db.selectFrom('enforcement_cases').select(['id', 'unit_reference']).where('organisation_id', '=', unit).where('unit_reference', 'in', [...batch.keys()]).execute();
      for (const row of ids) {
        const input = batch.get(row.unit_reference)!;
        const k = known.find((x) => x.id === row.id);
        if (k) k.input = input;
        else known.push({ id: row.id, input, voided: false });
      }
    } else if (cmd.kind === 'reimport' && last.files) {
      const res = await clerk.post('/api/cases/import', last.files);
      // A case voided since the file was first imported cannot be imported again: then nothing changes.
      if (res.statusCode === 400) continue;
      const r = importResult(res);
      expect(r.created).toBe(0);
    }
  }
}

async function expectReportsMatch(ranges: { range: DateRange; province?: string; district?: string }[]) {
  for (const { range, province, district } of ranges) {
    const q = new URLSearchParams({ from: range.from, to: range.to, ...(province ? { province } : {}), ...(district ? { district } : {}) });
    const res = await analyst.get(`/api/enforcement/report?${q}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json(), `report ${q}`).toEqual(await referenceReport(t.db, range, { province, district }));
  }
}

describe('a range as whole years, months and days', () => {
  it('covers every day of any range exactly once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 1200 }), (a, len) => {
        const from = addDays('2019-06-15', a);
        const to = addDays(from, len);
        const segs = periodCover(from, to);
        const days: string[] = [];
        for (const s of segs) {
          // The last day of the period that starts at s.to (a day, a month or a year).
          const [y, m] = [Number(s.to.slice(0, 4)), Number(s.to.slice(5, 7))];
          const end = s.grain === 'day' ? s.to : s.grain === 'year' ? `${y}-12-31` : new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
          if (s.grain !== 'day') expect(s.from.slice(s.grain === 'year' ? 4 : 7)).toBe(s.grain === 'year' ? '-01-01' : '-01');
          days.push(...eachDay({ from: s.from, to: end }));
        }
        expect(days).toEqual(eachDay({ from, to }));
        expect(segs.filter((s) => s.grain === 'year').length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
    expect(periodCover('2021-01-01', '2025-12-06')).toEqual([
      { grain: 'year', from: '2021-01-01', to: '2024-01-01' },
      { grain: 'month', from: '2025-01-01', to: '2025-11-01' },
      { grain: 'day', from: '2025-12-01', to: '2025-12-06' },
    ]);
  });
});

describe('summaries maintained by every write', () => {
  const known: Known[] = [];
  const last: { files?: { cases: string; seizures: string } } = {};

  it('random sequences of creates, corrections, disposition changes, voids, imports and re-imports: verify is clean and the report equals the one from the base tables', async () => {
    const day = fc.integer({ min: -15, max: DAYS + 15 });
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 10 }), day, day, async (cmds, a, b) => {
        await run(cmds, known, last);
        const v = await enforcementAggregates.verify(t.db);
        expect(v).toEqual({ ok: true, checked: expect.any(Number) });
        const [x, y] = a <= b ? [a, b] : [b, a];
        const random = { from: addDays(FIRST, x), to: addDays(FIRST, y) };
        await expectReportsMatch([
          { range: SPAN },
          { range: random },
          { range: random, province: 'KH-12' },
          { range: SPAN, province: 'KH-12', district: '1201' },
        ]);
      }),
      { numRuns: 12 },
    );
    expect(known.length).toBeGreaterThan(10);
    // The summaries hold something and every grain is there.
    const grains = await t.db.selectFrom('enforcement_agg_cases').select('grain').distinct().execute();
    expect(grains.map((g) => g.grain).sort()).toEqual(['day', 'month', 'year']);
  }, 600_000);

  it('the report answers the same figures for many ranges and areas', async () => {
    const ranges = [
      { range: { from: '2023-11-20', to: '2023-11-26' } },
      { range: { from: '2023-12-01', to: '2023-12-31' } },
      { range: { from: '2023-12-15', to: '2024-01-14' } },
      { range: { from: '2024-01-01', to: '2024-12-31' } },
      { range: { from: '2023-01-01', to: '2024-12-31' } },
      { range: { from: '2020-01-01', to: '2024-06-30' }, province: 'KH-12' },
      { range: { from: '2023-11-01', to: '2024-02-29' }, province: 'KH-12', district: '1202' },
      { range: { from: '2023-11-01', to: '2024-02-29' }, province: 'KH-3' },
    ];
    await expectReportsMatch(ranges);
  });

  it('referredToTreatment gives the persons referred to treatment by province, as the base tables do', async () => {
    for (const range of [SPAN, { from: '2023-12-10', to: '2024-01-20' }]) {
      const base = await t.db
        .selectFrom('case_persons as p')
        .innerJoin('enforcement_cases as e', 'e.id', 'p.case_id')
        .select(['e.province_code as provinceCode', 'p.disposition', sql<number>`count(*)::int`.as('n')])
        .where('e.voided_at', 'is', null)
        .where('e.occurred_on', '>=', range.from)
        .where('e.occurred_on', '<=', range.to)
        .where('p.disposition', 'in', ['referred_treatment_voluntary', 'referred_treatment_compulsory'])
        .groupBy(['e.province_code', 'p.disposition'])
        .orderBy('e.province_code')
        .orderBy('p.disposition')
        .execute();
      expect(await referredToTreatment(t.db, range)).toEqual(base);
    }
    expect((await referredToTreatment(t.db, SPAN)).length).toBeGreaterThan(0);
  });

  it('rebuild from scratch gives exactly the maintained rows', async () => {
    const maintained = await snapshot(t.db);
    expect(maintained.enforcement_agg_cases.length).toBeGreaterThan(0);
    for (const spec of ENFORCEMENT_AGGREGATE_TABLES) await t.db.deleteFrom(spec.table).execute();
    const empty = await enforcementAggregates.verify(t.db);
    expect(empty.ok).toBe(false);
    await enforcementAggregates.rebuild(t.db);
    expect(await snapshot(t.db)).toEqual(maintained);
    expect(await enforcementAggregates.verify(t.db)).toEqual({ ok: true, checked: expect.any(Number) });
  });

  it('a tampered summary row is named by verify: table, key, summary value and base value', async () => {
    const row = await t.db.selectFrom('enforcement_agg_cases').selectAll().where('grain', '=', 'month').where('cases', '>', 0).orderBy('occurred_on').orderBy('province_code').limit(1).executeTakeFirstOrThrow();
    const at = (q: any) =>
      q
        .where('grain', '=', row.grain)
        .where('occurred_on', '=', row.occurred_on)
        .where('province_code', '=', row.province_code)
        .where('district_code', '=', row.district_code)
        .where('case_type', '=', row.case_type)
        .where('organisation_id', '=', row.organisation_id);
    await at(t.db.updateTable('enforcement_agg_cases').set({ cases: row.cases + 1 })).execute();
    const v = await enforcementAggregates.verify(t.db);
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.difference).toContain('enforcement_agg_cases');
      expect(v.difference).toContain(`grain=month, occurred_on=${row.occurred_on}, province_code=${row.province_code}`);
      expect(v.difference).toContain(`cases is ${row.cases + 1} in the summary but ${row.cases} in the base tables`);
    }
    await at(t.db.updateTable('enforcement_agg_cases').set({ cases: row.cases })).execute();
    // A seizure quantity off by a thousandth is found as well (exact numeric comparison).
    const s = await t.db.selectFrom('enforcement_agg_seizures').selectAll().where('grain', '=', 'day').orderBy('occurred_on').limit(1).executeTakeFirstOrThrow();
    await sql`update enforcement_agg_seizures set quantity = quantity + 0.001 where grain = 'day' and occurred_on = ${s.occurred_on} and province_code = ${s.province_code} and district_code = ${s.district_code} and case_type = ${s.case_type} and drug = ${s.drug} and unit = ${s.unit}`.execute(t.db);
    const v2 = await enforcementAggregates.verify(t.db);
    expect(v2.ok).toBe(false);
    if (!v2.ok) expect(v2.difference).toMatch(/^enforcement_agg_seizures \(grain=day, .*\): quantity is /);
    await enforcementAggregates.rebuild(t.db);
    expect((await enforcementAggregates.verify(t.db)).ok).toBe(true);
  });

  it('a write that fails after the summaries were updated rolls both back', async () => {
    const before = await snapshot(t.db);
    const count = async () => Number((await t.db.selectFrom('enforcement_cases').select((eb) => eb.fn.countAll().as('n')).where('voided_at', 'is', null).executeTakeFirstOrThrow()).n);
    const n = await count();
    // a live case with persons, as the server has it now (the generated runs before may have left any mix)
    let k: Known | undefined;
    let cur: { version: number; persons: { id: string; disposition: string }[] } | undefined;
    for (const x of known.filter((y) => !y.voided && y.input.persons.length)) {
      const res = await clerk.get(`/api/cases/${x.id}`);
      expect(res.statusCode, `${x.id}: ${res.body}`).toBe(200);
      const body = res.json();
      if (!body.voidedAt && body.persons?.length) {
        k = x;
        cur = body;
        break;
      }
    }
    if (!k || !cur) throw new Error(`no live case with persons among ${known.length} known cases`);
    // The audit entry is written after the summaries: make it fail.
    await sql`create function tonle_test_fail() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`.execute(t.db);
    await sql`create trigger tonle_test_fail before insert on audit_log for each row when (new.action like 'case.%') execute function tonle_test_fail()`.execute(t.db);
    try {
      const input = toInput(`AGG-${++ref}`, { day: 3, place: { provinceCode: 'KH-12', districtCode: null }, caseType: 'use', persons: [k.input.persons[0]], seizures: [{ drug: 'heroin', quantity: 1, unit: 'g' }], assets: k.input.assets });
      expect((await clerk.post('/api/cases', input)).statusCode).toBe(500);
      expect((await clerk.request('PUT', `/api/cases/${k.id}`, { ...input, unitReference: k.input.unitReference, version: cur.version })).statusCode).toBe(500);
      expect((await clerk.patch(`/api/cases/${k.id}/persons/${cur.persons[0].id}`, { disposition: cur.persons[0].disposition === 'released' ? 'pending' : 'released' })).statusCode).toBe(500);
      expect((await clerk.post(`/api/cases/${k.id}/void`, { reason: 'duplicate' })).statusCode).toBe(500);
      const imp = await clerk.post('/api/cases/import', casesToCsv([input, { ...k.input, caseType: k.input.caseType === 'use' ? 'possession' : 'use' }]));
      expect(imp.body).toContain('"error"');
    } finally {
      await sql`drop trigger tonle_test_fail on audit_log`.execute(t.db);
      await sql`drop function tonle_test_fail()`.execute(t.db);
    }
    expect(await count()).toBe(n);
    expect(await snapshot(t.db)).toEqual(before);
    expect((await clerk.get(`/api/cases/${k.id}`)).json().version).toBe(cur.version);
    expect((await enforcementAggregates.verify(t.db)).ok).toBe(true);
  });
});

describe('npm run tonle -- verify-aggregates / rebuild-aggregates', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tonle-agg-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('clean after an import: exit 0; a tampered row: exit 1 naming it; rebuild repairs it', async () => {
    const opened = await openDatabase({ dataDir: dir });
    await bootstrap(opened.db);
    const org = randomUUID();
    const account = randomUUID();
    const now = new Date();
    await opened.db.insertInto('organisations').values({ id: org, name: 'CLI unit', sector: 'enforcement', kind: 'police_unit', province_code: 'KH-12', district_code: null, commune_code: null, status: 'active', created_at: now, updated_at: now }).execute();
    await opened.db
      .insertInto('accounts')
      .values({ id: account, organisation_id: org, username: 'cli-clerk', password_hash: 'x', role: 'enforcement_clerk', locale: 'en', must_change_password: false, disabled: false, created_at: now, updated_at: now })
      .execute();
    const actor = { accountId: account, organisationId: org, sector: 'enforcement' as const, role: 'enforcement_clerk' as const, mustChangePassword: false };
    const files = casesToCsv(
      Array.from({ length: 30 }, (_, i) =>
        toInput(`CLI-${i + 1}`, {
          day: i,
          place: { provinceCode: i % 2 ? 'KH-12' : 'KH-3', districtCode: null },
          caseType: 'trafficking',
          persons: [{ role: 'alleged_user', sex: 'female', ageBand: '18_24', nationality: 'KH', disposition: 'referred_treatment_voluntary' }],
          seizures: [{ drug: 'crystal_meth', quantity: 1.5, unit: 'g' }],
          assets: { vehicles: 0, motorcycles: 1, phones: 1, cashKhr: 0, cashUsd: 0, weapons: 0 },
        }),
      ),
    );
    const imp = new CaseImportService(opened.db);
    const v = await imp.validate(actor, files.cases, files.seizures);
    await imp.run(actor, v.cases, v.rows, { accountId: account, organisationId: org, ip: 'test' });
    await opened.close();

    const ok = await runCli(['verify-aggregates'], dir);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/aggregates verified: \d+ summary rows agree/);

    const again = await openDatabase({ dataDir: dir });
    await sql`update enforcement_agg_person_dims set persons = persons + 2 where grain = 'year' and dimension = 'disposition' and province_code = 'KH-3'`.execute(again.db);
    await again.close();
    const bad = await runCli(['verify-aggregates'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('aggregates DIFFER (enforcement): enforcement_agg_person_dims (grain=year, occurred_on=2023-01-01, province_code=KH-3');
    expect(bad.stderr).toContain('dimension=disposition, value=referred_treatment_voluntary): persons is 17 in the summary but 15 in the base tables');

    const rebuilt = await runCli(['rebuild-aggregates'], dir);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    const clean = await runCli(['verify-aggregates'], dir);
    expect(clean.code, clean.stderr).toBe(0);
  }, 120_000);
});
