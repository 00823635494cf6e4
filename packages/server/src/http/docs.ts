import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { allowInlineStyles } from './security-headers.js';

/** The OpenAPI document is generated from the route schemas that validate requests. */
export async function registerDocs(app: FastifyInstance) {
  await app.register(swagger, {
    // Shared schemas (the problem body) keep their $id as their name in components.schemas.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'AlertaUTEC API',
        version: '0.1.0',
        description: 'Campus incident platform. Errors are RFC 9457 application/problem+json.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
    },
  });
  // Its page loads every script from /docs/static, so the app's CSP holds; see allowInlineStyles.
  await app.register(swaggerUi, { routePrefix: '/docs', transformStaticCSP: allowInlineStyles });
}

export function openApiRoute(app: FastifyInstance) {
  app.get('/api/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());
}
