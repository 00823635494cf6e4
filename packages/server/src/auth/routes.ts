import {
  IntrospectBody,
  Introspection,
  LoginBody,
  Me,
  RefreshBody,
  RegisterBody,
  RegisterResponse,
  TokenPair,
} from '@alertautec/core/schemas';
import { assertCan, normalizeEmail } from '@alertautec/core';
import type { FastifyRequest } from 'fastify';
import { actorOf, userOf } from '../http/authenticate.js';
import { NoContent, problems } from '../http/responses.js';
import type { App } from '../http/types.js';
import { presentMe } from '../users/presenter.js';
import type { LoginThrottle } from './login-throttle.js';
import type { AuthService } from './service.js';
import { clearRefreshCookie, presentedRefreshToken, sendPair, wantsCookieMode, type RefreshCookieSettings } from './session-cookie.js';

const tags = ['auth'];

export interface AuthRouteOptions {
  loginRateLimit: number;
  /** Failures per account and per client address, shared by every process (see login-throttle.ts). */
  loginThrottle: LoginThrottle;
  /** The web app's refresh-token cookie (see session-cookie.ts). */
  refreshCookie: RefreshCookieSettings;
}

export function authRoutes(app: App, auth: AuthService, options: AuthRouteOptions) {
  app.post(
    '/api/auth/register',
    {
      config: { auth: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: { tags, summary: 'Register a student account', body: RegisterBody, response: { 201: RegisterResponse, ...problems(409, 429) } },
    },
    async (request, reply) => reply.code(201).send({ user: presentMe(await auth.register(request.body)) }),
  );

  app.post(
    '/api/auth/login',
    {
      config: {
        auth: 'public',
        // Per account and client address: slows guessing one password without locking
        // the account for everyone else.
        rateLimit: {
          max: options.loginRateLimit,
          timeWindow: '1 minute',
          keyGenerator: (request: FastifyRequest) =>
            `${request.ip}|${normalizeEmail(String((request.body as { email?: unknown } | undefined)?.email ?? ''))}`,
          // A remaining-count would tell a guesser that someone else behind the same address
          // used this account: known and unknown accounts must answer alike.
          addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
        },
      },
      schema: { tags, summary: 'Sign in', body: LoginBody, response: { 200: TokenPair, ...problems(401, 403, 429) } },
    },
    async (request, reply) =>
      sendPair(reply, options.refreshCookie, await options.loginThrottle.attempt(request.body.email, request.ip, () => auth.login(request.body)), wantsCookieMode(request)),
  );

  app.post(
    '/api/auth/refresh',
    {
      config: { auth: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Exchange a refresh token (in the body, or the session cookie with X-CSRF: 1) for a new pair; the old one stops working',
        body: RefreshBody,
        response: { 200: TokenPair, ...problems(401, 403, 429) },
      },
    },
    async (request, reply) => {
      const presented = presentedRefreshToken(request, request.body.refreshToken);
      try {
        // A body token with X-Session-Mode: cookie moves an older web client to the cookie.
        return sendPair(reply, options.refreshCookie, await auth.refresh(presented.token), presented.fromCookie || wantsCookieMode(request));
      } catch (error) {
        // A dead cookie is dropped, so the browser stops sending it.
        if (presented.fromCookie) clearRefreshCookie(reply, options.refreshCookie);
        throw error;
      }
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'End the session the refresh token (or the session cookie) belongs to; its access tokens stop working at once',
        body: RefreshBody,
        response: { 204: NoContent, ...problems(403) },
      },
    },
    async (request, reply) => {
      const presented = presentedRefreshToken(request, request.body.refreshToken);
      await auth.logout(presented.token);
      if (presented.fromCookie) clearRefreshCookie(reply, options.refreshCookie);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    { schema: { tags, summary: 'The signed-in user', security: [{ bearer: [] }], response: { 200: Me, ...problems(401) } } },
    async (request) => presentMe(await auth.me(userOf(request))),
  );

  app.post(
    '/api/auth/introspect',
    {
      // Callers authenticate (RFC 7662): an API key with scope auth:introspect, or an admin.
      config: { auth: 'userOrApiKey' },
      schema: {
        tags,
        summary: 'Tell another service whether an access token is active, and for whom',
        security: [{ apiKey: [] }, { bearer: [] }],
        body: IntrospectBody,
        response: { 200: Introspection, ...problems(401, 403) },
      },
    },
    async (request) => {
      const caller = actorOf(request);
      assertCan(caller, 'auth:introspect');
      return auth.introspect(request.body.token, caller.tenantId);
    },
  );
}
