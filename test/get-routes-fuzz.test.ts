/**
 * Issue 9, point 5: property-based tests (fast-check) over every query parameter of every GET route. For each GET
 * route of the route registry, requests are generated from the route's own Zod query schema (so the test follows the
 * routes when their parameters change): each field gets values of its kind — valid dates anywhere in the bounds,
 * dates at and just past both bounds, 0001-01-01 and 9999-12-31, period strings (week:99999, 2026-W53, 2026-13,
 * to_date without a campaign), real and unknown ids, huge, negative and Khmer-digit numbers, malformed and raw
 * percent-encoded strings — plus unknown and repeated parameters, and path ids of real records, unknown ones and
 * junk. They are sent through the real server, on the demo dataset, as every role the policy lets call the route.
 *
 * Properties: never a 5xx; a 400 is in the error shape and names a field; every request answers within 2 s. The
 * slowest request is printed at the end. `TONLE_FUZZ_RUNS` changes the number of generated requests per route.
 */
import fc from 'fast-check';
import type { ZodType } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayInCambodia } from '../src/core/dates.js';
import { EARLIEST_DATE, latestDate } from '../src/core/periods.js';
import { PROVINCE_CODES } from '../src/core/geography.js';
import type { Role } from '../src/core/roles.js';
import type { RegisteredRoute } from '../src/server/http/route.js';
import { startDemoApp, type DemoApp } from './demo-helpers.js';
import { fillUrl, idsFor, pathParams, queryFields, queryString, rolesFor, type QueryField } from './route-schemas.js';

const RUNS = Number(process.env.TONLE_FUZZ_RUNS ?? 40);
const LIMIT_MS = 2_000;
/** Every route's property gets this long (generous: a route's runs take well under a second or two). */
const ROUTE_TIMEOUT_MS = 60_000;

const today = todayInCambodia();
const latest = latestDate(today);
const thisYear = today.slice(0, 4);
const UNKNOWN_ID = '00000000-0000-4000-8000-00000000f022';

let d: DemoApp;
beforeAll(async () => {
  d = await startDemoApp();
}, 120_000);

interface Timing {
  ms: number;
  route: string;
  url: string;
  role: Role;
  status: number;
}
const timings: Timing[] = [];
afterAll(async () => {
  const slowest = [...timings].sort((a, b) => b.ms - a.ms).slice(0, 5);
  if (slowest.length) {
    const byRoute = new Map<string, Record<string, number>>();
    for (const t of timings) {
      const c = byRoute.get(t.route) ?? {};
      const k = `${String(t.status)[0]}xx`;
      c[k] = (c[k] ?? 0) + 1;
      c['max ms'] = Math.max(c['max ms'] ?? 0, Math.round(t.ms));
      byRoute.set(t.route, c);
    }
    console.log(
      `GET-route fuzz: ${timings.length} requests; slowest:\n` +
        slowest.map((t) => `  ${t.ms.toFixed(1)} ms  ${t.status}  ${t.role}  ${t.url.slice(0, 200)}`).join('\n') +
        '\nanswers per route:\n' +
        [...byRoute].map(([route, c]) => `  ${route}  ${Object.entries(c).sort().map(([k, n]) => `${k} ${n}`).join(', ')}`).join('\n'),
    );
  }
  await d?.close();
});

// ------------------------------------------------------------------------------------------------- value generators

/** Dates a request may name, and the ones around and far past the bounds. */
const boundaryDates = [
  '0001-01-01',
  '9999-12-31',
  '9999-12-30',
  '0000-01-01',
  addDays(EARLIEST_DATE, -1),
  EARLIEST_DATE,
  latest,
  addDays(latest, 1),
  today,
  addDays(today, -83),
  addDays(today, -5 * 366),
  `${thisYear}-02-29`,
  '2024-02-29',
  `${thisYear}-13-01`,
  `${thisYear}-00-10`,
  `${thisYear}-01-32`,
];
const malformedDates = ['២០២៦-០១-០១', '2026-1-1', '20260101', ' 2026-01-01', '2026-01-01T00:00:00Z', '+010000-01-01', '-000001-12-31', '2026/01/01', ''];
const validDate = fc.integer({ min: 0, max: Math.round((Date.parse(latest) - Date.parse(EARLIEST_DATE)) / 86_400_000) }).map((n) => addDays(EARLIEST_DATE, n));
const recentDate = fc.integer({ min: -400, max: 30 }).map((n) => addDays(today, n));
const dates = fc.oneof({ arbitrary: fc.constantFrom(...boundaryDates), weight: 4 }, { arbitrary: validDate, weight: 2 }, { arbitrary: recentDate, weight: 2 }, { arbitrary: fc.constantFrom(...malformedDates), weight: 1 });

