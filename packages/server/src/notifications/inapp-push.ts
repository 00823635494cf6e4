import type { Notices } from '../events/signal.js';
import { textFrame } from '../realtime/frames.js';
import type { ConnectionRegistry } from '../realtime/registry.js';
import type { Db } from '../store/executor.js';
import { NOTIFICATION_CHANNEL } from './channels/inapp.js';
import { outboxRepository } from './outbox-repository.js';
import { presentMyNotification } from './presenter.js';

/**
 * The receiving side of in-app notifications (the realtime role): when any node announces
 * one, this node pushes `{type: "Notification", id, title, body, incidentId, createdAt}` to
 * the person's connections open here. The row is read only when they have one.
 */
export function createInAppPush(deps: { db: Db; notices: Notices; registry: ConnectionRegistry; onError(error: unknown): void }) {
  let stop: (() => void) | undefined;

  async function push(payload: string) {
    const [tenantId, userId, id] = payload.split('/');
    if (!tenantId || !userId || !id) return;
    const connections = deps.registry.forUser(tenantId, userId);
    if (connections.length === 0) return;
    const row = await outboxRepository.findInTenant(deps.db, tenantId, id);
    if (!row || row.user_id !== userId) return;
    const { readAt: _readAt, ...notification } = presentMyNotification(row);
    const frame = textFrame(JSON.stringify({ type: 'Notification', ...notification }));
    for (const connection of connections) if (!connection.closed) connection.sendFrame(frame);
  }

  return {
    start() {
      stop ??= deps.notices.on(NOTIFICATION_CHANNEL, (payload) => void push(payload).catch(deps.onError));
    },
    close() {
      stop?.();
      stop = undefined;
    },
  };
}
