/**
 * Admissions and discharges through the real server: the happy path, every rule's 4xx with the exact field path,
 * nothing written on refusal, the audit trail (every write and every read, never a UIC in clear), and a concurrent
 * double admission that yields exactly one stay.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { startTestApp, type Client, type TestApp } from './helpers.js';
import { addDays, todayInCambodia } from '../src/core/dates.js';
import { admissionBody, admit, auditSince, centreOrg, createCentre, discharge, lastAuditSeq, nextUic, treatmentCounts, voluntary } from './treatment-helpers.js';

let t: TestApp;
let staff: Awaited<ReturnType<TestApp['user']>>;
let manager: Client;
let otherStaff: Client;
let centre: any;
let closed: any;
let planned: any;
let otherCentre: any;
let org: string;

beforeAll(async () => {
  t = await startTestApp({ loginRateLimit: 100_000 });
  const imp = await t.admin.post('/api/geography/import', readFileSync('reference/geography-sample-phnom-penh.csv', 'utf8'), { 'content-type': 'text/csv' });
  expect(imp.statusCode).toBe(200);
  org = await centreOrg(t, 'Admissions community centre org');
  const other = await centreOrg(t, 'Admissions other centre org', 'private_treatment_centre');
  staff = await t.user('treatment_staff', org);
  manager = await t.user('programme_manager', org);
  otherStaff = await t.user('treatment_staff', other);
  centre = await createCentre(t, org, { name: 'Admissions community centre', capacity: 3 });
  closed = await createCentre(t, org, { name: 'Admissions closed centre', status: 'closed' });
  planned = await createCentre(t, org, { name: 'Admissions planned centre', status: 'planned' });
  otherCentre = await createCentre(t, other, { name: 'Admissions private centre', kind: 'private', admissionPolicy: 'mixed' });
});
afterAll(() => t.close());

const fields = (res: LightMyRequestResponse) => res.json().error.fields as { path: string; message: string }[];

/** A refused request: the status, the one field it names (and its message), and nothing written. */
async function refused(send: () => Promise<LightMyRequestResponse>, status: number, path: string, message?: string | RegExp) {
  const before = await treatmentCounts(t.db);
  const res = await send();
  expect(res.statusCode, res.body).toBe(status);
  const f = fields(res);
  expect(f.map((x) => x.path), res.body).toContain(path);
  if (message) {
    const m = f.find((x) => x.path === path)!.message;
    if (typeof message === 'string') expect(m).toBe(message);
    else expect(m).toMatch(message);
  }
  expect(res.json().error.message).toContain(path);
  expect(await treatmentCounts(t.db), `nothing written by ${res.body}`).toEqual(before);
  return res;
}

