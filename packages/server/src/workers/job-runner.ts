import { newId, type Clock } from '../adapters.js';
import type { Store } from '../store/db.js';
import { DEFAULT_BACKOFF, backoffDelay } from './backoff.js';
import { coalescing } from './coalesce.js';
import { DEFAULT_JOB_TIMEOUT_MS, PermanentJobError, type JobContext, type JobDefinition } from './definitions.js';
import { BURIED_ERROR, jobRepository, type JobRow } from './job-repository.js';
import type { WorkerLog } from './log.js';
import type { WorkerMetrics } from './metrics.js';

export interface JobRunnerDeps {
  store: Store;
  clock: Clock;
  nodeId: string;
  definitions: readonly JobDefinition<never>[];
  leaseMs: number;
  /** Jobs this runner runs at once. */
  concurrency: number;
  random: () => number;
  log: WorkerLog;
  metrics: WorkerMetrics;
}

interface Running {
  job: JobRow;
  token: string;
  definition: JobDefinition<never>;
  startedAt: number;
  leaseExpiresAt: number;
  controller: AbortController;
  done: Promise<void>;
  /** When progress was last written (writes are spaced by PROGRESS_EVERY_MS). */
  progressAt: number;
}

const PROGRESS_EVERY_MS = 250;

class JobTimeout extends Error {
  override name = 'JobTimeout';
}

/** Why a job's signal was aborted, so the runner can tell a timeout from a lost lease. */
class LeaseGone extends Error {
  override name = 'LeaseGone';
}

/**
 * Claims due jobs of the kinds it knows and runs them, up to `concurrency` at a time. All
 * upkeep happens in tick(): heartbeats for running jobs, timeouts, burying jobs whose worker
 * died on their last attempt, and claiming. The runtime calls tick() on a timer and when
 * woken; tests call it directly with a held clock.
 */
export class JobRunner {
  private readonly byKind: Map<string, JobDefinition<never>>;
  private readonly running = new Map<string, Running>();
  private stopped = false;
  /** Called after a job finishes, so the runtime can look for more work at once. */
  onFinished: () => void = () => undefined;

  constructor(private readonly deps: JobRunnerDeps) {
    this.byKind = new Map(deps.definitions.map((definition) => [definition.kind, definition]));
  }

  get inFlight(): number {
    return this.running.size;
  }

  /**
   * One round of claiming, with upkeep unless told otherwise; returns how many jobs it
   * started. Rounds run one at a time: calls during a round share the next one (with
   * upkeep if any of them asked for it). Wake-ups (a job finished, a job was enqueued) only
   * claim: upkeep is for the poll, so a finished job does not cost an extra write.
   */
  async tick(upkeep = true): Promise<number> {
    this.upkeepDue ||= upkeep;
    await this.serialTick('jobs');
    return this.lastStarted;
  }

  private readonly serialTick = coalescing(async () => {
    try {
      this.lastStarted = await this.tickOnce();
    } catch (error) {
      this.lastStarted = 0;
      this.deps.log.error({ err: error }, 'job runner round failed');
    }
  });
  private lastStarted = 0;
  private upkeepDue = false;

  private async tickOnce(): Promise<number> {
    if (this.stopped) return 0;
    const { store, clock, nodeId, leaseMs, log } = this.deps;
    const kinds = [...this.byKind.keys()];
    if (this.upkeepDue) {
      this.upkeepDue = false;
      await this.heartbeat();
      // Upkeep can wait for the next group commit (a patient write: store/group-commit.ts).
      const buried = await store.write(async (trx) => {
        const jobs = await jobRepository.buryExpired(trx, kinds, clock.now());
        for (const job of jobs) await this.byKind.get(job.kind)?.onDead?.(trx, JSON.parse(job.payload) as never, BURIED_ERROR);
        return jobs.length;
      }, { patient: true });
      if (buried > 0) log.warn({ count: buried }, 'jobs whose worker stopped on their last attempt are dead');
    }
    let started = 0;
    while (!this.stopped && this.running.size < this.deps.concurrency) {
      const token = newId();
      const now = clock.now();
      const job = await store.write((trx) => jobRepository.claim(trx, store.dialect, { kinds, owner: nodeId, token, now, leaseMs }));
      if (!job) break;
      this.start(job, token, now);
      started += 1;
    }
    return started;
  }

