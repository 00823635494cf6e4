import { assertCan, conflict, notFound, type Actor } from '@alertautec/core';
import type { JobRunsQuery } from '@alertautec/core/schemas';
import type { Clock } from '../adapters.js';
import { newId } from '../adapters.js';
import type { Db } from '../store/executor.js';
import { decodeCursor, isString, pageOf } from '../store/pagination.js';
import { jobRepository, type JobDefinition, type WorkerRuntime } from '../workers/index.js';
import { presentJob, presentJobRun } from './presenter.js';

export interface JobsDeps {
  db: Db;
  clock: Clock;
  /** The runtime's declarations; this process need not run workers to show or enqueue jobs. */
  runtime: Pick<WorkerRuntime, 'definitions' | 'scheduler' | 'timeZone' | 'enqueue'>;
}

export type JobsService = ReturnType<typeof createJobsService>;

/** Scheduled jobs run on demand unless they say otherwise; others only when they say so. */
export const runsOnDemand = (job: Pick<JobDefinition<never>, 'cron' | 'onDemand'>): boolean => job.onDemand ?? job.cron !== undefined;

/** What admins see of the background work: schedules, runs, and runs on demand. */
export function createJobsService({ db, clock, runtime }: JobsDeps) {
  const definition = (name: string): JobDefinition<never> => {
    const found = runtime.definitions.find((job) => job.kind === name);
    if (!found) throw notFound('Job');
    return found;
  };

  return {
    async list(actor: Actor) {
      assertCan(actor, 'jobs:manage');
      const schedules = new Map(runtime.scheduler.schedules.map((schedule) => [schedule.name, schedule]));
      const items = await Promise.all(
        runtime.definitions.map(async (job) => {
          const schedule = schedules.get(job.kind);
          return presentJob({
            name: job.kind,
            onDemand: runsOnDemand(job),
            schedule: schedule?.cron ?? null,
            timeZone: runtime.timeZone,
            nextRunAt: schedule ? runtime.scheduler.nextRunAt(schedule) : null,
            lastRun: await jobRepository.latest(db, job.kind),
          });
        }),
      );
      return { items };
    },

    async runs(actor: Actor, query: JobRunsQuery) {
      assertCan(actor, 'jobs:manage');
      const limit = query.limit ?? 50;
      const rows = await jobRepository.list(db, actor.tenantId, {
        kind: query.name,
        state: query.state,
        beforeId: decodeCursor(query.cursor, isString),
        limit,
      });
      return pageOf(rows, limit, presentJobRun, (row) => row.id);
    },

    /** Enqueues one run now, as a scheduled run would be (payload `{scheduledAt}`). */
    async run(actor: Actor, name: string) {
      assertCan(actor, 'jobs:manage');
      const job = definition(name);
      if (!runsOnDemand(job)) throw conflict(`The job ${name} runs only for the work it is given; it cannot be run on demand.`, 'job_not_runnable');
      const now = clock.now();
      const enqueued = await runtime.enqueue({ job, payload: { scheduledAt: now } as never, dedupeKey: `${name}@manual:${newId()}`, now });
      return { id: enqueued.id, state: enqueued.state };
    },

    /** One run, for the CLI to follow. */
    async runById(actor: Actor, id: string) {
      assertCan(actor, 'jobs:manage');
      const row = await jobRepository.find(db, id);
      if (!row || (row.tenant_id !== null && row.tenant_id !== actor.tenantId)) throw notFound('Job run');
      return presentJobRun(row);
    },
  };
}
