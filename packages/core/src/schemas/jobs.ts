import { Type, type Static } from 'typebox';
import { Nullable, PAGING, Timestamp, page } from './common.js';

/** Background jobs as admins see them (CONTRACT §3 Reports and jobs). */
export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'dead'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JobName = Type.String({ minLength: 2, maxLength: 64, pattern: '^[a-z][a-z0-9_.-]{1,63}$' });

export const JobRun = Type.Object({
  id: Type.String(),
  name: JobName,
  state: Type.Enum(JOB_STATES),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  runAt: Timestamp,
  startedAt: Nullable(Timestamp),
  finishedAt: Nullable(Timestamp),
  error: Nullable(Type.String()),
  progress: Nullable(Type.Object({ done: Type.Integer(), total: Nullable(Type.Integer()) }, { description: 'What the running job reported of its work.' })),
});
export type JobRun = Static<typeof JobRun>;

export const Job = Type.Object({
  name: JobName,
  onDemand: Type.Boolean({ description: 'Whether POST /api/jobs/{name}/run may start it.' }),
  schedule: Nullable(Type.String({ description: 'Cron expression in the campus time zone; null when the job runs only on demand.' })),
  timeZone: Type.String(),
  nextRunAt: Nullable(Timestamp),
  lastRun: Nullable(JobRun),
});
export type Job = Static<typeof Job>;

export const JobList = Type.Object({ items: Type.Array(Job) });
export const JobRunPage = page(JobRun);

export const JobRunsQuery = Type.Object(
  { name: Type.Optional(JobName), state: Type.Optional(Type.Enum(JOB_STATES)), ...PAGING },
  { additionalProperties: false },
);
export type JobRunsQuery = Static<typeof JobRunsQuery>;

export const JobNameParams = Type.Object({ name: JobName }, { additionalProperties: false });

export const JobEnqueued = Type.Object({ id: Type.String(), state: Type.Enum(JOB_STATES) });
