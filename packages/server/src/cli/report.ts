import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { isDomainError } from '@alertautec/core';
import { campusDayStart, nextDay } from '../reports/campus-time.js';
import type { System } from '../system.js';
import { onDemandRuntime } from '../workers/index.js';
import { CliError, EXIT, operator } from './context.js';
import type { Output } from './output.js';

export interface ReportOptions {
  from?: string;
  to?: string;
  out?: string;
  tenant?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `--from`/`--to`: an ISO date-time, or a campus day `YYYY-MM-DD` (`--from` at its start,
 * `--to` at its end, so `--from 2025-03-01 --to 2025-03-31` is all of March, campus time).
 */
function instant(value: string | undefined, edge: 'from' | 'to', timeZone: string): string | undefined {
  if (value === undefined) return undefined;
  if (DAY.test(value)) return new Date(campusDayStart(edge === 'from' ? value : nextDay(value), timeZone)).toISOString();
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new CliError(`--${edge} must be YYYY-MM-DD or an ISO date-time, got "${value}"`, EXIT.usage);
  return new Date(ms).toISOString();
}

/**
 * `report global` / `report department <id>`: creates the report as an admin would through the
 * API, runs its job here (a runtime that knows only report jobs) following its progress, and
 * with --out copies the content (CSV when the file ends in .csv, else JSON) into a file.
 */
export async function createReport(system: System, output: Output, kind: 'global' | 'department', departmentId: string | undefined, options: ReportOptions): Promise<void> {
  const actor = operator(options.tenant);
  const { timeZone } = system.config;
  let created;
  try {
    created = await system.services.reports.create(actor, { kind, departmentId, from: instant(options.from, 'from', timeZone), to: instant(options.to, 'to', timeZone) });
  } catch (error) {
    if (isDomainError(error)) {
      const fields = error.details.errors?.map((field) => `${field.path} ${field.message}`).join('; ');
      throw new CliError(fields ? `${error.message} (${fields})` : error.message, error.kind === 'validation' ? EXIT.usage : EXIT.failed);
    }
    throw error;
  }
  output.line(`Report ${created.id} queued.`);
  const label = `report ${kind}`;
  const runtime = onDemandRuntime(
    system,
    system.services.reports.jobs.filter((job) => job.kind === 'report.generate'),
    { pollMs: 200 },
  );
  runtime.start();
  try {
    for (;;) {
      const run = await system.services.jobs.runById(actor, created.jobId);
      if (run.state === 'running' && run.progress) output.progress(`${label}: running`, run.progress.done, run.progress.total);
      else output.progress(`${label}: ${run.state === 'failed' ? `attempt ${run.attempts} failed (${run.error ?? 'no reason'}), retrying` : run.state}`, 0, null);
      if (run.state === 'dead') throw new CliError(`${label} failed after ${run.attempts} attempt(s): ${run.error ?? 'no reason given'}`);
      if (run.state === 'succeeded') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await runtime.stop();
  }
  const report = await system.services.reports.get(actor, created.id);
  output.line(`${label} written to ${report.key} (and ${report.key.replace(/\.json$/, '.csv')}).`);
  if (options.out) {
    const content = await system.services.reports.content(actor, created.id, options.out.endsWith('.csv') ? 'csv' : 'json');
    await pipeline(content.stream, fs.createWriteStream(options.out));
    output.line(`Saved to ${options.out}.`);
  }
}
