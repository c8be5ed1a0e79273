/**
 * The cases API: record, list, correct (versioned, audited with before/after), dispositions, void, history,
 * defaults, and the report's "fresh figures" (a case saved is in the next report request).
 * Each test uses its own dates so that its report figures are its own.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from './helpers.js';
import { countRows, createCase, paths, policeOrg, validCase } from './enforcement-helpers.js';

let t: TestApp;
let unit: string;
type U = Client & { accountId: string; username: string };
let clerk: U;
let clerk2: U; // a second clerk of the same unit
let otherClerk: Client;
let analyst: Client;
let auditor: Client;

beforeAll(async () => {
  t = await startTestApp();
  const imp = await t.admin.post('/api/geography/import', readFileSync('reference/geography-sample-phnom-penh.csv', 'utf8'), { 'content-type': 'text/csv' });
  expect(imp.statusCode).toBe(200);
  unit = await policeOrg(t, 'Cases unit');
  clerk = await t.user('enforcement_clerk', unit);
  clerk2 = await t.user('enforcement_clerk', unit);
  otherClerk = await t.user('enforcement_clerk', await policeOrg(t, 'Cases other unit'));
  const committee = await t.org('oversight', 'national_committee', 'Cases committee');
  analyst = await t.user('analyst', committee);
  auditor = await t.user('auditor', committee);
});
afterAll(() => t.close());

const report = async (from: string, to = from, extra = '') => {
  const res = await analyst.get(`/api/enforcement/report?from=${from}&to=${to}${extra}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const editable = (c: any) => {
  const { id: _i, organisationId: _o, organisationName: _n, voided: _v, voidReason: _r, voidedAt: _a, createdAt: _c, updatedAt: _u, ...rest } = c;
  return rest;
};
const auditOf = async (id: string) =>
  (await t.db.selectFrom('audit_log').selectAll().where('entity_id', '=', id).orderBy('seq').execute()).map((r) => ({ ...r, details: r.details as any }));
const auditCount = async () => (await countRows(t.db)).audit;
const verifies = async () => {
  const v = (await auditor.get('/api/audit/verify')).json();
  expect(v, JSON.stringify(v)).toMatchObject({ ok: true });
};

describe('record a case', () => {
  it('201 with persons, seizures and assets; GET returns the same case; one audit entry', async () => {
    const n = await auditCount();
    const body = validCase({
      occurredOn: '2023-01-05',
      reportedOn: '2023-01-06',
      districtCode: '1201',
      communeCode: '120101',
      seizures: [
        { drug: 'crystal_meth', quantity: 12.5, unit: 'g' },
        { drug: 'meth_tablets', quantity: 200, unit: 'tablets' },
        { drug: 'heroin', quantity: 1.25, unit: 'kg' },
      ],
    });
    const res = await clerk.post('/api/cases', body);
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({ ...body, persons: body.persons, organisationId: unit, organisationName: 'Cases unit', version: 1, voided: false, voidReason: null, voidedAt: null });
    expect(c.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(c.persons.every((p: { id: string }) => /^[0-9a-f-]{36}$/.test(p.id))).toBe(true);
    const got = (await clerk.get(`/api/cases/${c.id}`)).json();
    expect(got).toEqual(c);
    // the supervisor-free clerk of the same unit sees it too
    expect((await clerk2.get(`/api/cases/${c.id}`)).statusCode).toBe(200);
    expect(await auditCount()).toBe(n + 1);
    const [entry] = await auditOf(c.id);
    expect(entry).toMatchObject({ action: 'case.create', entity: 'enforcement_case', account_id: clerk.accountId, organisation_id: unit });
    expect(entry.details).toEqual({ after: editable({ ...c, version: undefined }) });
    // the nationality is normalised to upper case and the assets default to zero when left out
    const lower = await createCase(clerk, { occurredOn: '2023-01-05', reportedOn: '2023-01-05', assets: undefined, persons: [{ role: 'other', sex: 'unknown', ageBand: 'unknown', nationality: 'th', disposition: 'released' }] });
    expect(lower.persons[0].nationality).toBe('TH');
    expect(lower.assets).toEqual({ vehicles: 0, motorcycles: 0, phones: 0, cashKhr: 0, cashUsd: 0, weapons: 0 });
    // a case with nobody arrested (a seizure only) is a case
    const empty = await createCase(clerk, { occurredOn: '2023-01-05', reportedOn: '2023-01-05', persons: [], caseType: 'cultivation_production', seizures: [{ drug: 'cannabis_plants', quantity: 40, unit: 'plants' }] });
    expect(empty.persons).toEqual([]);
    await verifies();
  });

  it('the unit reference is unique per unit: 409 in the same unit (any clerk of it), allowed in another unit', async () => {
    const ref = 'PP/2023-0042';
    await createCase(clerk, { unitReference: ref });
    const before = await countRows(t.db);
    const dup = await clerk2.post('/api/cases', validCase({ unitReference: ref }));
    expect(dup.statusCode, dup.body).toBe(409);
    expect(dup.json().error.code).toBe('conflict');
    expect(paths(dup)).toEqual(['unitReference']);
    // the reference is trimmed before the check
    expect((await clerk.post('/api/cases', validCase({ unitReference: ` ${ref} ` }))).statusCode).toBe(409);
    expect(await countRows(t.db)).toEqual(before);
    const other = await otherClerk.post('/api/cases', validCase({ unitReference: ref }));
    expect(other.statusCode, other.body).toBe(201);
  });

  it('a reference without a digit (a name) is refused', async () => {
    const res = await clerk.post('/api/cases', validCase({ unitReference: 'Sokha' }));
    expect(res.statusCode).toBe(400);
    expect(paths(res)).toEqual(['unitReference']);
  });

  it('a clerk lists only the unit\'s cases; from/to and includeVoided filter the list', async () => {
    const mine = await createCase(clerk, { occurredOn: '2023-02-10', reportedOn: '2023-02-10' });
    const theirs = await createCase(otherClerk, { occurredOn: '2023-02-10', reportedOn: '2023-02-10' });
    const list = (await clerk.get('/api/cases?limit=500')).json().items;
    const ids = list.map((c: { id: string }) => c.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    const rows = await t.db.selectFrom('enforcement_cases').select('id').where('organisation_id', '=', unit).where('voided_at', 'is', null).execute();
    expect(ids.sort()).toEqual(rows.map((r) => r.id).sort());
    expect(list.find((c: { id: string }) => c.id === mine.id)).toEqual({
      id: mine.id,
      unitReference: mine.unitReference,
      organisationName: 'Cases unit',
      occurredOn: '2023-02-10',
      provinceCode: 'KH-12',
      caseType: 'trafficking',
      persons: 2,
      voided: false,
    });
    const feb = (await clerk.get('/api/cases?from=2023-02-10&to=2023-02-10')).json().items;
    expect(feb.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    expect((await otherClerk.get('/api/cases?from=2023-02-10&to=2023-02-10')).json().items.map((c: { id: string }) => c.id)).toEqual([theirs.id]);
    expect((await clerk.get('/api/cases?limit=1')).json().items).toHaveLength(1);
    expect((await clerk.get('/api/cases?bogus=1')).statusCode).toBe(400);
  });
});

describe('correct a case', () => {
  it('PUT needs the current version: 409 stale otherwise; the correction leaves case.update with before and after', async () => {
    const c = await createCase(clerk, { occurredOn: '2023-03-01', reportedOn: '2023-03-01' });
    const n = await auditCount();
    const body = { ...editable(c), caseType: 'possession', persons: [{ ...c.persons[0], ageBand: '35_49' }], seizures: [{ drug: 'crystal_meth', quantity: 15, unit: 'g' }] };
    // without a version, and with a wrong one
    const { version: _v, ...noVersion } = body;
    const missing = await clerk.request('PUT', `/api/cases/${c.id}`, noVersion);
    expect(missing.statusCode).toBe(400);
    expect(paths(missing)).toEqual(['version']);
    for (const v of [0, 2, 99]) {
      const stale = await clerk.request('PUT', `/api/cases/${c.id}`, { ...body, version: v });
      expect(stale.statusCode, `version ${v}: ${stale.body}`).toBe(v === 0 ? 400 : 409);
      if (v) expect(stale.json().error.code).toBe('stale');
    }
    expect(await auditCount()).toBe(n);
    const ok = await clerk.request('PUT', `/api/cases/${c.id}`, { ...body, version: 1 });
    expect(ok.statusCode, ok.body).toBe(200);
    const after = ok.json();
    expect(after).toMatchObject({ version: 2, caseType: 'possession', seizures: [{ drug: 'crystal_meth', quantity: 15, unit: 'g' }] });
    expect(after.persons).toEqual([{ ...c.persons[0], ageBand: '35_49' }]); // the person row kept its id
    expect(await auditCount()).toBe(n + 1);
    const entry = (await auditOf(c.id)).at(-1)!;
    expect(entry.action).toBe('case.update');
    expect(entry.account_id).toBe(clerk.accountId);
    expect(entry.details.before).toMatchObject({ caseType: 'trafficking', persons: c.persons, seizures: c.seizures });
    expect(entry.details.after).toMatchObject({ caseType: 'possession', persons: after.persons, seizures: after.seizures });
    // the second clerk still holds version 1: the save is refused, nothing lost
    const lost = await clerk2.request('PUT', `/api/cases/${c.id}`, { ...editable(c), version: 1 });
    expect(lost.statusCode).toBe(409);
    expect(lost.json().error.code).toBe('stale');
    expect((await clerk.get(`/api/cases/${c.id}`)).json()).toEqual(after);
    await verifies();
  });

  it('a correction cannot take another case\'s reference, nor carry the id of another case\'s person', async () => {
    const a = await createCase(clerk);
    const b = await createCase(clerk);
    const taken = await clerk.request('PUT', `/api/cases/${b.id}`, { ...editable(b), unitReference: a.unitReference });
    expect(taken.statusCode).toBe(409);
    expect(paths(taken)).toEqual(['unitReference']);
    const foreign = await clerk.request('PUT', `/api/cases/${b.id}`, { ...editable(b), persons: [a.persons[0]] });
    expect(foreign.statusCode).toBe(400);
    expect(paths(foreign)).toEqual(['persons.0.id']);
    // a new case cannot carry person ids either
    const withId = await clerk.post('/api/cases', validCase({ persons: [a.persons[0]] }));
    expect(withId.statusCode).toBe(400);
    expect((await clerk.get(`/api/cases/${b.id}`)).json().version).toBe(1);
  });
});

describe('dispositions and void', () => {
  it('a disposition change (pending → sent to court) moves the person in the report\'s byDisposition', async () => {
    const day = '2023-04-01';
    const c = await createCase(clerk, { occurredOn: day, reportedOn: day });
    const disp = (r: any, k: string) => r.byDisposition.find((x: { key: string }) => x.key === k).n;
    const other = await createCase(clerk);
    const r1 = await report(day);
    expect(disp(r1, 'pending')).toBe(1);
    expect(disp(r1, 'sent_to_court')).toBe(0);
    const n = await auditCount();
    const res = await clerk.patch(`/api/cases/${c.id}/persons/${c.persons[0].id}`, { disposition: 'sent_to_court' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().persons[0]).toEqual({ ...c.persons[0], disposition: 'sent_to_court' });
    expect(res.json().version).toBe(2);
    expect(await auditCount()).toBe(n + 1);
    expect((await auditOf(c.id)).at(-1)!.details).toEqual({ personId: c.persons[0].id, before: { disposition: 'pending' }, after: { disposition: 'sent_to_court' } });
    const r2 = await report(day);
    expect(disp(r2, 'pending')).toBe(0);
    expect(disp(r2, 'sent_to_court')).toBe(1);
    expect(r2.totals).toEqual(r1.totals);
    // a person of another case, a bad disposition
    expect((await clerk.patch(`/api/cases/${c.id}/persons/${other.persons[0].id}`, { disposition: 'released' })).statusCode).toBe(404);
    expect((await clerk.patch(`/api/cases/${c.id}/persons/${c.persons[0].id}`, { disposition: 'executed' })).statusCode).toBe(400);
    expect(await auditCount()).toBe(n + 1);
  });

  it('void: the case leaves every figure of the report, GET still shows it voided, and it can no longer change', async () => {
    const day = '2023-05-01';
    const keep = await createCase(clerk, { occurredOn: day, reportedOn: day, provinceCode: 'KH-1', persons: [(validCase().persons as unknown[])[0]], seizures: [{ drug: 'heroin', quantity: 5, unit: 'g' }] });
    const c = await createCase(clerk, { occurredOn: day, reportedOn: day, provinceCode: 'KH-12' });
    const r1 = await report(day);
    expect(r1.totals).toMatchObject({ cases: 2, persons: 3 });
    expect(r1.daily).toEqual([expect.objectContaining({ date: day, cases: 2, persons: 3 })]);
    expect(r1.byProvince.find((p: { provinceCode: string }) => p.provinceCode === 'KH-12')).toMatchObject({ cases: 1, persons: 2 });
    expect(r1.seizures.map((s: { drug: string }) => s.drug)).toEqual(['crystal_meth', 'heroin']);

    const n = await auditCount();
    expect((await clerk.post(`/api/cases/${c.id}/void`, {})).statusCode).toBe(400); // a reason is required
    expect((await clerk.post(`/api/cases/${c.id}/void`, { reason: 'he was innocent' })).statusCode).toBe(400); // a code, not free text
    const v = await clerk.post(`/api/cases/${c.id}/void`, { reason: 'duplicate' });
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json()).toMatchObject({ id: c.id, voided: true, voidReason: 'duplicate', version: 2 });
    expect(await auditCount()).toBe(n + 1);
    expect((await auditOf(c.id)).at(-1)).toMatchObject({ action: 'case.void', details: { reason: 'duplicate' } });

    const r2 = await report(day);
    expect(r2.totals).toMatchObject({ cases: 1, persons: 1, traffickers: 1, users: 0, female: 0 });
    expect(r2.daily).toEqual([expect.objectContaining({ date: day, cases: 1, persons: 1 })]);
    expect(r2.byProvince.find((p: { provinceCode: string }) => p.provinceCode === 'KH-12')).toMatchObject({ cases: 0, persons: 0, female: 0 });
    expect(r2.byProvince.find((p: { provinceCode: string }) => p.provinceCode === 'KH-1')).toMatchObject({ cases: 1, persons: 1 });
    expect(r2.seizures).toEqual([{ drug: 'heroin', unit: 'g', quantity: 5, kg: 0.005, cases: 1 }]);
    expect(r2.kgByDrug).toEqual([{ drug: 'heroin', kg: 0.005 }]);
    expect(r2.assets).toEqual(keep.assets);
    expect(r2.byNationality).toEqual([{ key: 'KH', n: 1 }]);
    // filtered to the province, nothing left
    expect((await report(day, day, '&province=KH-12')).totals).toMatchObject({ cases: 0, persons: 0 });

    const got = (await clerk.get(`/api/cases/${c.id}`)).json();
    expect(got).toMatchObject({ voided: true, voidReason: 'duplicate', persons: c.persons });
    expect(got.voidedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // out of the default list, in the list with includeVoided
    expect((await clerk.get(`/api/cases?from=${day}&to=${day}`)).json().items.map((x: { id: string }) => x.id)).toEqual([keep.id]);
    const all = (await clerk.get(`/api/cases?from=${day}&to=${day}&includeVoided=true`)).json().items;
    expect(all.find((x: { id: string }) => x.id === c.id)).toMatchObject({ voided: true });

    const m = await auditCount();
    const put = await clerk.request('PUT', `/api/cases/${c.id}`, { ...editable(got), version: got.version });
    expect(put.statusCode, put.body).toBe(409);
    expect(put.json().error.code).toBe('voided');
    expect((await clerk.patch(`/api/cases/${c.id}/persons/${c.persons[0].id}`, { disposition: 'released' })).statusCode).toBe(409);
    expect((await clerk.post(`/api/cases/${c.id}/void`, { reason: 'other' })).statusCode).toBe(409);
    expect(await auditCount()).toBe(m);
    expect((await clerk.get(`/api/cases/${c.id}`)).json()).toEqual(got);
  });

  it('history lists create, update, disposition and void in order, with who', async () => {
    const c = await createCase(clerk);
    const u = await clerk.request('PUT', `/api/cases/${c.id}`, { ...editable(c), caseType: 'use' });
    expect(u.statusCode).toBe(200);
    expect((await clerk2.patch(`/api/cases/${c.id}/persons/${c.persons[1].id}`, { disposition: 'educated_released' })).statusCode).toBe(200);
    expect((await clerk.post(`/api/cases/${c.id}/void`, { reason: 'entered_in_error' })).statusCode).toBe(200);
    const res = await clerk.get(`/api/cases/${c.id}/history`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.map((i: { action: string }) => i.action)).toEqual(['case.create', 'case.update', 'case.disposition', 'case.void']);
    expect(items.map((i: { username: string }) => i.username)).toEqual([clerk.username, clerk.username, clerk2.username, clerk.username]);
    const seqs = items.map((i: { seq: number }) => i.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(items[1].details.before.caseType).toBe('trafficking');
    expect(items[1].details.after.caseType).toBe('use');
    expect(items[2].details).toMatchObject({ before: { disposition: 'referred_treatment_voluntary' }, after: { disposition: 'educated_released' } });
    expect(items[3].details).toEqual({ reason: 'entered_in_error' });
  });
});

describe('fresh figures and defaults', () => {
  it('a case saved is in the very next report request (no cache, no job)', async () => {
    const day = '2023-06-15';
    for (let i = 1; i <= 3; i++) {
      await createCase(clerk, { occurredOn: day, reportedOn: day });
      const r = await report(day);
      expect(r.totals.cases).toBe(i);
      expect(r.totals.persons).toBe(2 * i);
    }
  });

  it('defaults: the unit\'s own place when it has no cases, then the place of its recent cases', async () => {
    const res = await t.admin.post('/api/organisations', { name: 'Defaults unit', sector: 'enforcement', kind: 'police_unit', provinceCode: 'KH-12', districtCode: '1204', communeCode: '120401' });
    expect(res.statusCode, res.body).toBe(201);
    const c = await t.user('enforcement_clerk', res.json().id);
    expect((await c.get('/api/cases/defaults')).json()).toEqual({ provinceCode: 'KH-12', districtCode: '1204', communeCode: '120401' });
    await createCase(c, { provinceCode: 'KH-12', districtCode: '1202', communeCode: '120201' });
    expect((await c.get('/api/cases/defaults')).json()).toEqual({ provinceCode: 'KH-12', districtCode: '1202', communeCode: '120201' });
    await createCase(c, { provinceCode: 'KH-1' });
    await createCase(c, { provinceCode: 'KH-1' });
    // the most frequent place among the recent cases
    expect((await c.get('/api/cases/defaults')).json()).toEqual({ provinceCode: 'KH-1', districtCode: null, communeCode: null });
    // another unit's cases do not count
    const fresh = await t.user('enforcement_clerk', await policeOrg(t, 'Defaults fresh unit', undefined, 'KH-3'));
    expect((await fresh.get('/api/cases/defaults')).json()).toEqual({ provinceCode: 'KH-3', districtCode: null, communeCode: null });
  });

  it('the import template has the columns of the two import files', async () => {
    const tpl = (await clerk.get('/api/cases/import/template')).json();
    expect(tpl.cases.split(/\r?\n/)[0]).toBe('unit_reference,occurred_on,reported_on,province_code,district_code,commune_code,case_type,person_role,person_sex,person_age_band,person_nationality,person_disposition,vehicles,motorcycles,phones,cash_khr,cash_usd,weapons');
    expect(tpl.seizures.split(/\r?\n/)[0]).toBe('unit_reference,drug,quantity,unit');
  });
});

describe('every write is audited once and the chain holds', () => {
  it('create, update, disposition, void: exactly one entry each; refused writes none; the chain verifies', async () => {
    const step = async (f: () => Promise<{ statusCode: number; body: string }>, expectStatus: number, entries: number) => {
      const n = await auditCount();
      const r = await f();
      expect(r.statusCode, r.body).toBe(expectStatus);
      expect(await auditCount(), r.body.slice(0, 200)).toBe(n + entries);
      return r;
    };
    const created = (await step(() => clerk.post('/api/cases', validCase()), 201, 1)) as any;
    const c = created.json();
    await step(() => clerk.post('/api/cases', validCase({ unitReference: c.unitReference })), 409, 0);
    await step(() => clerk.post('/api/cases', validCase({ bogus: 1 })), 400, 0);
    await step(() => clerk.request('PUT', `/api/cases/${c.id}`, { ...editable(c), weapons: 1 }), 400, 0);
    await step(() => clerk.request('PUT', `/api/cases/${c.id}`, { ...editable(c), assets: { ...c.assets, weapons: 1 } }), 200, 1);
    await step(() => clerk.request('PUT', `/api/cases/${c.id}`, { ...editable(c), assets: { ...c.assets, weapons: 2 } }), 409, 0);
    await step(() => clerk.patch(`/api/cases/${c.id}/persons/${c.persons[0].id}`, { disposition: 'released' }), 200, 1);
    await step(() => otherClerk.patch(`/api/cases/${c.id}/persons/${c.persons[0].id}`, { disposition: 'pending' }), 404, 0);
    await step(() => analyst.post(`/api/cases/${c.id}/void`, { reason: 'other' }), 403, 0);
    await step(() => clerk.post(`/api/cases/${c.id}/void`, { reason: 'other' }), 200, 1);
    await step(() => clerk.post(`/api/cases/${c.id}/void`, { reason: 'other' }), 409, 0);
    await step(() => t.admin.post('/api/campaigns', { nameEn: 'Audited campaign', nameKm: 'យុទ្ធនាការ', startDate: '2023-01-01', pillars: ['enforcement'] }), 201, 1);
    // reads leave no entry
    await step(() => clerk.get(`/api/cases/${c.id}`), 200, 0);
    await step(() => clerk.get(`/api/cases/${c.id}/history`), 200, 0);
    await step(() => analyst.get('/api/enforcement/report?from=2023-01-01&to=2023-12-31'), 200, 0);
    // a one-case import: one case.create plus one case.import
    const csv = [
      'unit_reference,occurred_on,reported_on,province_code,district_code,commune_code,case_type,person_role,person_sex,person_age_band,person_nationality,person_disposition,vehicles,motorcycles,phones,cash_khr,cash_usd,weapons',
      'AUD-IMP-1,2023-07-01,2023-07-01,KH-12,,,use,alleged_user,male,18_24,KH,pending,0,0,0,0,0,0',
    ].join('\n');
    await step(() => clerk.post('/api/cases/import', { cases: csv }), 200, 2);
    await verifies();
  });
});
