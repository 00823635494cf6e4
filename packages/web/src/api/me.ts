import type { MyNotification, Preferences } from '@alertautec/core/schemas';
import { request } from './http.js';

/** The signed-in person's own notifications and preferences (CONTRACT §3 Notifications). */
export type { MyNotification, Preferences };

export interface MyNotificationPage {
  items: MyNotification[];
  nextCursor: string | null;
  unread: number;
}

export const me = {
  notifications: (cursor?: string | null, limit = 20) =>
    request<MyNotificationPage>('GET', `/api/me/notifications?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
  markRead: (ids: string[]) => request<void>('POST', '/api/me/notifications/read', { body: { ids } }),
  markAllRead: () => request<void>('POST', '/api/me/notifications/read', { body: { all: true } }),
  preferences: () => request<Preferences>('GET', '/api/me/preferences'),
  savePreferences: (preferences: Preferences) => request<Preferences>('PUT', '/api/me/preferences', { body: preferences }),
};
