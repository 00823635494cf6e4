import { Registry } from 'prom-client';
import type { System } from '../../src/system.js';
import { createWorkerRuntime } from '../../src/workers/index.js';

/**
 * Runs the report jobs that are due, and only those (no SLA checks that would move the
 * dataset's incidents), on the system's clock: one runtime that knows only report jobs.
 */
export async function runReportJobs(system: System, rounds = 3): Promise<void> {
  const runtime = createWorkerRuntime({
    store: system.store,
    clock: system.clock,
    notices: system.notices,
    log: system.log,
    registry: new Registry(),
    jobs: system.services.reports.jobs.map((job) => ({ ...job, cron: undefined })),
    concurrency: 1,
  });
  try {
    for (let i = 0; i < rounds; i++) await runtime.tick();
  } finally {
    await runtime.stop();
  }
}
