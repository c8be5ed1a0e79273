import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { ADMIN_PASSWORD, Client, startTestApp, type Method, type TestApp } from './helpers.js';
import { randomBody, rng, SAFE_CHARS } from './fuzz.js';
import { createCampaign, createCase, validCase } from './enforcement-helpers.js';

let t: TestApp;
let side: Client; // a second administrator session, for logout
let ids: { org: string; account: string; campaign: string; kase: string; person: string; voidable: string };
let clerk: Client;

interface Write {
  url: () => string;
  /** A valid body; absent for routes that take no body. */
  base?: Record<string, unknown>;
  raw?: boolean;
  client?: () => Client;
  /** Fields of `base` that are numbers: 12345 is the right type there. */
  numeric?: string[];
  /** The route's body limit when it is not the server's 1 MB. */
  bodyLimit?: number;
  /** Extra headers (the sync routes' x-device-id). */
  headers?: () => Record<string, string>;
}

const IMPORT_CSV = [
  'unit_reference,occurred_on,reported_on,province_code,district_code,commune_code,case_type,person_role,person_sex,person_age_band,person_nationality,person_disposition,vehicles,motorcycles,phones,cash_khr,cash_usd,weapons',
  'ERR-1,2024-02-01,2024-02-01,KH-12,,,use,alleged_user,male,18_24,KH,pending,0,0,0,0,0,0',
].join('\n');

