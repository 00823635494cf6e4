import { INCIDENT_EVENT_TYPES } from '@alertautec/core';
import { useSyncExternalStore } from 'react';
import { freshAccessToken, getSession, onSessionChange, refreshSession } from './api/session.js';
import type { IncidentEvent, Status, Urgency } from './api/types.js';

/**
 * Live updates: the ONE module pages use to hear about incident changes. Today it speaks
 * the WebSocket protocol of CONTRACT §4 itself; it is meant to be swapped for the client
 * SDK's realtime client without touching its callers (`subscribe`, `useConnectionState`).
 *
 * One socket while signed in, one server subscription over everything the user may see
 * (the server scopes it by role); callers' filters are applied here. Every event carries
 * its `seq`: after a reconnect we resume with `since` = the last seq seen, so nothing is
 * missed; when the server no longer holds that far back (`ResyncRequired`), or on the
 * first connection, callers are asked to refetch over HTTP.
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
}

interface Subscriber extends LiveHandlers {
  filters: LiveFilters;
}

const subscribers = new Set<Subscriber>();
const stateListeners = new Set<() => void>();
let state: ConnectionState = navigator.onLine ? 'reconnecting' : 'offline';
let socket: WebSocket | null = null;
let lastSeq: number | null = null;
let attempt = 0;
let retryTimer: number | undefined;
let pingTimer: number | undefined;
let lastHeardAt = 0;
let connecting = false;

function setState(next: ConnectionState): void {
  if (state === next) return;
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

function deliver(event: IncidentEvent): void {
  if (lastSeq !== null && event.seq <= lastSeq) return; // replayed twice: already seen
  lastSeq = event.seq;
  subscribers.forEach((subscriber) => matches(subscriber.filters, event) && subscriber.onEvent(event));
}

const resyncAll = () => subscribers.forEach((subscriber) => subscriber.onResync?.());

function handle(raw: string): void {
  lastHeardAt = Date.now();
  let message: { type?: string; headSeq?: number; code?: string };
  try {
    message = JSON.parse(raw) as typeof message;
  } catch {
    return;
  }
  if (message.type === 'Subscribed') {
    attempt = 0;
    setState('live');
    if (lastSeq === null) {
      lastSeq = message.headSeq ?? 0;
      resyncAll(); // first connection: anything before now comes from HTTP
    }
  } else if (message.type === 'ResyncRequired') {
    lastSeq = message.headSeq ?? null;
    resyncAll();
  } else if (INCIDENT_EVENT_TYPES.includes(message.type as IncidentEvent['type'])) {
    deliver(message as IncidentEvent);
  }
}

function scheduleReconnect(): void {
  window.clearTimeout(retryTimer);
  if (!getSession()) return;
  setState(navigator.onLine ? 'reconnecting' : 'offline');
  // Exponential backoff with full jitter, 0.5 s up to 30 s.
  const delay = Math.random() * Math.min(30_000, 500 * 2 ** attempt);
  attempt += 1;
  retryTimer = window.setTimeout(() => void connect(), delay);
}

async function connect(): Promise<void> {
  if (socket || connecting || !getSession()) return;
  connecting = true;
  const token = await freshAccessToken().catch(() => null);
  connecting = false;
  if (!token) return scheduleReconnect();
  if (socket) return;
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocket(`${scheme}://${window.location.host}/ws?token=${encodeURIComponent(token)}`);
  socket = ws;
  ws.addEventListener('open', () => {
    lastHeardAt = Date.now();
    ws.send(JSON.stringify({ action: 'subscribeIncidents', filters: {}, ...(lastSeq !== null ? { since: lastSeq } : {}) }));
  });
  ws.addEventListener('message', (event) => typeof event.data === 'string' && handle(event.data));
  ws.addEventListener('close', (event) => {
    if (socket !== ws) return;
    socket = null;
    // 4001: the token expired; refresh it before trying again.
    if (event.code === 4001) void refreshSession().catch(() => undefined).finally(scheduleReconnect);
    else scheduleReconnect();
  });
}

function disconnect(): void {
  window.clearTimeout(retryTimer);
  const ws = socket;
  socket = null;
  ws?.close(1000);
  lastSeq = null;
  attempt = 0;
}

// Keep-alive: a ping every 25 s; a socket silent for a minute is presumed dead.
function startPinging(): void {
  window.clearInterval(pingTimer);
  pingTimer = window.setInterval(() => {
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    if (Date.now() - lastHeardAt > 60_000) socket.close(4000);
    else socket.send(JSON.stringify({ action: 'ping' }));
  }, 25_000);
}

let lastToken: string | null = getSession()?.accessToken ?? null;
onSessionChange(() => {
  const session = getSession();
  if (!session) {
    lastToken = null;
    disconnect();
    return;
  }
  if (session.accessToken !== lastToken && socket?.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify({ action: 'reauth', token: session.accessToken }));
  }
  lastToken = session.accessToken;
  if (!socket) void connect();
});
window.addEventListener('online', () => {
  attempt = 0;
  if (!socket) void connect();
});
window.addEventListener('offline', () => setState('offline'));

/** Hears the events matching `filters`; returns the function that stops listening. */
export function subscribe(filters: LiveFilters, handlers: LiveHandlers | ((event: IncidentEvent) => void)): () => void {
  const subscriber: Subscriber = { filters, ...(typeof handlers === 'function' ? { onEvent: handlers } : handlers) };
  subscribers.add(subscriber);
  return () => void subscribers.delete(subscriber);
}

/** Starts the connection if signed in (the app calls it once at start). */
export function startLive(): void {
  startPinging();
  void connect();
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
