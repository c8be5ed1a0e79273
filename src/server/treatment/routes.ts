/** Treatment routes (docs/treatment-api.md). Thin: policy action + strict schemas here, the rest in the service. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { todayInCambodia } from '../../core/dates.js';
import { idParams, provinceCode, uuid } from '../../core/schemas.js';
import { admissionInput, CENTRE_KINDS, CENTRE_STATUSES, createCentreBody, dischargeInput, updateCentreBody, voidAdmissionInput } from '../../core/treatment.js';
import { NATIONAL_TABLES, nationalCsv } from '../../core/indicators/treatment.js';
import { validationError } from '../http/errors.js';
import { PERIOD_SPEC_MESSAGE } from '../../core/periods.js';
import { route } from '../http/route.js';
import { checkRange as withRange, defaultRange as range, rangeFields, resolveHealthPeriod } from '../http/period.js';
import type { Services } from '../services.js';

const centresQuery = z.strictObject({ status: z.enum(CENTRE_STATUSES).optional(), kind: z.enum(CENTRE_KINDS).optional(), province: provinceCode.optional() });
const admissionsQuery = z.strictObject({
  centreId: uuid.optional(),
  inCare: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
  uic: z
    .string()
    .regex(/^[A-Za-z0-9]{1,20}$/, { message: 'must be a UIC or its beginning (letters and digits)' })
    .transform((s) => s.toUpperCase())
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
const rangeQuery = z.strictObject(rangeFields).superRefine(withRange);
/**
 * The national view is asked for a fixed reporting period only (src/core/periods.ts): a date range would let a
 * reader difference two overlapping ones (issue 9), so `from` and `to` are refused by name.
 */
const replacedByPeriod = z.never({ message: 'is not accepted: ask for a fixed reporting period with period= (and campaignId= for a campaign period)' }).optional();
const periodFields = {
  period: z.string().max(40, { message: PERIOD_SPEC_MESSAGE }).optional(),
  campaignId: uuid.optional(),
  from: replacedByPeriod,
  to: replacedByPeriod,
};
const nationalQuery = z.strictObject(periodFields);
const csvQuery = z.strictObject({ ...periodFields, table: z.enum(NATIONAL_TABLES) });

/** Admission and discharge bodies are validated against today's date (no future dates): built per request. */
function parseWith<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body);
  if (!r.success) throw validationError(r.error, '', body);
  return r.data;
}

export function treatmentRoutes(app: FastifyInstance, s: Services) {
  // ---------------------------------------------------------------------------------------------- centre register
  route(app, {
    method: 'GET',
    url: '/api/treatment/centres',
    action: 'centre.read',
    query: centresQuery,
    handler: async ({ actor, query }) => ({ items: await s.treatment.listCentres(actor, query) }),
  });
  route(app, {
    method: 'GET',
    url: '/api/treatment/centres/:id',
    action: 'centre.read',
    params: idParams,
    handler: ({ actor, params }) => s.treatment.getCentre(actor, params.id),
  });
  route(app, {
    method: 'POST',
    url: '/api/treatment/centres',
    action: 'centre.write',
    body: createCentreBody,
    handler: async ({ actor, body, who, reply }) => {
      const c = await s.treatment.createCentre(actor, body, who);
      reply.code(201);
      return c;
    },
  });
  route(app, {
    method: 'PATCH',
    url: '/api/treatment/centres/:id',
    action: 'centre.write',
    params: idParams,
    body: updateCentreBody,
    handler: ({ actor, params, body, who }) => s.treatment.updateCentre(actor, params.id, body, who),
  });

  // ---------------------------------------------------------------------------------------------- admissions
  route(app, {
    method: 'GET',
    url: '/api/treatment/admissions',
    action: 'admission.read',
    query: admissionsQuery,
    handler: ({ actor, query, who }) =>
      s.treatment.listAdmissions(actor, { ...query, inCare: query.inCare === undefined ? undefined : query.inCare === 'true' }, who),
  });
  route(app, {
    method: 'GET',
    url: '/api/treatment/admissions/:id',
    action: 'admission.read',
    params: idParams,
    handler: ({ actor, params, who }) => s.treatment.getAdmission(actor, params.id, who),
  });
  route(app, {
    method: 'POST',
    url: '/api/treatment/admissions',
    action: 'admission.write',
    rawBody: true,
    handler: async ({ actor, req, who, reply }) => {
      const input = parseWith(admissionInput(todayInCambodia(), s.outreach.config.uicFormat), req.body);
      const a = await s.treatment.admit(actor, input, who);
      reply.code(201);
      return a;
    },
  });
  route(app, {
    method: 'POST',
    url: '/api/treatment/admissions/:id/discharge',
    action: 'admission.write',
    params: idParams,
    rawBody: true,
    handler: ({ actor, params, req, who }) => s.treatment.discharge(actor, params.id, parseWith(dischargeInput(todayInCambodia()), req.body), who),
  });
  route(app, {
    method: 'POST',
    url: '/api/treatment/admissions/:id/void',
    action: 'admission.write',
    params: idParams,
    body: voidAdmissionInput,
    handler: ({ actor, params, body, who }) => s.treatment.voidAdmission(actor, params.id, body, who),
  });

  // ---------------------------------------------------------------------------------------------- figures
  route(app, {
    method: 'GET',
    url: '/api/treatment/centres/:id/view',
    action: 'treatment.centre_view',
    params: idParams,
    query: rangeQuery,
    handler: ({ actor, params, query, who }) => s.treatment.centreView(actor, params.id, range(query), who),
  });
  route(app, {
    method: 'GET',
    url: '/api/treatment/national',
    action: 'treatment.national',
    query: nationalQuery,
    handler: async ({ actor, query }) => {
      const { period, campaign } = await resolveHealthPeriod(s.db, query);
      return s.treatment.national(actor, period, campaign);
    },
  });
  route(app, {
    method: 'GET',
    url: '/api/treatment/national.csv',
    action: 'treatment.national',
    query: csvQuery,
    handler: async ({ actor, query, reply }) => {
      const { period, campaign } = await resolveHealthPeriod(s.db, query);
      const v = await s.treatment.national(actor, period, campaign);
      const name = `${period.spec.replace(/[^0-9A-Za-z-]/g, '-')}${campaign ? `-${period.from}` : ''}`;
      reply.header('content-disposition', `attachment; filename="tonle-treatment-${query.table}-${name}.csv"`).type('text/csv; charset=utf-8');
      return nationalCsv(v, query.table);
    },
  });
}
