import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden, unauthenticated, type Actor, type UserActor } from '@alertautec/core';

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

/**
 * How each kind of credential is checked, provided by the modules that issue them (auth its
 * access tokens, api-keys its keys), so that the HTTP layer depends on neither.
 */
export interface CredentialChecks {
  /** Whether a presented credential is an API key; otherwise it is taken for an access token. */
  isApiKey(credential: string): boolean;
  /** The key's actor; a made-up or revoked key is refused (401). */
  apiKey(key: string): Promise<Actor>;
  /** The token's actor; an invalid or ended one is refused (401). */
  accessToken(token: string): Promise<Actor>;
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

export function registerAuthentication(app: FastifyInstance, checks: CredentialChecks) {
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
    if (checks.isApiKey(token)) {
      // A made-up or revoked key is 401 everywhere; a valid one is 403 where keys do not belong.
      const actor = await checks.apiKey(token);
      if (mode === 'user') throw forbidden('API keys cannot be used on this route.', 'api_key_not_allowed');
      request.actor = actor;
    } else {
      request.actor = await checks.accessToken(token);
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
