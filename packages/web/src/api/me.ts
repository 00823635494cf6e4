import { request } from './http.js';
import type { ApiItem, ApiResponse } from './openapi.js';

/** The signed-in person's own notifications and preferences (CONTRACT §3 Notifications). */
export type MyNotificationPage = ApiResponse<'/api/me/notifications'>;
export type MyNotification = ApiItem<'/api/me/notifications'>;
export type Preferences = ApiResponse<'/api/me/preferences'>;

export const me = {
  notifications: (cursor?: string | null, limit = 20) =>
    request<MyNotificationPage>('GET', `/api/me/notifications?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
  markRead: (ids: string[]) => request<void>('POST', '/api/me/notifications/read', { body: { ids } }),
  markAllRead: () => request<void>('POST', '/api/me/notifications/read', { body: { all: true } }),
  preferences: () => request<Preferences>('GET', '/api/me/preferences'),
  savePreferences: (preferences: Preferences) => request<Preferences>('PUT', '/api/me/preferences', { body: preferences }),
};
