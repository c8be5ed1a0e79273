/**
 * THE access-policy matrix: every API route × every role (and signed out), sent as real signed-in accounts.
 * A route added to the server without a row here fails the first test, naming the route.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { Client, startTestApp, type Method, type TestApp } from './helpers.js';
import { ROLES, type Role } from '../src/core/roles.js';

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

  const BAD_ID = 'not-an-id';
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
