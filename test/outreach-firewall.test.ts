/**
 * The firewall of the harm reduction pillar: nothing of it at client level reaches enforcement, oversight or any
 * other organisation — not through the API, exports, search, sync, error messages, or 403 vs 404 on guessed ids.
 * Real records are created in health organisation A through sync push; then EVERY route of the server is called by
 * every role outside A, with A's real ids substituted into the path and A's UIC into the query.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type Method, type TestApp } from './helpers.js';
import { clientRecord, contactRecord, healthOrg, pull, pushOk, registerDevice } from './outreach-helpers.js';

let t: TestApp;
const secrets: string[] = [];
let A: { clients: string[]; uics: string[]; contacts: string[]; referrals: string[]; hotspot: string; code: string; device: string };
const outsiders = new Map<string, Client>();
const devices = new Map<string, string>();

beforeAll(async () => {
  t = await startTestApp({ loginRateLimit: 100_000 });
  const imp = await t.admin.post('/api/geography/import', readFileSync('reference/geography-sample-phnom-penh.csv', 'utf8'), { 'content-type': 'text/csv' });
  expect(imp.statusCode).toBe(200);
  const orgA = await healthOrg(t, 'Firewall NGO A');
  const pmA = await t.user('programme_manager', orgA);
  const workerA = await t.user('outreach_worker', orgA);
  const deviceA = await registerDevice(workerA);
  const code = 'HSPOTA9Z';
  const hs = await pmA.post('/api/outreach/hotspots', { code, districtCode: '1201' });
  expect(hs.statusCode, hs.body).toBe(201);
  const c1 = clientRecord({ uic: 'KMVNF930512' });
  const c2 = clientRecord({ uic: 'KMVNF930513', sex: 'male' });
  const k1 = contactRecord(c1.id, { setting: 'hotspot', hotspotId: hs.json().id });
  const k2 = contactRecord(c2.id);
  const res = await pushOk(workerA, deviceA, [c1, c2, k1, k2]);
  expect(res.every((r) => r.status === 'accepted')).toBe(true);
  A = {
    clients: [c1.id, c2.id],
    uics: ['KMVNF930512', 'KMVNF930513'],
    contacts: [k1.id, k2.id],
    referrals: [...(k1.data.referrals as { id: string }[]), ...(k2.data.referrals as { id: string }[])].map((r) => r.id),
    hotspot: hs.json().id,
    code,
    device: deviceA,
  };
  secrets.push(...A.clients, ...A.uics, ...A.contacts, ...A.referrals, A.hotspot, A.code);
  // sanity: A sees its own records
  expect((await pmA.get(`/api/outreach/clients?uic=KMVNF9305`)).json().items).toHaveLength(2);

  const orgB = await healthOrg(t, 'Firewall NGO B');
  const police = await t.org('enforcement', 'police_unit', 'Firewall police');
  const committee = await t.org('oversight', 'national_committee', 'Firewall committee');
  const school = await t.org('education', 'education_office', 'Firewall education');
  outsiders.set('enforcement_clerk', await t.user('enforcement_clerk', police));
  outsiders.set('enforcement_supervisor', await t.user('enforcement_supervisor', police));
  outsiders.set('analyst', await t.user('analyst', committee));
  outsiders.set('administrator', t.admin);
  outsiders.set('auditor', await t.user('auditor', committee));
  outsiders.set('education_officer', await t.user('education_officer', school));
  outsiders.set('programme_manager_B', await t.user('programme_manager', orgB));
  outsiders.set('outreach_worker_B', await t.user('outreach_worker', orgB));
  outsiders.set('treatment_staff_B', await t.user('treatment_staff', orgB));
  devices.set('programme_manager_B', await registerDevice(outsiders.get('programme_manager_B')!));
  devices.set('outreach_worker_B', await registerDevice(outsiders.get('outreach_worker_B')!));
});
afterAll(() => t.close());

/** A body for a write route, with A's ids where the route takes ids. */
function bodyFor(method: string, url: string, ids: { client: string; other: string; hotspot: string; recordId: string }): unknown {
  if (method === 'GET') return undefined;
  if (url === '/api/sync/push') return { records: [contactRecord(ids.client, { id: ids.recordId, setting: 'hotspot', hotspotId: ids.hotspot, referrals: [] })].map((r) => JSON.parse(JSON.stringify(r))) };
  if (url === '/api/outreach/duplicates/decide') return { a: ids.client, b: ids.other, decision: 'merge' };
  if (url === '/api/outreach/clients/:id') return { status: 'died' };
  if (url === '/api/outreach/referrals/:id') return { outcome: 'not_completed' };
  if (url === '/api/outreach/hotspots/:id') return { active: false };
  if (url === '/api/accounts/:id') return { role: 'analyst' };
  return {};
}

const fill = (url: string, id: string, personId: string) => url.replace(':personId', personId).replace(':id', id);
const SKIP = new Set(['POST /api/auth/logout', 'POST /api/auth/password', 'PATCH /api/auth/me', 'POST /api/outreach/hotspots']);

function expectNoSecret(body: string, label: string) {
  for (const s of secrets) expect(body.includes(s) || body.includes(s.toLowerCase()), `${label} leaks ${s}: ${body.slice(0, 300)}`).toBe(false);
}

