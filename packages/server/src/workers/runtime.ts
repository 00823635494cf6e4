import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import type { Clock } from '../adapters.js';
import { LOG_CHANNEL, type Notices } from '../events/signal.js';
import type { Store } from '../store/db.js';
import type { Backoff } from './backoff.js';
import { ConsumerRunner } from './consumer-runner.js';
import { cursorRepository, tenantIds } from './cursor-repository.js';
import type { ConsumerDefinition, JobDefinition } from './definitions.js';
import { enqueue, type EnqueueInput, type Enqueued } from './job-repository.js';
import { JobRunner } from './job-runner.js';
import type { WorkerLog } from './log.js';
import { createWorkerMetrics } from './metrics.js';
import { Scheduler, type ScheduleOverrides } from './scheduler.js';
import { delay, systemTimers, type Timers } from './timers.js';

/** How long log wake-ups of one tenant are gathered into one consumer pass. */
export const WAKE_WINDOW_MS = 20;

/** "A job was enqueued": wakes idle job runners (add it to the PostgreSQL notice channels). */
export const JOB_CHANNEL = 'jobs';

export interface WorkerRuntimeOptions {
  store: Store;
  clock: Clock;
  notices: Notices;
  /** Prometheus registry the worker metrics join (ops/metrics.ts). */
  registry: Registry;
  log: WorkerLog;
  /** Names this process in lease rows (default: a random id per runtime). */
  nodeId?: string;
  consumers?: readonly ConsumerDefinition[];
  jobs?: readonly JobDefinition<never>[];
  /** Per job kind: `off` or a replacement cron expression. */
  scheduleOverrides?: ScheduleOverrides;
  /** Campus time zone for cron schedules (default America/Lima). */
  timeZone?: string;
  /** How long a consumer or job lease lasts without renewal (default 30 s). */
  leaseMs?: number;
  /** The safety-net poll under the wake-ups (default 1 s). */
  pollMs?: number;
  /** Jobs run at once by this process (default 4). */
  concurrency?: number;
  /** How long stop() waits for running jobs before handing them back (default 10 s). */
  drainMs?: number;
  /** Wait before a failing consumer tries its batch again (default 1 s doubling to 1 min). */
  consumerRetry?: Backoff;
  random?: () => number;
  timers?: Timers;
}

export interface WorkerRuntime {
  readonly nodeId: string;
  /** Every job kind this runtime knows, scheduled or not. */
  readonly definitions: readonly JobDefinition<never>[];
  readonly timeZone: string;
  readonly scheduler: Scheduler;
  readonly jobs: JobRunner;
  readonly consumers: ReadonlyMap<string, ConsumerRunner>;
  /** Listens for wake-ups and starts the poll loop. */
  start(): void;
  /** One round of everything: consumers for every tenant, schedules, job claiming. */
  tick(): Promise<void>;
  /** Enqueues through the store's write path and wakes the job runners. */
  enqueue<P>(input: EnqueueInput<P>): Promise<Enqueued>;
  /** Stops polling, lets consumer passes finish, drains jobs, and gives every lease back. */
  stop(): Promise<void>;
}

export function createWorkerRuntime(options: WorkerRuntimeOptions): WorkerRuntime {
  const { store, clock, notices, log } = options;
  const nodeId = options.nodeId ?? randomUUID();
  const timeZone = options.timeZone ?? 'America/Lima';
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 1_000;
  const timers = options.timers ?? systemTimers;
  const random = options.random ?? Math.random;
  const consumerDefinitions = options.consumers ?? [];
  const jobDefinitions = options.jobs ?? [];
  assertUnique('consumer', consumerDefinitions.map((consumer) => consumer.name));
  assertUnique('job kind', jobDefinitions.map((job) => job.kind));

  const names = consumerDefinitions.map((consumer) => consumer.name);
  const metrics = createWorkerMetrics(options.registry, () => cursorRepository.lags(store.db, names), (error) =>
    log.warn({ err: error }, 'could not read consumer lag'),
  );
  const consumerRetry = options.consumerRetry ?? { baseMs: 1_000, maxMs: 60_000 };
  const consumers = new Map(
    consumerDefinitions.map((definition) => [
      definition.name,
      // Jobs a handler enqueued in its transaction are announced once it commits, on every node.
      new ConsumerRunner(definition, { store, clock, nodeId, leaseMs, retry: consumerRetry, random, log, metrics, afterCommit: () => notices.notify(JOB_CHANNEL, definition.name) }),
    ]),
  );
  const jobs = new JobRunner({ store, clock, nodeId, definitions: jobDefinitions, leaseMs, concurrency: options.concurrency ?? 4, random, log, metrics });
  const scheduler = new Scheduler(jobDefinitions, {
    store,
    clock,
    timeZone,
    overrides: options.scheduleOverrides ?? {},
    log,
  });

  let started = false;
  const wakeups = new Map<string, unknown>();
  let stopped = false;
  let timer: unknown;
  let current: Promise<void> = Promise.resolve();
  const unsubscribers: (() => void)[] = [];

  const report = (what: string) => (error: unknown) => log.error({ err: error }, `worker ${what} failed`);

  async function tick(): Promise<void> {
    const tenants = await tenantIds(store.db);
    await Promise.all([...consumers.values()].flatMap((runner) => tenants.map((tenantId) => runner.pass(tenantId))));
    await scheduler.tick().catch(report('scheduler'));
    await jobs.tick().catch(report('job runner'));
  }

  // One loop: each round starts `pollMs` after the previous one ended, so rounds never pile up.
  function loop(): void {
    if (stopped) return;
    current = tick()
      .catch(report('poll'))
      .finally(() => {
        if (!stopped) timer = timers.setTimeout(loop, pollMs);
      });
  }

  const wakeJobs = () => {
    if (started && !stopped) void jobs.tick(false).catch(report('job runner'));
  };

  return {
    nodeId,
    definitions: jobDefinitions,
    timeZone,
    scheduler,
    jobs,
    consumers,
    start() {
      if (started) return;
      started = true;
      unsubscribers.push(
        notices.on(LOG_CHANNEL, (tenantId) => {
          // A busy log signals every commit; the wake-ups of a short window make one pass,
          // so consumers cost the writer a batch per window, not a transaction per commit.
          if (stopped || consumers.size === 0 || wakeups.has(tenantId)) return;
          wakeups.set(
            tenantId,
            timers.setTimeout(() => {
              wakeups.delete(tenantId);
              if (!stopped) for (const runner of consumers.values()) void runner.pass(tenantId);
            }, WAKE_WINDOW_MS, true),
          );
        }),
        notices.on(JOB_CHANNEL, wakeJobs),
      );
      jobs.onFinished = wakeJobs;
      loop();
    },
    tick,
    async enqueue(input) {
      const result = await store.write((trx) => enqueue(trx, input));
      if (result.created) notices.notify(JOB_CHANNEL, input.job.kind);
      return result;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      timers.clearTimeout(timer);
      for (const wakeup of wakeups.values()) timers.clearTimeout(wakeup);
      for (const unsubscribe of unsubscribers) unsubscribe();
      await current;
      await Promise.all([...consumers.values()].map((runner) => runner.stop()));
      const drain = delay(timers, options.drainMs ?? 10_000);
      await jobs.stop(drain.elapsed).finally(drain.cancel);
    },
  };
}

function assertUnique(what: string, names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new Error(`Two workers declare the ${what} "${name}"`);
    seen.add(name);
  }
}

