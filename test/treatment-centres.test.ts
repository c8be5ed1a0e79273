/** The centre register: every signed-in user reads it; the administrator keeps it (audited before/after). */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { startTestApp, type Client, type TestApp } from './helpers.js';
import { admissionBody, admit, auditSince, centreOrg, createCentre, discharge, lastAuditSeq, treatmentCounts } from './treatment-helpers.js';

let t: TestApp;
let org: string;
let staff: Client;
let analyst: Client;

beforeAll(async () => {
  t = await startTestApp({ loginRateLimit: 100_000 });
  const imp = await t.admin.post('/api/geography/import', readFileSync('reference/geography-sample-phnom-penh.csv', 'utf8'), { 'content-type': 'text/csv' });
  expect(imp.statusCode).toBe(200);
  org = await centreOrg(t, 'Register state centre org', 'state_treatment_centre', 'KH-2');
  staff = await t.user('treatment_staff', org);
  analyst = await t.user('analyst', await t.org('oversight', 'national_committee', 'Register committee'));
});
afterAll(() => t.close());

const fields = (res: LightMyRequestResponse) => res.json().error.fields as { path: string; message: string }[];
const valid = (over: Record<string, unknown> = {}) => ({
  name: 'State rehabilitation centre, Battambang',
  organisationId: org,
  kind: 'state',
  modality: 'residential',
  admissionPolicy: 'compulsory',
  capacity: 250,
  provinceCode: 'KH-2',
  ...over,
});

