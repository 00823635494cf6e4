import { Registry } from 'prom-client';
import type { JobDefinition } from './definitions.js';
import { createWorkerRuntime, type WorkerRuntime, type WorkerRuntimeOptions } from './runtime.js';

/**
 * A worker runtime of its own over the system's store that runs only `jobs`, and only the
 * runs already enqueued: their schedules are dropped, one job at a time, metrics in a registry
 * nobody scrapes. For the CLI following a run it asked for, and for tests.
 */
export function onDemandRuntime(
  system: Pick<WorkerRuntimeOptions, 'store' | 'clock' | 'notices' | 'log'>,
  jobs: readonly JobDefinition<never>[],
  options: Pick<WorkerRuntimeOptions, 'pollMs'> = {},
): WorkerRuntime {
  return createWorkerRuntime({
    store: system.store,
    clock: system.clock,
    notices: system.notices,
    log: system.log,
    registry: new Registry(),
    jobs: jobs.map((job) => ({ ...job, cron: undefined })),
    concurrency: 1,
    ...options,
  });
}
