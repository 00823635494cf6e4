import { Type } from 'typebox';
import type { Store } from '../store/db.js';
import type { App } from '../http/types.js';
import { problem } from '../http/problem.js';
import { problems } from '../http/responses.js';
import { assertMayReadMetrics } from './metrics-access.js';
import type { Metrics } from './metrics.js';
import { checkReadiness } from './readiness.js';
import { RETRY_AFTER_SECONDS } from '../store/faults.js';

const tags = ['operations'];

export function opsRoutes(app: App, deps: { store: Store; metrics: Metrics; metricsAllowLoopback: boolean }) {
  app.get(
    '/healthz',
    { schema: { tags, summary: 'The process is alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get('/readyz', { schema: { tags, summary: 'The database answers and there is room to write; ready for traffic' } }, async (request, reply) => {
    const readiness = await checkReadiness(deps.store);
    if (readiness.ready) return { status: 'ready', store: readiness.store };
    request.log.warn({ reason: readiness.reason, detail: readiness.detail }, 'not ready');
    return reply
      .code(503)
      .header('retry-after', String(RETRY_AFTER_SECONDS[readiness.reason]))
      .type('application/problem+json')
      .send({ ...problem(503, 'not_ready', readiness.detail), reason: readiness.reason });
  });

  app.get(
    '/metrics',
    {
      config: { auth: 'optional' },
      schema: {
        tags,
        summary: 'Prometheus metrics (admin, API key with metrics:read, or a caller on this machine)',
        security: [{ apiKey: [] }, { bearer: [] }, {}],
        response: { 200: Type.String({ description: 'Prometheus text exposition format' }), ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      assertMayReadMetrics(request, deps.metricsAllowLoopback);
      return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
    },
  );
}
