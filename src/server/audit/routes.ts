import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { auditQuery } from '../../core/schemas.js';
import { route } from '../http/route.js';
import type { Services } from '../services.js';
import { verifyAuditChain } from './service.js';

export function auditRoutes(app: FastifyInstance, s: Services) {
  route(app, {
    method: 'GET',
    url: '/api/audit',
    action: 'audit.read',
    query: auditQuery,
    handler: async ({ query }) => {
      let q = s.db
        .selectFrom('audit_log as l')
        .leftJoin('accounts as a', 'a.id', 'l.account_id')
        .select(['l.seq', 'l.at', 'l.account_id', 'a.username', 'l.organisation_id', 'l.action', 'l.entity', 'l.entity_id', 'l.ip', 'l.details'])
        .orderBy('l.seq', 'desc')
        .limit(query.limit);
      if (query.before) q = q.where(sql<number>`l.seq`, '<', query.before);
      const rows = await q.execute();
      return {
        items: rows.map((r) => ({
          seq: Number(r.seq),
          at: new Date(r.at).toISOString(),
          accountId: r.account_id,
          username: r.username,
          organisationId: r.organisation_id,
          action: r.action,
          entity: r.entity,
          entityId: r.entity_id,
          ip: r.ip,
          details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details,
        })),
      };
    },
  });
  route(app, { method: 'GET', url: '/api/audit/verify', action: 'audit.verify', handler: () => verifyAuditChain(s.db) });
}
