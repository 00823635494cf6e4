import { ApiKey, CreateApiKeyBody, CreatedApiKey, IdParams, page } from '@alertautec/core/schemas';
import { actorOf } from '../http/authenticate.js';
import { NoContent, problems } from '../http/responses.js';
import type { App } from '../http/types.js';
import type { ApiKeysService } from './service.js';

const tags = ['api-keys'];
const security = [{ bearer: [] }];

export function apiKeysRoutes(app: App, apiKeys: ApiKeysService) {
  app.post(
    '/api/api-keys',
    {
      schema: {
        tags,
        security,
        summary: 'Create an API key for another service (admin); the key is shown once',
        body: CreateApiKeyBody,
        response: { 201: CreatedApiKey, ...problems(401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(await apiKeys.create(actorOf(request), request.body)),
  );

  app.get(
    '/api/api-keys',
    { schema: { tags, security, summary: 'List API keys, without their secrets (admin)', response: { 200: page(ApiKey), ...problems(401, 403) } } },
    async (request) => apiKeys.list(actorOf(request)),
  );

  app.delete(
    '/api/api-keys/:id',
    { schema: { tags, security, summary: 'Revoke an API key (admin)', params: IdParams, response: { 204: NoContent, ...problems(401, 403, 404) } } },
    async (request, reply) => {
      await apiKeys.revoke(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
