import { toIso, toIsoOrNull } from '@alertautec/core';
import type { Job, JobRun, JobState } from '@alertautec/core/schemas';
import type { JobRow } from '../workers/index.js';

export const presentJobRun = (row: JobRow): JobRun => ({
  id: row.id,
  name: row.kind,
  state: row.state as JobState,
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
  runAt: toIso(row.run_at),
  startedAt: toIsoOrNull(row.started_at),
  finishedAt: toIsoOrNull(row.finished_at),
  error: row.last_error,
  progress: row.progress_done === null ? null : { done: row.progress_done, total: row.progress_total },
});

export const presentJob = (job: { name: string; onDemand: boolean; schedule: string | null; timeZone: string; nextRunAt: number | null; lastRun: JobRow | undefined }): Job => ({
  name: job.name,
  onDemand: job.onDemand,
  schedule: job.schedule,
  timeZone: job.timeZone,
  nextRunAt: toIsoOrNull(job.nextRunAt),
  lastRun: job.lastRun ? presentJobRun(job.lastRun) : null,
});
