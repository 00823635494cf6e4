import { after, before } from 'node:test';
import type { NewEvent } from '@alertautec/core';
import { Registry } from 'prom-client';
import { newId } from '../../src/adapters.js';
import { appendEvent } from '../../src/events/log.js';
import { createLocalNotices, type Notices } from '../../src/events/signal.js';
import type { DialectName, Store } from '../../src/store/db.js';
import { createTenant } from '../../src/tenants/bootstrap.js';
import { createWorkerRuntime, type WorkerRuntime, type WorkerRuntimeOptions } from '../../src/workers/index.js';
import type { WorkerLog } from '../../src/workers/log.js';
import type { Timers } from '../../src/workers/timers.js';
import { createTestDatabase, openTestStore, type TestDatabase } from '../helpers/databases.js';

/**
 * The suite's hooks: a fresh test database with two connections to it, as two processes
 * would have, handed to `use` before the tests and closed (the database dropped) after them.
 */
export function twoConnections(dialect: DialectName, use: (stores: [Store, Store]) => void): void {
  let database: TestDatabase | undefined;
  const opened: Store[] = [];
  before(async () => {
    database = await createTestDatabase(dialect);
    opened.push(await openTestStore(database));
    opened.push(await openTestStore(database));
    use([opened[0]!, opened[1]!]);
  });
  after(async () => {
    for (const store of opened.reverse()) await store.close();
    await database?.drop();
  });
}

/** A clock that moves only when told to. */
export function manualClock(start = Date.parse('2025-03-10T15:30:00Z')) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => void (now += ms),
    set: (ms: number) => void (now = ms),
  };
}
export type ManualClock = ReturnType<typeof manualClock>;

/** Timers that never fire: the runtime moves only when a test calls tick(). */
export const frozenTimers: Timers = { setTimeout: () => undefined, clearTimeout: () => undefined };

export const silentLog: WorkerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export const LEASE_MS = 30_000;

export interface TestRuntime {
  runtime: WorkerRuntime;
  registry: Registry;
  notices: Notices;
}

export function testRuntime(store: Store, clock: ManualClock, options: Partial<WorkerRuntimeOptions> = {}): TestRuntime {
  const registry = new Registry();
  const notices = options.notices ?? createLocalNotices();
  const runtime = createWorkerRuntime({
    store,
    clock,
    notices,
    registry,
    log: silentLog,
    leaseMs: LEASE_MS,
    timers: frozenTimers,
    random: () => 0.5,
    ...options,
  });
  return { runtime, registry, notices };
}

export async function newTenant(store: Store, clock: ManualClock): Promise<string> {
  const tenantId = `t-${newId().slice(-10)}`;
  await createTenant(store.db, clock, tenantId, 'Campus de prueba');
  return tenantId;
}

/** Appends `count` events through the log's own append path, one transaction each; returns their seqs. */
export async function appendEvents(store: Store, tenantId: string, count: number, at: number, type: 'CommentAdded' | 'DepartmentAssigned' = 'CommentAdded') {
  const seqs: number[] = [];
  for (let i = 0; i < count; i++) {
    const event: NewEvent =
      type === 'CommentAdded'
        ? { type, incidentId: 'incident-1', actorId: 'staff-1', internal: false, payload: { commentId: newId(), text: `nota ${i}`, internal: false, authorId: 'staff-1' } }
        : { type, incidentId: 'incident-1', actorId: 'staff-1', internal: false, payload: { departmentId: `d-${i}`, previousDepartmentId: null } };
    seqs.push(await store.write((trx) => appendEvent(trx, tenantId, event, at)));
  }
  return seqs;
}

export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The gauge's value for one consumer and tenant, as Prometheus would scrape it. */
export async function lagOf(registry: Registry, consumer: string, tenantId: string): Promise<number | undefined> {
  const metric = await registry.getSingleMetric('alertautec_consumer_lag_events')?.get();
  return metric?.values.find((value) => value.labels.consumer === consumer && value.labels.tenant === tenantId)?.value;
}
