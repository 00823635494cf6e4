import type { Clock } from '../adapters.js';
import { THROTTLE_FORGET_AFTER_MS } from '../auth/login-throttle.js';
import { loginThrottleRepository } from '../auth/login-throttle-repository.js';
import { endedSessionRepository } from '../auth/ended-session-repository.js';
import { refreshTokenRepository } from '../auth/refresh-token-repository.js';
import { IDEMPOTENCY_WINDOW_MS, idempotencyRepository } from '../incidents/repository.js';
import { PUBLISHED_MESSAGE_KEEP_MS } from '../realtime/publisher.js';
import { realtimeMessagesRepository } from '../realtime/messages-repository.js';
import { refreshPlannerStatistics, type DialectName } from '../store/db.js';
import type { Db } from '../store/executor.js';
import { defineJob, jobRepository, type ScheduledPayload } from '../workers/index.js';

/** Finished job runs stay visible to admins this long. */
export const JOB_HISTORY_MS = 30 * 86_400_000;

/**
 * Rows that only ever expire: refresh tokens past their lifetime, idempotency keys past
 * their 24 hours, sign-in failures forgotten after a quiet day, published realtime messages
 * after an hour, finished job runs after 30 days. Swept hourly by the `housekeeping` job (and
 * at the first start, which runs the latest due run) so the tables do not grow forever.
 */
export async function sweepExpired(db: Db, now: number): Promise<void> {
  await refreshTokenRepository.deleteExpired(db, now);
  await endedSessionRepository.deleteExpired(db, now);
  await idempotencyRepository.removeOlderThan(db, now - IDEMPOTENCY_WINDOW_MS);
  await loginThrottleRepository.removeStale(db, now - THROTTLE_FORGET_AFTER_MS);
  await realtimeMessagesRepository.removeOlderThan(db, now - PUBLISHED_MESSAGE_KEEP_MS);
  await jobRepository.removeFinishedBefore(db, now - JOB_HISTORY_MS);
}

export const housekeepingJob = (deps: { db: Db; clock: Clock; dialect: DialectName }) =>
  defineJob<ScheduledPayload>({
    kind: 'housekeeping',
    cron: '7 * * * *',
    maxAttempts: 3,
    handler: async () => {
      await sweepExpired(deps.db, deps.clock.now());
      // Statistics drift as incidents grow: keep SQLite's planner informed (see store/db.ts).
      if (deps.dialect === 'sqlite') await refreshPlannerStatistics(deps.db);
    },
  });
