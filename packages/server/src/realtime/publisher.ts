import { inAudience, toIso, type Audience } from '@alertautec/core';
import { newId, type Clock } from '../adapters.js';
import { PUBLISH_CHANNEL, type Notices } from '../events/signal.js';
import type { Db } from '../store/executor.js';
import { textFrame } from './frames.js';
import { realtimeMessagesRepository } from './messages-repository.js';
import type { RealtimeMetrics } from './metrics.js';
import type { ConnectionRegistry } from './registry.js';

/**
 * Events other services push to their users (`POST /api/realtime/events`). They are
 * delivered at most once to the connections open when they arrive — no replay: they are
 * not incident history. Across nodes the message is kept briefly in `realtime_messages`
 * (housekeeping removes it after PUBLISHED_MESSAGE_KEEP_MS) and announced by id, so its
 * size is not bound by NOTIFY's payload limit. Any node may publish (the API role); nodes
 * with the realtime role deliver to their own connections.
 */
export const PUBLISHED_MESSAGE_KEEP_MS = 60 * 60 * 1000;

export interface PublisherDeps {
  db: Db;
  clock: Clock;
  notices: Notices;
  registry: ConnectionRegistry;
  metrics: RealtimeMetrics;
  onError(error: unknown): void;
}

export function createPublisher(deps: PublisherDeps) {
  const { db, clock, notices, registry, metrics } = deps;
  let stopListening: (() => void) | undefined;

  async function deliver(id: string) {
    const row = await realtimeMessagesRepository.find(db, id);
    if (!row) return;
    const audience = JSON.parse(row.audience) as Audience;
    const frame = textFrame(JSON.stringify({ type: row.type, data: JSON.parse(row.data) as unknown, at: toIso(Number(row.at)) }));
    let sent = 0;
    for (const connection of registry.inTenant(row.tenant_id)) {
      if (!connection.closed && inAudience(audience, connection.actor)) {
        connection.sendFrame(frame);
        sent += 1;
      }
    }
    metrics.publishedSent.inc(sent);
  }

  return {
    async publish(tenantId: string, message: { type: string; audience: Audience; data: unknown }): Promise<void> {
      const id = newId();
      await realtimeMessagesRepository.insert(db, {
        id,
        tenant_id: tenantId,
        type: message.type,
        audience: JSON.stringify(message.audience),
        data: JSON.stringify(message.data ?? null),
        at: clock.now(),
      });
      notices.notify(PUBLISH_CHANNEL, id);
    },
    /** Delivers what any node publishes to this node's connections (the realtime role). */
    start() {
      // One delivery at a time, in the order the notices came: each reads its message from
      // the database, and two reads on different connections may finish out of order.
      let previous = Promise.resolve();
      stopListening ??= notices.on(PUBLISH_CHANNEL, (id) => {
        previous = previous.then(() => deliver(id)).catch(deps.onError);
      });
    },
    close() {
      stopListening?.();
    },
  };
}

export type Publisher = ReturnType<typeof createPublisher>;
