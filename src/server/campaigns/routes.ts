import type { FastifyInstance } from 'fastify';
import { idParams } from '../../core/schemas.js';
import { route } from '../http/route.js';
import type { Services } from '../services.js';
import { createCampaignBody, updateCampaignBody } from './service.js';

export function campaignRoutes(app: FastifyInstance, s: Services) {
  route(app, { method: 'GET', url: '/api/campaigns', action: 'campaign.read', handler: async () => ({ items: await s.campaigns.list() }) });
  route(app, { method: 'GET', url: '/api/campaigns/:id', action: 'campaign.read', params: idParams, handler: ({ params }) => s.campaigns.get(params.id) });
  route(app, {
    method: 'POST',
    url: '/api/campaigns',
    action: 'campaign.write',
    body: createCampaignBody,
    handler: async ({ body, who, reply }) => {
      reply.code(201);
      return s.campaigns.create(body, who);
    },
  });
  route(app, {
    method: 'PATCH',
    url: '/api/campaigns/:id',
    action: 'campaign.write',
    params: idParams,
    body: updateCampaignBody,
    handler: ({ params, body, who }) => s.campaigns.update(params.id, body, who),
  });
}
