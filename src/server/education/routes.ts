/** Education routes (docs/treatment-api.md, "Education sessions"). Thin: policy action + strict schemas here. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addDays, daysBetween, isValidDate, todayInCambodia } from '../../core/dates.js';
import { sessionInput } from '../../core/education.js';
import { EDUCATION_CSV_TABLES, educationNationalCsv } from '../../core/indicators/education.js';
import { route } from '../http/route.js';
import { validationError } from '../http/errors.js';
import type { Services } from '../services.js';

const date = z.string().refine(isValidDate, { message: 'must be a date YYYY-MM-DD' });
const MAX_RANGE_DAYS = 5 * 366;

function withRange<T extends { from?: string; to?: string }>(v: T, ctx: z.RefinementCtx) {
  if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  if (v.from && v.to && daysBetween(v.from, v.to) > MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the range must be at most five years' });
}
/** Default range: the last twelve weeks up to today (Cambodia). */
function range(q: { from?: string; to?: string }) {
  const to = q.to ?? todayInCambodia();
  const from = q.from ?? addDays(to, -83);
  return { from, to };
}

const listQuery = z
  .strictObject({
    from: date.optional(),
    to: date.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .superRefine(withRange);
/** With `to` left out it is today: a `from` alone must not lie after it, nor more than five years before it. */
const nationalFields = { from: date.optional(), to: date.optional() };
function withDefaultRange(v: { from?: string; to?: string }, ctx: z.RefinementCtx) {
  if (v.to || !v.from || !isValidDate(v.from)) return withRange(v, ctx);
  const r = range(v);
  if (r.from > r.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be in the future' });
  else if (daysBetween(r.from, r.to) > MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['from'], message: 'the range must be at most five years' });
}
const nationalQuery = z.strictObject(nationalFields).superRefine(withDefaultRange);
const nationalCsvQuery = z.strictObject({ ...nationalFields, table: z.enum(EDUCATION_CSV_TABLES) }).superRefine(withDefaultRange);

/** The session body is validated against today's date (no future dates), so its schema is built per request. */
function parseSession(body: unknown) {
  const r = sessionInput(todayInCambodia()).safeParse(body);
  if (!r.success) throw validationError(r.error, '', body);
  return r.data;
}

export function educationRoutes(app: FastifyInstance, s: Services) {
  route(app, {
    method: 'GET',
    url: '/api/education/sessions',
    action: 'education.read',
    query: listQuery,
    handler: ({ actor, query }) => s.education.list(actor, query),
  });
  route(app, {
    method: 'POST',
    url: '/api/education/sessions',
    action: 'education.write',
    rawBody: true,
    handler: async ({ actor, req, who, reply }) => {
      const input = parseSession(req.body);
      const dto = await s.education.create(actor, input, who);
      reply.code(201);
      return dto;
    },
  });
  route(app, {
    method: 'GET',
    url: '/api/education/national',
    action: 'education.national',
    query: nationalQuery,
    handler: ({ actor, query }) => s.education.national(actor, range(query)),
  });
  route(app, {
    method: 'GET',
    url: '/api/education/national.csv',
    action: 'education.national',
    query: nationalCsvQuery,
    handler: async ({ actor, query, reply }) => {
      const n = await s.education.national(actor, range(query));
      reply.header('content-disposition', `attachment; filename="tonle-education-${query.table}-${n.range.from}-${n.range.to}.csv"`).type('text/csv; charset=utf-8');
      return educationNationalCsv(n, query.table);
    },
  });
}
