/**
 * The firewall of the treatment pillar: admissions are client-level, inside the organisation that runs the centre.
 * Real stays are recorded in organisation A; then every treatment route is called by the staff of another health
 * organisation and by every non-health role, with A's real admission and centre ids in the path and A's UIC in the
 * query. Nobody gets a row; guessed ids answer 404 like unknown ones (health roles) or 403 (everyone else); no UIC or
 * admission id ever appears in a national answer, a CSV, an error or the audit trail.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type Method, type TestApp } from './helpers.js';
import { admissionBody, admit, centreOrg, createCentre, discharge, treatmentCounts, voluntary } from './treatment-helpers.js';

let t: TestApp;
let staffA: Client;
let centreA: any;
const uics = ['KMVNF930512', 'SKDRM880101', 'BPCNF991231'];
const stayIds: string[] = [];
const outsiders = new Map<string, Client>();
const HEALTH_OUTSIDERS = ['treatment_staff_B', 'programme_manager_B', 'outreach_worker_B'];

beforeAll(async () => {
  t = await startTestApp({ loginRateLimit: 100_000 });
  const orgA = await centreOrg(t, 'Firewall centre A org', 'state_treatment_centre', 'KH-2');
  staffA = await t.user('treatment_staff', orgA);
  centreA = await createCentre(t, orgA, { name: 'Firewall centre A', kind: 'state', admissionPolicy: 'compulsory', provinceCode: 'KH-2', capacity: 50 });
  const a1 = await admit(staffA, admissionBody(centreA.id, { uic: uics[0], admittedOn: '2025-01-10' }));
  const a2 = await admit(staffA, voluntary(centreA.id, { uic: uics[1], admittedOn: '2025-01-12' }));
  const a3 = await admit(staffA, admissionBody(centreA.id, { uic: uics[2], admittedOn: '2025-01-15', legalBasis: 'court_ordered', referralSource: 'court' }));
  await discharge(staffA, a3, '2025-02-01', 'completed');
  stayIds.push(a1.id, a2.id, a3.id);
  // sanity: A sees its own stays
  expect((await staffA.get('/api/treatment/admissions')).json().total).toBe(3);

  const orgB = await centreOrg(t, 'Firewall centre B org', 'private_treatment_centre', 'KH-2');
  const staffB = await t.user('treatment_staff', orgB);
  await createCentre(t, orgB, { name: 'Firewall centre B', kind: 'private', admissionPolicy: 'mixed', provinceCode: 'KH-2' });
  const police = await t.org('enforcement', 'police_unit', 'Firewall treatment police');
  const committee = await t.org('oversight', 'national_committee', 'Firewall treatment committee');
  const school = await t.org('education', 'education_office', 'Firewall treatment education');
  outsiders.set('treatment_staff_B', staffB);
  outsiders.set('programme_manager_B', await t.user('programme_manager', orgB));
  outsiders.set('outreach_worker_B', await t.user('outreach_worker', orgB));
  outsiders.set('outreach_worker_A', await t.user('outreach_worker', orgA)); // same organisation, not a treatment role
  outsiders.set('enforcement_clerk', await t.user('enforcement_clerk', police));
  outsiders.set('enforcement_supervisor', await t.user('enforcement_supervisor', police));
  outsiders.set('analyst', await t.user('analyst', committee));
  outsiders.set('administrator', t.admin);
  outsiders.set('auditor', await t.user('auditor', committee));
  outsiders.set('education_officer', await t.user('education_officer', school));
});
afterAll(() => t.close());

const secrets = () => [...uics, ...stayIds];
function expectNoSecret(body: string, label: string) {
  for (const s of secrets()) expect(body.includes(s) || body.includes(s.toLowerCase()), `${label} leaks ${s}: ${body.slice(0, 300)}`).toBe(false);
}
const treatmentRoutes = () => t.app.tonleRoutes.filter((r) => r.url.startsWith('/api/treatment/'));
const fill = (url: string, id: string) => url.replace(':id', id);
function bodyFor(method: string, url: string) {
  if (method === 'GET') return undefined;
  if (url.endsWith('/discharge')) return { version: 1, dischargedOn: '2025-02-10', reason: 'completed' };
  if (url === '/api/treatment/admissions') return admissionBody(centreA.id, { uic: uics[0], admittedOn: '2025-03-01' });
  if (url === '/api/treatment/centres/:id') return { version: 99, capacity: 1 }; // the administrator keeps the register: a stale version changes nothing
  return {};
}

describe('treatment firewall', () => {
  it('every treatment route × every role outside A\'s treatment staff, with A\'s real ids and UIC: no row, no secret, nothing changed', async () => {
    const routes = treatmentRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(11);
    const before = await treatmentCounts(t.db);
    let calls = 0;
    for (const [who, c] of outsiders) {
      for (const r of routes) {
        for (const id of r.url.includes(':id') ? [...stayIds, centreA.id] : [stayIds[0]]) {
          for (const query of r.method === 'GET' ? ['', `?uic=${uics[0]}`, `?uic=${uics[0].slice(0, 5)}`, `?centreId=${centreA.id}`] : ['']) {
            const url = fill(r.url, id) + query;
            const res = await c.request(r.method as Method, url, bodyFor(r.method, r.url));
            calls++;
            const label = `${r.method} ${url} as ${who} → ${res.statusCode}`;
            expect(res.statusCode, `${label}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
            expectNoSecret(res.body, label);
            expectNoSecret(JSON.stringify(res.headers), `${label} (headers)`);
            if (r.url === '/api/treatment/admissions' && r.method === 'GET') {
              if (HEALTH_OUTSIDERS.slice(0, 2).includes(who) && res.statusCode === 200) expect(res.json(), label).toEqual({ items: [], total: 0 });
              else expect([400, 403], label).toContain(res.statusCode);
            }
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(300);
    // nothing of A changed: no stay added, none discharged, A's register entry as it was
    expect({ ...(await treatmentCounts(t.db)), audit: 0 }).toEqual({ ...before, audit: 0 });
    expect((await staffA.get(`/api/treatment/admissions/${stayIds[0]}`)).json()).toMatchObject({ dischargedOn: null, version: 1 });
    expect((await staffA.get(`/api/treatment/centres/${centreA.id}`)).json().version).toBe(1);
  });

  it('staff of another health organisation: 404 on A\'s real admission ids and centre view, exactly like unknown ids', async () => {
    for (const who of ['treatment_staff_B', 'programme_manager_B']) {
      const c = outsiders.get(who)!;
      for (const real of stayIds) {
        const unknown = randomUUID();
        for (const [method, path, body] of [
          ['GET', '/api/treatment/admissions/:id', undefined],
          ...(who === 'treatment_staff_B' ? [['POST', '/api/treatment/admissions/:id/discharge', { version: 1, dischargedOn: '2025-02-10', reason: 'completed' }]] : []),
        ] as [Method, string, unknown][]) {
          const a = await c.request(method, fill(path, real), body);
          const b = await c.request(method, fill(path, unknown), body);
          expect(a.statusCode, `${method} ${path} as ${who}`).toBe(404);
          expect(a.body.replaceAll(real, 'ID')).toBe(b.body.replaceAll(unknown, 'ID'));
        }
      }
      const view = await c.get(`/api/treatment/centres/${centreA.id}/view`);
      const unknownView = await c.get(`/api/treatment/centres/${randomUUID()}/view`);
      expect(view.statusCode).toBe(404);
      expect(view.body).toBe(unknownView.body);
    }
    // admitting to A's centre: the same 400 as to an unknown centre
    const staffB = outsiders.get('treatment_staff_B')!;
    const a = await staffB.post('/api/treatment/admissions', admissionBody(centreA.id, { uic: uics[0], admittedOn: '2025-03-01' }));
    const b = await staffB.post('/api/treatment/admissions', admissionBody(randomUUID(), { uic: uics[0], admittedOn: '2025-03-01' }));
    expect(a.statusCode).toBe(400);
    expect(a.body).toBe(b.body);
  });

  it('every non-health role (and A\'s own outreach worker) gets 403 on admissions and the centre view', async () => {
    for (const who of ['enforcement_clerk', 'enforcement_supervisor', 'analyst', 'administrator', 'auditor', 'education_officer', 'outreach_worker_A', 'outreach_worker_B']) {
      const c = outsiders.get(who)!;
      for (const url of ['/api/treatment/admissions', `/api/treatment/admissions/${stayIds[0]}`, `/api/treatment/centres/${centreA.id}/view`]) {
        const res = await c.get(url);
        expect(res.statusCode, `${url} as ${who}`).toBe(403);
        expect(res.json().error.code).toBe('forbidden');
      }
    }
  });

  it('no UIC or admission id appears in any national answer (JSON or CSV), for any role — A\'s staff included', async () => {
    for (const c of [staffA, ...outsiders.values()]) {
      for (const url of ['/api/treatment/national?period=2025-Q1', '/api/treatment/national', '/api/treatment/centres', `/api/treatment/centres/${centreA.id}`]) {
        const res = await c.get(url);
        expect(res.statusCode, url).toBe(200);
        expectNoSecret(res.body, url);
      }
      for (const table of ['kind', 'province', 'referral_source', 'referrals']) {
        const res = await c.get(`/api/treatment/national.csv?period=2025-Q1&table=${table}`);
        expect(res.statusCode).toBe(200);
        expectNoSecret(res.body, table);
      }
    }
    // the national view does count A's stays (suppressed: 2 in care on 2025-03-31 is "<5")
    const v = (await staffA.get('/api/treatment/national?period=2025-Q1')).json();
    expect(v.byKind.admissions.rowTotals[0]).toBe('<5');
    expect(v.byKind.inCare.rowTotals[0]).toBe('<5');
  });

  it('the audit trail, read by the auditor, names A\'s stays by pseudonyms only', async () => {
    const res = await outsiders.get('auditor')!.get('/api/audit?limit=500');
    expect(res.statusCode).toBe(200);
    const entries = res.json().items as { action: string; entityId: string | null }[];
    const stayEntries = entries.filter((e) => e.action.startsWith('admission.'));
    expect(stayEntries.length).toBeGreaterThanOrEqual(4);
    expectNoSecret(res.body, 'audit trail');
  });
});
