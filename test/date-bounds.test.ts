/**
 * Issue 9, point 5: every date a request names is between 2000-01-01 and today + 1 year (Cambodia), or the request is
 * a 400 naming the field — in queries, in write bodies, in campaign dates — and `addDays` never makes a date string
 * that is not YYYY-MM-DD (which once made loops over dates endless).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { randomUUID } from 'node:crypto';
import { addDays, todayInCambodia } from '../src/core/dates.js';
import { EARLIEST_DATE, latestDate, parsePeriod } from '../src/core/periods.js';
import { boundedDateOn, dateProblem, pastDate } from '../src/core/schemas.js';
import { clientData, contactData } from '../src/core/harm-reduction.js';
import type { Role } from '../src/core/roles.js';
import type { RegisteredRoute } from '../src/server/http/route.js';
import { startDemoApp, type DemoApp } from './demo-helpers.js';
import { fillUrl, idsFor, pathParams, queryFields, queryString, rolesFor } from './route-schemas.js';
import { validCase } from './enforcement-helpers.js';
import { admissionBody } from './treatment-helpers.js';
import { clientRecord, contactRecord, pushOk } from './outreach-helpers.js';

let d: DemoApp;
const today = todayInCambodia();
const latest = latestDate(today);

beforeAll(async () => {
  d = await startDemoApp();
}, 120_000);
afterAll(() => d?.close());

const as = (role: Role) => d.clients.get(role)!;
const get = (role: Role, url: string) => as(role).request('GET', url, undefined, d.headers.get(role) ?? {});

/** A 400 in the error shape whose fields name `path` (and, when given, with that message). */
function refusedNaming(res: LightMyRequestResponse, path: string, message?: RegExp) {
  const label = `${res.statusCode} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, label).toBe(400);
  const body = res.json();
  expect(body.error.code, label).toBe('invalid_input');
  const field = body.error.fields.find((f: { path: string }) => f.path === path);
  expect(field, `${label}: no field ${path}`).toBeDefined();
  if (message) expect(field.message, label).toMatch(message);
}

describe('the requests of the issue are 400s naming the field, answered at once', () => {
  it('GET /api/education/national?to=9999-12-31 (never returned)', async () => {
    refusedNaming(await get('analyst', '/api/education/national?to=9999-12-31'), 'query.to');
  });

  it('GET /api/enforcement/report?from=9999-12-30&to=9999-12-31 (never returned)', async () => {
    const res = await get('analyst', '/api/enforcement/report?from=9999-12-30&to=9999-12-31');
    refusedNaming(res, 'query.from', /or earlier/);
    refusedNaming(res, 'query.to', /or earlier/);
  });

  it('GET /api/treatment/centres/:id/view?to=9999-12-31 (addDays past 9999 gave +010000-…)', async () => {
    const url = `/api/treatment/centres/${d.centreId}/view`;
    expect((await get('treatment_staff', url)).statusCode, 'the centre view itself answers').toBe(200);
    refusedNaming(await get('treatment_staff', `${url}?to=9999-12-31`), 'query.to');
  });

  it.each([
    ['analyst', '/api/treatment/national'],
    ['analyst', '/api/education/national'],
    ['analyst', '/api/outreach/aggregates'],
    ['programme_manager', '/api/outreach/indicators'],
  ] as [Role, string][])('to=0001-01-01 on %s %s (was a 500)', async (role, url) => {
    refusedNaming(await get(role, `${url}?to=0001-01-01`), 'query.to');
  });
});

/** Every GET route whose query takes a `from`–`to` range of dates, from the route registry. */
function rangeRoutes(): RegisteredRoute[] {
  return d.app.tonleRoutes.filter((r) => {
    const dates = queryFields(r).filter((f) => f.kind === 'string').map((f) => f.key);
    return r.method === 'GET' && dates.includes('from') && dates.includes('to');
  });
}

/** Every GET route whose query takes a `period`. */
const periodRoutes = () => d.app.tonleRoutes.filter((r) => r.method === 'GET' && queryFields(r).some((f) => f.key === 'period' && f.kind === 'string'));

/** The route's URL with real ids, its required enum fields at their first value, and the given query. */
function urlFor(r: RegisteredRoute, query: Record<string, string>): string {
  const params = Object.fromEntries(pathParams(r.url).map((p) => [p, idsFor(d.ids, r.url, p)[0]]));
  const pairs: [string, string][] = queryFields(r)
    .filter((f) => f.required && f.kind === 'enum' && !(f.key in query))
    .map((f) => [f.key, f.options[0]]);
  return fillUrl(r.url, params) + queryString([...pairs, ...Object.entries(query)]);
}

describe('on every GET route that takes a date range, the bounds are inclusive and one day past them is refused', () => {
  it('the registry lists the range routes (the enforcement list and report among them)', () => {
    const urls = rangeRoutes().map((r) => r.url);
    expect(urls).toContain('/api/cases');
    expect(urls).toContain('/api/enforcement/report');
  });

  it('from=2000-01-01 and to=today + 1 year are accepted; 1999-12-31, the day after, 0001-01-01 and 9999-12-31 are 400s naming the field', async () => {
    const checked: string[] = [];
    for (const r of rangeRoutes()) {
      // the first role the policy allows that gets an answer for this route (record-level scope may give others 404)
      let role: Role | undefined;
      for (const who of rolesFor(r)) {
        if ((await get(who, urlFor(r, { from: today, to: today }))).statusCode === 200) {
          role = who;
          break;
        }
      }
      expect(role, `${r.url}: no allowed role gets a 200 for today`).toBeDefined();
      const ok = async (q: Record<string, string>) => {
        const res = await get(role!, urlFor(r, q));
        expect(res.statusCode, `${r.url} ${JSON.stringify(q)}: ${res.body.slice(0, 300)}`).toBe(200);
      };
      await ok({ from: EARLIEST_DATE, to: EARLIEST_DATE });
      await ok({ from: EARLIEST_DATE, to: addDays(EARLIEST_DATE, 30) });
      await ok({ from: latest, to: latest });
      await ok({ from: today, to: latest });
      refusedNaming(await get(role!, urlFor(r, { from: addDays(EARLIEST_DATE, -1), to: EARLIEST_DATE })), 'query.from', /^must be 2000-01-01 or later$/);
      refusedNaming(await get(role!, urlFor(r, { from: latest, to: addDays(latest, 1) })), 'query.to', new RegExp(`^must be ${latest} or earlier`));
      refusedNaming(await get(role!, urlFor(r, { from: EARLIEST_DATE, to: '0001-01-01' })), 'query.to', /2000-01-01 or later/);
      refusedNaming(await get(role!, urlFor(r, { from: today, to: '9999-12-31' })), 'query.to', /or earlier/);
      // `to` alone: the default range counts back from it (year 0000 has nothing before it: was a 500)
      for (const to of ['0000-01-01', '0001-01-01']) refusedNaming(await get(role!, urlFor(r, { to })), 'query.to', /2000-01-01 or later/);
      checked.push(`${r.url} as ${role}`);
    }
    expect(checked.length).toBeGreaterThanOrEqual(2);
  });
});

describe('on every GET route that takes a period, a period outside the bounds is a 400 naming it', () => {
  it.each(['1999-12-31', '9999-12-31', '0001-01-01', '0000-W01', '9999', '0001', addDays(latest, 1)])('period=%s', async (spec) => {
    const routes = periodRoutes();
    expect(routes.map((r) => r.url)).toContain('/api/enforcement/report');
    for (const r of routes) {
      const role = rolesFor(r)[0];
      refusedNaming(await get(role, urlFor(r, { period: spec, campaignId: d.campaignId })), 'query.period');
    }
  });
});

describe('campaign dates', () => {
  const body = (startDate: string, endDate?: string) => ({ nameEn: `Bounds ${startDate}`, nameKm: 'យុទ្ធនាការ', startDate, ...(endDate ? { endDate } : {}), pillars: ['enforcement'] });

  it('a start on 2000-01-01 and an end at today + 1 year are accepted', async () => {
    const res = await as('analyst').post('/api/campaigns', body(EARLIEST_DATE, latest));
    expect(res.statusCode, res.body).toBe(201);
  });

  it('a start before 2000-01-01 or an end after today + 1 year is a 400 naming the field', async () => {
    refusedNaming(await as('analyst').post('/api/campaigns', body('1999-12-31')), 'startDate', /^must be 2000-01-01 or later$/);
    refusedNaming(await as('analyst').post('/api/campaigns', body(today, addDays(latest, 1))), 'endDate', /or earlier/);
    refusedNaming(await as('analyst').patch(`/api/campaigns/${d.campaignId}`, { startDate: '0001-01-01' }), 'startDate', /2000-01-01 or later/);
  });
});

describe('write bodies refuse dates before 2000-01-01 with a clear message', () => {
  it('a case, an admission, a discharge and an education session', async () => {
    refusedNaming(await as('enforcement_clerk').post('/api/cases', validCase({ occurredOn: '1999-12-31', reportedOn: '2000-01-02' })), 'occurredOn', /^must be 2000-01-01 or later$/);
    refusedNaming(await as('treatment_staff').post('/api/treatment/admissions', admissionBody(d.centreId, { admittedOn: '1999-12-31' })), 'admittedOn', /^must be 2000-01-01 or later$/);
    const stay = await d.db.selectFrom('treatment_admissions').select(['id', 'version']).where('centre_id', '=', d.centreId).where('discharged_on', 'is', null).executeTakeFirstOrThrow();
    refusedNaming(
      await as('treatment_staff').post(`/api/treatment/admissions/${stay.id}/discharge`, { version: stay.version, dischargedOn: '1999-12-31', reason: 'completed' }),
      'dischargedOn',
      /^must be 2000-01-01 or later$/,
    );
    const session = { heldOn: '1999-12-31', provinceCode: 'KH-12', setting: 'school', topic: 'drug_risks', participants: { female: { '15_17': 3 } } };
    refusedNaming(await as('education_officer').post('/api/education/sessions', session), 'heldOn', /^must be 2000-01-01 or later$/);
  });

  it('outreach: a client first seen, a contact and a referral outcome before 2000-01-01 are refused; on 2000-01-01 they are accepted', async () => {
    const worker = as('outreach_worker');
    const device = d.headers.get('outreach_worker')!['x-device-id'];
    const old = clientRecord({ firstContactOn: '1999-12-31' });
    const first = clientRecord({ firstContactOn: EARLIEST_DATE });
    const before = contactRecord(first.id, { at: '1999-12-31T23:59:00+07:00' });
    const beforeUtc = contactRecord(first.id, { at: '1999-12-31T16:59:00Z' });
    const onTheDay = contactRecord(first.id, { at: '1999-12-31T17:00:00Z' }); // 2000-01-01 00:00 in Cambodia
    const results = await pushOk(worker, device, [old, first, before, beforeUtc, onTheDay]);
    expect(results.map((r) => [r.status, r.reason ?? ''])).toEqual([
      ['rejected', 'firstContactOn: must be 2000-01-01 or later'],
      ['accepted', ''],
      ['rejected', 'at: must be 2000-01-01 or later'],
      ['rejected', 'at: must be 2000-01-01 or later'],
      ['accepted', ''],
    ]);
    const referral = await d.db.selectFrom('outreach_referrals').select('id').executeTakeFirstOrThrow();
    refusedNaming(await worker.patch(`/api/outreach/referrals/${referral.id}`, { outcome: 'completed', outcomeOn: '1999-12-31' }), 'outcomeOn', /^must be 2000-01-01 or later$/);
  });
});

describe('core: one date check, addDays never leaves YYYY-MM-DD, periods never throw', () => {
  it('dateProblem, boundedDate and pastDate share the bounds and the messages', () => {
    const t = '2026-03-15';
    expect(dateProblem('2000-01-01', t)).toBeNull();
    expect(dateProblem('2027-03-15', t)).toBeNull();
    expect(dateProblem('1999-12-31', t)).toBe('must be 2000-01-01 or later');
    expect(dateProblem('2027-03-16', t)).toBe('must be 2027-03-15 or earlier (at most one year from today)');
    expect(dateProblem('2026-02-29', t)).toBe('must be a date YYYY-MM-DD');
    expect(dateProblem('២០២៦-០១-០១', t)).toBe('must be a date YYYY-MM-DD');
    expect(dateProblem('2026-03-16', t, true)).toBe('must not be in the future');
    const schema = boundedDateOn(() => t);
    expect(schema.safeParse('2027-03-15').success).toBe(true);
    expect(schema.safeParse('9999-12-31').error?.issues.map((i) => i.message)).toEqual(['must be 2027-03-15 or earlier (at most one year from today)']);
    expect(pastDate(t).safeParse('0001-01-01').error?.issues.map((i) => i.message)).toEqual(['must be 2000-01-01 or later']);
    expect(clientData({ thisYear: 2026 }).shape.firstContactOn.safeParse('1999-12-31').success).toBe(false);
    expect(contactData.safeParse({ at: '0001-01-01T00:00:00Z', setting: 'drop_in' }).error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['at', 'must be 2000-01-01 or later']]);
    expect(contactData.safeParse({ id: randomUUID(), at: '2000-01-01T00:00:00+07:00', setting: 'drop_in' }).success).toBe(true);
  });

  it('today + 1 year from 29 February is 1 March', () => {
    expect(latestDate('2028-02-29')).toBe('2029-03-01');
    expect(latestDate('2026-12-31')).toBe('2027-12-31');
  });

  it('addDays throws a RangeError outside the years 0000–9999 instead of returning +010000-… or -000001-…', () => {
    expect(addDays('9999-12-30', 1)).toBe('9999-12-31');
    expect(addDays('0000-01-02', -1)).toBe('0000-01-01');
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
    expect(() => addDays('0000-01-01', -1)).toThrow(RangeError);
    expect(() => addDays('2026-01-01', 1e12)).toThrow(RangeError);
    expect(() => addDays('not a date', 1)).toThrow(RangeError);
  });

  it('parsePeriod refuses periods of years far out of bounds (0000-W01, 9999-W52, 0001) without throwing', () => {
    for (const spec of ['0000-W01', '0000-01', '0001', '0001-Q1', '9999-W52', '9999-12-31', '9999', '1999-W52', '2025-W53', '2026-13']) {
      const r = parsePeriod(spec, null, '2026-03-15');
      expect(r.ok, spec).toBe(false);
      if (!r.ok) expect(r.path, spec).toBe('period');
    }
    expect(parsePeriod('2000-W01', null, '2026-03-15').ok).toBe(true); // 2000-01-03 … 2000-01-09
    expect(parsePeriod('2026-W53', null, '2026-03-15').ok).toBe(true); // 2026 has 53 ISO weeks
    expect(parsePeriod('2027-03-15', null, '2026-03-15').ok).toBe(true);
    expect(parsePeriod('2027-03-16', null, '2026-03-15').ok).toBe(false);
  });
});
