import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden, unauthenticated, type Actor, type UserActor } from '@alertautec/core';
import type { ApiKeysService } from '../api-keys/service.js';
import { looksLikeApiKey } from '../api-keys/service.js';
import type { AuthService } from '../auth/service.js';

/**
 * Who may call a route. Every `/api` route needs a signed-in user unless it says otherwise;
 * routes outside `/api` (docs, health, the web app) are public. `optional`: credentials,
 * when sent, are checked like `userOrApiKey`; without them the actor stays null.
 */
export type AuthMode = 'public' | 'optional' | 'user' | 'userOrApiKey';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    auth?: AuthMode;
  }
}

function credentials(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw unauthenticated('Send the token as "Authorization: Bearer <token>".', 'invalid_token');
    return match[1];
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey : undefined;
}

export function registerAuthentication(app: FastifyInstance, services: { auth: AuthService; apiKeys: ApiKeysService }) {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    const url = request.routeOptions.url;
    if (!url) return; // unknown route: answered 404 by the not-found handler
    const mode = request.routeOptions.config.auth ?? (url.startsWith('/api/') ? 'user' : 'public');
    if (mode === 'public') return;
    const token = credentials(request);
    if (!token) {
      if (mode === 'optional') return;
      throw unauthenticated();
    }
    if (looksLikeApiKey(token)) {
      // A made-up or revoked key is 401 everywhere; a valid one is 403 where keys do not belong.
      const actor = await services.apiKeys.authenticate(token);
      if (mode === 'user') throw forbidden('API keys cannot be used on this route.', 'api_key_not_allowed');
      request.actor = actor;
    } else {
      request.actor = await services.auth.actorFromAccessToken(token);
    }
  });
}

export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}

export function userOf(request: FastifyRequest): UserActor {
  const actor = actorOf(request);
  if (actor.kind !== 'user') throw forbidden('This route is for signed-in people, not API keys.', 'api_key_not_allowed');
  return actor;
}