const periods = fc.oneof(
  {
    arbitrary: fc.constantFrom(
      'week:1', 'week:2', 'week:99999', 'week:999', 'week:0', 'week:-1', 'week:1.5', 'day:1', 'day:3', 'day:9999', 'day:99999', 'days:1-7', 'days:7-1',
      'days:1-9999', 'days:1-3660', 'to_date', 'TO_DATE', '2026-W53', '2025-W53', '2026-W00', '2026-W01', `${thisYear}-W01`, '2026-13', '2026-00',
      `${thisYear}-01`, '2026-Q4', '2026-Q0', '2026-Q5', thisYear, '2000', '1999', '0001', '0000-W01', '9999', '9999-W52', '9999-12', 'week:', ':', '',
    ),
    weight: 4,
  },
  { arbitrary: fc.tuple(fc.constantFrom('day', 'week', 'days'), fc.integer({ min: -5, max: 1_000_000 })).map(([k, n]) => (k === 'days' ? `days:1-${n}` : `${k}:${n}`)), weight: 1 },
  { arbitrary: fc.tuple(fc.integer({ min: 1990, max: 2100 }), fc.integer({ min: 0, max: 60 })).map(([y, w]) => `${y}-W${String(w).padStart(2, '0')}`), weight: 1 },
  { arbitrary: fc.tuple(fc.integer({ min: 1990, max: 2100 }), fc.integer({ min: 0, max: 14 })).map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`), weight: 1 },
  { arbitrary: dates, weight: 1 },
);

const numbers = fc.oneof(
  { arbitrary: fc.constantFrom('0', '1', '-1', '5', '50', '100', '500', '501', '1000', '1001', '1000000', '1000001', '99999999999999999999', '1e3', '1e309', '1.5', '-0', 'NaN', 'Infinity', '0x10', '១០', '٣', ' 5', '5 ', ''), weight: 3 },
  { arbitrary: fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }).map(String), weight: 1 },
  { arbitrary: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String), weight: 1 },
);

/** Raw, already percent-encoded values: NUL, a lone surrogate in UTF-8, broken escapes, invalid UTF-8. */
const RAW = ['%00', '%ED%A0%80', '%', '%zz', '%FF%FE', '%C0%AF', '%E2%80%AE', '%2e%2e%2f', 'a%26b%3Dc'];
const junk = fc.oneof(
  { arbitrary: fc.string({ maxLength: 30 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 2 },
  { arbitrary: fc.constantFrom("'; drop table cases; --", '<script>', '../../etc/passwd', 'true', 'false', 'null', 'undefined', '[]', '{}', 'KH-12', 'kh-12', 'KH-0', 'KH-26', '1201', '120101', '9999', 'MA', 'SKDR', 'x'.repeat(3000)), weight: 2 },
);

function idsArb(ids: string[]) {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...ids), weight: 5 },
    { arbitrary: fc.constantFrom(...ids).map((s) => s.toUpperCase()), weight: 1 },
    { arbitrary: fc.constantFrom(UNKNOWN_ID, 'not-an-id', '00000000-0000-0000-0000-000000000000', ''), weight: 1 },
    { arbitrary: fc.uuid(), weight: 1 },
  );
}

/** A value for one query field; raw values are marked so that they are sent as they are. */
type Value = { v: string; raw?: boolean };
const plain = (a: fc.Arbitrary<string>): fc.Arbitrary<Value> => a.map((v) => ({ v }));
const anyString = (url: string, key: string): fc.Arbitrary<Value> =>
  fc.oneof(
    { arbitrary: plain(dates), weight: /^(from|to)$|date|On$/i.test(key) ? 8 : 2 },
    { arbitrary: plain(periods), weight: key === 'period' ? 8 : 1 },
    { arbitrary: plain(numbers), weight: 1 },
    { arbitrary: plain(idsArb(idsFor(d.ids, url, key))), weight: 1 },
    { arbitrary: plain(fc.constantFrom(...PROVINCE_CODES)), weight: 1 },
    { arbitrary: plain(junk), weight: 2 },
    { arbitrary: fc.constantFrom(...RAW).map((v) => ({ v, raw: true })), weight: 1 },
  );

function fieldArb(url: string, f: QueryField): fc.Arbitrary<Value> {
  const other = anyString(url, f.key);
  switch (f.kind) {
    case 'enum':
      return fc.oneof({ arbitrary: plain(fc.constantFrom(...f.options)), weight: 6 }, { arbitrary: other, weight: 1 });
    case 'number':
      return fc.oneof({ arbitrary: plain(numbers), weight: 6 }, { arbitrary: other, weight: 1 });
    case 'uuid':
      return fc.oneof({ arbitrary: plain(idsArb(idsFor(d.ids, url, f.key))), weight: 6 }, { arbitrary: other, weight: 1 });
    case 'boolean':
      return fc.oneof({ arbitrary: plain(fc.constantFrom('true', 'false')), weight: 6 }, { arbitrary: other, weight: 1 });
    default:
      return other;
  }
}

/**
 * Values a field's own schema accepts, picked from every value above: a generated query is often valid field by
 * field, so that the route's handler runs (its checks across fields, its queries) and not only its schema.
 */
function acceptedValues(r: RegisteredRoute, f: QueryField): string[] {
  const schema = fieldSchema(r, f.key);
  if (!schema) return [];
  const pool = [
    ...f.options,
    ...boundaryDates,
    ...Array.from({ length: 60 }, (_, i) => addDays(today, -7 * i)),
    ...Array.from({ length: 12 }, (_, i) => addDays(today, -i)),
    'week:1', 'week:2', 'day:1', 'day:5', 'days:1-7', 'days:3-9', 'to_date', `${thisYear}-W01`, `${thisYear}-01`, `${thisYear}-Q1`, thisYear,
    '0', '1', '5', '50', '100', '500', '1000', '999999', '1000000', '1000001',
    ...idsFor(d.ids, r.url, f.key),
    ...PROVINCE_CODES, '1201', '1202', '120101', 'SK', 'B', 'true', 'false',
  ];
  return [...new Set(pool)].filter((v) => schema.safeParse(v).success);
}

function fieldSchema(r: RegisteredRoute, key: string): ZodType | undefined {
  const shape = (r.query as unknown as { _zod?: { def: { shape?: Record<string, ZodType> } } } | undefined)?._zod?.def.shape;
  return shape?.[key];
}

const UNKNOWN_KEYS = ['x', 'name', 'phone', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'from[]', 'to[0]', 'a.b', 'province[code]', 'FROM', 'period ', ''];

interface Req {
  role: Role;
  path: Record<string, string>;
  query: Record<string, Value | undefined>;
  /** Unknown parameters, and known ones sent a second time. */
  extra: [string, Value][];
}

function requestArb(r: RegisteredRoute): fc.Arbitrary<Req> {
  const fields = queryFields(r);
  const params = pathParams(r.url);
  const path: Record<string, fc.Arbitrary<string>> = Object.fromEntries(
    params.map((p) => [p, fc.oneof({ arbitrary: idsArb(idsFor(d.ids, r.url, p)), weight: 4 }, { arbitrary: junk, weight: 1 })]),
  );
  // Two kinds of query: plausible ones (each field mostly a value its schema accepts) and hostile ones.
  const plausible = Object.fromEntries(
    fields.map((f) => {
      const ok = acceptedValues(r, f);
      return [f.key, ok.length ? fc.oneof({ arbitrary: plain(fc.constantFrom(...ok)), weight: 4 }, { arbitrary: fieldArb(r.url, f), weight: 1 }) : fieldArb(r.url, f)];
    }),
  );
  const hostile = Object.fromEntries(fields.map((f) => [f.key, fieldArb(r.url, f)]));
  const query = fc.oneof(
    { arbitrary: fc.record(plausible, { requiredKeys: [] }), weight: 2 },
    { arbitrary: fc.record(hostile, { requiredKeys: [] }), weight: 1 },
  ) as fc.Arbitrary<Record<string, Value | undefined>>;
  const keys = fields.map((f) => f.key);
  const extraKey = keys.length ? fc.oneof({ arbitrary: fc.constantFrom(...UNKNOWN_KEYS), weight: 1 }, { arbitrary: fc.constantFrom(...keys), weight: 1 }) : fc.constantFrom(...UNKNOWN_KEYS);
  return fc.record({
    role: fc.constantFrom(...rolesFor(r)),
    path: fc.record(path),
    query,
    extra: fc.oneof({ arbitrary: fc.constant([] as [string, Value][]), weight: 4 }, { arbitrary: fc.array(fc.tuple(extraKey, anyString(r.url, 'x')), { minLength: 1, maxLength: 2 }), weight: 1 }),
  });
}

/**
 * The requests every run starts with: each allowed role with real ids and nothing else (the route's default answer),
 * then every string field at each boundary value and every period string of the issue, with the route's required
 * enums at their first value and any campaign id the route takes — so that the known failures are always tried.
 */
function examples(r: RegisteredRoute): [Req][] {
  const fields = queryFields(r);
  const roles = rolesFor(r);
  const path = Object.fromEntries(pathParams(r.url).map((p) => [p, idsFor(d.ids, r.url, p)[0]]));
  const required: Record<string, Value> = Object.fromEntries(fields.filter((f) => f.required && f.kind === 'enum').map((f) => [f.key, { v: f.options[0] }]));
  const out: Req[] = roles.map((role) => ({ role, path, query: { ...required }, extra: [] }));
  const specials = ['0001-01-01', '9999-12-31', addDays(EARLIEST_DATE, -1), EARLIEST_DATE, latest, addDays(latest, 1), 'week:99999', '2026-W53', '2026-13', 'to_date', '២០២៦-០១-០១', '-1', '99999999999999999999'];
  const strings = fields.filter((f) => f.kind === 'string' || f.kind === 'number');
  const uuidFields = fields.filter((f) => f.kind === 'uuid');
  const withIds = Object.fromEntries(uuidFields.map((f) => [f.key, { v: idsFor(d.ids, r.url, f.key)[0] }]));
  let k = 0;
  for (const f of strings) {
    for (const v of specials) {
      out.push({ role: roles[k++ % roles.length], path, query: { ...required, [f.key]: { v } }, extra: [] });
      if (uuidFields.length && (v.includes(':') || v === 'to_date')) out.push({ role: roles[k++ % roles.length], path, query: { ...required, ...withIds, [f.key]: { v } }, extra: [] });
    }
  }
  const has = (key: string) => strings.some((f) => f.key === key);
  if (has('from') && has('to')) {
    for (const [from, to] of [['9999-12-30', '9999-12-31'], [EARLIEST_DATE, addDays(EARLIEST_DATE, 6)], [addDays(latest, -6), latest], [today, latest], [addDays(today, -5 * 366), today], ['0001-01-01', '0001-01-07']])
      out.push({ role: roles[k++ % roles.length], path, query: { ...required, from: { v: from }, to: { v: to } }, extra: [] });
  }
  return out.map((x) => [x]);
}

async function send(r: RegisteredRoute, req: Req) {
  const pairs: [string, string, boolean?][] = [];
  for (const [key, val] of Object.entries(req.query)) if (val) pairs.push([key, val.v, val.raw]);
  for (const [key, val] of req.extra) pairs.push([key, val.v, val.raw]);
  const url = fillUrl(r.url, req.path) + queryString(pairs);
  const client = d.clients.get(req.role)!;
  const started = performance.now();
  const res = await client.request('GET', url, undefined, d.headers.get(req.role) ?? {});
  const ms = performance.now() - started;
  timings.push({ ms, route: r.url, url, role: req.role, status: res.statusCode });
  return { res, ms, url };
}

// ------------------------------------------------------------------------------------------------------- the tests

/** The GET routes, read from the registry when the file is collected (a throwaway app: routes need no database). */
const { buildApp } = await import('../src/server/app.js');
const registry = await buildApp({ db: null as never });
const GET_ROUTES: RegisteredRoute[] = registry.tonleRoutes.filter((r) => r.method === 'GET');
await registry.close();

describe('every GET route, every query parameter: never a 5xx, a 400 names a field, every answer within 2 s', () => {
  it('the registry lists the GET routes, with their query schemas', () => {
    expect(GET_ROUTES.length).toBeGreaterThan(30);
    expect(GET_ROUTES.filter((r) => r.query).length).toBeGreaterThan(10);
  });

  for (const r of GET_ROUTES) {
    it(
      `GET ${r.url} (${queryFields(r).map((f) => f.key).join(', ') || 'no query'})`,
      async () => {
        const ex = examples(r);
        await fc.assert(
          fc.asyncProperty(requestArb(r), async (req) => {
            const { res, ms, url } = await send(r, req);
            const label = `GET ${url} as ${req.role}: ${res.statusCode} in ${ms.toFixed(0)} ms ${res.body.slice(0, 300)}`;
            expect(res.statusCode, label).toBeLessThan(500);
            expect(ms, label).toBeLessThan(LIMIT_MS);
            // A refused input is a 400 in the error shape, naming at least one field. (Fastify's router answers a path
            // parameter over 100 characters itself, with a 414 in its own shape, before any route runs.)
            if (res.statusCode === 400) {
              const e = res.json().error;
              expect(typeof e?.code, label).toBe('string');
              expect(typeof e?.message, label).toBe('string');
              expect(e.fields.length, label).toBeGreaterThan(0);
            }
          }),
          // the examples count towards numRuns: RUNS generated requests come after them
          { numRuns: ex.length + RUNS, examples: ex, endOnFailure: true },
        );
      },
      ROUTE_TIMEOUT_MS,
    );
  }
});
