import { inAudience, type Audience } from '@alertautec/core';
import { newId, type Clock } from '../adapters.js';
import { PUBLISH_CHANNEL, type Notices } from '../events/signal.js';
import type { Db } from '../store/executor.js';
import { textFrame } from './frames.js';
import type { RealtimeMetrics } from './metrics.js';
import type { ConnectionRegistry } from './registry.js';

/**
 * Events other services push to their users (`POST /api/realtime/events`). They are
 * delivered at most once to the connections open when they arrive — no replay: they are
 * not incident history. Across nodes the message is kept briefly in `realtime_messages`
 * and announced by id, so its size is not bound by NOTIFY's payload limit.
 */
export interface PublishedMessage {
  tenantId: string;
  type: string;
  audience: Audience;
  data: unknown;
  at: number;
}

const KEEP_MS = 60 * 60 * 1000;

export function createPublisher(deps: { db: Db; clock: Clock; notices: Notices; registry: ConnectionRegistry; metrics: RealtimeMetrics; onError(error: unknown): void }) {
  const { db, clock, notices, registry, metrics } = deps;

  function deliver(message: PublishedMessage) {
    const frame = textFrame(JSON.stringify({ type: message.type, data: message.data, at: new Date(message.at).toISOString() }));
    let sent = 0;
    for (const connection of registry.inTenant(message.tenantId)) {
      if (!connection.closed && inAudience(message.audience, connection.actor)) {
        connection.sendFrame(frame);
        sent += 1;
      }
    }
    metrics.publishedSent.inc(sent);
  }

  const stopListening = notices.on(PUBLISH_CHANNEL, (id) => {
    void db
      .selectFrom('realtime_messages')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
      .then((row) => {
        if (row) deliver({ tenantId: row.tenant_id, type: row.type, audience: JSON.parse(row.audience) as Audience, data: JSON.parse(row.data), at: Number(row.at) });
      })
      .catch(deps.onError);
  });

  const cleanup = setInterval(() => {
    db.deleteFrom('realtime_messages').where('at', '<', clock.now() - KEEP_MS).execute().catch(deps.onError);
  }, 60_000);
  cleanup.unref();

  return {
    async publish(tenantId: string, message: { type: string; audience: Audience; data: unknown }): Promise<void> {
      const id = newId();
      await db
        .insertInto('realtime_messages')
        .values({ id, tenant_id: tenantId, type: message.type, audience: JSON.stringify(message.audience), data: JSON.stringify(message.data ?? null), at: clock.now() })
        .execute();
      notices.notify(PUBLISH_CHANNEL, id);
    },
    close() {
      stopListening();
      clearInterval(cleanup);
    },
  };
}

export type Publisher = ReturnType<typeof createPublisher>;
