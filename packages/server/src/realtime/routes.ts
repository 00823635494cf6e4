import { Type } from 'typebox';
import { DomainError, PublishBody, RESERVED_EVENT_TYPES, assertCan, validationError } from '@alertautec/core';
import { actorOf } from '../http/authenticate.js';
import { problems } from '../http/responses.js';
import type { App } from '../http/types.js';
import type { Publisher } from './publisher.js';

const MAX_DATA_BYTES = 64 * 1024;

export function realtimeRoutes(app: App, publisher: Publisher) {
  app.post(
    '/api/realtime/events',
    {
      config: { auth: 'userOrApiKey' },
      schema: {
        tags: ['realtime'],
        summary: 'Push a custom event to connected users (API key with realtime:publish, or admin)',
        security: [{ apiKey: [] }, { bearer: [] }],
        body: PublishBody,
        response: { 202: Type.Object({ status: Type.Literal('accepted') }), ...problems(401, 403, 413) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      assertCan(actor, 'realtime:publish');
      const { type, audience, data } = request.body;
      // The pattern already refuses the capitalised platform types; their look-alikes too.
      if (RESERVED_EVENT_TYPES.some((reserved) => reserved.toLowerCase() === type.toLowerCase())) {
        throw validationError('This event type is reserved for the platform.', [{ path: '/type', message: 'is reserved' }], 'reserved_event_type');
      }
      if (Buffer.byteLength(JSON.stringify(data ?? null)) > MAX_DATA_BYTES) {
        throw new DomainError('payload_too_large', 'payload_too_large', `Published data may be at most ${MAX_DATA_BYTES / 1024} KB.`);
      }
      await publisher.publish(actor.tenantId, { type, audience, data });
      return reply.code(202).send({ status: 'accepted' as const });
    },
  );
}
