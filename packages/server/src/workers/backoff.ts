/** Exponential backoff with jitter, for job retries and for a failing consumer. */
export interface Backoff {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 10_000, maxMs: 60 * 60_000 };

/**
 * The wait before retry number `failures` (1 after the first failure): base·2^(failures−1),
 * capped, then drawn from the upper half of that ("equal jitter") so retries of jobs that
 * failed together spread out yet never come back sooner than half the nominal delay.
 */
export function backoffDelay(failures: number, backoff: Backoff, random: () => number): number {
  const nominal = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(nominal / 2 + (random() * nominal) / 2);
}
