/** Education routes (docs/treatment-api.md, "Education sessions"). Thin: policy action + strict schemas here. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { todayInCambodia } from '../../core/dates.js';
import { sessionInput, voidSessionInput } from '../../core/education.js';
import { idParams } from '../../core/schemas.js';
import { EDUCATION_CSV_TABLES, educationNationalCsv } from '../../core/indicators/education.js';
import { route } from '../http/route.js';
import { checkRange, rangeFields, resolveHealthPeriod } from '../http/period.js';
import { validationError } from '../http/errors.js';
import type { Services } from '../services.js';

const listQuery = z
  .strictObject({
    ...rangeFields,
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .superRefine(checkRange);
/**
 * The national view takes a fixed reporting period (src/core/periods.ts), never a date range: `from` and `to` are
 * refused by name, so that no two overlapping ranges can be subtracted.
 */
const replacedByPeriod = z.never({ message: 'is not accepted: ask for a fixed reporting period with period= (and campaignId= for a campaign period)' }).optional();
const periodFields = {
  period: z.string().max(40, { message: 'must be a period: YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY-Qn, YYYY, or with a campaign day:N, week:N, to_date' }).optional(),
  campaignId: z.string().uuid({ message: 'must be an id' }).optional(),
  from: replacedByPeriod,
  to: replacedByPeriod,
};
const nationalQuery = z.strictObject(periodFields);
const nationalCsvQuery = z.strictObject({ ...periodFields, table: z.enum(EDUCATION_CSV_TABLES) });

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
    method: 'POST',
    url: '/api/education/sessions/:id/void',
    action: 'education.write',
    params: idParams,
    body: voidSessionInput,
    handler: ({ actor, params, body, who }) => s.education.void(actor, params.id, body.reason, who),
  });
  route(app, {
    method: 'GET',
    url: '/api/education/national',
    action: 'education.national',
    query: nationalQuery,
    handler: async ({ actor, query }) => {
      const { period, campaign } = await resolveHealthPeriod(s.db, query);
      return s.education.national(actor, period, campaign);
    },
  });
  route(app, {
    method: 'GET',
    url: '/api/education/national.csv',
    action: 'education.national',
    query: nationalCsvQuery,
    handler: async ({ actor, query, reply }) => {
      const { period, campaign } = await resolveHealthPeriod(s.db, query);
      const n = await s.education.national(actor, period, campaign);
      reply.header('content-disposition', `attachment; filename="tonle-education-${query.table}-${n.period.from}-${n.period.to}.csv"`).type('text/csv; charset=utf-8');
      return educationNationalCsv(n, query.table);
    },
  });
}
