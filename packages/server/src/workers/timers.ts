/**
 * The runtime's only timers (its poll loop and the stop drain), injectable so tests can
 * hold time still and drive the runtime with tick() instead of waiting on real time.
 */
export interface Timers {
  /** `keepAlive`: the timer holds the process open (a drain in progress); else it does not (the poll). */
  setTimeout(callback: () => void, ms: number, keepAlive?: boolean): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms, keepAlive = false) => {
    const timer = setTimeout(callback, ms);
    if (!keepAlive) timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Resolves after `ms`, keeping the process alive until then (stop() waits on it), unless
 * cancelled first: a drain that ended early must not hold the process open for the rest.
 */
export function delay(timers: Timers, ms: number): { elapsed: Promise<void>; cancel(): void } {
  let handle: unknown;
  const elapsed = new Promise<void>((resolve) => (handle = timers.setTimeout(resolve, ms, true)));
  return { elapsed, cancel: () => timers.clearTimeout(handle) };
}
