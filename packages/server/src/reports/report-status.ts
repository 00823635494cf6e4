import type { Db } from '../store/executor.js';
import { PermanentJobError, type JobContext } from '../workers/index.js';
import { reportsRepository, type ReportRow } from './repository.js';

type StatusChange = Parameters<typeof reportsRepository.update>[2];

/**
 * What a report row says after its job's attempt threw: `failed` with the error when no
 * attempt is left (or the error is permanent), else `queued` again with the error shown
 * while the retry waits.
 */
export function afterFailedAttempt(error: unknown, context: Pick<JobContext, 'attempt' | 'maxAttempts'>, now: number): StatusChange {
  const last = error instanceof PermanentJobError || context.attempt >= context.maxAttempts;
  const message = error instanceof Error ? error.message : String(error);
  return last ? { status: 'failed', finished_at: now, error: message } : { status: 'queued', error: message };
}

/**
 * The job went dead without the handler saying so (its worker died on the last attempt and
 * the lease expired): a report still `queued` or `running` must not stay so for ever.
 */
export async function failUnfinished(trx: Db, row: ReportRow | undefined, error: string, now: number): Promise<void> {
  if (row && (row.status === 'queued' || row.status === 'running')) await reportsRepository.update(trx, row.id, { status: 'failed', finished_at: now, error });
}