describe('admission and discharge: the happy path', () => {
  it('admits, reads, lists, discharges, with versions and days in care', async () => {
    const uic = nextUic('F');
    const body = voluntary(centre.id, { uic: uic.toLowerCase(), admittedOn: '2024-03-01', secondaryDrugs: ['heroin', 'meth_tablets'], route: 'inject', injecting: 'last_30_days', sex: 'female', ageBand: '18_24' });
    const a = await admit(staff, body);
    expect(a).toEqual({
      id: expect.any(String),
      centreId: centre.id,
      uic, // upper-cased
      admittedOn: '2024-03-01',
      referralSource: 'self',
      legalBasis: 'voluntary',
      consentRecorded: true,
      primaryDrug: 'crystal_meth',
      secondaryDrugs: ['heroin', 'meth_tablets'],
      route: 'inject',
      injecting: 'last_30_days',
      previousTreatment: 'never',
      sex: 'female',
      ageBand: '18_24',
      dischargedOn: null,
      dischargeReason: null,
      daysInCare: expect.any(Number),
      voidedAt: null,
      voidReason: null,
      version: 1,
    });
    const today = todayInCambodia();
    expect(a.daysInCare).toBe(Math.round((Date.parse(today) - Date.parse('2024-03-01')) / 86_400_000));

    const one = await staff.get(`/api/treatment/admissions/${a.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(a);
    // the programme manager of the organisation reads too (admission.read), but may not write
    expect((await manager.get(`/api/treatment/admissions/${a.id}`)).json()).toEqual(a);
    expect((await manager.post('/api/treatment/admissions', admissionBody(centre.id))).statusCode).toBe(403);

    const listed = (await staff.get(`/api/treatment/admissions?centreId=${centre.id}&inCare=true&uic=${uic.slice(0, 5)}`)).json();
    expect(listed).toEqual({ items: [a], total: 1 });

    const d = await discharge(staff, a, '2024-04-15', 'completed');
    expect(d).toMatchObject({ id: a.id, dischargedOn: '2024-04-15', dischargeReason: 'completed', version: 2, daysInCare: 45 });
    expect((await staff.get(`/api/treatment/admissions?centreId=${centre.id}&inCare=true&uic=${uic}`)).json()).toEqual({ items: [], total: 0 });
    expect((await staff.get(`/api/treatment/admissions?centreId=${centre.id}&inCare=false&uic=${uic}`)).json()).toEqual({ items: [d], total: 1 });
  });

  it('lists newest admission first, with the total and paging', async () => {
    const c = await createCentre(t, org, { name: 'Admissions paging centre' });
    const stays = [];
    for (const day of ['2024-05-03', '2024-05-01', '2024-05-02']) stays.push(await admit(staff, admissionBody(c.id, { admittedOn: day })));
    const page1 = (await staff.get(`/api/treatment/admissions?centreId=${c.id}&limit=2`)).json();
    expect(page1.total).toBe(3);
    expect(page1.items.map((x: any) => x.admittedOn)).toEqual(['2024-05-03', '2024-05-02']);
    const page2 = (await staff.get(`/api/treatment/admissions?centreId=${c.id}&limit=2&offset=2`)).json();
    expect(page2).toEqual({ items: [stays[1]], total: 3 });
  });
});

describe('admission rules: every refusal names its field and writes nothing', () => {
  it('discharge before the admission, and in the future', async () => {
    const a = await admit(staff, admissionBody(centre.id, { admittedOn: '2024-03-10' }));
    await refused(() => staff.post(`/api/treatment/admissions/${a.id}/discharge`, { version: 1, dischargedOn: '2024-03-09', reason: 'completed' }), 400, 'dischargedOn', 'must not be before the admission (2024-03-10)');
    const tomorrow = addDays(todayInCambodia(), 1);
    await refused(() => staff.post(`/api/treatment/admissions/${a.id}/discharge`, { version: 1, dischargedOn: tomorrow, reason: 'completed' }), 400, 'dischargedOn', 'must not be in the future');
    await refused(() => staff.post(`/api/treatment/admissions/${a.id}/discharge`, { version: 1, dischargedOn: '2024-03-12', reason: 'escaped' }), 400, 'reason');
    // discharged on the day of admission is allowed (0 days in care)
    expect((await discharge(staff, a, '2024-03-10', 'left_against_advice')).daysInCare).toBe(0);
  });

  it('an admission in the future, a bad UIC, consent, drugs and injecting', async () => {
    const tomorrow = addDays(todayInCambodia(), 1);
    await refused(() => staff.post('/api/treatment/admissions', admissionBody(centre.id, { admittedOn: tomorrow })), 400, 'admittedOn', 'must not be in the future');
    await refused(() => staff.post('/api/treatment/admissions', admissionBody(centre.id, { admittedOn: '2024-02-30' })), 400, 'admittedOn', 'must be a date YYYY-MM-DD');
    await refused(() => staff.post('/api/treatment/admissions', admissionBody(centre.id, { uic: 'SOKHA DARA' })), 400, 'uic', 'does not match the UIC format M2F2SYYMMDD');
    await refused(() => staff.post('/api/treatment/admissions', admissionBody(centre.id, { uic: 'KMVNM9305' })), 400, 'uic');
    await refused(() => staff.post('/api/treatment/admissions', voluntary(centre.id, { consentRecorded: false })), 400, 'consentRecorded', 'must be recorded for a voluntary admission');
    await refused(() => staff.post('/api/treatment/admissions', admissionBody(centre.id, { secondaryDrugs: ['crystal_meth'] })), 400, 'secondaryDrugs', 'must not repeat the primary drug');
    await refused(() => staff.post('/api/treatment/admissions', admissionBody(centre.id, { secondaryDrugs: ['heroin', 'heroin'] })), 400, 'secondaryDrugs', 'must not list a drug twice');
    await refused(() => staff.post('/api/treatment/admissions', admissionBody(centre.id, { secondaryDrugs: ['heroin', 'cocaine', 'ketamine', 'mdma'] })), 400, 'secondaryDrugs');
    await refused(() => staff.post('/api/treatment/admissions', admissionBody(centre.id, { primaryDrug: 'precursors' })), 400, 'primaryDrug');
    await refused(() => staff.post('/api/treatment/admissions', admissionBody(centre.id, { route: 'inject', injecting: 'never' })), 400, 'injecting');
    const missing = admissionBody(centre.id);
    delete missing.legalBasis;
    await refused(() => staff.post('/api/treatment/admissions', missing), 400, 'legalBasis', 'is required');
  });

  it('unknown fields (a name, a phone number) are refused with 400 naming the field, on both write routes', async () => {
    await refused(() => staff.post('/api/treatment/admissions', admissionBody(centre.id, { name: 'Sokha' })), 400, 'name', /not an accepted field/);
    await refused(() => staff.post('/api/treatment/admissions', admissionBody(centre.id, { phone: '012 345 678' })), 400, 'phone', /not an accepted field/);
    const a = await admit(staff, admissionBody(centre.id, { admittedOn: '2024-06-01' }));
    await refused(() => staff.post(`/api/treatment/admissions/${a.id}/discharge`, { version: 1, dischargedOn: '2024-06-02', reason: 'moved', address: 'Street 1' }), 400, 'address', /not an accepted field/);
    await refused(() => staff.post(`/api/treatment/admissions/${a.id}/discharge`, { version: 1, dischargedOn: '2024-06-02', reason: 'other', note: 'free text' }), 400, 'note', /not an accepted field/);
    // and the UIC list search takes letters and digits only
    const bad = await staff.get('/api/treatment/admissions?uic=%25');
    expect(bad.statusCode).toBe(400);
    expect(fields(bad).map((f) => f.path)).toEqual(['query.uic']);
    const extra = await staff.get('/api/treatment/admissions?name=Sokha');
    expect(extra.statusCode).toBe(400);
    expect(fields(extra).map((f) => f.path)).toEqual(['query.name']);
  });

  it('an overlapping stay of the same UIC in the same centre is 409 overlap; readmission on the day of discharge is allowed', async () => {
    const uic = nextUic();
    const first = await admit(staff, admissionBody(centre.id, { uic, admittedOn: '2024-07-01' }));
    const open = await refused(() => staff.post('/api/treatment/admissions', admissionBody(centre.id, { uic, admittedOn: '2024-07-20' })), 409, 'admittedOn', 'overlaps a stay of this client in this centre (admitted 2024-07-01)');
    expect(open.json().error.code).toBe('overlap');
    // an admission dated before the open stay overlaps it too (the new stay would still be open)
    await refused(() => staff.post('/api/treatment/admissions', admissionBody(centre.id, { uic, admittedOn: '2024-06-15' })), 409, 'admittedOn', 'overlaps a stay of this client in this centre (admitted 2024-07-01)');
    // the same UIC in another centre of the organisation is another stay
    const elsewhere = await createCentre(t, org, { name: 'Admissions second centre' });
    await admit(staff, admissionBody(elsewhere.id, { uic, admittedOn: '2024-07-20' }));

    await discharge(staff, first, '2024-08-01', 'transferred');
    // before the discharge day: still overlapping the stay that ended on 2024-08-01
    await refused(() => staff.post('/api/treatment/admissions', admissionBody(centre.id, { uic, admittedOn: '2024-07-31' })), 409, 'admittedOn', 'overlaps a stay of this client in this centre (admitted 2024-07-01)');
    // discharged and readmitted the same day
    const again = await admit(staff, admissionBody(centre.id, { uic, admittedOn: '2024-08-01' }));
    expect(again.dischargedOn).toBeNull();
    await refused(() => staff.post('/api/treatment/admissions', admissionBody(centre.id, { uic, admittedOn: '2024-09-01' })), 409, 'admittedOn', 'overlaps a stay of this client in this centre (admitted 2024-08-01)');
  });

  it('a closed, planned, unknown or other organisation\'s centre: 400 centreId, one answer for all', async () => {
    const answers = [];
    for (const id of [closed.id, planned.id, otherCentre.id, '00000000-0000-4000-8000-00000000beef']) {
      const res = await refused(() => staff.post('/api/treatment/admissions', admissionBody(id, { uic: 'KMVNM930512' })), 400, 'centreId', 'is not an open centre of your organisation');
      answers.push(res.body);
    }
    expect(new Set(answers).size).toBe(1);
    // staff of the other organisation cannot admit to our centre either
    await refused(() => otherStaff.post('/api/treatment/admissions', admissionBody(centre.id)), 400, 'centreId');
  });

  it('a stale version is 409 version; an already discharged stay is 409 dischargedOn', async () => {
    const a = await admit(staff, admissionBody(centre.id, { admittedOn: '2024-10-01' }));
    await refused(() => staff.post(`/api/treatment/admissions/${a.id}/discharge`, { version: 2, dischargedOn: '2024-10-05', reason: 'completed' }), 409, 'version');
    const d = await discharge(staff, a, '2024-10-05');
    await refused(() => staff.post(`/api/treatment/admissions/${a.id}/discharge`, { version: d.version, dischargedOn: '2024-10-06', reason: 'completed' }), 409, 'dischargedOn', 'this stay is already discharged');
    await refused(() => staff.post(`/api/treatment/admissions/${a.id}/discharge`, { version: 1, dischargedOn: '2024-10-05', reason: 'completed' }), 409, 'dischargedOn', 'this stay is already discharged');
    // the stay is as the first discharge left it
    expect((await staff.get(`/api/treatment/admissions/${a.id}`)).json()).toMatchObject({ dischargedOn: '2024-10-05', dischargeReason: 'completed', version: 2 });
  });

  it('another organisation\'s stay answers 404 exactly like an unknown id, for reads and for discharge', async () => {
    const a = await admit(staff, admissionBody(centre.id, { admittedOn: '2024-11-01' }));
    const unknown = '00000000-0000-4000-8000-00000000cafe';
    const r1 = await otherStaff.get(`/api/treatment/admissions/${a.id}`);
    const r2 = await otherStaff.get(`/api/treatment/admissions/${unknown}`);
    expect(r1.statusCode).toBe(404);
    expect(r1.body).toBe(r2.body);
    const before = await treatmentCounts(t.db);
    const d1 = await otherStaff.post(`/api/treatment/admissions/${a.id}/discharge`, { version: 1, dischargedOn: '2024-11-02', reason: 'completed' });
    const d2 = await otherStaff.post(`/api/treatment/admissions/${unknown}/discharge`, { version: 1, dischargedOn: '2024-11-02', reason: 'completed' });
    expect(d1.statusCode).toBe(404);
    expect(d1.body).toBe(d2.body);
    expect(await treatmentCounts(t.db)).toEqual(before);
  });
});

describe('audit trail', () => {
  it('every write and every read of admissions leaves an entry, naming the stay by a pseudonym, never the UIC', async () => {
    const uic = nextUic('F');
    const seq = await lastAuditSeq(t.db);
    const a = await admit(staff, voluntary(centre.id, { uic, admittedOn: '2024-12-01' }));
    await staff.get(`/api/treatment/admissions/${a.id}`);
    await staff.get(`/api/treatment/admissions?uic=${uic}`);
    await staff.get(`/api/treatment/centres/${centre.id}/view?from=2024-12-01&to=2024-12-31`);
    await discharge(staff, a, '2024-12-20', 'completed');
    const entries = await auditSince(t.db, seq);
    expect(entries.map((e) => [e.action, e.entity])).toEqual([
      ['admission.create', 'treatment_admission'],
      ['admission.read', 'treatment_admission'],
      ['admission.read', 'treatment_admission'],
      ['admission.read', 'treatment_centre'],
      ['admission.discharge', 'treatment_admission'],
    ]);
    for (const e of entries) {
      expect(e.account_id).toBe(staff.accountId);
      expect(e.organisation_id).toBe(org);
      const text = JSON.stringify(e);
      expect(text, text).not.toContain(uic);
      expect(text, text).not.toContain(a.id);
    }
    const [create, one, list, view, dis] = entries;
    expect(create.entity_id).toMatch(/^p:[0-9a-f]{32}$/);
    expect(one.entity_id).toBe(create.entity_id);
    expect(dis.entity_id).toBe(create.entity_id);
    expect(create.details).toEqual({ centreId: centre.id });
    expect(list.details).toMatchObject({ via: 'list', search: true, count: 1, total: 1 });
    expect(view.entity_id).toBe(centre.id);
    expect(view.details).toEqual({ via: 'centre_view', from: '2024-12-01', to: '2024-12-31' });
    expect(dis.details).toEqual({ before: { dischargeReason: null, version: 1 }, after: { dischargeReason: 'completed', version: 2 } });
    // no entry of the whole trail holds a UIC of a stay
    const uics = (await t.db.selectFrom('treatment_admissions').select('uic').execute()).map((r) => r.uic);
    const all = JSON.stringify(await auditSince(t.db, 0));
    for (const u of uics) expect(all.includes(u), u).toBe(false);
  });

  it('a refused write leaves no audit entry', async () => {
    const seq = await lastAuditSeq(t.db);
    await staff.post('/api/treatment/admissions', admissionBody(closed.id));
    await staff.post('/api/treatment/admissions', admissionBody(centre.id, { phone: '1' }));
    expect(await auditSince(t.db, seq)).toEqual([]);
  });
});

describe('concurrency', () => {
  it('five simultaneous admissions of the same UIC to the same centre yield exactly one stay', async () => {
    const c = await createCentre(t, org, { name: 'Admissions race centre' });
    const uic = nextUic();
    const before = await treatmentCounts(t.db);
    const results = await Promise.all(Array.from({ length: 5 }, () => staff.post('/api/treatment/admissions', admissionBody(c.id, { uic, admittedOn: '2024-03-05' }))));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes, results.map((r) => r.body).join('\n')).toEqual([201, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(fields(r).map((f) => f.path)).toEqual(['admittedOn']);
    const rows = await t.db.selectFrom('treatment_admissions').select('id').where('centre_id', '=', c.id).where('uic', '=', uic).execute();
    expect(rows).toHaveLength(1);
    const after = await treatmentCounts(t.db);
    expect(after.admissions).toBe(before.admissions + 1);
  });

  it('two simultaneous discharges of one stay: one succeeds, the other is 409', async () => {
    const a = await admit(staff, admissionBody(centre.id, { admittedOn: '2024-02-01' }));
    const results = await Promise.all([
      staff.post(`/api/treatment/admissions/${a.id}/discharge`, { version: 1, dischargedOn: '2024-02-10', reason: 'completed' }),
      staff.post(`/api/treatment/admissions/${a.id}/discharge`, { version: 1, dischargedOn: '2024-02-11', reason: 'moved' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const lost = results.find((r) => r.statusCode === 409)!;
    expect(fields(lost)).toEqual([{ path: 'dischargedOn', message: 'this stay is already discharged' }]);
    const won = results.find((r) => r.statusCode === 200)!.json();
    const row = await t.db.selectFrom('treatment_admissions').select(['discharged_on', 'discharge_reason', 'version']).where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ discharged_on: won.dischargedOn, discharge_reason: won.dischargeReason, version: 2 });
  });
});

describe('the centre view (exact figures for the own organisation)', () => {
  it('counts in care today, weekly buckets, legal bases, referral sources, discharges and the completion rate', async () => {
    const org2 = await centreOrg(t, 'Admissions view org');
    const s2 = await t.user('treatment_staff', org2);
    const c = await createCentre(t, org2, { name: 'Admissions view centre', capacity: 2 });
    // range 2024-01-01 .. 2024-01-17: weeks 01–07, 08–14, 15–17
    const a1 = await admit(s2, voluntary(c.id, { admittedOn: '2024-01-01' }));
    const a2 = await admit(s2, admissionBody(c.id, { admittedOn: '2024-01-03', referralSource: 'court', legalBasis: 'court_ordered' }));
    const a3 = await admit(s2, admissionBody(c.id, { admittedOn: '2024-01-09' }));
    await admit(s2, voluntary(c.id, { admittedOn: '2024-01-16', referralSource: 'family' }));
    await admit(s2, voluntary(c.id, { admittedOn: '2023-12-20' })); // before the range: in care, not an admission of the range
    await admit(s2, voluntary(c.id, { admittedOn: '2024-01-20' })); // after the range
    await discharge(s2, a1, '2024-01-10', 'completed');
    await discharge(s2, a2, '2024-01-15', 'transferred');
    await discharge(s2, a3, '2024-01-17', 'left_against_advice');
    const res = await s2.get(`/api/treatment/centres/${c.id}/view?from=2024-01-01&to=2024-01-17`);
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json();
    expect(v.centre.id).toBe(c.id);
    expect(v.range).toEqual({ from: '2024-01-01', to: '2024-01-17' });
    expect(v.today).toBe(todayInCambodia());
    expect(v.inCareToday).toBe(3); // 2024-01-16, 2023-12-20 and 2024-01-20 stays are still open
    expect(v.capacity).toBe(2);
    expect(v.occupancy).toBeCloseTo(1.5);
    expect(v.overCapacity).toBe(true);
    expect(v.weeks).toEqual([
      { from: '2024-01-01', to: '2024-01-07', admissions: 2, discharges: 0 },
      { from: '2024-01-08', to: '2024-01-14', admissions: 1, discharges: 1 },
      { from: '2024-01-15', to: '2024-01-17', admissions: 1, discharges: 2 },
    ]);
    expect(v.admissions).toBe(4);
    expect(v.discharges).toBe(3);
    expect(v.byLegalBasis).toEqual({ voluntary: 2, compulsory_administrative: 1, court_ordered: 1 });
    expect(v.shareVoluntary).toBeCloseTo(0.5);
    expect(v.byReferralSource).toEqual({ self: 1, family: 1, outreach_ngo: 0, health_facility: 0, police: 1, court: 1, other: 0 });
    expect(v.byDischargeReason).toEqual({ completed: 1, left_against_advice: 1, transferred: 1, moved: 0, died: 0, other: 0 });
    expect(v.completionRate).toBeCloseTo(0.5); // 1 completed ÷ (3 − 1 transferred)
    // the default range is the twelve weeks up to today
    const def = (await s2.get(`/api/treatment/centres/${c.id}/view`)).json();
    expect(def.range).toEqual({ from: addDays(todayInCambodia(), -83), to: todayInCambodia() });
    expect(def.weeks).toHaveLength(12);
    // query rules
    const inverted = await s2.get(`/api/treatment/centres/${c.id}/view?from=2024-02-01&to=2024-01-01`);
    expect(inverted.statusCode).toBe(400);
    expect(fields(inverted)).toEqual([{ path: 'query.to', message: 'must not be before from' }]);
    const long = await s2.get(`/api/treatment/centres/${c.id}/view?from=2015-01-01&to=2024-01-01`);
    expect(long.statusCode).toBe(400);
    expect(fields(long).map((f) => f.path)).toEqual(['query.to']);
    // another organisation's staff: 404, like an unknown centre
    const other = await staff.get(`/api/treatment/centres/${c.id}/view?from=2024-01-01&to=2024-01-17`);
    const unknown = await staff.get(`/api/treatment/centres/00000000-0000-4000-8000-00000000beef/view?from=2024-01-01&to=2024-01-17`);
    expect(other.statusCode).toBe(404);
    expect(other.body).toBe(unknown.body);
  });
});
