import type { Clock } from '../adapters.js';
import { refreshTokenRepository } from '../auth/refresh-token-repository.js';
import type { Db } from '../store/executor.js';

/**
 * Rows that only ever expire: refresh tokens past their lifetime and idempotency keys past
 * their 24 hours. Swept hourly (and once at start) so the tables do not grow forever.
 */
const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export async function sweepExpired(db: Db, now: number): Promise<void> {
  await refreshTokenRepository.deleteExpired(db, now);
  await db.deleteFrom('idempotency_keys').where('created_at', '<', now - IDEMPOTENCY_WINDOW_MS).execute();
}

export function startHousekeeping(db: Db, clock: Clock, onError: (error: unknown) => void): () => void {
  const run = () => void sweepExpired(db, clock.now()).catch(onError);
  run();
  const timer = setInterval(run, 60 * 60 * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
