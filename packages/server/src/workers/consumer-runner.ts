import { newId, type Clock } from '../adapters.js';
import { eventLog } from '../events/log.js';
import type { Store } from '../store/db.js';
import type { Db } from '../store/executor.js';
import { backoffDelay, type Backoff } from './backoff.js';
import { coalescing } from './coalesce.js';
import { cursorRepository, type Lease } from './cursor-repository.js';
import type { ConsumerDefinition } from './definitions.js';
import { enqueue, type EnqueueInput } from './job-repository.js';
import type { WorkerLog } from './log.js';
import type { WorkerMetrics } from './metrics.js';

export interface ConsumerRunnerDeps {
  store: Store;
  clock: Clock;
  nodeId: string;
  leaseMs: number;
  /** How long a failing consumer waits before trying the same batch again. */
  retry: Backoff;
  random: () => number;
  log: WorkerLog;
  metrics: WorkerMetrics;
  /** After a batch whose handler enqueued jobs committed (the runtime wakes the job runners). */
  afterCommit?: () => void;
}

/** The lease moved to another process in the middle of a batch: roll the batch back. */
class LeaseLost extends Error {}

const DEFAULT_BATCH = 100;

/**
 * Runs one consumer for every tenant it is asked about. A pass for a tenant takes (or
 * renews) the lease, then reads batches after the stored cursor until the log is drained;
 * each batch, the handler's writes and the cursor move are one transaction.
 *
 * Reading `seq > cursor` skips nothing: appends of a tenant are serialized on its log_heads
 * row (events/log.ts), so seq order is commit order, and once seq n is visible every
 * smaller seq already is.
 */
export class ConsumerRunner {
  private readonly leases = new Map<string, Lease>();
  private readonly failing = new Map<string, { failures: number; until: number }>();
  private readonly coalesced: (tenantId: string) => Promise<void>;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    readonly definition: ConsumerDefinition,
    private readonly deps: ConsumerRunnerDeps,
  ) {
    this.coalesced = coalescing((tenantId) => this.runPass(tenantId));
  }

  /** Runs a pass for a tenant (or joins the next one if a pass is running); never rejects. */
  pass(tenantId: string): Promise<void> {
    const pass = this.coalesced(tenantId);
    this.inFlight.add(pass);
    void pass.finally(() => this.inFlight.delete(pass));
    return pass;
  }

  /** Whether this runner holds the lease for a tenant (as far as it knows). */
  holds(tenantId: string): boolean {
    const lease = this.leases.get(tenantId);
    return lease !== undefined && lease.expiresAt > this.deps.clock.now();
  }

  private async runPass(tenantId: string): Promise<void> {
    if (this.stopped) return;
    const { clock, log, metrics } = this.deps;
    const name = this.definition.name;
    const failing = this.failing.get(tenantId);
    if (failing && failing.until > clock.now()) return;
    try {
      const lease = await this.lease(tenantId);
      if (!lease) return;
      const batchSize = this.definition.batchSize ?? DEFAULT_BATCH;
      // The first batch rides in the requests' next group commit (no COMMIT of its own while
      // they write); a backlog is then read without waiting.
      for (let first = true; !this.stopped; first = false) {
        const { read, more, enqueued } = await this.deps.store.write((trx) => this.batch(trx, tenantId, lease, batchSize), { patient: first });
        metrics.consumerEvents.inc({ consumer: name }, read);
        if (enqueued) this.deps.afterCommit?.();
        if (!more) break;
      }
      this.failing.delete(tenantId);
    } catch (error) {
      if (error instanceof LeaseLost) {
        this.leases.delete(tenantId);
        log.warn({ consumer: name, tenantId }, 'consumer lost its lease; another process took over');
        return;
      }
      const failures = (failing?.failures ?? 0) + 1;
      const wait = backoffDelay(failures, this.deps.retry, this.deps.random);
      this.failing.set(tenantId, { failures, until: clock.now() + wait });
      metrics.consumerFailures.inc({ consumer: name });
      log.error({ err: error, consumer: name, tenantId, failures, retryInMs: wait }, 'consumer batch failed; cursor not moved');
    }
  }

  /** The lease, renewed when half of it has run out; null while another process holds it. */
  private async lease(tenantId: string): Promise<Lease | null> {
    const { store, clock, nodeId, leaseMs } = this.deps;
    const now = clock.now();
    const held = this.leases.get(tenantId);
    if (held && held.expiresAt - now > leaseMs / 2) return held;
    const token = held?.token ?? newId();
    const name = this.definition.name;
    const acquired = await store.write(async (trx) => {
      const start = this.definition.startAt === 'head' ? await eventLog.head(trx, tenantId) : 0;
      await cursorRepository.ensure(trx, name, tenantId, start, now);
      return cursorRepository.acquire(trx, name, tenantId, nodeId, token, now, leaseMs);
    });
    if (!acquired) {
      this.leases.delete(tenantId);
      return null;
    }
    const lease = { token, expiresAt: now + leaseMs };
    this.leases.set(tenantId, lease);
    return lease;
  }

  /**
   * One batch in one transaction: how many events the cursor moved past, whether more may
   * be waiting, and whether jobs were enqueued.
   */
  private async batch(trx: Db, tenantId: string, lease: Lease, batchSize: number): Promise<{ read: number; more: boolean; enqueued: boolean }> {
    const { store, clock, leaseMs } = this.deps;
    const { name, eventTypes, handler } = this.definition;
    const cursor = await cursorRepository.heldPosition(trx, store.dialect, name, tenantId, lease.token);
    if (cursor === null) throw new LeaseLost();
    const events = await eventLog.readAfter(trx, tenantId, cursor, batchSize);
    if (events.length === 0) return { read: 0, more: false, enqueued: false };
    const applicable = eventTypes ? events.filter(({ event }) => eventTypes.includes(event.type)) : events;
    let enqueued = false;
    const context = {
      tenantId,
      enqueue: <P>(jobTrx: Db, input: EnqueueInput<P>) => {
        enqueued = true;
        return enqueue(jobTrx, input);
      },
    };
    const result = applicable.length > 0 ? await handler(trx, applicable, context) : undefined;
    // A handler that stopped early: the cursor stops just before the first event it left.
    const handled = result ? Math.max(1, result.handled) : applicable.length;
    const through = handled < applicable.length ? applicable[handled]!.event.seq - 1 : events.at(-1)!.event.seq;
    const now = clock.now();
    if (!(await cursorRepository.advance(trx, name, tenantId, lease.token, through, now, leaseMs))) throw new LeaseLost();
    lease.expiresAt = now + leaseMs;
    const read = events.filter(({ event }) => event.seq <= through).length;
    return { read, more: through < events.at(-1)!.event.seq || events.length === batchSize, enqueued };
  }

  /** Lets the passes in flight finish, then gives every lease back. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.inFlight]);
    const { store, clock, log } = this.deps;
    for (const [tenantId, lease] of this.leases) {
      await store
        .write((trx) => cursorRepository.release(trx, this.definition.name, tenantId, lease.token, clock.now()))
        .catch((error: unknown) => log.warn({ err: error, consumer: this.definition.name, tenantId }, 'could not release consumer lease'));
    }
    this.leases.clear();
  }
}