const UNKNOWN = '00000000-0000-4000-8000-00000000beef';
const WRITES: Record<string, Write> = {
  'POST /api/auth/login': { url: () => '/api/auth/login', base: { username: 'nobody-here', password: 'some-password' } },
  'POST /api/auth/logout': { url: () => '/api/auth/logout', client: () => side },
  'PATCH /api/auth/me': { url: () => '/api/auth/me', base: { locale: 'en' } },
  'POST /api/auth/password': { url: () => '/api/auth/password', base: { currentPassword: 'not-the-password', newPassword: 'long-enough-password' } },
  'POST /api/organisations': { url: () => '/api/organisations', base: { name: 'Errors NGO', sector: 'health', kind: 'ngo', provinceCode: 'KH-1' } },
  'PATCH /api/organisations/:id': { url: () => `/api/organisations/${ids.org}`, base: { name: 'Errors NGO renamed' } },
  'POST /api/accounts': { url: () => '/api/accounts', base: { username: 'errors-user', role: 'analyst', organisationId: '00000000-0000-4000-8000-000000000000' } },
  'PATCH /api/accounts/:id': { url: () => `/api/accounts/${ids.account}`, base: { role: 'analyst' } },
  'POST /api/accounts/:id/reset-password': { url: () => `/api/accounts/${ids.account}/reset-password` },
  'POST /api/geography/import': { url: () => '/api/geography/import', raw: true },
  'POST /api/campaigns': { url: () => '/api/campaigns', base: { nameEn: 'Errors campaign', nameKm: 'យុទ្ធនាការ', startDate: '2024-01-01', pillars: ['enforcement'] } },
  'PATCH /api/campaigns/:id': { url: () => `/api/campaigns/${ids.campaign}`, base: { nameEn: 'Errors campaign renamed' } },
  'POST /api/cases': { url: () => '/api/cases', base: validCase({ unitReference: 'ERR-POST-1' }), client: () => clerk },
  'PUT /api/cases/:id': { url: () => `/api/cases/${ids.kase}`, base: { ...validCase({ unitReference: 'ERR-PUT-1' }), version: 1 }, client: () => clerk, numeric: ['version'] },
  'PATCH /api/cases/:id/persons/:personId': { url: () => `/api/cases/${ids.kase}/persons/${ids.person}`, base: { disposition: 'sent_to_court' }, client: () => clerk },
  'POST /api/cases/:id/void': { url: () => `/api/cases/${ids.voidable}/void`, base: { reason: 'duplicate' }, client: () => clerk },
  'POST /api/cases/import': { url: () => '/api/cases/import', base: { cases: IMPORT_CSV }, client: () => clerk, bodyLimit: 40 * 1024 * 1024 },
  'POST /api/devices': { url: () => '/api/devices', base: { label: 'Errors phone' }, client: () => pm },
  'POST /api/devices/:id/revoke': { url: () => `/api/devices/${UNKNOWN}/revoke`, client: () => pm },
  'POST /api/sync/push': { url: () => '/api/sync/push', base: { records: [] }, client: () => worker, headers: () => ({ 'x-device-id': device }), bodyLimit: 8 * 1024 * 1024 },
  'POST /api/outreach/hotspots': { url: () => '/api/outreach/hotspots', base: { code: 'ERR1', districtCode: '1201' }, client: () => pm },
  'PATCH /api/outreach/hotspots/:id': { url: () => `/api/outreach/hotspots/${UNKNOWN}`, base: { code: 'ERR2' }, client: () => pm },
  'PATCH /api/outreach/clients/:id': { url: () => `/api/outreach/clients/${UNKNOWN}`, base: { status: 'moved' }, client: () => worker },
  'PATCH /api/outreach/referrals/:id': { url: () => `/api/outreach/referrals/${UNKNOWN}`, base: { outcome: 'completed', outcomeOn: '2024-03-02' }, client: () => worker },
  'POST /api/outreach/duplicates/decide': { url: () => '/api/outreach/duplicates/decide', base: { a: UNKNOWN, b: '00000000-0000-4000-8000-00000000cafe', decision: 'merge' }, client: () => pm },
  'POST /api/treatment/centres': {
    url: () => '/api/treatment/centres',
    base: { name: 'Errors centre', organisationId: UNKNOWN, kind: 'community', modality: 'community', admissionPolicy: 'voluntary', capacity: 10, provinceCode: 'KH-1' },
    numeric: ['capacity'],
  },
  'PATCH /api/treatment/centres/:id': { url: () => `/api/treatment/centres/${UNKNOWN}`, base: { version: 1, capacity: 12 }, numeric: ['version', 'capacity'] },
  // consentRecorded is left out of the base: `true` is the right type there (the route then answers 400 consentRecorded: is required)
  'POST /api/treatment/admissions': {
    url: () => '/api/treatment/admissions',
    base: {
      centreId: UNKNOWN,
      uic: 'KMVNF930512',
      admittedOn: '2024-03-01',
      referralSource: 'police',
      legalBasis: 'compulsory_administrative',
      primaryDrug: 'crystal_meth',
      secondaryDrugs: [],
      route: 'smoke',
      injecting: 'never',
      previousTreatment: 'never',
      sex: 'male',
      ageBand: '25_34',
    },
    client: () => staff,
  },
  'POST /api/treatment/admissions/:id/discharge': {
    url: () => `/api/treatment/admissions/${UNKNOWN}/discharge`,
    base: { version: 1, dischargedOn: '2024-03-02', reason: 'completed' },
    client: () => staff,
    numeric: ['version'],
  },
  'POST /api/treatment/admissions/:id/void': {
    url: () => `/api/treatment/admissions/${UNKNOWN}/void`,
    base: { version: 1, reason: 'entered_in_error' },
    client: () => staff,
    numeric: ['version'],
  },
  'POST /api/education/sessions': {
    url: () => '/api/education/sessions',
    base: { heldOn: '2024-03-02', provinceCode: 'KH-1', setting: 'school', topic: 'drug_risks', participants: { female: { '15_17': 12 } } },
    client: () => educ,
  },
  'POST /api/education/sessions/:id/void': { url: () => `/api/education/sessions/${UNKNOWN}/void`, base: { reason: 'entered_in_error' }, client: () => educ },
};
let pm: Client;
let worker: Client;
let staff: Client;
let educ: Client;
let device: string;