describe('harm reduction firewall', () => {
  it('every route × every role outside organisation A, with A\'s real ids and UIC: no response contains any of A\'s client-level values', async () => {
    const routes = t.app.tonleRoutes.filter((r) => !SKIP.has(`${r.method} ${r.url}`));
    expect(routes.length).toBeGreaterThan(50);
    const idsToTry = [...A.clients, ...A.contacts, A.referrals[0], A.hotspot];
    let calls = 0;
    for (const [who, c] of outsiders) {
      for (const r of routes) {
        const hasId = r.url.includes(':id');
        for (const id of hasId ? idsToTry : [A.clients[0]]) {
          for (const query of r.method === 'GET' ? ['', `?uic=${A.uics[0]}`, `?uic=${A.uics[0].slice(0, 6)}`] : ['']) {
            const url = fill(r.url, id, A.clients[1]) + query;
            const body = bodyFor(r.method, r.url, { client: A.clients[0], other: A.clients[1], hotspot: A.hotspot, recordId: randomUUID() });
            const headers: Record<string, string> = r.url.startsWith('/api/sync/') ? { 'x-device-id': devices.get(who) ?? A.device } : {};
            const res = await c.request(r.method as Method, url, body, headers);
            calls++;
            const label = `${r.method} ${url} as ${who} → ${res.statusCode}`;
            expect(res.statusCode, `${label}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
            expectNoSecret(res.body, label);
            expectNoSecret(JSON.stringify(res.headers), `${label} (headers)`);
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(500);
    // and nothing of A changed
    const rows = await t.db.selectFrom('outreach_clients').select(['id', 'status', 'merged_into']).where('id', 'in', A.clients).execute();
    expect(rows.map((x) => [x.status, x.merged_into])).toEqual([
      ['active', null],
      ['active', null],
    ]);
    const h = await t.db.selectFrom('hotspots').select('active').where('id', '=', A.hotspot).executeTakeFirstOrThrow();
    expect(h.active).toBe(true);
  });

  it('a guessed id of A\'s record answers a health user of organisation B exactly like a random unknown id', async () => {
    const recordId = randomUUID();
    for (const who of ['programme_manager_B', 'outreach_worker_B', 'treatment_staff_B']) {
      const c = outsiders.get(who)!;
      for (const r of t.app.tonleRoutes.filter((x) => !SKIP.has(`${x.method} ${x.url}`))) {
        const hasIds = r.url.includes(':id') || ['/api/outreach/duplicates/decide', '/api/sync/push'].includes(r.url);
        if (!hasIds) continue;
        for (const real of [...A.clients, ...A.contacts, A.referrals[0], A.hotspot]) {
          const guessed = { client: real, other: real === A.clients[1] ? A.clients[0] : A.clients[1], hotspot: A.hotspot, recordId };
          const random = { client: randomUUID(), other: randomUUID(), hotspot: randomUUID(), recordId };
          const unknown = randomUUID();
          const headers: Record<string, string> = r.url.startsWith('/api/sync/') && devices.has(who) ? { 'x-device-id': devices.get(who)! } : {};
          const a = await c.request(r.method as Method, fill(r.url, real, A.clients[1]), bodyFor(r.method, r.url, guessed), headers);
          const b = await c.request(r.method as Method, fill(r.url, unknown, A.clients[1]), bodyFor(r.method, r.url, random), headers);
          const label = `${r.method} ${r.url} as ${who} with A's ${real}`;
          expect(a.statusCode, `${label}: ${a.body}`).toBe(b.statusCode);
          expect(a.body.replaceAll(real, 'ID').replaceAll(unknown, 'ID'), label).toBe(b.body.replaceAll(real, 'ID').replaceAll(unknown, 'ID'));
          expectNoSecret(a.body, label);
        }
      }
    }
  });

  it('sync pull as organisation B returns none of A\'s records; B\'s hotspot code can equal A\'s without a conflict', async () => {
    const pmB = outsiders.get('programme_manager_B')!;
    for (const who of ['programme_manager_B', 'outreach_worker_B']) {
      const res = await pull(outsiders.get(who)!, devices.get(who)!);
      expect(res.statusCode).toBe(200);
      expect(res.json().clients).toEqual([]);
      expect(res.json().hotspots).toEqual([]);
      expectNoSecret(res.body, `pull as ${who}`);
    }
    // the same code in B is B's own hotspot: created, not "already taken"
    const mine = await pmB.post('/api/outreach/hotspots', { code: A.code, districtCode: '1201' });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(mine.json().id).not.toBe(A.hotspot);
    // the same record id as A's client, pushed by B, is B's own record: accepted, and A's stays untouched
    const same = await pushOk(outsiders.get('outreach_worker_B')!, devices.get('outreach_worker_B')!, [clientRecord({ id: A.clients[0], uic: 'BBBBM900101' })]);
    expect(same[0].status).toBe('accepted');
    const aRow = await t.db.selectFrom('outreach_clients').select(['uic', 'organisation_id']).where('id', '=', A.clients[0]).execute();
    expect(aRow.map((r) => r.uic).sort()).toEqual(['BBBBM900101', 'KMVNF930512']);
  });

  it('the audit trail, read by the auditor, holds no client id, UIC or hotspot code of A', async () => {
    const res = await outsiders.get('auditor')!.get('/api/audit?limit=500');
    expect(res.statusCode).toBe(200);
    expectNoSecret(res.body, 'audit trail');
    expect(res.body).toContain('client.create');
    expect(res.body).toContain('client.read');
  });
});
