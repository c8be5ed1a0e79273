/** Harm reduction routes (docs/harm-reduction-api.md). Thin: policy action + strict schemas here, the rest in services. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { districtCode, idParams, uuid } from '../../core/schemas.js';
import { CLIENT_STATUSES, DUPLICATE_DECISIONS, hotspotCode, MAX_PUSH_RECORDS, REFERRAL_OUTCOMES } from '../../core/harm-reduction.js';
import { AGGREGATE_COLUMNS, AGGREGATE_ROWS, INDICATOR_GROUPS, indicatorsCsv } from '../../core/indicators/harm-reduction.js';
import { route } from '../http/route.js';
import { daysBetween } from '../../core/dates.js';
import { PERIOD_SPEC_MESSAGE } from '../../core/periods.js';
import { checkRange as withRange, dateParam, defaultRange as range, rangeFields, resolveHealthPeriod } from '../http/period.js';
import type { Services } from '../services.js';
import { deviceRevoked } from './devices.js';



const label = z
  .string()
  .trim()
  .min(1, { message: 'is required' })
  .max(100, { message: 'must be at most 100 characters' })
  .refine((s) => !/[<>\u0000-\u001f]/.test(s), { message: 'must not contain < > or control characters' });

const registerBody = z.strictObject({ label });
const pushBody = z.strictObject({
  // each record is checked on its own (one bad record never blocks the others); it must at least be an object
  records: z.array(z.looseObject({})).max(MAX_PUSH_RECORDS, { message: `must hold at most ${MAX_PUSH_RECORDS} records; send them in batches` }),
});
const pullQuery = z.strictObject({
  cursor: z.string().regex(/^\d{1,18}$/, { message: 'must be a cursor returned by a previous pull' }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
const hotspotBody = z.strictObject({ id: uuid.optional(), code: hotspotCode, districtCode, active: z.boolean().optional() });
const hotspotPatch = z.strictObject({ code: hotspotCode.optional(), districtCode: districtCode.optional(), active: z.boolean().optional() });
const clientsQuery = z.strictObject({
  uic: z
    .string()
    .regex(/^[A-Za-z0-9]{1,20}$/, { message: 'must be a UIC or its beginning (letters and digits)' })
    .transform((s) => s.toUpperCase())
    .optional(),
  status: z.enum(CLIENT_STATUSES).optional(),
  includeMerged: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
const statusBody = z.strictObject({ status: z.enum(CLIENT_STATUSES) });
const outcomeBody = z.strictObject({ outcome: z.enum(REFERRAL_OUTCOMES), outcomeOn: dateParam.optional() });
const decideBody = z.strictObject({ a: uuid, b: uuid, decision: z.enum(DUPLICATE_DECISIONS) });
/** The organisation's own indicators: a date range of at most one year (they read the summaries of that range). */
const MAX_INDICATOR_DAYS = 366;
const indicatorsQuery = z
  .strictObject({ ...rangeFields, by: z.enum(INDICATOR_GROUPS).default('week') })
  .superRefine(withRange)
  .superRefine((v, ctx) => {
    const r = range(v);
    if (r.from <= r.to && daysBetween(r.from, r.to) + 1 > MAX_INDICATOR_DAYS) ctx.addIssue({ code: 'custom', path: ['from'], message: `must be at most ${MAX_INDICATOR_DAYS} days before to` });
  });
/**
 * The aggregates take a fixed reporting period (src/core/periods.ts), never a date range: `from` and `to` are refused
 * by name, so that no two overlapping ranges can be subtracted. `by=week` is read as the period's time line.
 */
const replacedByPeriod = z.never({ message: 'is not accepted: ask for a fixed reporting period with period= (and campaignId= for a campaign period)' }).optional();
const aggregatesQuery = z.strictObject({
  period: z.string().max(40, { message: PERIOD_SPEC_MESSAGE }).optional(),
  campaignId: z.string().uuid({ message: 'must be an id' }).optional(),
  from: replacedByPeriod,
  to: replacedByPeriod,
  by: z
    .enum([...AGGREGATE_ROWS, 'week'])
    .default('province')
    .transform((b) => (b === 'week' ? 'time' : b)),
  split: z.enum(AGGREGATE_COLUMNS).default('sex'),
});

const SYNC_URLS = new Set(['/api/sync/push', '/api/sync/pull']);

