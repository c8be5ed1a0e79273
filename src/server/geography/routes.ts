import type { FastifyInstance } from 'fastify';
import { communesQuery, districtsQuery } from '../../core/schemas.js';
import { route } from '../http/route.js';
import type { Services } from '../services.js';
import { badRequest } from '../http/errors.js';
import { GeoImportError, importErrorToHttp } from './service.js';

export function geographyRoutes(app: FastifyInstance, s: Services) {
  route(app, { method: 'GET', url: '/api/geography/provinces', action: 'geography.read', handler: async () => ({ items: await s.geography.provinces() }) });
  route(app, {
    method: 'GET',
    url: '/api/geography/districts',
    action: 'geography.read',
    query: districtsQuery,
    handler: async ({ query }) => ({ items: await s.geography.districts(query.province) }),
  });
  route(app, {
    method: 'GET',
    url: '/api/geography/communes',
    action: 'geography.read',
    query: communesQuery,
    handler: async ({ query }) => ({ items: await s.geography.communes(query.district) }),
  });
  route(app, { method: 'GET', url: '/api/geography/summary', action: 'geography.read', handler: () => s.geography.counts() });
  route(app, {
    method: 'POST',
    url: '/api/geography/import',
    action: 'geography.import',
    rawBody: true,
    bodyLimit: 20 * 1024 * 1024,
    handler: async ({ req, who }) => {
      if (typeof req.body !== 'string' || req.body.length === 0) {
        throw badRequest('body: send the CSV file as text/csv', [{ path: 'body', message: 'send the CSV file as text/csv' }]);
      }
      try {
        return await s.geography.importCsv(req.body, who);
      } catch (e) {
        if (e instanceof GeoImportError) throw importErrorToHttp(e);
        throw e;
      }
    },
  });
}
