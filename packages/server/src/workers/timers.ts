import type { Timers } from '../adapters.js';

/**
 * The runtime's only timers (its poll loop and the stop drain) are the Timers port, so
 * tests can hold time still and drive the runtime with tick() instead of waiting on real time.
 */
export { systemTimers, type Timers } from '../adapters.js';

/**
 * Resolves after `ms`, keeping the process alive until then (stop() waits on it), unless
 * cancelled first: a drain that ended early must not hold the process open for the rest.
 */
export function delay(timers: Timers, ms: number): { elapsed: Promise<void>; cancel(): void } {
  let handle: unknown;
  const elapsed = new Promise<void>((resolve) => (handle = timers.setTimeout(resolve, ms, true)));
  return { elapsed, cancel: () => timers.clearTimeout(handle) };
}