  /** Resolves when no job of this runner is running. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()].map((running) => running.done));
  }

  /** Ticks and waits until nothing due is left: for tests and one-shot runs. */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const started = await this.tick();
      await this.idle();
      if (started === 0) return total;
      total += started;
    }
  }

  private start(job: JobRow, token: string, now: number): void {
    const definition = this.byKind.get(job.kind)!;
    const controller = new AbortController();
    const entry: Running = { job, token, definition, startedAt: now, leaseExpiresAt: now + this.deps.leaseMs, controller, done: Promise.resolve(), progressAt: 0 };
    entry.done = this.run(entry).finally(() => {
      this.running.delete(job.id);
      this.onFinished();
    });
    this.running.set(job.id, entry);
  }

  private async run(entry: Running): Promise<void> {
    const { job, token, definition, controller } = entry;
    const { store, clock, log, metrics } = this.deps;
    const context: JobContext = {
      id: job.id,
      kind: job.kind,
      tenantId: job.tenant_id,
      attempt: job.attempts,
      maxAttempts: job.max_attempts,
      signal: controller.signal,
      heartbeat: () => this.extend(entry),
      progress: async (done, total = null) => {
        const now = clock.now();
        if (now - entry.progressAt < PROGRESS_EVERY_MS && (total === null || done < total)) return;
        entry.progressAt = now;
        await store.write((trx) => jobRepository.progress(trx, job.id, token, done, total, now)).catch((error: unknown) => {
          log.warn({ err: error, jobId: job.id }, 'could not record job progress');
        });
      },
    };
    // A handler that ignores its signal is abandoned at the abort: its late result is not used.
    const aborted = new Promise<never>((_resolve, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true });
    });
    let outcome: 'succeeded' | 'retry' | 'dead' | 'lease_lost';
    try {
      await Promise.race([definition.handler(JSON.parse(job.payload) as never, context), aborted]);
      outcome = (await store.write((trx) => jobRepository.succeed(trx, job.id, token, clock.now()))) ? 'succeeded' : 'lease_lost';
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const permanent = error instanceof PermanentJobError;
      const now = clock.now();
      const retryAt =
        permanent || job.attempts >= job.max_attempts ? null : now + backoffDelay(job.attempts, definition.backoff ?? DEFAULT_BACKOFF, this.deps.random);
      const recorded = await store
        .write(async (trx) => {
          const failed = await jobRepository.fail(trx, job.id, token, message.slice(0, 2000), retryAt, now);
          if (failed && retryAt === null) await definition.onDead?.(trx, JSON.parse(job.payload) as never, message.slice(0, 2000));
          return failed;
        })
        .catch((writeError: unknown) => {
          log.error({ err: writeError, jobId: job.id }, 'could not record a job failure; its lease will expire and it runs again');
          return false;
        });
      outcome = !recorded ? 'lease_lost' : retryAt === null ? 'dead' : 'retry';
      const level = outcome === 'dead' ? 'error' : 'warn';
      log[level]({ err: error, jobId: job.id, kind: job.kind, attempt: job.attempts, retryAt }, `job attempt failed (${outcome})`);
    }
    if (outcome === 'lease_lost') log.warn({ jobId: job.id, kind: job.kind }, 'job finished after losing its lease; its result was not recorded');
    metrics.jobsFinished.inc({ kind: job.kind, outcome });
  }

  /** Renews leases that are a third spent, and aborts jobs past their timeout. */
  private async heartbeat(): Promise<void> {
    const now = this.deps.clock.now();
    for (const entry of [...this.running.values()]) {
      if (entry.controller.signal.aborted) continue;
      const timeoutMs = entry.definition.timeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
      if (now - entry.startedAt >= timeoutMs) {
        entry.controller.abort(new JobTimeout(`Timed out after ${timeoutMs} ms`));
        continue;
      }
      if (entry.leaseExpiresAt - now <= (this.deps.leaseMs * 2) / 3) await this.extend(entry);
    }
  }

  private async extend(entry: Running): Promise<boolean> {
    const { store, clock, leaseMs, log } = this.deps;
    const now = clock.now();
    try {
      const held = await store.write((trx) => jobRepository.heartbeat(trx, entry.job.id, entry.token, now, leaseMs));
      if (held) entry.leaseExpiresAt = now + leaseMs;
      else entry.controller.abort(new LeaseGone('The job’s lease was taken by another worker'));
      return held;
    } catch (error) {
      log.warn({ err: error, jobId: entry.job.id }, 'job heartbeat failed');
      return false;
    }
  }

  /**
   * Stops claiming and waits for running jobs, up to `drain` (a promise that resolves when
   * waiting is over); jobs still running then are aborted and handed back for another worker.
   */
  async stop(drain: Promise<void>): Promise<void> {
    this.stopped = true;
    await this.serialTick('jobs'); // the round in progress, if any, finishes its claims first
    await Promise.race([this.idle(), drain]);
    const { store, clock, log } = this.deps;
    for (const entry of [...this.running.values()]) {
      // Released first: the aborted attempt's own failure write then finds the token gone.
      await store
        .write((trx) => jobRepository.release(trx, entry.job.id, entry.token, clock.now()))
        .catch((error: unknown) => log.warn({ err: error, jobId: entry.job.id }, 'could not release a job; its lease will expire'));
      entry.controller.abort(new LeaseGone('The worker runtime is stopping'));
    }
    await this.idle();
  }
}
