import type { ClientClock, ClientTimers } from '../src/index.js';

/**
 * A clock and timers the test moves by hand: the client's backoff, reauth and idle timers
 * fire only when the test advances time, so "nothing happened" is proven, not waited for.
 */
export interface ManualTime extends ClientClock, ClientTimers {
  /** Moves time on by `ms`, firing on the way, in order of their due time, the timers that fall due. */
  advance(ms: number): void;
  /** How many timers are waiting to fire. */
  pendingTimers(): number;
}

export function manualTime(start = Date.UTC(2025, 2, 10, 15, 30)): ManualTime {
  let now = start;
  let nextHandle = 1;
  // Insertion order is scheduling order: timers due at the same moment fire in that order.
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimeout: (callback, ms) => {
      const handle = nextHandle++;
      timers.set(handle, { at: now + Math.max(0, ms), callback });
      return handle;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
    advance: (ms) => {
      const until = now + ms;
      for (;;) {
        let next: [number, { at: number; callback: () => void }] | undefined;
        for (const entry of timers) if (entry[1].at <= until && (!next || entry[1].at < next[1].at)) next = entry;
        if (!next) break;
        timers.delete(next[0]);
        now = Math.max(now, next[1].at);
        next[1].callback();
      }
      now = until;
    },
    pendingTimers: () => timers.size,
  };
}
