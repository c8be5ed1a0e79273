/** Builds the Fastify server: security plugins, session and CSRF hooks, the error shape, every module's routes, the web app. */
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './db/index.js';
import { HttpError } from './http/errors.js';
import type { RegisteredRoute } from './http/route.js';
import { createServices, type Services } from './services.js';
import { DEFAULT_AUTH, type AuthConfig, type SessionInfo } from './auth/service.js';
import { authRoutes, SESSION_COOKIE } from './auth/routes.js';
import { organisationRoutes } from './organisations/routes.js';
import { accountRoutes } from './accounts/routes.js';
import { geographyRoutes } from './geography/routes.js';
import { auditRoutes } from './audit/routes.js';
import { campaignRoutes } from './campaigns/routes.js';
import { enforcementRoutes } from './enforcement/routes.js';
import { outreachRoutes } from './outreach/routes.js';
import { treatmentRoutes } from './treatment/routes.js';
import { educationRoutes } from './education/routes.js';
import type { OutreachConfig } from './outreach/config.js';

declare module 'fastify' {
  interface FastifyRequest {
    sessionInfo: SessionInfo | null;
  }
  interface FastifyInstance {
    tonleRoutes: RegisteredRoute[];
    services: Services;
  }
}

export interface AppOptions {
  db: Database;
  auth?: Partial<AuthConfig>;
  /** Folder of the built web app; served when it exists. */
  webDir?: string;
  logger?: boolean;
  secureCookies?: boolean;
  /** Sign-in attempts per minute from one address (all accounts). */
  loginRateLimit?: number;
  /** UIC format and lost-to-follow-up days; default from TONLE_UIC_FORMAT / TONLE_LTFU_DAYS. */
  outreach?: OutreachConfig;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ? { level: 'info', redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]'] } : false,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
  });
  const services = createServices(opts.db, { ...DEFAULT_AUTH, ...opts.auth }, opts.outreach);
  app.decorate('services', services);
  app.decorate('tonleRoutes', [] as RegisteredRoute[]);
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionInfo', null);

  // Every API route must name its policy action: a route without one fails at start-up, not in production.
  app.addHook('onRoute', (r) => {
    if (!r.url.startsWith('/api/')) return;
    const action = r.config?.action;
    if (!action) throw new Error(`route ${r.method} ${r.url} has no access-policy action`);
    const schemas = { query: r.config?.querySchema, params: r.config?.paramsSchema };
    for (const m of [r.method].flat()) if (m !== 'HEAD') app.tonleRoutes.push({ method: m, url: r.url, action, ...schemas });
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: opts.secureCookies ? undefined : false,
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const info = await services.auth.session(req.cookies[SESSION_COOKIE]);
    req.sessionInfo = info;
    req.actor = info?.actor ?? null;
    if (info && UNSAFE.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (sent !== info.csrfToken) throw new HttpError(403, 'csrf', 'missing or wrong x-csrf-token header');
    }
  });

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof HttpError) {
      return reply.code(err.status).send({ error: { code: err.code, message: err.message, fields: err.fields }, ...err.extra });
    }
    const e = err as { statusCode?: number; code?: string; message?: string };
    // Database constraint errors that a race between two valid requests can cause: a conflict, not a crash.
    if (e.code === '23505') return reply.code(409).send({ error: { code: 'conflict', message: 'record: already exists', fields: [{ path: 'record', message: 'already exists' }] } });
    if (e.code === '40001' || e.code === '40P01')
      return reply.code(409).send({ error: { code: 'conflict', message: 'request: conflicted with another change; try again', fields: [{ path: 'request', message: 'conflicted with another change; try again' }] } });
    const status = e.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'too_large' : e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'unsupported_media_type' : status === 429 ? 'rate_limited' : 'invalid_input';
      const path = code === 'rate_limited' ? 'request' : 'body';
      const message = code === 'too_large' ? 'the request body is too large' : code === 'rate_limited' ? 'too many requests; wait a minute' : (e.message ?? 'bad request');
      return reply.code(status).send({ error: { code, message: `${path}: ${message}`, fields: [{ path, message }] } });
    }
    req.log.error(err);
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error', fields: [] } });
  });

  authRoutes(app, services, { secureCookies: opts.secureCookies ?? false, loginRateLimit: opts.loginRateLimit ?? 60 });
  organisationRoutes(app, services);
  accountRoutes(app, services);
  geographyRoutes(app, services);
  auditRoutes(app, services);
  campaignRoutes(app, services);
  enforcementRoutes(app, services);
  outreachRoutes(app, services);
  treatmentRoutes(app, services);
  educationRoutes(app, services);

  const webDir = opts.webDir;
  const hasWeb = webDir && existsSync(join(webDir, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, wildcard: true, index: ['index.html'] });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || !hasWeb || req.method !== 'GET') {
      return reply.code(404).send({ error: { code: 'not_found', message: 'not found', fields: [] } });
    }
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}
