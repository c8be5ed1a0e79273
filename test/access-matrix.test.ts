/**
 * THE access-policy matrix: every API route × every role (and signed out), sent as real signed-in accounts.
 * A route added to the server without a row here fails the first test, naming the route.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { Client, startTestApp, type Method, type TestApp } from './helpers.js';
import { ROLES, type Role } from '../src/core/roles.js';
import { createCampaign, createCase, policeOrg } from './enforcement-helpers.js';

type Who = Role | 'signed_out';
const COLUMNS: Who[] = [...ROLES, 'signed_out'];

// A = allowed (status must be the route's `ok` status, never 401/403), F = 403 forbidden, U = 401.
// Columns: administrator, enforcement_clerk, enforcement_supervisor, treatment_staff, outreach_worker,
//          programme_manager, education_officer, analyst, auditor, signed out.
const MATRIX: Record<string, string> = {
  'POST /api/auth/login':                     'A A A A A A A A A A',
  'POST /api/auth/logout':                    'A A A A A A A A A U',
  'GET /api/auth/me':                         'A A A A A A A A A U',
  'PATCH /api/auth/me':                       'A A A A A A A A A U',
  'POST /api/auth/password':                  'A A A A A A A A A U',
  'GET /api/organisations':                   'A A A A A A A A A U',
  'GET /api/organisations/:id':               'A A A A A A A A A U',
  'POST /api/organisations':                  'A F F F F F F F F U',
  'PATCH /api/organisations/:id':             'A F F F F F F F F U',
  'GET /api/accounts':                        'A F F F F F F F F U',
  'GET /api/accounts/:id':                    'A F F F F F F F F U',
  'POST /api/accounts':                       'A F F F F F F F F U',
  'PATCH /api/accounts/:id':                  'A F F F F F F F F U',
  'POST /api/accounts/:id/reset-password':    'A F F F F F F F F U',
  'GET /api/geography/provinces':             'A A A A A A A A A U',
  'GET /api/geography/districts':             'A A A A A A A A A U',
  'GET /api/geography/communes':              'A A A A A A A A A U',
  'GET /api/geography/summary':               'A A A A A A A A A U',
  'POST /api/geography/import':               'A F F F F F F F F U',
  'GET /api/audit':                           'F F F F F F F F A U',
  'GET /api/audit/verify':                    'F F F F F F F F A U',
  'GET /api/campaigns':                       'A A A A A A A A A U',
  'GET /api/campaigns/:id':                   'A A A A A A A A A U',
  'POST /api/campaigns':                      'A F F F F F F A F U',
  'PATCH /api/campaigns/:id':                 'A F F F F F F A F U',
  'GET /api/cases':                           'F A A F F F F F F U',
  'GET /api/cases/defaults':                  'F A A F F F F F F U',
  'GET /api/cases/import/template':           'F A A F F F F F F U',
  'GET /api/cases/:id':                       'F A A F F F F F F U',
  'GET /api/cases/:id/history':               'F A A F F F F F F U',
  'POST /api/cases':                          'F A A F F F F F F U',
  'PUT /api/cases/:id':                       'F A A F F F F F F U',
  'PATCH /api/cases/:id/persons/:personId':   'F A A F F F F F F U',
  'POST /api/cases/:id/void':                 'F A A F F F F F F U',
  'POST /api/cases/import':                   'F A A F F F F F F U',
  'GET /api/enforcement/report':              'F A A F F F F A F U',
  'GET /api/enforcement/report.csv':          'F A A F F F F A F U',
  'GET /api/outreach/config':                 'F F F A A A F F F U',
  'POST /api/devices':                        'F F F F A A F F F U',
  'GET /api/devices':                         'A F F F A A F F F U',
  'POST /api/devices/:id/revoke':             'A F F F F A F F F U',
  'POST /api/sync/push':                      'F F F F A A F F F U',
  'GET /api/sync/pull':                       'F F F F A A F F F U',
  'GET /api/outreach/hotspots':               'F F F A A A F F F U',
  'POST /api/outreach/hotspots':              'F F F F F A F F F U',
  'PATCH /api/outreach/hotspots/:id':         'F F F F F A F F F U',
  'GET /api/outreach/clients':                'F F F A A A F F F U',
  'GET /api/outreach/clients/:id':            'F F F A A A F F F U',
  'PATCH /api/outreach/clients/:id':          'F F F A A A F F F U',
  'PATCH /api/outreach/referrals/:id':        'F F F A A A F F F U',
  'GET /api/outreach/duplicates':             'F F F F F A F F F U',
  'POST /api/outreach/duplicates/decide':     'F F F F F A F F F U',
  'GET /api/outreach/indicators':             'F F F F F A F F F U',
  'GET /api/outreach/indicators.csv':         'F F F F F A F F F U',
  'GET /api/outreach/aggregates':             'A A A A A A A A A U',
  'GET /api/treatment/centres':               'A A A A A A A A A U',
  'GET /api/treatment/centres/:id':           'A A A A A A A A A U',
  'POST /api/treatment/centres':              'A F F F F F F F F U',
  'PATCH /api/treatment/centres/:id':         'A F F F F F F F F U',
  'GET /api/treatment/admissions':            'F F F A F A F F F U',
  'GET /api/treatment/admissions/:id':        'F F F A F A F F F U',
  'POST /api/treatment/admissions':           'F F F A F F F F F U',
  'POST /api/treatment/admissions/:id/discharge': 'F F F A F F F F F U',
  'POST /api/treatment/admissions/:id/void':  'F F F A F F F F F U',
  'GET /api/treatment/centres/:id/view':      'F F F A F A F F F U',
  'GET /api/treatment/national':              'A A A A A A A A A U',
  'GET /api/treatment/national.csv':          'A A A A A A A A A U',
  'GET /api/education/sessions':              'F F F F F F A F F U',
  'POST /api/education/sessions':             'F F F F F F A F F U',
  'POST /api/education/sessions/:id/void':    'F F F F F F A F F U',
  'GET /api/education/national':              'A A A A A A A A A U',
  'GET /api/education/national.csv':          'A A A A A A A A A U',
};

/** Routes an account with a one-time password may still use (everything else: 403 password_change_required). */
const DURING_PASSWORD_CHANGE = new Set(['POST /api/auth/login', 'POST /api/auth/logout', 'GET /api/auth/me', 'PATCH /api/auth/me', 'POST /api/auth/password']);

