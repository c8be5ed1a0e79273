import type { FastifyInstance } from 'fastify';
import { createOrganisationBody, idParams, updateOrganisationBody } from '../../core/schemas.js';
import { route } from '../http/route.js';
import type { Services } from '../services.js';

export function organisationRoutes(app: FastifyInstance, s: Services) {
  route(app, { method: 'GET', url: '/api/organisations', action: 'organisation.read', handler: async () => ({ items: await s.organisations.list() }) });
  route(app, {
    method: 'GET',
    url: '/api/organisations/:id',
    action: 'organisation.read',
    params: idParams,
    handler: ({ params }) => s.organisations.get(params.id),
  });
  route(app, {
    method: 'POST',
    url: '/api/organisations',
    action: 'organisation.write',
    body: createOrganisationBody,
    handler: async ({ body, who, reply }) => {
      reply.code(201);
      return s.organisations.create(body, who);
    },
  });
  route(app, {
    method: 'PATCH',
    url: '/api/organisations/:id',
    action: 'organisation.write',
    params: idParams,
    body: updateOrganisationBody,
    handler: ({ params, body, who }) => s.organisations.update(params.id, body, who),
  });
}
