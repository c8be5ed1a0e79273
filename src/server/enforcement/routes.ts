import type { FastifyInstance } from 'fastify';
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { caseInput, DISPOSITIONS, voidInput } from '../../core/enforcement.js';
import { todayInCambodia } from '../../core/dates.js';
import { caseImportTemplate, formatImportProblem } from '../../core/enforcement-import.js';
import { boundedDate, idParams, uuid } from '../../core/schemas.js';
import { route } from '../http/route.js';
import { badRequest, validationError } from '../http/errors.js';
import type { Services } from '../services.js';
import { reportCsvQuery, reportQuery } from './report.js';
import { reportCsv } from './csv.js';
import { CaseImportError } from './import.js';

const listQuery = z.strictObject({
  from: boundedDate.optional(),
  to: boundedDate.optional(),
  includeVoided: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
const importBody = z.strictObject({
  cases: z.string().min(1, { message: 'is required' }),
  seizures: z.string().optional(),
});
const personParams = z.strictObject({ id: uuid, personId: uuid });
const dispositionBody = z.strictObject({ disposition: z.enum(DISPOSITIONS) });

/** The case body is validated against today's date (no future dates), so its schema is built per request. */
function parseCase(body: unknown) {
  const r = caseInput(todayInCambodia()).safeParse(body);
  if (!r.success) throw validationError(r.error, '', body);
  return r.data;
}

/** A correction carries the version the clerk loaded, next to the case fields. */
function parseCorrection(body: unknown) {
  const { version, ...rest } = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : { version: undefined };
  const input = parseCase(rest);
  const v = z.number().int().positive().safeParse(version);
  if (!v.success) throw badRequest('version: is required (the version you loaded)', [{ path: 'version', message: 'is required (the version you loaded)' }]);
  return { ...input, version: v.data };
}

export function enforcementRoutes(app: FastifyInstance, s: Services) {
  route(app, {
    method: 'GET',
    url: '/api/cases',
    action: 'case.read',
    query: listQuery,
    handler: async ({ actor, query }) => ({
      items: await s.cases.list(actor, { ...query, includeVoided: query.includeVoided === 'true' }),
    }),
  });
  route(app, { method: 'GET', url: '/api/cases/defaults', action: 'case.write', handler: ({ actor }) => s.cases.defaults(actor) });
  route(app, {
    method: 'GET',
    url: '/api/cases/import/template',
    action: 'case.write',
    handler: () => caseImportTemplate(),
  });
  route(app, { method: 'GET', url: '/api/cases/:id', action: 'case.read', params: idParams, handler: ({ actor, params }) => s.cases.get(actor, params.id) });
  route(app, {
    method: 'GET',
    url: '/api/cases/:id/history',
    action: 'case.read',
    params: idParams,
    handler: async ({ actor, params }) => ({ items: await s.cases.history(actor, params.id) }),
  });
  route(app, {
    method: 'POST',
    url: '/api/cases',
    action: 'case.write',
    rawBody: true,
    handler: async ({ actor, req, who, reply }) => {
      const input = parseCase(req.body);
      reply.code(201);
      return s.cases.create(actor, input, who);
    },
  });
  route(app, {
    method: 'PUT',
    url: '/api/cases/:id',
    action: 'case.write',
    params: idParams,
    rawBody: true,
    handler: async ({ actor, params, req, who }) => s.cases.update(actor, params.id, parseCorrection(req.body), who),
  });
  route(app, {
    method: 'PATCH',
    url: '/api/cases/:id/persons/:personId',
    action: 'case.write',
    params: personParams,
    body: dispositionBody,
    handler: ({ actor, params, body, who }) => s.cases.setDisposition(actor, params.id, params.personId, body.disposition, who),
  });
  route(app, {
    method: 'POST',
    url: '/api/cases/:id/void',
    action: 'case.write',
    params: idParams,
    body: voidInput,
    handler: ({ actor, params, body, who }) => s.cases.void(actor, params.id, body.reason, who),
  });
  /**
   * Bulk import. Everything is validated first: any problem → 400 with every bad row. Then the write streams
   * progress as NDJSON lines {"done":n,"total":m} and ends with {"result":{…}}.
   */
  route(app, {
    method: 'POST',
    url: '/api/cases/import',
    action: 'case.write',
    body: importBody,
    bodyLimit: 40 * 1024 * 1024,
    handler: async ({ actor, body, who, reply }) => {
      let validated;
      try {
        validated = await s.caseImport.validate(actor, body.cases, body.seizures);
      } catch (e) {
        if (!(e instanceof CaseImportError)) throw e;
        throw badRequest(`${e.problems.length} problem(s); nothing was imported`, e.problems.slice(0, 1000).map((p) => ({ path: formatImportProblem(p).split(': ')[0], message: p.message })), {
          rejected: e.problems,
        });
      }
      const stream = new PassThrough();
      stream.write(`${JSON.stringify({ done: 0, total: validated.cases.length })}\n`);
      // The write runs while the response streams: the handler returns at once so that progress lines reach the
      // page as they are written, not all at the end.
      s.caseImport
        .run(actor!, validated.cases, validated.rows, who, (done, total) => stream.write(`${JSON.stringify({ done, total })}\n`))
        .then((result) => stream.end(`${JSON.stringify({ result })}\n`))
        .catch((e) => {
          app.log.error(e);
          stream.end(`${JSON.stringify({ error: { code: 'internal', message: 'the import failed; nothing was imported' } })}\n`);
        });
      return reply.type('application/x-ndjson').send(stream);
    },
  });

  route(app, {
    method: 'GET',
    url: '/api/enforcement/report',
    action: 'enforcement.report',
    query: reportQuery,
    handler: ({ query }) => s.enforcementReport.report(query),
  });
  route(app, {
    method: 'GET',
    url: '/api/enforcement/report.csv',
    action: 'enforcement.report',
    query: reportCsvQuery,
    handler: async ({ query, reply }) => {
      const { table, ...q } = query;
      const r = await s.enforcementReport.report(q);
      const name = `tonle-enforcement-${table}-${r.range.from}-${r.range.to}${r.area.provinceCode ? `-${r.area.provinceCode}` : ''}.csv`;
      reply.header('content-disposition', `attachment; filename="${name}"`).type('text/csv; charset=utf-8');
      return reportCsv(r, table);
    },
  });
}
