/**
 * Exponential backoff with full jitter (a random wait between zero and the exponential
 * bound), so clients that dropped together do not come back together.
 */
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  random?: () => number;
}

export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const bound = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  return Math.floor((options.random ?? Math.random)() * bound);
}

/** Seconds since the epoch at which a JWT expires, read without verifying it. */
export function tokenExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof json.exp === 'number' ? json.exp : undefined;
  } catch {
    return undefined;
  }
}
