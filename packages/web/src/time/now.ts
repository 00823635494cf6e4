import { useSyncExternalStore } from 'react';

/**
 * One shared clock tick for the page: every component reading `useNow(ms)` with the same
 * period shares ONE interval, started with the first reader and stopped with the last. Only
 * the components that read it re-render on a tick (the time cells of a list, not the list),
 * so rows keep their DOM while their relative and due times count on.
 */
interface Ticker {
  now: number;
  listeners: Set<() => void>;
  handle: number | undefined;
  subscribe: (listener: () => void) => () => void;
  snapshot: () => number;
}

const tickers = new Map<number, Ticker>();

function ticker(intervalMs: number): Ticker {
  let found = tickers.get(intervalMs);
  if (!found) {
    // Stable functions per period, so React does not resubscribe (and restart the interval) on every render.
    found = { now: Date.now(), listeners: new Set(), handle: undefined, subscribe: (listener) => subscribeTo(intervalMs, listener), snapshot: () => snapshot(intervalMs) };
    tickers.set(intervalMs, found);
  }
  return found;
}

function subscribeTo(intervalMs: number, listener: () => void): () => void {
  const entry = ticker(intervalMs);
  entry.listeners.add(listener);
  if (entry.handle === undefined) {
    entry.handle = window.setInterval(() => {
      entry.now = Date.now();
      entry.listeners.forEach((notify) => notify());
    }, intervalMs);
  }
  return () => {
    entry.listeners.delete(listener);
    if (entry.listeners.size === 0 && entry.handle !== undefined) {
      window.clearInterval(entry.handle);
      entry.handle = undefined;
    }
  };
}

function snapshot(intervalMs: number): number {
  const entry = ticker(intervalMs);
  // Nobody listening, so no interval: a first reader after a pause must not see a stale time
  // (stable within one period, as useSyncExternalStore needs).
  if (entry.handle === undefined && Date.now() - entry.now >= intervalMs) entry.now = Date.now();
  return entry.now;
}

/** The current time in ms, refreshed every `intervalMs` by the shared ticker of that period. */
export function useNow(intervalMs = 5_000): number {
  const entry = ticker(intervalMs);
  return useSyncExternalStore(entry.subscribe, entry.snapshot);
}
