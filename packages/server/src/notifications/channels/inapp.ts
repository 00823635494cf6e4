import type { Notices } from '../../events/signal.js';
import type { Channel } from './channel.js';

/**
 * "Notification T/U/N for user U of tenant T": every node with the realtime role pushes
 * outbox row N to that person's open connections (notifications/inapp-push.ts). Add it to
 * the PostgreSQL notice channels so it crosses nodes.
 */
export const NOTIFICATION_CHANNEL = 'notification';

/**
 * In-app: the outbox row is the notification (GET /api/me/notifications lists it), so
 * sending stores nothing more; it announces the row so open connections see it at once.
 * A lost announcement only means the bell updates on the next list.
 */
export function createInAppChannel(notices: Notices): Channel {
  return {
    name: 'inapp',
    async send(message) {
      if (!message.tenantId) throw new Error('An in-app message needs its tenant');
      notices.notify(NOTIFICATION_CHANNEL, `${message.tenantId}/${message.to}/${message.id}`);
      return {};
    },
  };
}
