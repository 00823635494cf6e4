import type { Clock } from '../adapters.js';
import { refreshTokenRepository } from '../auth/refresh-token-repository.js';
import { IDEMPOTENCY_WINDOW_MS, idempotencyRepository } from '../incidents/repository.js';
import type { Db } from '../store/executor.js';

/**
 * Rows that only ever expire: refresh tokens past their lifetime and idempotency keys past
 * their 24 hours. Swept hourly (and once at start) so the tables do not grow forever.
 */
export async function sweepExpired(db: Db, now: number): Promise<void> {
  await refreshTokenRepository.deleteExpired(db, now);
  await idempotencyRepository.removeOlderThan(db, now - IDEMPOTENCY_WINDOW_MS);
}

export function startHousekeeping(db: Db, clock: Clock, onError: (error: unknown) => void): () => void {
  const run = () => void sweepExpired(db, clock.now()).catch(onError);
  run();
  const timer = setInterval(run, 60 * 60 * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
