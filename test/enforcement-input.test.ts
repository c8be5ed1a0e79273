/**
 * Malformed and oversized input to the cases API and the report: every refusal is a 400 (or 413) with the error shape,
 * names the field, never echoes an identifying value back, and leaves the database exactly as it was.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { startTestApp, type Client, type TestApp } from './helpers.js';
import { countRows, createCampaign, expectErrorShape, paths, policeOrg, validCase } from './enforcement-helpers.js';
import { addDays, todayInCambodia } from '../src/core/dates.js';

let t: TestApp;
let clerk: Client;
let analyst: Client;
let campaignId: string;
let existing: any;
let before: Awaited<ReturnType<typeof countRows>>;
let todayCase: LightMyRequestResponse;

beforeAll(async () => {
  t = await startTestApp();
  const imp = await t.admin.post('/api/geography/import', readFileSync('reference/geography-sample-phnom-penh.csv', 'utf8'), { 'content-type': 'text/csv' });
  expect(imp.statusCode).toBe(200);
  clerk = await t.user('enforcement_clerk', await policeOrg(t, 'Input unit'));
  analyst = await t.user('analyst', await t.org('oversight', 'national_committee', 'Input committee'));
  campaignId = await createCampaign(t, '2024-01-01');
  const res = await clerk.post('/api/cases', validCase({ unitReference: 'INPUT-1' }));
  expect(res.statusCode).toBe(201);
  existing = res.json();
  todayCase = await clerk.post('/api/cases', validCase({ unitReference: 'INPUT-TODAY-1', occurredOn: todayInCambodia(), reportedOn: todayInCambodia() }));
  before = await countRows(t.db);
});
afterAll(() => t.close());

const person = validCase().persons as Record<string, unknown>[];
const seizure = { drug: 'crystal_meth', quantity: 12.5, unit: 'g' };

/** Send a case body to POST /api/cases and to PUT (a correction of the existing case): both must refuse it alike. */
async function refused(body: Record<string, unknown>, path: string, label = path): Promise<LightMyRequestResponse> {
  const post = await clerk.post('/api/cases', body);
  const text = `${label}: POST ${post.statusCode} ${post.body.slice(0, 300)}`;
  expect(post.statusCode, text).toBe(400);
  expectErrorShape(post, text);
  expect(post.json().error.code, text).toBe('invalid_input');
  expect(paths(post), text).toContain(path);
  // the same body as a correction of the existing case (keeping its reference unless the reference is under test)
  const put = await clerk.request('PUT', `/api/cases/${existing.id}`, { ...body, unitReference: path === 'unitReference' ? body.unitReference : existing.unitReference, version: existing.version });
  const ptext = `${label}: PUT ${put.statusCode} ${put.body.slice(0, 300)}`;
  expect(put.statusCode, ptext).toBe(400);
  expect(paths(put), ptext).toContain(path);
  return post;
}

