import type { IncidentEventType } from '@alertautec/core';
import type { LoggedEvent } from '../events/log.js';
import type { Db } from '../store/executor.js';
import type { Backoff } from './backoff.js';
import type { Enqueued, EnqueueInput } from './job-repository.js';

/**
 * What the worker runtime runs, declared in code: log consumers (durable readers of the
 * event log) and job kinds (optionally on a cron schedule). See docs/workers.md.
 */

export interface ConsumerContext {
  tenantId: string;
  /**
   * Enqueues a job in the batch's transaction (as `enqueue(trx, …)`) and has it announced to
   * the job runners once the batch commits; batches that enqueue nothing wake no one.
   */
  enqueue<P>(trx: Db, input: EnqueueInput<P>): Promise<Enqueued>;
}

export interface ConsumerBatchResult {
  /** How many of the events given (a prefix) were handled; the others are given again. */
  handled: number;
}

export interface ConsumerDefinition {
  /** Stable name: the cursor rows are keyed by it, so renaming one starts a new cursor. */
  name: string;
  /** Only these event types reach the handler; the cursor still moves past the others. */
  eventTypes?: readonly IncidentEventType[];
  /** Events read per transaction (default 100). */
  batchSize?: number;
  /**
   * Where a tenant's cursor starts the first time: `beginning` (default) reads the whole log,
   * `head` only what is appended after the consumer first runs for that tenant (for
   * consumers added to a running system that must not act on history).
   */
  startAt?: 'beginning' | 'head';
  /**
   * Handles a batch inside the transaction that advances the cursor: whatever it writes
   * through `trx` commits with the cursor or not at all. It must use only `trx`, keep to
   * database work (side effects belong in jobs, enqueued through `trx`) and be safe to see a
   * batch again (delivery is at-least-once when a commit's answer is lost).
   *
   * A handler that has done enough for one transaction (an event fanned out to many rows)
   * may stop early: it returns how many of `events` it handled (at least 1), the cursor
   * moves past those only, and the rest come in the next batch.
   */
  handler(trx: Db, events: LoggedEvent[], context: ConsumerContext): Promise<void | ConsumerBatchResult>;
}

export interface JobContext {
  id: string;
  kind: string;
  tenantId: string | null;
  /** 1 for the first run, +1 for each retry. */
  attempt: number;
  maxAttempts: number;
  /** Aborted when the job times out, loses its lease or the runtime stops without waiting. */
  signal: AbortSignal;
  /** Extends the lease now (the runner also does it on its own); false when it was lost. */
  heartbeat(): Promise<boolean>;
  /** Records how far the job is (shown by the API and the CLI); written at most a few times a second. */
  progress(done: number, total?: number | null): Promise<void>;
}

export interface JobDefinition<P = unknown> {
  /** Stable name (`^[a-z][a-z0-9_.-]{1,63}$`); also the schedule's name. */
  kind: string;
  /** Runs before the job is `dead` (default 5). */
  maxAttempts?: number;
  /** Delay before retry n: exponential from `baseMs`, capped at `maxMs`, with jitter. */
  backoff?: Backoff;
  /** Longest one attempt may take (default 5 minutes); then it is aborted and counts as failed. */
  timeoutMs?: number;
  /**
   * A cron expression (campus time zone) on which the runtime enqueues one job of this kind
   * per run time, with payload `{ scheduledAt }` (epoch ms). Overridable per runtime.
   */
  cron?: string;
  /**
   * Whether admins may run it now (API, CLI) with the scheduled payload `{ scheduledAt }`:
   * true by default for scheduled jobs; jobs that need a payload of their own (one delivery,
   * one incident's check) leave it off.
   */
  onDemand?: boolean;
  /** Must be safe to repeat: delivery is at-least-once. Throw PermanentJobError to give up at once. */
  handler(payload: P, context: JobContext): Promise<void>;
  /**
   * Called in the transaction that makes a job `dead` (its last attempt failed, a permanent
   * error, or its worker died on the last attempt and the lease expired), so the state the
   * job was keeping (a report's `running`) can be closed with the job. Database work through
   * `trx` only; if it throws, the job is not buried and the next round tries again.
   */
  onDead?(trx: Db, payload: P, error: string): Promise<void>;
}

/** The payload of a job the scheduler enqueued. */
export interface ScheduledPayload {
  scheduledAt: number;
}

/** A failure no retry can fix (bad payload, missing row): the job goes straight to `dead`. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

const KIND = /^[a-z][a-z0-9_.-]{1,63}$/;

export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  if (!KIND.test(definition.kind)) throw new Error(`Invalid job kind "${definition.kind}"`);
  if (definition.maxAttempts !== undefined && !(Number.isInteger(definition.maxAttempts) && definition.maxAttempts >= 1)) {
    throw new Error(`Job ${definition.kind}: maxAttempts must be a positive integer`);
  }
  return definition;
}

export function defineConsumer(definition: ConsumerDefinition): ConsumerDefinition {
  if (!KIND.test(definition.name)) throw new Error(`Invalid consumer name "${definition.name}"`);
  return definition;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_JOB_TIMEOUT_MS = 5 * 60_000;