beforeAll(async () => {
  t = await startTestApp({ loginRateLimit: 100_000 });
  const org = await t.org('oversight', 'national_committee', 'Errors committee');
  const target = await t.user('analyst', org, 'errors-target');
  const police = await t.org('enforcement', 'police_unit', 'Errors police unit');
  clerk = await t.user('enforcement_clerk', police, 'errors-clerk');
  const kase = await createCase(clerk, { unitReference: 'ERR-PUT-1' });
  const voidable = await createCase(clerk, { unitReference: 'ERR-VOID-1' });
  ids = { org, account: target.accountId, campaign: await createCampaign(t, '2024-01-01'), kase: kase.id, person: kase.persons[0].id, voidable: voidable.id };
  side = t.anon();
  await side.login('admin', ADMIN_PASSWORD);
  const ngo = await t.org('health', 'ngo', 'Errors NGO for outreach');
  pm = await t.user('programme_manager', ngo, 'errors-pm');
  worker = await t.user('outreach_worker', ngo, 'errors-worker');
  const reg = await worker.post('/api/devices', { label: 'Errors phone' });
  expect(reg.statusCode).toBe(201);
  device = reg.json().id;
  staff = await t.user('treatment_staff', ngo, 'errors-staff');
  educ = await t.user('education_officer', await t.org('education', 'education_office', 'Errors education office'), 'errors-educ');
});
afterAll(() => t.close());

