import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('organisations', () => {
  it('an administrator creates a police unit and an NGO; both are listed and audited', async () => {
    const police = await t.admin.post('/api/organisations', { name: 'Phnom Penh anti-drug unit', sector: 'enforcement', kind: 'police_unit', provinceCode: 'KH-12' });
    expect(police.statusCode).toBe(201);
    const ngo = await t.admin.post('/api/organisations', { name: 'Street NGO', sector: 'health', kind: 'ngo', provinceCode: 'KH-2' });
    expect(ngo.statusCode).toBe(201);
    const list = await t.admin.get('/api/organisations');
    const names = list.json().items.map((o: { name: string }) => o.name);
    expect(names).toEqual(expect.arrayContaining(['Phnom Penh anti-drug unit', 'Street NGO']));
    const audit = await t.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', '=', 'organisation.create').execute();
    expect(audit.map((a) => a.entity_id)).toEqual(expect.arrayContaining([police.json().id, ngo.json().id]));
  });

  it('refuses a kind that is not of the sector, naming the field, and stores nothing', async () => {
    const before = (await t.admin.get('/api/organisations')).json().items.length;
    const res = await t.admin.post('/api/organisations', { name: 'Confused', sector: 'health', kind: 'police_unit', provinceCode: 'KH-12' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual([{ path: 'kind', message: 'is not a kind of the health sector' }]);
    expect((await t.admin.get('/api/organisations')).json().items.length).toBe(before);
  });

  it('refuses unknown fields', async () => {
    const res = await t.admin.post('/api/organisations', { name: 'X unit', sector: 'enforcement', kind: 'police_unit', provinceCode: 'KH-12', director: 'a name' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe('director');
  });

  it('closing an organisation signs its accounts out', async () => {
    const org = await t.org('oversight', 'national_committee');
    const analyst = await t.user('analyst', org);
    expect((await analyst.get('/api/organisations')).statusCode).toBe(200);
    const res = await t.admin.patch(`/api/organisations/${org}`, { status: 'closed' });
    expect(res.statusCode).toBe(200);
    expect((await analyst.get('/api/organisations')).statusCode).toBe(401);
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    expect((await t.admin.get('/api/organisations/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const bad = await t.admin.get('/api/organisations/not-an-id');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('params.id');
  });

  it('an organisation may sit under a parent of the same sector, never of another sector nor under itself', async () => {
    const hq = await t.org('enforcement', 'police_unit', 'Provincial police headquarters');
    const unit = await t.admin.post('/api/organisations', { name: 'District unit', sector: 'enforcement', kind: 'police_unit', provinceCode: 'KH-12', parentId: hq });
    expect(unit.statusCode).toBe(201);
    expect(unit.json().parentId).toBe(hq);
    const ngo = await t.admin.post('/api/organisations', { name: 'NGO under police', sector: 'health', kind: 'ngo', provinceCode: 'KH-12', parentId: hq });
    expect(ngo.statusCode).toBe(400);
    expect(ngo.json().error.fields).toEqual([{ path: 'parentId', message: 'must be of the same sector' }]);
    const loop = await t.admin.patch(`/api/organisations/${hq}`, { parentId: unit.json().id });
    expect(loop.statusCode).toBe(400);
    expect(loop.json().error.fields[0].path).toBe('parentId');
    expect((await t.admin.get(`/api/organisations/${hq}`)).json().parentId).toBeNull();
  });
});
