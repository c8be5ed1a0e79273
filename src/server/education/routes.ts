/** Education routes (docs/treatment-api.md). */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';

export function educationRoutes(_app: FastifyInstance, _s: Services) {}
