/**
 * Route definition: every endpoint goes through `route()`, which (1) names its policy action, (2) authorises the
 * caller through the access policy before anything else, (3) validates params, query and body with strict Zod
 * schemas, (4) runs the handler. Routes are recorded (with their query and path schemas) so that the access-policy
 * matrix test and the GET-route fuzz test can find every one.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z, ZodType } from 'zod';
import { authorize, type Action, type Actor } from '../policy.js';
import { badRequest, validationError } from './errors.js';
import type { AuditWho } from '../audit/service.js';

export interface RouteContext<B, Q, P> {
  actor: Actor | null;
  body: B;
  query: Q;
  params: P;
  req: FastifyRequest;
  reply: FastifyReply;
  who: AuditWho;
}

export interface RouteSpec<B extends ZodType, Q extends ZodType, P extends ZodType> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  action: Action;
  body?: B;
  query?: Q;
  params?: P;
  /** Raw text bodies (for example text/csv) instead of JSON. */
  rawBody?: boolean;
  bodyLimit?: number;
  /** Extra Fastify route config, e.g. `{ rateLimit: {...} }`. */
  config?: Record<string, unknown>;
  handler: (ctx: RouteContext<z.output<B>, z.output<Q>, z.output<P>>) => Promise<unknown> | unknown;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  action: Action;
  /** The route's strict query schema, when it takes a query (the GET-route fuzz test derives its parameters from it). */
  query?: ZodType;
  /** Its path-parameter schema, when the URL has parameters. */
  params?: ZodType;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    action?: Action;
    /** Recorded in the route registry (`RegisteredRoute`). */
    querySchema?: ZodType;
    paramsSchema?: ZodType;
  }
}

export function who(req: FastifyRequest): AuditWho {
  return { accountId: req.actor?.accountId ?? null, organisationId: req.actor?.organisationId ?? null, ip: req.ip ?? null };
}

/**
 * Text that PostgreSQL cannot store or that no person types: NUL and lone UTF-16 surrogates. Refused everywhere,
 * before any schema, with the path of the first offending value.
 */
function findBadText(v: unknown, path: string[], depth = 0): string[] | null {
  if (typeof v === 'string') return v.includes('\u0000') || !v.isWellFormed() ? path : null;
  if (depth > 20 || v === null || typeof v !== 'object') return null;
  for (const [k, x] of Object.entries(v)) {
    if (k.includes('\u0000') || !k.isWellFormed()) return path;
    const bad = findBadText(x, [...path, k], depth + 1);
    if (bad) return bad;
  }
  return null;
}

function refuseBadText(value: unknown, where: string) {
  const bad = findBadText(value, where === 'body' ? [] : [where]);
  if (bad) {
    const path = bad.join('.') || where;
    throw badRequest(`${path}: must not contain NUL or unpaired surrogate characters`, [{ path, message: 'must not contain NUL or unpaired surrogate characters' }]);
  }
}

function isEmpty(v: unknown) {
  return v === undefined || v === null || (typeof v === 'object' && Object.keys(v).length === 0);
}

function parse<S extends ZodType>(schema: S | undefined, value: unknown, where: string): z.output<S> {
  refuseBadText(value, where);
  if (!schema) {
    // A route without a schema for this part takes nothing there: unknown input is refused, never ignored.
    if (!isEmpty(value)) {
      const keys = typeof value === 'object' && value ? Object.keys(value).join(', ') : where;
      const path = where === 'body' ? keys : `${where}.${keys}`;
      throw badRequest(`${path}: is not an accepted field (unknown fields are refused, never stored)`, [
        { path, message: 'is not an accepted field (unknown fields are refused, never stored)' },
      ]);
    }
    return undefined as z.output<S>;
  }
  const r = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!r.success) throw validationError(r.error, where === 'body' ? '' : where, value ?? {});
  return r.data;
}

export function route<B extends ZodType, Q extends ZodType, P extends ZodType>(app: FastifyInstance, spec: RouteSpec<B, Q, P>): void {
  app.route({
    method: spec.method,
    url: spec.url,
    bodyLimit: spec.bodyLimit,
    config: { ...spec.config, action: spec.action, querySchema: spec.query, paramsSchema: spec.params },
    handler: async (req, reply) => {
      authorize(req.actor, spec.action);
      const params = parse(spec.params, req.params, 'params');
      const query = parse(spec.query, req.query, 'query');
      let body: z.output<B>;
      if (spec.rawBody) {
        refuseBadText(req.body, 'body');
        body = req.body as never;
      } else body = parse(spec.body, req.body, 'body');
      const result = await spec.handler({ actor: req.actor, body, query, params, req, reply, who: who(req) });
      if (result === undefined) {
        if (!reply.sent) reply.code(204).send();
        return reply;
      }
      return result;
    },
  });
}