describe('centre register', () => {
  it('the administrator creates, reads and corrects a centre; every write is audited with before/after', async () => {
    const seq = await lastAuditSeq(t.db);
    const res = await t.admin.post('/api/treatment/centres', valid({ nameKm: 'មណ្ឌលស្តារនីតិសម្បទា បាត់ដំបង' }));
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toEqual({
      id: expect.any(String),
      name: 'State rehabilitation centre, Battambang',
      nameKm: 'មណ្ឌលស្តារនីតិសម្បទា បាត់ដំបង',
      organisationId: org,
      organisationName: 'Register state centre org',
      kind: 'state',
      modality: 'residential',
      admissionPolicy: 'compulsory',
      capacity: 250,
      provinceCode: 'KH-2',
      districtCode: null,
      status: 'open',
      version: 1,
    });
    // every signed-in role reads the register
    for (const c2 of [staff, analyst, t.admin]) expect((await c2.get(`/api/treatment/centres/${c.id}`)).json()).toEqual(c);

    const patched = await t.admin.patch(`/api/treatment/centres/${c.id}`, { version: 1, capacity: 300, admissionPolicy: 'mixed' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toEqual({ ...c, capacity: 300, admissionPolicy: 'mixed', version: 2 });

    const entries = await auditSince(t.db, seq);
    expect(entries.map((e) => [e.action, e.entity, e.entity_id])).toEqual([
      ['centre.create', 'treatment_centre', c.id],
      ['centre.update', 'treatment_centre', c.id],
    ]);
    const { organisationName: _n, ...fieldsOf } = c;
    expect(entries[0].details).toEqual({ after: fieldsOf });
    expect(entries[1].details).toEqual({ before: fieldsOf, after: { ...fieldsOf, capacity: 300, admissionPolicy: 'mixed', version: 2 } });
  });

  it('lists sorted by province then name, with filters', async () => {
    const other = await centreOrg(t, 'Register private org', 'private_treatment_centre', 'KH-12');
    await createCentre(t, other, { name: 'B private centre, Phnom Penh', kind: 'private', provinceCode: 'KH-12' });
    await createCentre(t, other, { name: 'A private centre, Phnom Penh', kind: 'private', provinceCode: 'KH-12' });
    await createCentre(t, other, { name: 'Proposed centre, Kampong Speu', kind: 'state', provinceCode: 'KH-5', status: 'planned' });
    const all = (await analyst.get('/api/treatment/centres')).json().items as any[];
    const keys = all.map((c) => [Number(c.provinceCode.slice(3)), c.name]);
    expect(keys).toEqual([...keys].sort((a, b) => (a[0] as number) - (b[0] as number) || String(a[1]).localeCompare(String(b[1]))));
    expect(all.map((c) => c.provinceCode)).toEqual(['KH-2', 'KH-5', 'KH-12', 'KH-12']);
    expect((await analyst.get('/api/treatment/centres?kind=private')).json().items.map((c: any) => c.name)).toEqual(['A private centre, Phnom Penh', 'B private centre, Phnom Penh']);
    expect((await analyst.get('/api/treatment/centres?status=planned')).json().items.map((c: any) => c.name)).toEqual(['Proposed centre, Kampong Speu']);
    expect((await analyst.get('/api/treatment/centres?province=KH-2&status=open')).json().items).toHaveLength(1);
    const bad = await analyst.get('/api/treatment/centres?status=gone&colour=red');
    expect(bad.statusCode).toBe(400);
    expect(fields(bad).map((f) => f.path).sort()).toEqual(['query.colour', 'query.status']);
  });

  it('refuses a non-health or unknown organisation, a district outside the province, a taken name — writing nothing', async () => {
    const police = await t.org('enforcement', 'police_unit', 'Register police unit');
    const cases: [Record<string, unknown>, number, string, string][] = [
      [valid({ name: 'X1', organisationId: police }), 400, 'organisationId', 'must be a health organisation'],
      [valid({ name: 'X2', organisationId: '00000000-0000-4000-8000-00000000beef' }), 400, 'organisationId', 'must be a health organisation'],
      [valid({ name: 'X3', districtCode: '1201' }), 400, 'districtCode', 'is not in the province'],
      [valid({ name: 'X4', provinceCode: 'KH-12', districtCode: '1299' }), 400, 'districtCode', 'is not a known district'],
      [valid(), 409, 'name', 'is already taken'],
      [valid({ name: 'X5', capacity: -1 }), 400, 'capacity', 'must be 0 or more'],
      [valid({ name: 'X6', kind: 'prison' }), 400, 'kind', expect.any(String) as unknown as string],
      [valid({ name: 'X7', director: 'Mr Sok' }), 400, 'director', 'is not an accepted field (unknown fields are refused, never stored)'],
    ];
    for (const [body, status, path, message] of cases) {
      const before = await treatmentCounts(t.db);
      const res = await t.admin.post('/api/treatment/centres', body);
      expect(res.statusCode, res.body).toBe(status);
      expect(fields(res)).toContainEqual({ path, message });
      expect(await treatmentCounts(t.db)).toEqual(before);
    }
    // a closed health organisation cannot run a centre
    const closing = await centreOrg(t, 'Register closing org');
    expect((await t.admin.patch(`/api/organisations/${closing}`, { status: 'closed' })).statusCode).toBe(200);
    const res = await t.admin.post('/api/treatment/centres', valid({ name: 'X8', organisationId: closing }));
    expect(res.statusCode).toBe(400);
    expect(fields(res)).toEqual([{ path: 'organisationId', message: 'must be an active health organisation' }]);
    // a district in the province is fine
    const pp = await createCentre(t, org, { name: 'Register PP centre', provinceCode: 'KH-12', districtCode: '1201' });
    expect(pp.districtCode).toBe('1201');
  });

  it('PATCH: a stale version is 409 version; a name taken by another centre is 409 name; moving province clears the district', async () => {
    const c = await createCentre(t, org, { name: 'Register patch centre', provinceCode: 'KH-12', districtCode: '1201' });
    const first = await t.admin.patch(`/api/treatment/centres/${c.id}`, { version: 1, capacity: 40 });
    expect(first.statusCode).toBe(200);
    const before = await treatmentCounts(t.db);
    const stale = await t.admin.patch(`/api/treatment/centres/${c.id}`, { version: 1, capacity: 50 });
    expect(stale.statusCode).toBe(409);
    expect(fields(stale).map((f) => f.path)).toEqual(['version']);
    const taken = await t.admin.patch(`/api/treatment/centres/${c.id}`, { version: 2, name: 'State rehabilitation centre, Battambang' });
    expect(taken.statusCode).toBe(409);
    expect(fields(taken)).toEqual([{ path: 'name', message: 'is already taken' }]);
    const missing = await t.admin.patch('/api/treatment/centres/00000000-0000-4000-8000-00000000beef', { version: 1 });
    expect(missing.statusCode).toBe(404);
    expect(await treatmentCounts(t.db)).toEqual(before);
    const moved = await t.admin.patch(`/api/treatment/centres/${c.id}`, { version: 2, provinceCode: 'KH-3' });
    expect(moved.json()).toMatchObject({ provinceCode: 'KH-3', districtCode: null, capacity: 40, version: 3 });
    // renaming to its own name is no conflict
    expect((await t.admin.patch(`/api/treatment/centres/${c.id}`, { version: 3, name: 'Register patch centre' })).statusCode).toBe(200);
  });

  it('a centre with admissions cannot become planned; it cannot close while clients are in care', async () => {
    const c = await createCentre(t, org, { name: 'Register closing centre', provinceCode: 'KH-2' });
    const stay = await admit(staff, admissionBody(c.id, { admittedOn: '2024-04-01' }));
    const planned = await t.admin.patch(`/api/treatment/centres/${c.id}`, { version: 1, status: 'planned' });
    expect(planned.statusCode).toBe(400);
    expect(fields(planned).map((f) => f.path)).toEqual(['status']);
    const closing = await t.admin.patch(`/api/treatment/centres/${c.id}`, { version: 1, status: 'closed' });
    expect(closing.statusCode).toBe(400);
    expect(fields(closing)).toEqual([{ path: 'status', message: 'clients are still in care here; they must be discharged first' }]);
    await discharge(staff, stay, '2024-05-01');
    const closed = await t.admin.patch(`/api/treatment/centres/${c.id}`, { version: 1, status: 'closed' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().status).toBe('closed');
  });

  it('two administrators creating the same name at once: one centre, one 409 name', async () => {
    const before = await treatmentCounts(t.db);
    const results = await Promise.all([1, 2, 3].map(() => t.admin.post('/api/treatment/centres', valid({ name: 'Register race centre' }))));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(fields(r)).toEqual([{ path: 'name', message: 'is already taken' }]);
    expect((await treatmentCounts(t.db)).centres).toBe(before.centres + 1);
  });

  it('only the administrator writes the register', async () => {
    const c = await createCentre(t, org, { name: 'Register admin-only centre' });
    for (const who of [staff, analyst]) {
      expect((await who.post('/api/treatment/centres', valid({ name: 'Nope' }))).statusCode).toBe(403);
      expect((await who.patch(`/api/treatment/centres/${c.id}`, { version: 1, capacity: 1 })).statusCode).toBe(403);
    }
    expect((await t.admin.get(`/api/treatment/centres/${c.id}`)).json().version).toBe(1);
  });
});