describe('the case body', () => {
  it('unknown fields are refused at every level, with their path', async () => {
    await refused(validCase({ name: 'Sok Dara' }), 'name');
    await refused(validCase({ notes: 'arrested at the market' }), 'notes');
    await refused(validCase({ persons: [{ ...person[0], name: 'Sok Dara' }] }), 'persons.0.name');
    await refused(validCase({ persons: [person[0], { ...person[1], photo: 'data:image/png;base64,AAAA' }] }), 'persons.1.photo');
    await refused(validCase({ seizures: [{ ...seizure, notes: 'in his bag' }] }), 'seizures.0.notes');
    await refused(validCase({ assets: { vehicles: 0, cars: 1 } }), 'assets.cars');
    await refused(validCase({ assets: { phones: 1, phoneNumbers: ['012 345 678'] } }), 'assets.phoneNumbers');
  });

  it('a person with a name, phone, address or ID number is refused, the value is never echoed, and nothing is stored', async () => {
    const values: Record<string, string> = { name: 'Sok Dara', phone: '+855 12 345 678', address: 'House 12, Street 271', idNumber: '010203040' };
    for (const [field, value] of Object.entries(values)) {
      const res = await refused(validCase({ persons: [{ ...person[0], [field]: value }] }), `persons.0.${field}`, field);
      expect(res.body).not.toContain(value);
    }
    // all four at once
    const res = await clerk.post('/api/cases', validCase({ persons: [{ ...person[0], ...values }] }));
    expect(res.statusCode).toBe(400);
    for (const v of Object.values(values)) expect(res.body).not.toContain(v);
    expect(await countRows(t.db)).toEqual(before);
    const stored = JSON.stringify(await t.db.selectFrom('case_persons').selectAll().execute()) + JSON.stringify(await t.db.selectFrom('audit_log').select('details').execute());
    for (const v of Object.values(values)) expect(stored).not.toContain(v);
  });

  it('quantities must be numbers above zero; counts whole numbers of 0 or more', async () => {
    for (const q of [0, -1, -0.001]) await refused(validCase({ seizures: [{ ...seizure, quantity: q }] }), 'seizures.0.quantity', `quantity ${q}`);
    for (const q of ['12', '12.5', '', null, true, [1], 1e10]) await refused(validCase({ seizures: [{ ...seizure, quantity: q }] }), 'seizures.0.quantity', `quantity ${JSON.stringify(q)}`);
    await refused(validCase({ seizures: [seizure, { drug: 'heroin', unit: 'g' }] }), 'seizures.1.quantity', 'quantity missing');
    await refused(validCase({ assets: { phones: -1 } }), 'assets.phones');
    await refused(validCase({ assets: { phones: 1.5 } }), 'assets.phones');
    await refused(validCase({ assets: { motorcycles: '2' } }), 'assets.motorcycles');
    await refused(validCase({ assets: { cashUsd: -20 } }), 'assets.cashUsd');
    await refused(validCase({ assets: { cashKhr: 1e14 } }), 'assets.cashKhr');
    await refused(validCase({ assets: { weapons: 2_000_000 } }), 'assets.weapons');
  });

  it('dates: no future date, reported not before occurred, real calendar dates from 2000 on', async () => {
    const today = todayInCambodia();
    const tomorrow = addDays(today, 1);
    await refused(validCase({ occurredOn: tomorrow, reportedOn: tomorrow }), 'occurredOn', 'occurred tomorrow');
    await refused(validCase({ occurredOn: '2024-03-01', reportedOn: tomorrow }), 'reportedOn', 'reported tomorrow');
    await refused(validCase({ occurredOn: '2024-03-05', reportedOn: '2024-03-04' }), 'reportedOn', 'reported before occurred');
    for (const d of ['2023-02-29', '2024-13-01', '2024-3-1', '01/03/2024', '2024-03-01T00:00:00Z', '1999-12-31', '', '២០២៤-០៣-០១'])
      await refused(validCase({ occurredOn: d, reportedOn: '2024-03-05' }), 'occurredOn', `occurredOn ${d}`);
    await refused(validCase({ occurredOn: undefined }), 'occurredOn', 'occurredOn missing');
    // today itself is accepted (Cambodia time): created in beforeAll
    expect(todayCase.statusCode, todayCase.body).toBe(201);
    expect(todayCase.json().occurredOn).toBe(today);
  });

  it('wrong code values are refused, naming the field', async () => {
    await refused(validCase({ caseType: 'murder' }), 'caseType');
    await refused(validCase({ persons: [{ ...person[0], role: 'kingpin' }] }), 'persons.0.role');
    await refused(validCase({ persons: [{ ...person[0], sex: 'M' }] }), 'persons.0.sex');
    await refused(validCase({ persons: [{ ...person[0], ageBand: '30' }] }), 'persons.0.ageBand');
    await refused(validCase({ persons: [{ ...person[0], disposition: 'executed' }] }), 'persons.0.disposition');
    await refused(validCase({ persons: [{ ...person[0], nationality: 'XX' }] }), 'persons.0.nationality');
    await refused(validCase({ persons: [{ ...person[0], nationality: 'KHM' }] }), 'persons.0.nationality');
    await refused(validCase({ persons: [{ ...person[0], nationality: 'Khmer' }] }), 'persons.0.nationality');
    await refused(validCase({ persons: [{ ...person[0], id: 'not-a-uuid' }] }), 'persons.0.id');
    await refused(validCase({ seizures: [{ ...seizure, drug: 'yaba' }] }), 'seizures.0.drug');
    await refused(validCase({ seizures: [{ ...seizure, unit: 'lb' }] }), 'seizures.0.unit');
    await refused(validCase({ provinceCode: 'KH-26' }), 'provinceCode');
    await refused(validCase({ unitReference: 'Sok Dara' }), 'unitReference');
    await refused(validCase({ unitReference: 'x'.repeat(39) + '12' }), 'unitReference');
    await refused(validCase({ persons: 'two' }), 'persons');
    await refused(validCase({ persons: undefined }), 'persons');
  });

  it('the place: a district must be in the province, a commune in the district, both must exist', async () => {
    await refused(validCase({ provinceCode: 'KH-1', districtCode: '1201' }), 'districtCode', 'district of another province');
    await refused(validCase({ districtCode: '1299' }), 'districtCode', 'unknown district');
    await refused(validCase({ districtCode: '1201', communeCode: '120201' }), 'communeCode', 'commune of another district');
    await refused(validCase({ districtCode: '1201', communeCode: '120199' }), 'communeCode', 'unknown commune');
    await refused(validCase({ communeCode: '120101' }), 'districtCode', 'commune without district');
    await refused(validCase({ districtCode: '12' }), 'districtCode', 'malformed district');
  });

  it('not an object, malformed JSON, NUL characters', async () => {
    for (const body of ['[]', 'null', '"case"', '42', '{"unitReference": ', '{"__proto__": {"x": 1}}']) {
      const res = await clerk.request('POST', '/api/cases', body, { 'content-type': 'application/json' });
      expect(res.statusCode, `${body}: ${res.body}`).toBe(400);
      expectErrorShape(res, body);
    }
    const nul = await clerk.post('/api/cases', validCase({ unitReference: 'INPUT\u00002' }));
    expect(nul.statusCode).toBe(400);
    expect(paths(nul)).toEqual(['unitReference']);
    const csv = await clerk.request('POST', '/api/cases', 'unit_reference\nX-1\n', { 'content-type': 'text/csv' });
    expect(csv.statusCode).toBe(400);
  });

  it('a 10 MB JSON body is 413 with the error shape', async () => {
    const big = validCase({ persons: Array.from({ length: 60_000 }, () => person[0]) });
    const payload = JSON.stringify(big);
    expect(payload.length).toBeGreaterThan(5 * 1024 * 1024);
    const padded = JSON.stringify({ ...validCase(), pad: 'x'.repeat(10 * 1024 * 1024) });
    for (const p of [payload, padded]) {
      const res = await clerk.request('POST', '/api/cases', p, { 'content-type': 'application/json' });
      expect(res.statusCode, res.body.slice(0, 200)).toBe(413);
      expectErrorShape(res);
      expect(res.json().error.code).toBe('too_large');
      const put = await clerk.request('PUT', `/api/cases/${existing.id}`, p, { 'content-type': 'application/json' });
      expect(put.statusCode).toBe(413);
    }
  });

  it('more than 500 persons or 100 seizures in one case are refused', async () => {
    await refused(validCase({ persons: Array.from({ length: 501 }, () => person[0]) }), 'persons', '501 persons');
    await refused(validCase({ seizures: Array.from({ length: 101 }, () => seizure) }), 'seizures', '101 seizures');
  });

  it('disposition and void bodies are strict too', async () => {
    const url = `/api/cases/${existing.id}/persons/${existing.persons[0].id}`;
    for (const body of [{ disposition: 'sent_to_court', name: 'Sok' }, { disposition: 'SENT_TO_COURT' }, {}, { disposition: null }]) {
      const res = await clerk.patch(url, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    for (const body of [{ reason: 'duplicate', note: 'typed twice' }, { reason: 'he paid' }, {}]) {
      const res = await clerk.post(`/api/cases/${existing.id}/void`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await clerk.get(`/api/cases/not-an-id`)).statusCode).toBe(400);
    expect((await clerk.patch(`/api/cases/${existing.id}/persons/nope`, { disposition: 'released' })).statusCode).toBe(400);
  });

  it('none of the refused requests changed the database', async () => {
    expect(await countRows(t.db)).toEqual(before);
    const now = (await clerk.get(`/api/cases/${existing.id}`)).json();
    expect(now).toEqual(existing);
  });
});

describe('report queries', () => {
  const bad = async (query: string, path: string, status = 400) => {
    // the JSON report and its CSV export refuse alike
    for (const url of [`/api/enforcement/report?${query}`, `/api/enforcement/report.csv?${query}${query ? '&' : ''}table=summary`]) {
      const res = await analyst.get(url);
      const label = `${url}: ${res.statusCode} ${res.body.slice(0, 300)}`;
      expect(res.statusCode, label).toBe(status);
      expectErrorShape(res, label);
      if (status === 400) expect(paths(res).some((p) => p === path || p.startsWith(`${path}`)), label).toBe(true);
    }
  };

  it('refuses a period without a campaign, to before from, bad period strings, a district without province', async () => {
    await bad('period=week:1', 'query.campaignId');
    await bad('from=2024-02-01&to=2024-01-31', 'query.to');
    for (const p of ['week:0', 'week:abc', 'week:', 'week:-1', 'week:1.5', 'day:0', 'days:1', 'days:0-3', 'days:a-b', 'month:1', 'to-date', 'WEEK:1', 'week:1000'])
      await bad(`campaignId=${campaignId}&period=${encodeURIComponent(p)}`, 'query.period');
    await bad(`campaignId=${campaignId}&period=days:5-3`, 'query.period');
    await bad('from=2024-01-01&to=2024-01-31&district=1201', 'query.province');
    await bad('from=2024-01-01&to=2024-01-31&province=KH-1&district=1201', 'query.district');
    await bad('from=2024-01-01', 'query.from');
    await bad('', 'query.from');
    await bad('from=2024-02-30&to=2024-03-01', 'query.from');
    await bad('from=2024-01-01&to=2024-01-31&province=KH-99', 'query.province');
    await bad('from=2024-01-01&to=2024-01-31&name=Sok', 'query.name');
    await bad(`campaignId=not-an-id&period=week:1`, 'query.campaignId');
    await bad('from=2000-01-01&to=2024-01-01', 'query.to');
    await bad(`campaignId=00000000-0000-4000-8000-000000000000&period=week:1`, '', 404);
  });

  it('a missing or bad table name for the CSV is refused, naming query.table', async () => {
    for (const q of ['table=people', 'table=', '']) {
      const res = await analyst.get(`/api/enforcement/report.csv?from=2024-01-01&to=2024-01-02${q ? '&' : ''}${q}`);
      expect(res.statusCode, q).toBe(400);
      expectErrorShape(res);
      expect(paths(res), q).toEqual(['query.table']);
    }
    expect((await analyst.get(`/api/enforcement/report.csv?from=2024-01-01&to=2024-01-02&table=summary`)).statusCode).toBe(200);
  });

  it('and none of them changed the database', async () => {
    expect(await countRows(t.db)).toEqual(before);
  });
});