interface Probe {
  /** URL with real ids and a valid query. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The status an allowed caller gets with this (cheap, harmless) request. */
  ok: number;
  /** The same route with an invalid id / query / body: a refused caller must still get 401/403, not 400. */
  invalid: { url: string; body?: unknown; headers?: Record<string, string> };
}

let t: TestApp;
const creds = new Map<Who, { username: string; password: string }>();
const clients = new Map<Who, Client>();
let probes: Record<string, Probe>;
let pending: Client;
let ids: { campaign: string; case: string; person: string; enforcementOrg: string };

beforeAll(async () => {
  t = await startTestApp({ loginRateLimit: 10_000 });
  const imp = await t.admin.post('/api/geography/import', readFileSync('reference/geography-sample-phnom-penh.csv', 'utf8'), { 'content-type': 'text/csv' });
  expect(imp.statusCode).toBe(200);
  const orgs = {
    enforcement: await t.org('enforcement', 'police_unit', 'Matrix police unit'),
    health: await t.org('health', 'ngo', 'Matrix NGO'),
    oversight: await t.org('oversight', 'national_committee', 'Matrix committee'),
    education: await t.org('education', 'education_office', 'Matrix education office'),
  };
  const orgOf: Record<Role, string> = {
    administrator: orgs.oversight,
    enforcement_clerk: orgs.enforcement,
    enforcement_supervisor: orgs.enforcement,
    treatment_staff: orgs.health,
    outreach_worker: orgs.health,
    programme_manager: orgs.health,
    education_officer: orgs.education,
    analyst: orgs.oversight,
    auditor: orgs.oversight,
  };
  for (const role of ROLES) {
    const u = await t.user(role, orgOf[role]);
    creds.set(role, { username: u.username, password: u.password });
    clients.set(role, u);
  }
  clients.set('signed_out', t.anon());
  const target = await t.user('analyst', orgs.oversight, 'matrix-target');
  const created = await t.admin.post('/api/accounts', { username: 'matrix-pending', role: 'administrator', organisationId: orgOf.administrator });
  expect(created.statusCode).toBe(201);
  pending = t.anon();
  expect((await pending.login('matrix-pending', created.json().oneTimePassword)).statusCode).toBe(200);

  const campaign = await createCampaign(t, '2024-01-01');
  const kase = await createCase(clients.get('enforcement_clerk')!);
  ids = { campaign, case: kase.id, person: kase.persons[0].id, enforcementOrg: orgs.enforcement };

  const BAD_ID = 'not-an-id';
  const UNKNOWN = '00000000-0000-4000-8000-00000000beef';
  const csv = { 'content-type': 'text/csv' };
  probes = {
    'POST /api/auth/login': { url: '/api/auth/login', body: {}, ok: 400, invalid: { url: '/api/auth/login', body: { x: 1 } } },
    'POST /api/auth/logout': { url: '/api/auth/logout', ok: 204, invalid: { url: '/api/auth/logout', body: { x: 1 } } },
    'GET /api/auth/me': { url: '/api/auth/me', ok: 200, invalid: { url: '/api/auth/me' } },
    'PATCH /api/auth/me': { url: '/api/auth/me', body: { locale: 'en' }, ok: 200, invalid: { url: '/api/auth/me', body: { locale: 'xx', x: 1 } } },
    'POST /api/auth/password': { url: '/api/auth/password', body: {}, ok: 400, invalid: { url: '/api/auth/password', body: { newPassword: 1 } } },
    'GET /api/organisations': { url: '/api/organisations', ok: 200, invalid: { url: '/api/organisations' } },
    'GET /api/organisations/:id': { url: `/api/organisations/${orgs.education}`, ok: 200, invalid: { url: `/api/organisations/${BAD_ID}` } },
    'POST /api/organisations': { url: '/api/organisations', body: {}, ok: 400, invalid: { url: '/api/organisations', body: { sector: 'x', bogus: true } } },
    'PATCH /api/organisations/:id': { url: `/api/organisations/${orgs.education}`, body: {}, ok: 200, invalid: { url: `/api/organisations/${BAD_ID}`, body: { status: 'gone' } } },
    'GET /api/accounts': { url: '/api/accounts', ok: 200, invalid: { url: '/api/accounts' } },
    'GET /api/accounts/:id': { url: `/api/accounts/${target.accountId}`, ok: 200, invalid: { url: `/api/accounts/${BAD_ID}` } },
    'POST /api/accounts': { url: '/api/accounts', body: {}, ok: 400, invalid: { url: '/api/accounts', body: { role: 'god', bogus: 1 } } },
    'PATCH /api/accounts/:id': { url: `/api/accounts/${target.accountId}`, body: {}, ok: 200, invalid: { url: `/api/accounts/${BAD_ID}`, body: { disabled: 'yes' } } },
    'POST /api/accounts/:id/reset-password': {
      url: `/api/accounts/${target.accountId}/reset-password`,
      ok: 200,
      invalid: { url: `/api/accounts/${BAD_ID}/reset-password`, body: { x: 1 } },
    },
    'GET /api/geography/provinces': { url: '/api/geography/provinces', ok: 200, invalid: { url: '/api/geography/provinces' } },
    'GET /api/geography/districts': { url: '/api/geography/districts?province=KH-12', ok: 200, invalid: { url: '/api/geography/districts?province=KH-99' } },
    'GET /api/geography/communes': { url: '/api/geography/communes?district=1201', ok: 200, invalid: { url: '/api/geography/communes?district=x' } },
    'GET /api/geography/summary': { url: '/api/geography/summary', ok: 200, invalid: { url: '/api/geography/summary' } },
    'POST /api/geography/import': { url: '/api/geography/import', body: '', headers: csv, ok: 400, invalid: { url: '/api/geography/import', body: 'level\nbad\n', headers: csv } },
    'GET /api/audit': { url: '/api/audit?limit=5', ok: 200, invalid: { url: '/api/audit?limit=0' } },
    'GET /api/audit/verify': { url: '/api/audit/verify', ok: 200, invalid: { url: '/api/audit/verify' } },
    'GET /api/campaigns': { url: '/api/campaigns', ok: 200, invalid: { url: '/api/campaigns?x=1' } },
    'GET /api/campaigns/:id': { url: `/api/campaigns/${campaign}`, ok: 200, invalid: { url: `/api/campaigns/${BAD_ID}` } },
    'POST /api/campaigns': { url: '/api/campaigns', body: {}, ok: 400, invalid: { url: '/api/campaigns', body: { bogus: 1 } } },
    'PATCH /api/campaigns/:id': { url: `/api/campaigns/${campaign}`, body: {}, ok: 200, invalid: { url: `/api/campaigns/${BAD_ID}`, body: { startDate: 'x' } } },
    'GET /api/cases': { url: '/api/cases?limit=5', ok: 200, invalid: { url: '/api/cases?limit=0' } },
    'GET /api/cases/defaults': { url: '/api/cases/defaults', ok: 200, invalid: { url: '/api/cases/defaults?x=1' } },
    'GET /api/cases/import/template': { url: '/api/cases/import/template', ok: 200, invalid: { url: '/api/cases/import/template?x=1' } },
    'GET /api/cases/:id': { url: `/api/cases/${kase.id}`, ok: 200, invalid: { url: `/api/cases/${BAD_ID}` } },
    'GET /api/cases/:id/history': { url: `/api/cases/${kase.id}/history`, ok: 200, invalid: { url: `/api/cases/${BAD_ID}/history` } },
    'POST /api/cases': { url: '/api/cases', body: {}, ok: 400, invalid: { url: '/api/cases', body: { persons: [{ name: 'x' }] } } },
    'PUT /api/cases/:id': { url: `/api/cases/${kase.id}`, body: {}, ok: 400, invalid: { url: `/api/cases/${BAD_ID}`, body: { x: 1 } } },
    'PATCH /api/cases/:id/persons/:personId': {
      url: `/api/cases/${kase.id}/persons/${kase.persons[0].id}`,
      body: { disposition: 'pending' },
      ok: 200,
      invalid: { url: `/api/cases/${kase.id}/persons/${BAD_ID}`, body: { disposition: 'shot' } },
    },
    'POST /api/cases/:id/void': { url: `/api/cases/${kase.id}/void`, body: {}, ok: 400, invalid: { url: `/api/cases/${BAD_ID}/void`, body: { reason: 'x' } } },
    'POST /api/cases/import': { url: '/api/cases/import', body: {}, ok: 400, invalid: { url: '/api/cases/import', body: { cases: 1, x: 1 } } },
    'GET /api/enforcement/report': {
      url: `/api/enforcement/report?campaignId=${campaign}&period=week:1`,
      ok: 200,
      invalid: { url: '/api/enforcement/report?period=week:0' },
    },
    // Harm reduction: harmless probes. Sync without x-device-id is 400 for an allowed caller; ids are unknown (404).
    'GET /api/outreach/config': { url: '/api/outreach/config', ok: 200, invalid: { url: '/api/outreach/config?x=1' } },
    'POST /api/devices': { url: '/api/devices', body: {}, ok: 400, invalid: { url: '/api/devices', body: { label: 5, x: 1 } } },
    'GET /api/devices': { url: '/api/devices', ok: 200, invalid: { url: '/api/devices?x=1' } },
    'POST /api/devices/:id/revoke': { url: `/api/devices/${UNKNOWN}/revoke`, ok: 404, invalid: { url: `/api/devices/${BAD_ID}/revoke`, body: { x: 1 } } },
    'POST /api/sync/push': { url: '/api/sync/push', body: { records: [] }, ok: 400, invalid: { url: '/api/sync/push', body: { x: 1 } } },
    'GET /api/sync/pull': { url: '/api/sync/pull', ok: 400, invalid: { url: '/api/sync/pull?cursor=abc' } },
    'GET /api/outreach/hotspots': { url: '/api/outreach/hotspots', ok: 200, invalid: { url: '/api/outreach/hotspots?x=1' } },
    'POST /api/outreach/hotspots': { url: '/api/outreach/hotspots', body: {}, ok: 400, invalid: { url: '/api/outreach/hotspots', body: { code: '<>', x: 1 } } },
    'PATCH /api/outreach/hotspots/:id': { url: `/api/outreach/hotspots/${UNKNOWN}`, body: {}, ok: 404, invalid: { url: `/api/outreach/hotspots/${BAD_ID}`, body: { x: 1 } } },
    'GET /api/outreach/clients': { url: '/api/outreach/clients', ok: 200, invalid: { url: '/api/outreach/clients?uic=%20' } },
    'GET /api/outreach/clients/:id': { url: `/api/outreach/clients/${UNKNOWN}`, ok: 404, invalid: { url: `/api/outreach/clients/${BAD_ID}` } },
    'PATCH /api/outreach/clients/:id': { url: `/api/outreach/clients/${UNKNOWN}`, body: { status: 'moved' }, ok: 404, invalid: { url: `/api/outreach/clients/${BAD_ID}`, body: { status: 'x' } } },
    'PATCH /api/outreach/referrals/:id': {
      url: `/api/outreach/referrals/${UNKNOWN}`,
      body: { outcome: 'completed' },
      ok: 404,
      invalid: { url: `/api/outreach/referrals/${BAD_ID}`, body: { outcome: 'x' } },
    },
    'GET /api/outreach/duplicates': { url: '/api/outreach/duplicates', ok: 200, invalid: { url: '/api/outreach/duplicates?x=1' } },
    'POST /api/outreach/duplicates/decide': { url: '/api/outreach/duplicates/decide', body: {}, ok: 400, invalid: { url: '/api/outreach/duplicates/decide', body: { a: 1 } } },
    'GET /api/outreach/indicators': { url: '/api/outreach/indicators?from=2024-01-01&to=2024-03-31', ok: 200, invalid: { url: '/api/outreach/indicators?by=nope' } },
    'GET /api/outreach/indicators.csv': { url: '/api/outreach/indicators.csv?by=sex', ok: 200, invalid: { url: '/api/outreach/indicators.csv?from=x' } },
    'GET /api/outreach/aggregates': { url: '/api/outreach/aggregates?by=week&split=age', ok: 200, invalid: { url: '/api/outreach/aggregates?split=nope' } },
    // Treatment: the register for all (unknown ids are 404); admissions and the centre view for treatment staff of the
    // organisation (an empty body is 400, an unknown id 404); the national view for all.
    'GET /api/treatment/centres': { url: '/api/treatment/centres?status=open', ok: 200, invalid: { url: '/api/treatment/centres?status=gone' } },
    'GET /api/treatment/centres/:id': { url: `/api/treatment/centres/${UNKNOWN}`, ok: 404, invalid: { url: `/api/treatment/centres/${BAD_ID}` } },
    'POST /api/treatment/centres': { url: '/api/treatment/centres', body: {}, ok: 400, invalid: { url: '/api/treatment/centres', body: { kind: 'x', director: 'x' } } },
    'PATCH /api/treatment/centres/:id': { url: `/api/treatment/centres/${UNKNOWN}`, body: { version: 1 }, ok: 404, invalid: { url: `/api/treatment/centres/${BAD_ID}`, body: { version: 'x' } } },
    'GET /api/treatment/admissions': { url: '/api/treatment/admissions?limit=5', ok: 200, invalid: { url: '/api/treatment/admissions?limit=0' } },
    'GET /api/treatment/admissions/:id': { url: `/api/treatment/admissions/${UNKNOWN}`, ok: 404, invalid: { url: `/api/treatment/admissions/${BAD_ID}` } },
    'POST /api/treatment/admissions': { url: '/api/treatment/admissions', body: {}, ok: 400, invalid: { url: '/api/treatment/admissions', body: { name: 'x' } } },
    'POST /api/treatment/admissions/:id/discharge': {
      url: `/api/treatment/admissions/${UNKNOWN}/discharge`,
      body: {},
      ok: 400,
      invalid: { url: `/api/treatment/admissions/${BAD_ID}/discharge`, body: { phone: 'x' } },
    },
    'POST /api/treatment/admissions/:id/void': {
      url: `/api/treatment/admissions/${UNKNOWN}/void`,
      body: {},
      ok: 400,
      invalid: { url: `/api/treatment/admissions/${BAD_ID}/void`, body: { phone: 'x' } },
    },
    'GET /api/treatment/centres/:id/view': { url: `/api/treatment/centres/${UNKNOWN}/view`, ok: 404, invalid: { url: `/api/treatment/centres/${BAD_ID}/view?from=x` } },
    'GET /api/treatment/national': { url: '/api/treatment/national?period=2024-Q1', ok: 200, invalid: { url: '/api/treatment/national?from=2024-01-01' } },
    'GET /api/treatment/national.csv': { url: '/api/treatment/national.csv?table=kind', ok: 200, invalid: { url: '/api/treatment/national.csv?table=nope' } },
    // Education: the officer's own sessions (an empty body is 400 for an allowed caller); the national view for all.
    'GET /api/education/sessions': { url: '/api/education/sessions?limit=5', ok: 200, invalid: { url: '/api/education/sessions?limit=0' } },
    'POST /api/education/sessions': { url: '/api/education/sessions', body: {}, ok: 400, invalid: { url: '/api/education/sessions', body: { teacherName: 'x' } } },
    'POST /api/education/sessions/:id/void': {
      url: `/api/education/sessions/${UNKNOWN}/void`,
      body: {},
      ok: 400,
      invalid: { url: `/api/education/sessions/${BAD_ID}/void`, body: { teacherName: 'x' } },
    },
    'GET /api/education/national': { url: '/api/education/national?period=2024-Q1', ok: 200, invalid: { url: '/api/education/national?from=2024-01-01' } },
    'GET /api/education/national.csv': { url: '/api/education/national.csv?table=province', ok: 200, invalid: { url: '/api/education/national.csv?table=nope' } },
    'GET /api/enforcement/report.csv': {
      url: `/api/enforcement/report.csv?campaignId=${campaign}&period=week:1&table=summary`,
      ok: 200,
      invalid: { url: '/api/enforcement/report.csv?table=nope' },
    },
  };
});
afterAll(() => t.close());

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const expected = (route: string, who: Who) => MATRIX[route].split(/\s+/)[COLUMNS.indexOf(who)];

