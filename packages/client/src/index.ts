export { RealtimeClient, type ClientClock, type ClientTimers, type ConnectionState, type InAppNotification, type RealtimeClientOptions, type RealtimeEvents, type SocketFactory, type SocketLike, type Subscription } from './realtime-client.js';
export { backoffDelay, tokenExpiry, type BackoffOptions } from './backoff.js';
export type { IncidentEvent, PublishedEvent, SubscriptionFilters } from '@alertautec/core';
