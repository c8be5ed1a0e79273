import type { FastifyInstance } from 'fastify';
import { changePasswordBody, loginBody, updateMeBody } from '../../core/schemas.js';
import { route } from '../http/route.js';
import type { Services } from '../services.js';

export const SESSION_COOKIE = 'tonle_sid';

export function authRoutes(app: FastifyInstance, s: Services, opts: { secureCookies: boolean; loginRateLimit: number }) {
  route(app, {
    method: 'POST',
    url: '/api/auth/login',
    action: 'auth.login',
    body: loginBody,
    // Per-address throttle on top of the per-account lockout in the service.
    config: { rateLimit: { max: opts.loginRateLimit, timeWindow: '1 minute' } },
    handler: async ({ body, req, reply }) => {
      const { token, csrfToken, me } = await s.auth.login(body.username, body.password, req.ip);
      reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: opts.secureCookies });
      return { account: me, csrfToken };
    },
  });
  route(app, {
    method: 'POST',
    url: '/api/auth/logout',
    action: 'auth.logout',
    handler: async ({ req, reply, who }) => {
      await s.auth.logout(req.sessionInfo!.sessionId, who);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    },
  });
  route(app, {
    method: 'GET',
    url: '/api/auth/me',
    action: 'auth.me',
    handler: async ({ actor, req }) => ({ account: await s.auth.me(actor!.accountId), csrfToken: req.sessionInfo!.csrfToken }),
  });
  route(app, {
    method: 'PATCH',
    url: '/api/auth/me',
    action: 'auth.update_me',
    body: updateMeBody,
    handler: async ({ actor, body, who }) => ({ account: await s.auth.setLocale(actor!.accountId, body.locale, who) }),
  });
  route(app, {
    method: 'POST',
    url: '/api/auth/password',
    action: 'auth.change_password',
    body: changePasswordBody,
    handler: async ({ actor, body, req, who }) => {
      await s.auth.changePassword(actor!.accountId, req.sessionInfo!.sessionId, body.currentPassword, body.newPassword, who);
      return { account: await s.auth.me(actor!.accountId) };
    },
  });
}