async function send(c: Client, route: string, p: { url: string; body?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse> {
  const method = route.split(' ')[0] as Method;
  return c.request(method, p.url, p.body, p.headers ?? {});
}

/** Logout ends the session it is sent with: use a separate session of the same account for it. */
async function clientFor(who: Who, route: string): Promise<Client> {
  if (route !== 'POST /api/auth/logout' || who === 'signed_out') return clients.get(who)!;
  const c = t.anon();
  const { username, password } = creds.get(who)!;
  expect((await c.login(username, password)).statusCode).toBe(200);
  return c;
}

describe('access-policy matrix', () => {
  it('lists every registered API route, and only those', () => {
    const registered = t.app.tonleRoutes.map(key);
    const missing = registered.filter((r) => !(r in MATRIX));
    const stale = Object.keys(MATRIX).filter((r) => !registered.includes(r));
    expect(missing, `routes missing from the access matrix: ${missing.join(', ')}`).toEqual([]);
    expect(stale, `routes in the access matrix that the server no longer has: ${stale.join(', ')}`).toEqual([]);
    expect(new Set(registered).size, 'a route is registered twice').toBe(registered.length);
    for (const r of Object.keys(MATRIX)) expect(MATRIX[r].split(/\s+/), r).toHaveLength(COLUMNS.length);
    for (const r of Object.keys(MATRIX)) expect(probes[r], `no probe request for ${r}`).toBeDefined();
  });

  for (const route of Object.keys(MATRIX)) {
    it(route, async () => {
      for (const who of COLUMNS) {
        const exp = expected(route, who);
        const p = probes[route];
        const res = await send(await clientFor(who, route), route, p);
        const label = `${route} as ${who}: ${res.statusCode} ${res.body.slice(0, 200)}`;
        if (exp === 'A') {
          expect(res.statusCode, label).not.toBe(401);
          expect(res.statusCode, label).not.toBe(403);
          expect(res.statusCode, label).toBe(p.ok);
        } else if (exp === 'F') {
          expect(res.statusCode, label).toBe(403);
          expect(res.json().error.code, label).toBe('forbidden');
          // The policy runs before validation: an invalid id, query or body is still refused with 403.
          const inv = await send(clients.get(who)!, route, p.invalid);
          expect(inv.statusCode, `(invalid input) ${route} as ${who}: ${inv.body}`).toBe(403);
          expect(inv.json().error.code).toBe('forbidden');
        } else {
          expect(exp, label).toBe('U');
          expect(res.statusCode, label).toBe(401);
          expect(res.json().error.code, label).toBe('unauthorized');
          const inv = await send(clients.get(who)!, route, p.invalid);
          expect(inv.statusCode, `(invalid input) ${route} as ${who}: ${inv.body}`).toBe(401);
        }
      }
    });
  }

  it('signed out, every route but sign-in answers 401', () => {
    const open = Object.keys(MATRIX).filter((r) => expected(r, 'signed_out') !== 'U');
    expect(open).toEqual(['POST /api/auth/login']);
  });

  it('an account with a one-time password gets 403 password_change_required everywhere but me / update_me / change_password / logout', async () => {
    const routes = Object.keys(MATRIX).filter((r) => r !== 'POST /api/auth/logout');
    for (const route of routes) {
      const p = probes[route];
      const res = await send(pending, route, p);
      const label = `${route} with a one-time password: ${res.statusCode} ${res.body.slice(0, 200)}`;
      if (DURING_PASSWORD_CHANGE.has(route)) {
        expect(res.statusCode, label).toBe(p.ok);
      } else {
        expect(res.statusCode, label).toBe(403);
        expect(res.json().error.code, label).toBe('password_change_required');
        const inv = await send(pending, route, p.invalid);
        expect(inv.statusCode, `(invalid input) ${label}`).toBe(403);
        expect(inv.json().error.code).toBe('password_change_required');
      }
    }
    expect((await pending.get('/api/auth/me')).json().account.mustChangePassword).toBe(true);
    const out = await pending.post('/api/auth/logout');
    expect(out.statusCode).toBe(204);
    expect((await pending.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('the matrix run left every role signed in and the administrator usable', async () => {
    for (const role of ROLES) expect((await clients.get(role)!.get('/api/auth/me')).statusCode, role).toBe(200);
  });
});

describe('enforcement case scope: a case outside the scope answers exactly like one that does not exist', () => {
  const NO_SUCH_CASE = '00000000-0000-4000-8000-0000000000ca';
  let clerkA: Client, clerkB: Client, supHQ: Client, supHQ2: Client;
  let caseA: { id: string; persons: { id: string }[] };
  let caseC: { id: string; persons: { id: string }[] };
  let caseD: { id: string };
  let caseE: { id: string };
  beforeAll(async () => {
    const unitA = await policeOrg(t, 'Scope unit A');
    const unitB = await policeOrg(t, 'Scope unit B');
    const hq = await policeOrg(t, 'Scope provincial HQ');
    const unitC = await policeOrg(t, 'Scope district unit C', hq);
    const unitD = await policeOrg(t, 'Scope commune post D', unitC);
    const hq2 = await policeOrg(t, 'Scope sibling HQ 2');
    const unitE = await policeOrg(t, 'Scope unit E of HQ 2', hq2);
    clerkA = await t.user('enforcement_clerk', unitA);
    clerkB = await t.user('enforcement_clerk', unitB);
    supHQ = await t.user('enforcement_supervisor', hq);
    supHQ2 = await t.user('enforcement_supervisor', hq2);
    caseA = await createCase(clerkA);
    caseC = await createCase(await t.user('enforcement_clerk', unitC));
    caseD = await createCase(await t.user('enforcement_clerk', unitD));
    caseE = await createCase(await t.user('enforcement_clerk', unitE));
  });

  const caseRoutes = (id: string, personId: string): [Method, string, unknown][] => [
    ['GET', `/api/cases/${id}`, undefined],
    ['GET', `/api/cases/${id}/history`, undefined],
    ['PUT', `/api/cases/${id}`, undefined], // body filled in below
    ['PATCH', `/api/cases/${id}/persons/${personId}`, { disposition: 'sent_to_court' }],
    ['POST', `/api/cases/${id}/void`, { reason: 'duplicate' }],
  ];

  it('a clerk of another unit gets 404 (not 403) on every route of a case of unit A, with the same answer as for an unknown id', async () => {
    const full = (await clerkA.get(`/api/cases/${caseA.id}`)).json();
    const { id: _id, organisationId: _o, organisationName: _n, voided: _v, voidReason: _r, voidedAt: _a, createdAt: _c, updatedAt: _u, ...editable } = full;
    const put = { ...editable, persons: editable.persons.map(({ id: _pid, ...p }: { id: string }) => p) };
    for (const [[method, url, body], [, unknownUrl]] of caseRoutes(caseA.id, caseA.persons[0].id).map((r, i) => [r, caseRoutes(NO_SUCH_CASE, caseA.persons[0].id)[i]] as const)) {
      const b = method === 'PUT' ? put : body;
      const res = await clerkB.request(method, url, b);
      const label = `${method} ${url} as the clerk of unit B: ${res.statusCode} ${res.body}`;
      expect(res.statusCode, label).toBe(404);
      expect(res.json().error.code, label).toBe('not_found');
      const unknown = await clerkB.request(method, unknownUrl, b);
      expect(unknown.statusCode, `${method} ${unknownUrl}`).toBe(404);
      expect(res.body, `${method}: a case of another unit must not be distinguishable from a missing one`).toBe(unknown.body);
    }
    expect((await clerkB.get('/api/cases?includeVoided=true')).json().items.map((c: { id: string }) => c.id)).not.toContain(caseA.id);
    // nothing changed: still version 1, not voided, disposition as created
    const after = (await clerkA.get(`/api/cases/${caseA.id}`)).json();
    expect(after.version).toBe(full.version);
    expect(after.voided).toBe(false);
    expect(after.persons[0].disposition).toBe('pending');
  });

  it('a supervisor sees the cases of a child and a grandchild unit, not those of a sibling organisation\'s unit', async () => {
    const listed = (await supHQ.get('/api/cases?limit=500')).json().items.map((c: { id: string }) => c.id);
    expect(listed).toContain(caseC.id);
    expect(listed).toContain(caseD.id);
    expect(listed).not.toContain(caseE.id);
    expect(listed).not.toContain(caseA.id);
    expect((await supHQ.get(`/api/cases/${caseC.id}`)).statusCode).toBe(200);
    expect((await supHQ.get(`/api/cases/${caseD.id}`)).statusCode).toBe(200);
    expect((await supHQ.get(`/api/cases/${caseE.id}`)).statusCode).toBe(404);
    expect((await supHQ.get(`/api/cases/${caseA.id}`)).statusCode).toBe(404);
    // the write scope is the same as the read scope
    expect((await supHQ.patch(`/api/cases/${caseC.id}/persons/${caseC.persons[0].id}`, { disposition: 'sent_to_court' })).statusCode).toBe(200);
    // and the sibling supervisor sees its own unit only
    const listed2 = (await supHQ2.get('/api/cases?limit=500')).json().items.map((c: { id: string }) => c.id);
    expect(listed2).toContain(caseE.id);
    expect(listed2).not.toContain(caseC.id);
    expect(listed2).not.toContain(caseD.id);
    expect((await supHQ2.get(`/api/cases/${caseC.id}`)).statusCode).toBe(404);
    // a clerk of the headquarters' child unit does not see the grandchild's cases (a clerk's scope is the own unit)
    const clerkC = (await clerkA.get('/api/cases?limit=500')).json().items.map((c: { id: string }) => c.id);
    expect(clerkC).toEqual([caseA.id]);
  });

  it('the analyst and every non-enforcement role get 403 on every /api/cases route, with real ids', async () => {
    const routes = t.app.tonleRoutes.filter((r) => r.url.startsWith('/api/cases'));
    expect(routes.length).toBeGreaterThanOrEqual(10);
    const fill = (url: string) => url.replace(':personId', caseA.persons[0].id).replace(':id', caseA.id);
    for (const role of ['administrator', 'treatment_staff', 'outreach_worker', 'programme_manager', 'education_officer', 'analyst', 'auditor'] as Role[]) {
      for (const r of routes) {
        const body = r.method === 'GET' ? undefined : r.url.endsWith('/void') ? { reason: 'duplicate' } : r.url.includes('/persons/') ? { disposition: 'released' } : {};
        const res = await clients.get(role)!.request(r.method as Method, fill(r.url), body);
        const label = `${r.method} ${r.url} as ${role}: ${res.statusCode} ${res.body.slice(0, 200)}`;
        expect(res.statusCode, label).toBe(403);
        expect(res.json().error.code, label).toBe('forbidden');
      }
    }
    const after = (await clerkA.get(`/api/cases/${caseA.id}`)).json();
    expect(after.voided).toBe(false);
    expect(after.persons[0].disposition).toBe('pending');
  });
});
