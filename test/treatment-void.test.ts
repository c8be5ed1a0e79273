/**
 * Voiding an admission entered in error (POST /api/treatment/admissions/:id/void): the stay stays in the table,
 * marked with when and why, is audited under the stay's pseudonym, and leaves every list, figure and rule (the
 * admissions list, the centre view, the national view, the overlap rule, the centre status rule); only GET of the one
 * stay still answers it. Every refusal names its field and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { startTestApp, type Client, type TestApp } from './helpers.js';
import { admissionBody, admit, auditSince, centreOrg, createCentre, discharge, lastAuditSeq, nextUic } from './treatment-helpers.js';

let t: TestApp;
let staff: Client;
let manager: Client;
let otherStaff: Client;
let org: string;

beforeAll(async () => {
  t = await startTestApp({ loginRateLimit: 100_000 });
  org = await centreOrg(t, 'Void centre org');
  const other = await centreOrg(t, 'Void other centre org', 'private_treatment_centre');
  staff = await t.user('treatment_staff', org);
  manager = await t.user('programme_manager', org);
  otherStaff = await t.user('treatment_staff', other);
});
afterAll(() => t.close());

const voidStay = (c: Client, stay: { id: string; version: number }, reason = 'entered_in_error') => c.post(`/api/treatment/admissions/${stay.id}/void`, { version: stay.version, reason });

/** Everything a refusal must leave untouched: every stay's state and the audit trail's length. */
async function snapshot() {
  const stays = await t.db.selectFrom('treatment_admissions').select(['id', 'voided_at', 'void_reason', 'discharged_on', 'version']).orderBy('id').execute();
  const audit = Number((await t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { stays: stays.map((s) => ({ ...s, voided_at: s.voided_at === null ? null : new Date(s.voided_at).toISOString() })), audit };
}

async function refused(send: () => Promise<LightMyRequestResponse>, status: number, path: string, message?: string) {
  const before = await snapshot();
  const res = await send();
  expect(res.statusCode, res.body).toBe(status);
  const fields = res.json().error.fields as { path: string; message: string }[];
  expect(fields.map((f) => f.path), res.body).toContain(path);
  if (message) expect(fields.find((f) => f.path === path)!.message).toBe(message);
  expect(await snapshot(), `nothing written by ${res.body}`).toEqual(before);
  return res;
}

async function inCareToday(centreId: string): Promise<number> {
  const res = await staff.get(`/api/treatment/centres/${centreId}/view`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().inCareToday;
}

describe('voiding an admission', () => {
  it('voids, audits under the stay\'s pseudonym, and the stay leaves the list and the centre view; GET one still answers it', async () => {
    const centre = await createCentre(t, org, { name: 'Void happy centre' });
    const uic = nextUic('F');
    const a = await admit(staff, admissionBody(centre.id, { uic, admittedOn: '2024-03-01' }));
    const b = await admit(staff, admissionBody(centre.id, { admittedOn: '2024-03-02' }));
    expect(await inCareToday(centre.id)).toBe(2);
    expect((await staff.get(`/api/treatment/admissions?centreId=${centre.id}`)).json().total).toBe(2);

    const seq = await lastAuditSeq(t.db);
    const res = await voidStay(staff, a, 'duplicate');
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json();
    expect(v).toEqual({ ...a, voidedAt: expect.any(String), voidReason: 'duplicate', version: 2, daysInCare: expect.any(Number) });
    expect(new Date(v.voidedAt).toISOString()).toBe(v.voidedAt);
    expect(Math.abs(Date.parse(v.voidedAt) - Date.now())).toBeLessThan(60_000);

    const entries = await auditSince(t.db, seq);
    expect(entries.map((e) => e.action)).toEqual(['admission.void']);
    const created = await t.db.selectFrom('audit_log').select(['entity_id']).where('action', '=', 'admission.create').orderBy('seq').execute();
    expect(entries[0].entity).toBe('treatment_admission');
    expect(entries[0].entity_id).toMatch(/^p:/);
    expect(created.map((c) => c.entity_id)).toContain(entries[0].entity_id);
    expect(entries[0].details).toEqual({ before: { version: 1 }, after: { reason: 'duplicate', version: 2 } });
    expect(JSON.stringify(entries[0])).not.toContain(uic);
    expect(JSON.stringify(entries[0])).not.toContain(a.id);

    // the list (every filter), the in-care count
    const list = (await staff.get(`/api/treatment/admissions?centreId=${centre.id}`)).json();
    expect(list).toEqual({ items: [expect.objectContaining({ id: b.id })], total: 1 });
    expect((await staff.get(`/api/treatment/admissions?uic=${uic}`)).json()).toEqual({ items: [], total: 0 });
    expect((await staff.get(`/api/treatment/admissions?centreId=${centre.id}&inCare=true`)).json().total).toBe(1);
    expect(await inCareToday(centre.id)).toBe(1);
    const view = (await staff.get(`/api/treatment/centres/${centre.id}/view?from=2024-02-26&to=2024-03-31`)).json();
    expect(view.admissions).toBe(1);

    // GET one stay still answers it, with voidedAt (to the organisation's readers)
    const one = await manager.get(`/api/treatment/admissions/${a.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual({ ...v, daysInCare: one.json().daysInCare });
  });

  it('the same UIC can be admitted again on the same date: a voided stay never blocks an admission', async () => {
    const centre = await createCentre(t, org, { name: 'Void overlap centre' });
    const uic = nextUic();
    const a = await admit(staff, admissionBody(centre.id, { uic, admittedOn: '2024-04-01' }));
    const clash = await staff.post('/api/treatment/admissions', admissionBody(centre.id, { uic, admittedOn: '2024-04-01' }));
    expect(clash.statusCode).toBe(409);
    expect((await voidStay(staff, a)).statusCode).toBe(200);
    const again = await admit(staff, admissionBody(centre.id, { uic, admittedOn: '2024-04-01' }));
    expect(again).toMatchObject({ uic, admittedOn: '2024-04-01', voidedAt: null, voidReason: null, version: 1 });
    expect((await staff.get(`/api/treatment/admissions?uic=${uic}`)).json()).toEqual({ items: [again], total: 1 });
  });

  it('a centre whose only stays are voided can become planned (and closed)', async () => {
    const centre = await createCentre(t, org, { name: 'Void status centre' });
    const a = await admit(staff, admissionBody(centre.id, { admittedOn: '2024-05-01' }));
    const closing = await t.admin.patch(`/api/treatment/centres/${centre.id}`, { version: centre.version, status: 'closed' });
    expect(closing.statusCode).toBe(400);
    expect((await voidStay(staff, a)).statusCode).toBe(200);
    const planned = await t.admin.patch(`/api/treatment/centres/${centre.id}`, { version: centre.version, status: 'planned' });
    expect(planned.statusCode, planned.body).toBe(200);
    const closed = await t.admin.patch(`/api/treatment/centres/${centre.id}`, { version: planned.json().version, status: 'closed' });
    expect(closed.statusCode, closed.body).toBe(200);
  });

  it('a voided stay leaves the national view: admissions, in care and discharges', async () => {
    // a quarter no other test uses; one centre, one legal basis. Counts are published rounded to 5 (a multiple of 5
    // as it is), so: 20 admitted, 10 discharged, then 10 voided (5 discharged, 5 in care)
    const centre = await createCentre(t, org, { name: 'Void national centre', kind: 'state', admissionPolicy: 'compulsory', modality: 'residential', provinceCode: 'KH-2' });
    const stays = [];
    for (let i = 0; i < 20; i++) stays.push(await admit(staff, admissionBody(centre.id, { admittedOn: '2023-01-10' })));
    for (let i = 0; i < 10; i++) stays[i] = await discharge(staff, stays[i], '2023-02-01', 'completed');
    const figures = async () => {
      const res = await staff.get('/api/treatment/national?period=2023-Q1');
      expect(res.statusCode, res.body).toBe(200);
      const v = res.json();
      return { admissions: v.byKind.admissions.total, inCare: v.byKind.inCare.total, discharges: v.byKind.discharges.total, byProvince: v.byProvince.admissions.total };
    };
    expect(await figures()).toEqual({ admissions: 20, inCare: 10, discharges: 10, byProvince: 20 });
    for (const i of [0, 1, 2, 3, 4]) expect((await voidStay(staff, stays[i])).statusCode).toBe(200); // discharged stays
    for (const i of [15, 16, 17, 18, 19]) expect((await voidStay(staff, stays[i])).statusCode).toBe(200); // stays in care
    expect(await figures()).toEqual({ admissions: 10, inCare: 5, discharges: 5, byProvince: 10 });
  });
});

describe('refusals: every one names its field and writes nothing', () => {
  it('a stale version: 409 version', async () => {
    const centre = await createCentre(t, org, { name: 'Void stale centre' });
    const a = await admit(staff, admissionBody(centre.id, { admittedOn: '2024-06-01' }));
    await refused(() => voidStay(staff, { id: a.id, version: 2 }), 409, 'version');
    const d = await discharge(staff, a, '2024-06-10');
    await refused(() => voidStay(staff, a), 409, 'version');
    expect((await voidStay(staff, d)).statusCode).toBe(200);
  });

  it('voiding twice: 409 reason, whatever the version sent', async () => {
    const centre = await createCentre(t, org, { name: 'Void twice centre' });
    const a = await admit(staff, admissionBody(centre.id, { admittedOn: '2024-06-01' }));
    const v = (await voidStay(staff, a)).json();
    await refused(() => voidStay(staff, v, 'duplicate'), 409, 'reason', 'this stay is already voided');
    await refused(() => voidStay(staff, a), 409, 'reason', 'this stay is already voided');
    expect((await staff.get(`/api/treatment/admissions/${a.id}`)).json()).toMatchObject({ voidReason: 'entered_in_error', version: 2 });
  });

  it('discharging a voided stay: 409 dischargedOn', async () => {
    const centre = await createCentre(t, org, { name: 'Void discharge centre' });
    const a = await admit(staff, admissionBody(centre.id, { admittedOn: '2024-06-01' }));
    const v = (await voidStay(staff, a)).json();
    await refused(() => staff.post(`/api/treatment/admissions/${a.id}/discharge`, { version: v.version, dischargedOn: '2024-06-10', reason: 'completed' }), 409, 'dischargedOn', 'this stay is voided');
  });

  it('another organisation\'s stay answers 404 exactly like an unknown id; a reader may not void (403)', async () => {
    const centre = await createCentre(t, org, { name: 'Void other org centre' });
    const a = await admit(staff, admissionBody(centre.id, { admittedOn: '2024-06-01' }));
    const unknown = '00000000-0000-4000-8000-00000000beef';
    const before = await snapshot();
    const r1 = await voidStay(otherStaff, a);
    const r2 = await voidStay(otherStaff, { id: unknown, version: 1 });
    expect(r1.statusCode).toBe(404);
    expect(r1.body).toBe(r2.body);
    expect((await voidStay(manager, a)).statusCode).toBe(403);
    expect(await snapshot()).toEqual(before);
    expect((await staff.get(`/api/treatment/admissions/${a.id}`)).json()).toMatchObject({ voidedAt: null, version: 1 });
  });

  it('strict body: an unknown field, a missing or unknown reason, a bad version: 400 naming the field', async () => {
    const centre = await createCentre(t, org, { name: 'Void body centre' });
    const a = await admit(staff, admissionBody(centre.id, { admittedOn: '2024-06-01' }));
    const url = `/api/treatment/admissions/${a.id}/void`;
    await refused(() => staff.post(url, { version: 1, reason: 'duplicate', note: 'oops' }), 400, 'note');
    await refused(() => staff.post(url, { version: 1 }), 400, 'reason', 'is required');
    await refused(() => staff.post(url, { version: 1, reason: 'changed_mind' }), 400, 'reason', 'choose a reason');
    await refused(() => staff.post(url, { version: 'x', reason: 'duplicate' }), 400, 'version');
    await refused(() => staff.post(url, { version: 0, reason: 'duplicate' }), 400, 'version');
  });
});