const clientOf = (route: string) => WRITES[route].client?.() ?? t.admin;
const methodOf = (route: string) => route.split(' ')[0] as Method;
function raw(route: string, payload: string, contentType = 'application/json'): Promise<LightMyRequestResponse> {
  return clientOf(route).request(methodOf(route), WRITES[route].url(), payload, { 'content-type': contentType, ...(WRITES[route].headers?.() ?? {}) });
}
function expectErrorShape(res: LightMyRequestResponse, label: string) {
  const body = res.json();
  expect(Object.keys(body), label).toContain('error');
  expect(body.error, label).toEqual({ code: expect.any(String), message: expect.any(String), fields: expect.any(Array) });
  for (const f of body.error.fields) expect(f, label).toEqual({ path: expect.any(String), message: expect.any(String) });
}
const counts = async () => ({
  organisations: Number((await t.db.selectFrom('organisations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  accounts: Number((await t.db.selectFrom('accounts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  campaigns: Number((await t.db.selectFrom('campaigns').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  cases: Number((await t.db.selectFrom('enforcement_cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  persons: Number((await t.db.selectFrom('case_persons').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
});

describe('error answers of the write routes', () => {
  it('covers every POST/PATCH/PUT/DELETE route of the server', () => {
    const writes = t.app.tonleRoutes.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url}`);
    const missing = writes.filter((w) => !(w in WRITES));
    expect(missing, `write routes without error tests: ${missing.join(', ')}`).toEqual([]);
    expect(Object.keys(WRITES).filter((w) => !writes.includes(w))).toEqual([]);
  });

  it('unknown fields are refused with 400, naming the field', async () => {
    for (const [route, w] of Object.entries(WRITES)) {
      if (w.raw) continue;
      const body = { ...(w.base ?? {}), phoneNumber: '012 345 678' };
      const res = await raw(route, JSON.stringify(body));
      const label = `${route}: ${res.body}`;
      expect(res.statusCode, label).toBe(400);
      expectErrorShape(res, label);
      expect(res.json().error.code).toBe('invalid_input');
      const paths = res.json().error.fields.map((f: { path: string }) => f.path);
      // Routes with a body schema and routes that take no body alike name the refused field.
      expect(paths, label).toContain('phoneNumber');
      expect(res.json().error.message, label).toContain('phoneNumber');
    }
  });

  it('wrong types are refused with 400, naming the field', async () => {
    for (const [route, w] of Object.entries(WRITES)) {
      if (!w.base) continue;
      for (const field of Object.keys(w.base)) {
        for (const wrong of [12345, null, ['x'], { a: 1 }, true]) {
          if (wrong === 12345 && w.numeric?.includes(field)) continue;
          const res = await raw(route, JSON.stringify({ ...w.base, [field]: wrong }));
          const label = `${route} ${field}=${JSON.stringify(wrong)}: ${res.body}`;
          expect(res.statusCode, label).toBe(400);
          expectErrorShape(res, label);
          // the field itself, or (for arrays and objects) a path inside it such as persons.0
          const named = res.json().error.fields.some((f: { path: string }) => f.path === field || f.path.startsWith(`${field}.`));
          expect(named, label).toBe(true);
        }
      }
      const notObject = await raw(route, JSON.stringify(['an', 'array']));
      expect(notObject.statusCode, route).toBe(400);
    }
  });

  it('malformed JSON is 400 with the error shape', async () => {
    for (const route of Object.keys(WRITES)) {
      for (const bad of ['{"name": ', '{name: 1}', "{'a':1}", '{"a":1}}', '\u0000', '{"__proto__": {"admin": true}}']) {
        const res = await raw(route, bad);
        const label = `${route} ${JSON.stringify(bad)}: ${res.body}`;
        expect(res.statusCode, label).toBe(400);
        expectErrorShape(res, label);
        expect(res.json().error.code).toBe('invalid_input');
      }
    }
  });

  it('an unsupported content type is 415 with the error shape', async () => {
    for (const route of Object.keys(WRITES)) {
      const res = await raw(route, 'a=1', 'application/x-www-form-urlencoded');
      expect(res.statusCode, route).toBe(415);
      expectErrorShape(res, route);
      expect(res.json().error.code).toBe('unsupported_media_type');
    }
  });

  it('a JSON body over 1 MB (over the route\'s own limit where it has one) is 413 with the error shape', async () => {
    for (const route of Object.keys(WRITES)) {
      if (WRITES[route].raw) continue;
      const res = await raw(route, JSON.stringify({ name: 'x'.repeat((WRITES[route].bodyLimit ?? 1024 * 1024) + 10) }));
      const label = `${route}: ${res.body.slice(0, 200)}`;
      expect(res.statusCode, label).toBe(413);
      expectErrorShape(res, label);
      expect(res.json().error.code).toBe('too_large');
    }
  });

  it('unknown /api paths are 404 with the error shape, signed in or not', async () => {
    for (const [c, method] of [
      [t.admin, 'GET'],
      [t.admin, 'POST'],
      [t.admin, 'DELETE'],
      [t.anon(), 'GET'],
      [t.anon(), 'PUT'],
    ] as [Client, Method][]) {
      const res = await c.request(method, '/api/no-such-thing/42');
      expect(res.statusCode, method).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'not_found', message: 'not found', fields: [] } });
    }
    // a known path with a method it does not have
    expect((await t.admin.request('DELETE', '/api/organisations')).statusCode).toBe(404);
  });
});

/**
 * Bounded fuzzing: random bodies at every write route, as an administrator. Never a 5xx; refused requests change
 * no organisation and no account. `SAFE_CHARS` leaves out NUL and lone surrogates: with them, sign-in answers 500
 * (a known bug, reproduced in known-bugs.test.ts).
 */
async function fuzzWriteRoutes(app: TestApp, chars: readonly string[], perRoute: number, seed: number) {
  const r = rng(seed);
  const failures: string[] = [];
  for (const route of Object.keys(WRITES)) {
    for (let i = 0; i < perRoute; i++) {
      const { payload, contentType } = randomBody(r, chars, WRITES[route].base);
      const before = await counts();
      const res = await raw(route, payload, contentType);
      const label = `${route} ${JSON.stringify(payload).slice(0, 120)} → ${res.statusCode} ${res.body.slice(0, 120)}`;
      if (res.statusCode >= 500) failures.push(label);
      if (res.statusCode >= 400) {
        expectErrorShape(res, label);
        expect(await counts(), label).toEqual(before);
      }
      if (route === 'POST /api/auth/logout' && res.statusCode === 204) expect((await side.login('admin', ADMIN_PASSWORD)).statusCode).toBe(200);
    }
  }
  expect((await app.admin.get('/api/auth/me')).statusCode).toBe(200);
  return failures;
}

describe('fuzz', () => {
  it('200 random bodies per write route: never a 5xx, counts unchanged unless the request succeeded', async () => {
    const failures = await fuzzWriteRoutes(t, SAFE_CHARS, 200, 20261129);
    expect(failures).toEqual([]);
  }, 240_000); // 200 bodies × every write route (31 with treatment and education): over a minute on a 2-core machine
});
