import { v7 as uuidv7 } from 'uuid';

/** Time and identity are adapters so tests can pin them. */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

/**
 * Timers are an adapter too (the workers' poll and drain, the realtime side's token expiry,
 * close cut-off and keep-alive), so tests fire them by moving a clock instead of waiting.
 */
export interface Timers {
  /** `keepAlive`: the timer holds the process open (a drain in progress); else it does not (a poll). */
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

/** Opaque, time-ordered ids (UUIDv7): sorting by id sorts by creation. */
export const newId = (): string => uuidv7();
