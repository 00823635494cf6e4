import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DomainError, rateLimited } from '@alertautec/core';
import { apiKeysRoutes } from './api-keys/routes.js';
import { looksLikeApiKey } from './api-keys/service.js';
import { authRoutes } from './auth/routes.js';
import { refreshCookieSettings } from './auth/session-cookie.js';
import { catalogRoutes } from './catalog/routes.js';
import { registerAuthentication } from './http/authenticate.js';
import { registerConnectionLimits } from './http/connection-limits.js';
import { openApiRoute, registerDocs } from './http/docs.js';
import { registerProblemSchema } from './http/responses.js';
import { registerJsonBodyParser } from './http/json-body.js';
import { frameworkErrors, problem, sendProblem } from './http/problem.js';
import { registerSecurityHeaders, securityHeadersFor } from './http/security-headers.js';
import { serverLimitOptions } from './http/server-limits.js';
import { trustedProxies } from './http/trusted-proxies.js';
import type { App } from './http/types.js';
import { schemaCompilers } from './http/validation.js';
import { registerWeb, sendWebPage, wantsWebPage } from './http/web.js';
import { recordHttpMetrics } from './ops/metrics.js';
import { opsRoutes } from './ops/routes.js';
import { publicConfigRoutes } from './public-config/routes.js';
import { defaultWebDir, type System } from './system.js';
import { incidentsRoutes } from './incidents/routes.js';
import { realtimeRoutes } from './realtime/routes.js';
import { usersRoutes } from './users/routes.js';
import { jobsRoutes } from './jobs/routes.js';
import { notificationsRoutes } from './notifications/index.js';
import { escalationRoutes } from './escalation/routes.js';
import { reportsRoutes } from './reports/routes.js';
import { refuseUpgrade } from './http/refuse-upgrade.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Builds the HTTP app (not listening yet) over a System. What it serves follows the
 * process's roles: `api` the HTTP API, its docs and the web app; `realtime` the WebSocket
 * gateway; health, readiness and metrics always (a workers-only node is still watched).
 */
export async function buildApp(system: System): Promise<App> {
  const { config, services } = system;
  const api = config.roles.includes('api');
  const secure = securityHeadersFor(config);
  const proxies = trustedProxies(config.trustProxy);
  const app = Fastify({
    loggerInstance: system.log as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    // Requests the router refuses (a malformed or overlong path) are problem+json too.
    frameworkErrors: (error, request, reply) => frameworkErrors(error, request, secure(request, reply)),
    // A caller's X-Request-Id is kept (so logs join up across services) when it is sane.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Timeouts for slow clients, TRUST_PROXY for request.ip, problem+json for 408/431/400.
    ...serverLimitOptions(config, proxies),
    // While closing, requests still arriving on busy keep-alive connections are answered
    // 503 by the hook below, as problem+json (Fastify's own 503 is plain JSON).
    return503OnClosing: false,
  }).withTypeProvider<TypeBoxTypeProvider>() as App;

  const connectionLimits = registerConnectionLimits(app, { maxPerAddress: config.httpLimits.maxConnectionsPerAddress, proxies });
  app.setValidatorCompiler(schemaCompilers());
  registerProblemSchema(app);
  // JSON only: anything else is 415, not a string the schema then refuses.
  app.removeContentTypeParser(['text/plain']);
  registerJsonBodyParser(app);
  app.setErrorHandler((error, request, reply) => sendProblem(reply, request, error as Error));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerSecurityHeaders(app, secure);
  let closing = false;
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close');
    throw new DomainError('unavailable', 'shutting_down', 'The server is shutting down; retry shortly.');
  });

  const { metrics } = system;
  recordHttpMetrics(app, metrics);
  if (api) await registerDocs(app);
  await app.register(rateLimit, {
    global: false,
    hook: 'preHandler',
    errorResponseBuilder: (_request, context) => rateLimited(context.ttl / 1000),
  });
  // Uploads are streamed to the blob store; per-file limits are set by the route.
  await app.register(multipart, { limits: { fileSize: config.attachmentMaxBytes, files: 1, fields: 0, parts: 1 } });
  // Parses the web app's refresh-token cookie (auth/session-cookie.ts); nothing else uses cookies.
  await app.register(cookie);
  registerAuthentication(app, {
    isApiKey: looksLikeApiKey,
    apiKey: (key) => services.apiKeys.authenticate(key),
    accessToken: (token) => services.auth.actorFromAccessToken(token),
  });

  const webServed = api && (await registerWeb(app, config.webDir ?? defaultWebDir));
  app.setNotFoundHandler((request, reply) => {
    if (webServed && wantsWebPage(request)) return sendWebPage(reply);
    return reply
      .code(404)
      .type('application/problem+json')
      .send({ ...problem(404, 'route_not_found', `No route ${request.method} ${request.url.split('?')[0]}.`), instance: request.url.split('?')[0] });
  });

  opsRoutes(app, { store: system.store, metrics, metricsAllowLoopback: config.metricsAllowLoopback });
  if (api) {
    openApiRoute(app);
    publicConfigRoutes(app, config);
    app.get('/.well-known/jwks.json', { schema: { tags: ['auth'], summary: 'Keys that verify access tokens' } }, async () => system.keys.jwks);
    authRoutes(app, services.auth, { loginRateLimit: config.loginRateLimit, loginThrottle: services.loginThrottle, refreshCookie: refreshCookieSettings(config) });
    usersRoutes(app, services.users);
    apiKeysRoutes(app, services.apiKeys);
    catalogRoutes(app, services.catalog);
    incidentsRoutes(app, services.incidents, services.attachments);
    realtimeRoutes(app, system.realtime.publisher);
    jobsRoutes(app, services.jobs);
    notificationsRoutes(app, services.notifications);
    escalationRoutes(app, services.escalationPolicy);
    reportsRoutes(app, services.reports);
  }

  // The realtime gateway shares the port: WebSocket upgrades at /ws (refused without the role).
  app.server.on('upgrade', connectionLimits.guardUpgrade(config.roles.includes('realtime') ? system.realtime.gateway.handleUpgrade : refuseUpgrade));
  app.addHook('preClose', async () => {
    closing = true;
    system.realtime.gateway.close();
  });

  return app;
}
