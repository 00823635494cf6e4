import { RealtimeClient, type InAppNotification, type ConnectionState as SdkState } from '@alertautec/client';
import { useSyncExternalStore } from 'react';
import { freshAccessToken, getSession, onSessionChange } from './api/session.js';
import type { IncidentEvent, Status, Urgency } from './api/types.js';

/**
 * Live updates: the ONE module pages use to hear about incident changes, over the SDK's
 * realtime client (which reconnects with jittered backoff, resumes from the last `seq`
 * it saw so nothing is missed, and re-authenticates before the token expires).
 *
 * One connection while signed in, one server subscription over everything the user may
 * see (the server scopes it by role); callers' filters are applied here. When the first
 * subscription is registered, or the server no longer holds what was missed
 * (`ResyncRequired`), callers are asked to refetch over HTTP.
 */
export type ConnectionState = 'live' | 'reconnecting' | 'offline';

export interface LiveFilters {
  incidentId?: string;
  status?: Status;
  urgency?: Urgency;
  category?: string;
  departmentId?: string;
}

export interface LiveHandlers {
  onEvent: (event: IncidentEvent) => void;
  /** Events may have been missed: refetch what is shown. */
  onResync?: () => void;
  /**
   * The connection came back after a loss. Nothing was missed (it resumes from its last
   * `seq`), but what the caller asked over HTTP meanwhile may have failed: ask again then.
   */
  onReconnected?: () => void;
}

interface Subscriber extends LiveHandlers {
  filters: LiveFilters;
}

const subscribers = new Set<Subscriber>();
/** The user's in-app notifications (pushed to every connection, no subscription). */
export interface NotificationHandlers {
  onNotification: (notification: InAppNotification) => void;
  /** A connection (re)opened: frames sent while there was none are lost, refetch. */
  onConnected?: () => void;
}
const notificationSubscribers = new Set<NotificationHandlers>();
const stateListeners = new Set<() => void>();
let sdkState: SdkState = 'closed';
let client: RealtimeClient | null = null;

function currentState(): ConnectionState {
  if (!navigator.onLine) return 'offline';
  return sdkState === 'live' ? 'live' : 'reconnecting';
}
let state: ConnectionState = currentState();

function refreshState(): void {
  const next = currentState();
  if (next === state) return;
  state = next;
  stateListeners.forEach((listener) => listener());
}

function matches(filters: LiveFilters, event: IncidentEvent): boolean {
  if (filters.incidentId && event.id !== filters.incidentId) return false;
  // Fields an event does not carry cannot rule it out; the caller decides then.
  const fields = event as unknown as Record<string, unknown>;
  for (const key of ['status', 'urgency', 'category', 'departmentId'] as const) {
    const want = filters[key];
    if (want !== undefined && key in fields && fields[key] !== want) return false;
  }
  return true;
}

const resyncAll = () => subscribers.forEach((subscriber) => subscriber.onResync?.());

function start(): void {
  if (client || !getSession()) return;
  userId = getSession()?.user.id;
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const token = async () => {
    const fresh = await freshAccessToken();
    if (!fresh) throw new Error('signed out'); // the client waits and tries again
    return fresh;
  };
  client = new RealtimeClient({ url: `${scheme}://${window.location.host}/ws`, token });
  let wasLive = false;
  client.on('state', (next) => {
    const back = next === 'live' && wasLive && sdkState !== 'live';
    if (next === 'live') wasLive = true;
    sdkState = next;
    refreshState();
    if (next === 'live') notificationSubscribers.forEach((subscriber) => subscriber.onConnected?.());
    if (back) subscribers.forEach((subscriber) => subscriber.onReconnected?.());
  });
  client.on('notification', (notification) => notificationSubscribers.forEach((subscriber) => subscriber.onNotification(notification)));
  client.on('event', (event) => subscribers.forEach((subscriber) => matches(subscriber.filters, event) && subscriber.onEvent(event)));
  let first = true;
  client.on('subscribed', () => {
    // The first registration: whatever happened before it comes from HTTP.
    if (first) resyncAll();
    first = false;
  });
  client.on('resync', resyncAll);
  client.subscribe({});
  client.connect();
}

function stop(): void {
  client?.close();
  client = null;
  sdkState = 'closed';
  refreshState();
}

let userId: string | undefined;
onSessionChange(() => {
  const session = getSession();
  // Another person signed in on this tab: their connection, not the last one's.
  if (client && session?.user.id !== userId) stop();
  userId = session?.user.id;
  if (session) start();
});
window.addEventListener('online', refreshState);
window.addEventListener('offline', refreshState);

/** Hears the events matching `filters`; returns the function that stops listening. */
export function subscribe(filters: LiveFilters, handlers: LiveHandlers | ((event: IncidentEvent) => void)): () => void {
  const subscriber: Subscriber = { filters, ...(typeof handlers === 'function' ? { onEvent: handlers } : handlers) };
  subscribers.add(subscriber);
  return () => void subscribers.delete(subscriber);
}

/** Hears the signed-in user's in-app notifications; returns the function that stops listening. */
export function subscribeNotifications(handlers: NotificationHandlers): () => void {
  notificationSubscribers.add(handlers);
  return () => void notificationSubscribers.delete(handlers);
}

/** Starts the connection if signed in (the app calls it once at start). */
export function startLive(): void {
  start();
}

export function useConnectionState(): ConnectionState {
  return useSyncExternalStore(
    (listener) => {
      stateListeners.add(listener);
      return () => void stateListeners.delete(listener);
    },
    () => state,
  );
}
