import type { System } from '../../src/system.js';
import { onDemandRuntime } from '../../src/workers/index.js';

/**
 * Runs the report jobs that are due, and only those (no SLA checks that would move the
 * dataset's incidents), on the system's clock: one runtime that knows only report jobs.
 */
export async function runReportJobs(system: System, rounds = 3): Promise<void> {
  const runtime = onDemandRuntime(system, system.services.reports.jobs);
  try {
    for (let i = 0; i < rounds; i++) await runtime.tick();
  } finally {
    await runtime.stop();
  }
}
