import type { InAppNotification } from '@alertautec/client';
import { useSyncExternalStore } from 'react';
import { me, type MyNotification } from '../api/me.js';
import { getSession, onSessionChange } from '../api/session.js';
import { subscribeNotifications } from '../live.js';
import { setUnreadInTitle } from '../page-title.js';

/**
 * The signed-in user's notification centre: the newest notifications and the unread count,
 * loaded over HTTP and kept current by the `Notification` frames of the live connection.
 * Frames are not replayed after a drop, so every (re)connection refetches the list.
 */
export interface NotificationsState {
  items: MyNotification[];
  unread: number;
  nextCursor: string | null;
  loaded: boolean;
  error: unknown;
}

const EMPTY: NotificationsState = { items: [], unread: 0, nextCursor: null, loaded: false, error: null };
let state: NotificationsState = EMPTY;
const listeners = new Set<() => void>();
/** Who arrives by frame: listeners that react to new ones (the alerts on the board). */
const arrivalListeners = new Set<(notification: InAppNotification) => void>();
let userId: string | undefined;
/** Counts loads and sign-ins: an answer for an older one is dropped. */
let generation = 0;
/** Frames that arrived while the newest load was in flight (its answer may predate them). */
let framesDuringLoad: InAppNotification[] | null = null;

function update(next: Partial<NotificationsState>): void {
  state = { ...state, ...next };
  setUnreadInTitle(state.unread);
  listeners.forEach((listener) => listener());
}

const unreadItem = (notification: InAppNotification): MyNotification => ({ ...notification, readAt: null });

async function load(): Promise<void> {
  if (!getSession()) return;
  const mine = ++generation;
  framesDuringLoad = [];
  try {
    const page = await me.notifications();
    if (mine !== generation) return;
    const listed = new Set(page.items.map((item) => item.id));
    const newer = (framesDuringLoad ?? []).filter((frame) => !listed.has(frame.id)).map(unreadItem);
    update({ items: [...newer, ...page.items], unread: page.unread + newer.length, nextCursor: page.nextCursor, loaded: true, error: null });
  } catch (error) {
    if (mine === generation) update({ error, loaded: true });
  } finally {
    if (mine === generation) framesDuringLoad = null;
  }
}

function receive(notification: InAppNotification): void {
  framesDuringLoad?.push(notification);
  if (state.items.some((item) => item.id === notification.id)) return;
  update({ items: [unreadItem(notification), ...state.items], unread: state.unread + 1 });
  arrivalListeners.forEach((listener) => listener(notification));
}

function follow(): void {
  const session = getSession();
  if (session?.user.id === userId) return;
  userId = session?.user.id;
  generation += 1;
  framesDuringLoad = null;
  update(EMPTY);
  if (session) void load();
}

subscribeNotifications({ onNotification: receive, onConnected: () => void load() });
onSessionChange(follow);
follow();

export async function loadMore(): Promise<void> {
  if (!state.nextCursor) return;
  const mine = generation;
  const page = await me.notifications(state.nextCursor);
  if (mine !== generation) return;
  const known = new Set(state.items.map((item) => item.id));
  update({ items: [...state.items, ...page.items.filter((item) => !known.has(item.id))], nextCursor: page.nextCursor });
}

export async function markRead(id: string): Promise<void> {
  await me.markRead([id]);
  const item = state.items.find((candidate) => candidate.id === id);
  if (!item || item.readAt) return;
  update({
    items: state.items.map((candidate) => (candidate.id === id ? { ...candidate, readAt: new Date().toISOString() } : candidate)),
    unread: Math.max(0, state.unread - 1),
  });
}

export async function markAllRead(): Promise<void> {
  // What arrives while the call is in flight may not be covered by it: it stays unread here.
  const before = new Set(state.items.map((item) => item.id));
  const mine = generation;
  await me.markAllRead();
  if (mine !== generation) return;
  const now = new Date().toISOString();
  const arrived = state.items.filter((item) => !before.has(item.id) && !item.readAt).length;
  update({ items: state.items.map((item) => (item.readAt || !before.has(item.id) ? item : { ...item, readAt: now })), unread: arrived });
}

/** Calls `listener` for each notification that arrives live (not for those loaded over HTTP). */
export function onArrival(listener: (notification: InAppNotification) => void): () => void {
  arrivalListeners.add(listener);
  return () => void arrivalListeners.delete(listener);
}

export function useNotifications(): NotificationsState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    () => state,
  );
}
