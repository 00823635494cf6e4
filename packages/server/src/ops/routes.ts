import { Type } from 'typebox';
import type { Store } from '../store/db.js';
import type { App } from '../http/types.js';
import { problem } from '../http/problem.js';
import type { Metrics } from './metrics.js';

const tags = ['operations'];

export function opsRoutes(app: App, deps: { store: Store; metrics: Metrics }) {
  app.get(
    '/healthz',
    { schema: { tags, summary: 'The process is alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get('/readyz', { schema: { tags, summary: 'The store answers; ready for traffic' } }, async (request, reply) => {
    try {
      await deps.store.ping();
      return { status: 'ready', store: deps.store.dialect };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply.code(503).type('application/problem+json').send(problem(503, 'not_ready', 'The store does not answer.'));
    }
  });

  app.get('/metrics', { schema: { tags, summary: 'Prometheus metrics', hide: false } }, async (_request, reply) =>
    reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );
}
