import { Cron } from 'croner';
import { toIso } from '@alertautec/core';
import type { Clock } from '../adapters.js';
import type { Store } from '../store/db.js';
import type { JobDefinition, ScheduledPayload } from './definitions.js';
import { enqueue } from './job-repository.js';
import type { WorkerLog } from './log.js';

/** Per job kind: `off`, or a cron expression that replaces the one declared in code. */
export type ScheduleOverrides = Readonly<Record<string, string>>;

export interface Schedule {
  name: string;
  cron: string;
  definition: JobDefinition<ScheduledPayload>;
  pattern: Cron;
}

/**
 * Turns cron schedules into job rows. Each tick enqueues the latest run time that has come
 * (≤ now) with the dedupe key `name@ISO time`: however many processes tick, the run is one
 * row and runs once; after downtime only the latest missed run is enqueued, never a backlog
 * (runs in between are not owed — a report of "now" covers them).
 */
export class Scheduler {
  readonly schedules: readonly Schedule[];
  /** The run time last enqueued per schedule: spares a write per tick once it is in. */
  private readonly enqueued = new Map<string, number>();

  constructor(
    definitions: readonly JobDefinition<never>[],
    private readonly deps: { store: Store; clock: Clock; timeZone: string; overrides: ScheduleOverrides; log: WorkerLog },
  ) {
    const known = new Set(definitions.map((definition) => definition.kind));
    const unknown = Object.keys(deps.overrides).filter((name) => !known.has(name));
    if (unknown.length > 0) throw new Error(`Schedule overrides name unknown jobs: ${unknown.join(', ')}`);
    this.schedules = definitions.flatMap((definition) => {
      const cron = deps.overrides[definition.kind] ?? definition.cron;
      if (cron === undefined || cron.trim() === 'off') return [];
      let pattern: Cron;
      try {
        pattern = new Cron(cron, { timezone: deps.timeZone, paused: true });
        pattern.nextRun(new Date(deps.clock.now()));
      } catch (error) {
        throw new Error(`Job ${definition.kind}: invalid schedule "${cron}" in time zone ${deps.timeZone}: ${(error as Error).message}`, { cause: error });
      }
      return [{ name: definition.kind, cron, definition: definition as unknown as JobDefinition<ScheduledPayload>, pattern }];
    });
  }

  /** The latest run time at or before `now`, or null if the pattern never ran before. */
  static latestRun(pattern: Cron, now: number): number | null {
    // croner's previousRuns is strict and works in whole seconds: ask from the next second.
    const [latest] = pattern.previousRuns(1, new Date(Math.floor(now / 1000) * 1000 + 1000));
    return latest ? latest.getTime() : null;
  }

  nextRunAt(schedule: Schedule): number | null {
    return schedule.pattern.nextRun(new Date(this.deps.clock.now()))?.getTime() ?? null;
  }

  /** Enqueues each schedule's latest due run unless already done; returns how many it created. */
  async tick(): Promise<number> {
    const { store, clock, log } = this.deps;
    const now = clock.now();
    let created = 0;
    for (const schedule of this.schedules) {
      const runAt = Scheduler.latestRun(schedule.pattern, now);
      if (runAt === null || this.enqueued.get(schedule.name) === runAt) continue;
      const result = await store.write((trx) =>
        enqueue(trx, { job: schedule.definition, payload: { scheduledAt: runAt }, dedupeKey: runKey(schedule.name, runAt), runAt, now }),
      );
      this.enqueued.set(schedule.name, runAt);
      if (result.created) {
        created += 1;
        log.info({ schedule: schedule.name, runAt: toIso(runAt), jobId: result.id }, 'scheduled run enqueued');
      }
    }
    return created;
  }
}

/** The dedupe key of one scheduled run. */
export const runKey = (name: string, runAt: number) => `${name}@${toIso(runAt)}`;
