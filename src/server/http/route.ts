/**
 * Route definition: every endpoint goes through `route()`, which (1) names its policy action, (2) authorises the
 * caller through the access policy before anything else, (3) validates params, query and body with strict Zod
 * schemas, (4) runs the handler. Routes are recorded so that the access-policy matrix test can find every one.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z, ZodType } from 'zod';
import { authorize, type Action, type Actor } from '../policy.js';
import { validationError } from './errors.js';
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
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    action?: Action;
  }
}

export function who(req: FastifyRequest): AuditWho {
  return { accountId: req.actor?.accountId ?? null, organisationId: req.actor?.organisationId ?? null, ip: req.ip ?? null };
}

function parse<S extends ZodType>(schema: S | undefined, value: unknown, where: string): z.output<S> {
  if (!schema) return undefined as z.output<S>;
  const r = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!r.success) throw validationError(r.error, where === 'body' ? '' : where);
  return r.data;
}

export function route<B extends ZodType, Q extends ZodType, P extends ZodType>(app: FastifyInstance, spec: RouteSpec<B, Q, P>): void {
  app.route({
    method: spec.method,
    url: spec.url,
    bodyLimit: spec.bodyLimit,
    config: { ...spec.config, action: spec.action },
    handler: async (req, reply) => {
      authorize(req.actor, spec.action);
      const params = parse(spec.params, req.params, 'params');
      const query = parse(spec.query, req.query, 'query');
      if (!spec.body && !spec.rawBody && req.body !== undefined && req.body !== null && !(typeof req.body === 'object' && Object.keys(req.body).length === 0)) {
        throw validationError({ issues: [{ code: 'custom', path: [], message: 'this request takes no body' }] } as never, 'body');
      }
      const body = spec.rawBody ? (req.body as never) : parse(spec.body, req.body, 'body');
      const result = await spec.handler({ actor: req.actor, body, query, params, req, reply, who: who(req) });
      if (result === undefined) {
        if (!reply.sent) reply.code(204).send();
        return reply;
      }
      return result;
    },
  });
}
