import { randomBytes } from 'node:crypto';
import { ROLES, isDomainError, type Actor, type Role } from '@alertautec/core';
import type { System } from '../system.js';
import { runsOnDemand } from '../jobs/service.js';
import { onDemandRuntime } from '../workers/index.js';
import { CliError, EXIT, operator } from './context.js';
import type { Output } from './output.js';

/** `migrate`: opening the store brings the schema up to date (and waits its turn on a lock). */
export function migrate(system: System, output: Output): void {
  output.line(`Database schema is up to date (${system.store.dialect}).`);
}

export interface UserCreateOptions {
  email: string;
  name: string;
  role: string;
  department?: string;
  password?: string;
  tenant?: string;
}

/** `user create`: as an admin would through the API, with the same checks. */
export async function userCreate(system: System, output: Output, options: UserCreateOptions): Promise<void> {
  if (!(ROLES as readonly string[]).includes(options.role)) throw new CliError(`--role must be one of ${ROLES.join(', ')}`, EXIT.usage);
  const generated = options.password === undefined;
  const password = options.password ?? randomBytes(12).toString('base64url');
  const actor = operator(options.tenant);
  try {
    const departmentId = options.department === undefined ? null : await departmentIdOf(system, actor, options.department);
    const user = await system.services.users.create(actor, {
      email: options.email,
      name: options.name,
      role: options.role as Role,
      password,
      departmentId,
    });
    output.line(`Created ${user.role} ${user.email} (id ${user.id}).`);
    if (generated) output.line(`Password: ${password}  (shown once; ask them to change it)`);
  } catch (error) {
    throw asCliError(error);
  }
}

/** A department named by its id or, more handily at a prompt, by its name (any case). */
async function departmentIdOf(system: System, actor: Actor, given: string): Promise<string> {
  const { items } = await system.services.catalog.listDepartments(actor);
  const wanted = given.trim().toLowerCase();
  const found = items.find((department) => department.id === given || department.name.toLowerCase() === wanted);
  if (!found) throw new CliError(`no department "${given}"; there are: ${items.map((department) => department.name).join(', ')}`, EXIT.usage);
  return found.id;
}

/** `jobs`: every background job with its schedule, next run and last run. */
export async function listJobs(system: System, output: Output): Promise<void> {
  const { items } = await system.services.jobs.list(operator());
  const rows = items.map((job) => [
    job.name,
    job.schedule ?? 'on demand',
    job.nextRunAt ?? '-',
    job.lastRun ? `${job.lastRun.state} ${job.lastRun.finishedAt ?? job.lastRun.startedAt ?? job.lastRun.runAt}` : 'never',
  ]);
  const header = ['JOB', `SCHEDULE (${items[0]?.timeZone ?? ''})`, 'NEXT RUN', 'LAST RUN'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  for (const row of [header, ...rows]) output.line(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

export interface RunOptions {
  wait: boolean;
}

const FINAL = new Set(['succeeded', 'dead']);

/**
 * `run <job>`: enqueues one run and, unless --no-wait, runs it here (a runtime that knows only
 * this job) and follows it to the end. A server's workers may claim it first; either way it
 * runs once, and this command reports how it ended.
 */
export async function runJob(system: System, output: Output, name: string, options: RunOptions): Promise<void> {
  const runnable = system.workers.definitions.filter(runsOnDemand);
  const definition = runnable.find((job) => job.kind === name);
  if (!definition) {
    const known = runnable.map((job) => job.kind).join(', ');
    throw new CliError(`no job "${name}" to run on demand; the jobs are: ${known}`, EXIT.usage);
  }
  let enqueued;
  try {
    enqueued = await system.services.jobs.run(operator(), name);
  } catch (error) {
    throw asCliError(error);
  }
  output.line(`Enqueued ${name} (run ${enqueued.id}).`);
  if (!options.wait) return;

  const runtime = onDemandRuntime(system, [definition], { pollMs: 200 });
  runtime.start();
  try {
    const started = Date.now();
    let last = '';
    for (;;) {
      const run = await system.services.jobs.runById(operator(), enqueued.id);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const state = run.state === 'failed' ? `attempt ${run.attempts} failed (${run.error ?? 'no reason'}); retrying at ${run.runAt}` : run.state;
      if (run.state === 'running' && run.progress) output.progress(`${name}: running`, run.progress.done, run.progress.total);
      else if (state !== last) output.progress(`${name}: ${state}`, 0, null);
      last = state;
      if (FINAL.has(run.state)) {
        if (run.state === 'succeeded') return output.line(`${name} succeeded in ${seconds} s.`);
        throw new CliError(`${name} failed after ${run.attempts} attempt(s): ${run.error ?? 'no reason given'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await runtime.stop();
  }
}

function asCliError(error: unknown): unknown {
  if (!isDomainError(error)) return error;
  const fields = error.details.errors?.map((field) => `${field.path} ${field.message}`).join('; ');
  return new CliError(fields ? `${error.message} (${fields})` : error.message, error.kind === 'validation' ? EXIT.usage : EXIT.failed);
}
