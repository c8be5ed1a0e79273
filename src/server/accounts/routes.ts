import type { FastifyInstance } from 'fastify';
import { createAccountBody, idParams, updateAccountBody } from '../../core/schemas.js';
import { route } from '../http/route.js';
import type { Services } from '../services.js';

export function accountRoutes(app: FastifyInstance, s: Services) {
  route(app, { method: 'GET', url: '/api/accounts', action: 'account.read', handler: async () => ({ items: await s.accounts.list() }) });
  route(app, { method: 'GET', url: '/api/accounts/:id', action: 'account.read', params: idParams, handler: ({ params }) => s.accounts.get(params.id) });
  route(app, {
    method: 'POST',
    url: '/api/accounts',
    action: 'account.write',
    body: createAccountBody,
    handler: async ({ body, who, reply }) => {
      reply.code(201);
      return s.accounts.create(body, who);
    },
  });
  route(app, {
    method: 'PATCH',
    url: '/api/accounts/:id',
    action: 'account.write',
    params: idParams,
    body: updateAccountBody,
    handler: ({ params, body, who }) => s.accounts.update(params.id, body, who),
  });
  route(app, {
    method: 'POST',
    url: '/api/accounts/:id/reset-password',
    action: 'account.write',
    params: idParams,
    handler: ({ params, who }) => s.accounts.resetPassword(params.id, who),
  });
}