export function outreachRoutes(app: FastifyInstance, s: Services) {
  // A disabled account has no session any more: its device still learns that it is revoked (410), so that the app
  // wipes its local data. Only for the sync routes and only for a device that is revoked or whose account is disabled.
  app.addHook('preHandler', async (req) => {
    if (req.actor || !SYNC_URLS.has(req.routeOptions.url ?? '')) return;
    if (await s.devices.revokedWithoutSession(req.headers['x-device-id'])) throw deviceRevoked();
  });

  route(app, {
    method: 'GET',
    url: '/api/outreach/config',
    action: 'outreach.config',
    handler: () => ({ uicFormat: s.outreach.config.uicFormat, ltfuDays: s.outreach.config.ltfuDays }),
  });

  route(app, {
    method: 'POST',
    url: '/api/devices',
    action: 'device.register',
    body: registerBody,
    handler: async ({ actor, body, who, reply }) => {
      const d = await s.devices.register(actor, body.label, who);
      reply.code(201);
      return { ...d, uicFormat: s.outreach.config.uicFormat, ltfuDays: s.outreach.config.ltfuDays };
    },
  });
  route(app, { method: 'GET', url: '/api/devices', action: 'device.read', handler: async ({ actor }) => ({ items: await s.devices.list(actor) }) });
  route(app, {
    method: 'POST',
    url: '/api/devices/:id/revoke',
    action: 'device.revoke',
    params: idParams,
    handler: ({ actor, params, who }) => s.devices.revoke(actor, params.id, who),
  });

  route(app, {
    method: 'POST',
    url: '/api/sync/push',
    action: 'sync.push',
    body: pushBody,
    bodyLimit: 8 * 1024 * 1024,
    handler: async ({ actor, body, who, req }) => {
      const deviceId = await s.devices.check(actor!, req.headers['x-device-id']);
      return { results: await s.outreach.push(actor, deviceId, body.records, who) };
    },
  });
  route(app, {
    method: 'GET',
    url: '/api/sync/pull',
    action: 'sync.pull',
    query: pullQuery,
    handler: async ({ actor, query, who, req }) => {
      const deviceId = await s.devices.check(actor!, req.headers['x-device-id']);
      return s.outreach.pull(actor, deviceId, Number(query.cursor ?? 0), query.limit, who);
    },
  });

  route(app, { method: 'GET', url: '/api/outreach/hotspots', action: 'hotspot.read', handler: async ({ actor }) => ({ items: await s.outreach.hotspots(actor) }) });
  route(app, {
    method: 'POST',
    url: '/api/outreach/hotspots',
    action: 'hotspot.write',
    body: hotspotBody,
    handler: async ({ actor, body, who, reply }) => {
      const h = await s.outreach.createHotspot(actor, body, who);
      reply.code(201);
      return h;
    },
  });
  route(app, {
    method: 'PATCH',
    url: '/api/outreach/hotspots/:id',
    action: 'hotspot.write',
    params: idParams,
    body: hotspotPatch,
    handler: ({ actor, params, body, who }) => s.outreach.updateHotspot(actor, params.id, body, who),
  });

  route(app, {
    method: 'GET',
    url: '/api/outreach/clients',
    action: 'client.read',
    query: clientsQuery,
    handler: async ({ actor, query, who }) => ({ items: await s.outreach.clients(actor, { ...query, includeMerged: query.includeMerged === 'true' }, who) }),
  });
  route(app, { method: 'GET', url: '/api/outreach/clients/:id', action: 'client.read', params: idParams, handler: ({ actor, params, who }) => s.outreach.client(actor, params.id, who) });
  route(app, {
    method: 'PATCH',
    url: '/api/outreach/clients/:id',
    action: 'client.write',
    params: idParams,
    body: statusBody,
    handler: ({ actor, params, body, who }) => s.outreach.setStatus(actor, params.id, body.status, who),
  });
  route(app, {
    method: 'PATCH',
    url: '/api/outreach/referrals/:id',
    action: 'client.write',
    params: idParams,
    body: outcomeBody,
    handler: ({ actor, params, body, who }) => s.outreach.setReferralOutcome(actor, params.id, { outcome: body.outcome, outcomeOn: body.outcomeOn ?? null }, who),
  });

  route(app, { method: 'GET', url: '/api/outreach/duplicates', action: 'client.manage', handler: async ({ actor, who }) => ({ items: await s.outreach.duplicates(actor, who) }) });
  route(app, {
    method: 'POST',
    url: '/api/outreach/duplicates/decide',
    action: 'client.manage',
    body: decideBody,
    handler: ({ actor, body, who }) => s.outreach.decide(actor, body, who),
  });

  route(app, {
    method: 'GET',
    url: '/api/outreach/indicators',
    action: 'outreach.indicators',
    query: indicatorsQuery,
    handler: ({ actor, query, who }) => s.outreachIndicators.organisation(actor, range(query), query.by, who),
  });
  route(app, {
    method: 'GET',
    url: '/api/outreach/indicators.csv',
    action: 'outreach.indicators',
    query: indicatorsQuery,
    handler: async ({ actor, query, who, reply }) => {
      const r = await s.outreachIndicators.organisation(actor, range(query), query.by, who);
      reply.header('content-disposition', `attachment; filename="tonle-harm-reduction-${query.by}-${r.range.from}-${r.range.to}.csv"`).type('text/csv; charset=utf-8');
      return indicatorsCsv(r);
    },
  });
  route(app, {
    method: 'GET',
    url: '/api/outreach/aggregates',
    action: 'health.aggregates',
    query: aggregatesQuery,
    handler: async ({ actor, query }) => {
      const { period, campaign } = await resolveHealthPeriod(s.db, query);
      return s.outreachIndicators.aggregates(actor, period, campaign, query.by, query.split);
    },
  });
}
