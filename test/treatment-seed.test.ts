/**
 * The treatment demo data (`npm run start:demo`): the news report's seven state and three private centres, a proposed
 * one, and demo-treatment's community centre with clients in care and discharged — deterministic, valid against the
 * same schemas and rules as the API, fast, and visible in the national view with real figures and small cells.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { bootstrap } from '../src/server/bootstrap.js';
import { periodContaining } from '../src/core/periods.js';
import { addDays, todayInCambodia } from '../src/core/dates.js';
import { admissionInput, dischargeInput, overlappingStay } from '../src/core/treatment.js';
import { isHidden, SMALL } from '../src/core/suppression.js';
import { DEMO_CENTRES, seedTreatmentDemo, treatmentDemoStays } from '../src/server/demo/treatment-seed.js';
import { Client, freshDatabase, type TestDb } from './helpers.js';
import type { FastifyInstance } from 'fastify';

const TODAY = todayInCambodia();
let tdb: TestDb;
let app: FastifyInstance;
const signIn = async (username: string) => {
  const c = new Client(app);
  const res = await c.login(username, `${username}-password`);
  expect(res.statusCode, res.body).toBe(200);
  return c;
};

beforeAll(async () => {
  tdb = await freshDatabase();
  await bootstrap(tdb.db, { demo: true });
  app = await buildApp({ db: tdb.db, loginRateLimit: 10_000 });
  await app.ready();
}, 120_000);
afterAll(async () => {
  await app.close();
  await tdb.close();
});

describe('treatment demo data', () => {
  it('the register: 7 state centres (compulsory) and 3 private ones (mixed or voluntary), a proposed one, a community one', () => {
    const open = DEMO_CENTRES.filter((c) => c.status === 'open');
    expect(open.filter((c) => c.kind === 'state')).toHaveLength(7);
    expect(open.filter((c) => c.kind === 'state').every((c) => c.admissionPolicy === 'compulsory' && c.orgKind === 'state_treatment_centre')).toBe(true);
    expect(open.filter((c) => c.kind === 'private')).toHaveLength(3);
    expect(open.filter((c) => c.kind === 'private').every((c) => c.admissionPolicy !== 'compulsory' && c.orgKind === 'private_treatment_centre')).toBe(true);
    expect(DEMO_CENTRES.filter((c) => c.status === 'planned')).toHaveLength(1);
    expect(DEMO_CENTRES.filter((c) => c.community)).toEqual([expect.objectContaining({ kind: 'community', provinceCode: 'KH-2', status: 'open' })]);
    expect(new Set(DEMO_CENTRES.filter((c) => c.kind !== 'community').map((c) => c.provinceCode)).size).toBeGreaterThanOrEqual(6);
    for (const c of DEMO_CENTRES) expect(c.name).toMatch(/\(demo\)/);
    expect(new Set(DEMO_CENTRES.map((c) => c.name)).size).toBe(DEMO_CENTRES.length);
  });

  it('the stays are deterministic and pass the API\'s own schemas and rules', () => {
    const stays = treatmentDemoStays(TODAY);
    expect(treatmentDemoStays(TODAY)).toEqual(stays);
    expect(stays.length).toBeGreaterThan(500);
    const admission = admissionInput(TODAY);
    const discharge = dischargeInput(TODAY);
    const seen = new Map<string, { admittedOn: string; dischargedOn: string | null }[]>();
    for (const s of stays) {
      const { centre, dischargedOn, dischargeReason, ...body } = s;
      const parsed = admission.safeParse({ ...body, centreId: '6b1953cb-49f6-41fe-824e-9b325f8b35ea' });
      expect(parsed.success, JSON.stringify([s, parsed.error?.issues])).toBe(true);
      expect(DEMO_CENTRES[centre].status).toBe('open');
      if (dischargedOn) {
        expect(discharge.safeParse({ version: 1, dischargedOn, reason: dischargeReason }).success).toBe(true);
        expect(dischargedOn >= s.admittedOn).toBe(true);
      } else expect(dischargeReason).toBeNull();
      const key = `${centre}|${s.uic}`;
      expect(overlappingStay(seen.get(key) ?? [], s.admittedOn), key).toBeNull();
      seen.set(key, [...(seen.get(key) ?? []), { admittedOn: s.admittedOn, dischargedOn }]);
    }
    const state = stays.filter((s) => DEMO_CENTRES[s.centre].kind === 'state');
    expect(state.filter((s) => s.legalBasis !== 'voluntary').length / state.length).toBeGreaterThan(0.8);
  });

  it('seeds in under two seconds', async () => {
    const other = await freshDatabase();
    try {
      await bootstrap(other.db);
      const org = (await other.db.selectFrom('organisations').select('id').executeTakeFirstOrThrow()).id;
      const account = (await other.db.selectFrom('accounts').select('id').executeTakeFirstOrThrow()).id;
      const started = Date.now();
      const r = await seedTreatmentDemo(other.db, { today: TODAY, communityOrganisationId: org, communityAccountId: account });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(r.stays).toBe(treatmentDemoStays(TODAY).length);
    } finally {
      await other.close();
    }
  });

  it('demo-treatment runs the open community centre, with clients in care and clients discharged', async () => {
    const staff = await signIn('demo-treatment');
    const me = (await staff.get('/api/auth/me')).json();
    const centres = (await staff.get('/api/treatment/centres')).json().items as any[];
    const own = centres.filter((c) => c.organisationId === me.account.organisation.id);
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ name: 'Community treatment centre (demo), Battambang', kind: 'community', status: 'open', provinceCode: 'KH-2', organisationName: 'Community treatment centre (demo)' });
    const inCare = (await staff.get('/api/treatment/admissions?inCare=true&limit=1')).json();
    const gone = (await staff.get('/api/treatment/admissions?inCare=false&limit=1')).json();
    expect(inCare.total).toBeGreaterThan(5);
    expect(gone.total).toBeGreaterThan(5);
    expect(inCare.items[0].uic).toMatch(/^[A-Z9]{4}[MFX]\d{6}$/);
    const view = (await staff.get(`/api/treatment/centres/${own[0].id}/view`)).json();
    expect(view.inCareToday).toBe(inCare.total);
    expect(view.discharges).toBeGreaterThan(0);
    expect(view.weeks).toHaveLength(12);
    // and can admit a client there through the API
    const res = await staff.post('/api/treatment/admissions', {
      centreId: own[0].id,
      uic: 'KMVNF930512',
      admittedOn: TODAY,
      referralSource: 'outreach_ngo',
      legalBasis: 'voluntary',
      consentRecorded: true,
      primaryDrug: 'crystal_meth',
      route: 'smoke',
      injecting: 'never',
      previousTreatment: 'never',
      sex: 'female',
      ageBand: '25_34',
    });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('the national view shows real figures with some small cells; referrals from the enforcement week appear', async () => {
    const analyst = await signIn('demo-analyst');
    const all = (await analyst.get('/api/treatment/centres')).json().items as any[];
    expect(all).toHaveLength(DEMO_CENTRES.length);
    // the last complete quarter, inside the demo's 26 weeks (the national view takes fixed, complete periods only)
    const quarter = periodContaining('quarter', addDays(periodContaining('quarter', TODAY).from, -1)).spec;
    const nat = await analyst.get(`/api/treatment/national?period=${quarter}`);
    expect(nat.statusCode, nat.body).toBe(200);
    const v = nat.json();
    expect(v.byKind.centres).toEqual([7, 3, 0, 1, 0]);
    expect(v.byKind.plannedCapacity[0]).toBe(DEMO_CENTRES.find((c) => c.status === 'planned')!.capacity);
    expect(typeof v.byKind.admissions.total).toBe('number');
    expect(v.byKind.admissions.total).toBeGreaterThan(100);
    expect(v.byKind.shareVoluntary[0]).toBeLessThan(v.byKind.shareVoluntary[1]);
    expect(v.byKind.occupancy[0]).toBeGreaterThan(0.5);
    const cells = [v.byProvince.admissions, v.byProvince.inCare, v.byKind.admissions, v.byKind.discharges].flatMap((t: any) => [...t.cells.flat(), ...t.rowTotals]);
    expect(cells).toContain(SMALL);
    expect(cells.filter((x: unknown) => typeof x === 'number' && x >= 5).length).toBeGreaterThan(10);
    expect(v.byProvince.admissions.withheld).toBe(false);
    // the campaign's first week (the enforcement demo) referred people to treatment
    const campaign = ((await analyst.get('/api/campaigns')).json().items as any[])[0];
    const week1 = await analyst.get(`/api/treatment/national?period=week:1&campaignId=${campaign.id}`);
    expect(week1.statusCode, week1.body).toBe(200);
    const r = week1.json().referrals;
    expect(r.persons.total === SMALL || r.persons.total > 0).toBe(true);
    // a campaign week is released one dimension at a time: its two-way tables have margins only, no per-row rates
    const wk = week1.json();
    for (const table of [r.persons, wk.byKind.admissions, wk.byProvince.discharges]) {
      expect(table.crossed).toBe(false);
      expect(table.cells.every((row: unknown[]) => row.length === 0)).toBe(true);
    }
    expect(wk.byKind.shareVoluntary.every((x: unknown) => x === null)).toBe(true);
    // the campaign's days are never released
    const day1 = await analyst.get(`/api/treatment/national?period=day:1&campaignId=${campaign.id}`);
    expect(day1.statusCode).toBe(400);
    expect(day1.json().error.fields[0].path).toBe('query.period');
    expect(r.noCentre.some(Boolean)).toBe(true);
    expect(r.rows.filter((_: string, i: number) => r.capacity[i] > 0 && !isHidden(r.persons.rowTotals[i]) && r.persons.rowTotals[i] > 0).length).toBeGreaterThan(0);
    // a year before the demo: nothing (zeros are shown as 0)
    const before = (await analyst.get(`/api/treatment/national?period=${addDays(TODAY, -800).slice(0, 4)}`)).json();
    expect(before.byKind.admissions.total).toBe(0);
  });

  it('the records accounts of the other centres cannot sign in; the audit chain is intact', async () => {
    const records = await tdb.db.selectFrom('accounts').select(['username', 'disabled']).where('username', 'like', 'demo-records-%').execute();
    expect(records).toHaveLength(DEMO_CENTRES.length - 1);
    expect(records.every((r) => r.disabled)).toBe(true);
    const c = new Client(app);
    expect((await c.login(records[0].username, '!')).statusCode).not.toBe(200);
    const auditor = await signIn('demo-auditor');
    const verify = (await auditor.get('/api/audit/verify')).json();
    expect(verify.ok).toBe(true);
    // no stay's UIC in the audit trail
    const uics = new Set((await tdb.db.selectFrom('treatment_admissions').select('uic').execute()).map((r) => r.uic));
    const trail = JSON.stringify(await tdb.db.selectFrom('audit_log').select(['entity_id', 'details']).where('entity', 'in', ['treatment_admission', 'treatment_centre']).execute());
    for (const u of uics) expect(trail.includes(u), u).toBe(false);
  });
});
