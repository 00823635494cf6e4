import assert from 'node:assert/strict';
import { it } from 'node:test';
import { LOG_CHANNEL } from '../../src/events/signal.js';
import type { Store } from '../../src/store/db.js';
import { systemTimers } from '../../src/workers/timers.js';
import { cursorRepository } from '../../src/workers/cursor-repository.js';
import { defineConsumer, defineJob, enqueue, jobRepository } from '../../src/workers/index.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { LEASE_MS, appendEvents, deferred, lagOf, manualClock, newTenant, range, testRuntime, twoConnections } from './helpers.js';

/**
 * Durable log consumers: a cursor per tenant in the database, moved in the same transaction
 * as the handler's writes, and a lease so one process at a time runs a consumer per tenant.
 */
await describeEachDatabase('workers: log consumers', (dialect) => {
  let store: Store;
  let second: Store;
  twoConnections(dialect, (stores) => ([store, second] = stores));

  it('a consumer that dies mid-stream is resumed from its stored cursor by another process: every event seen, none skipped', async () => {
    const clock = manualClock();
    const tenantId = await newTenant(store, clock);
    const seqs = await appendEvents(store, tenantId, 10, clock.now());
    assert.deepEqual(seqs, range(1, 10));

    const committedByFirst: number[] = [];
    let batches = 0;
    const first = testRuntime(store, clock, {
      consumers: [
        defineConsumer({
          name: 'recorder',
          batchSize: 3,
          handler: async (_trx, events, context) => {
            if (context.tenantId !== tenantId) return; // other tests' tenants share this database
            batches += 1;
            // The process "dies" in the middle of its third batch: that batch never commits.
            if (batches === 3) throw new Error('process killed');
            committedByFirst.push(...events.map(({ event }) => event.seq));
          },
        }),
      ],
    });
    await first.runtime.tick();
    assert.deepEqual(committedByFirst, range(1, 6));
    assert.equal((await cursorRepository.find(store.db, 'recorder', tenantId))?.seq, 6);
    assert.equal(await lagOf(first.registry, 'recorder', tenantId), 4);
    // The first runtime is abandoned without stop(): its lease stays until it expires.

    const seenBySecond: number[] = [];
    const takeover = testRuntime(second, clock, {
      consumers: [defineConsumer({ name: 'recorder', batchSize: 3, handler: async (_trx, events, context) => void (context.tenantId === tenantId && seenBySecond.push(...events.map(({ event }) => event.seq))) })],
    });
    await takeover.runtime.tick();
    assert.deepEqual(seenBySecond, [], 'the dead process still holds the lease');

    clock.advance(LEASE_MS + 1);
    await appendEvents(store, tenantId, 2, clock.now());
    await takeover.runtime.tick();
    assert.deepEqual(seenBySecond, range(7, 12), 'resumes right after the stored cursor');
    assert.deepEqual([...committedByFirst, ...seenBySecond], range(1, 12));
    assert.equal((await cursorRepository.find(store.db, 'recorder', tenantId))?.seq, 12);
    assert.equal(await lagOf(takeover.registry, 'recorder', tenantId), 0);
    await takeover.runtime.stop();
  });

  it('a handler that throws moves no cursor and its writes roll back with it; it is retried after a backoff', async () => {
    const clock = manualClock();
    const tenantId = await newTenant(store, clock);
    await appendEvents(store, tenantId, 3, clock.now());
    const notify = defineJob<{ seq: number }>({ kind: 'notify-test', handler: async () => undefined });
    let broken = true;
    let calls = 0;
    const { runtime } = testRuntime(store, clock, {
      consumerRetry: { baseMs: 1_000, maxMs: 60_000 },
      consumers: [
        defineConsumer({
          name: 'enqueuer',
          handler: async (trx, events, context) => {
            if (context.tenantId !== tenantId) return;
            calls += 1;
            // The real pattern: a consumer turns events into jobs in its own transaction.
            for (const { event } of events) await enqueue(trx, { job: notify, payload: { seq: event.seq }, dedupeKey: `seq-${event.seq}`, now: clock.now() });
            if (broken) throw new Error('rule table unreadable');
          },
        }),
      ],
    });

    await runtime.tick();
    assert.equal(calls, 1);
    assert.equal((await cursorRepository.find(store.db, 'enqueuer', tenantId))?.seq, 0, 'the cursor did not move');
    assert.deepEqual(await jobRepository.byKind(store.db, 'notify-test'), [], 'the jobs it wrote rolled back');

    broken = false;
    await runtime.tick();
    assert.equal(calls, 1, 'not retried before its backoff ran out');

    clock.advance(1_000);
    await runtime.tick();
    assert.equal(calls, 2);
    assert.equal((await cursorRepository.find(store.db, 'enqueuer', tenantId))?.seq, 3);
    const jobs = await jobRepository.byKind(store.db, 'notify-test');
    assert.deepEqual(jobs.map((job) => JSON.parse(job.payload)).sort((a, b) => a.seq - b.seq), [{ seq: 1 }, { seq: 2 }, { seq: 3 }]);
    await runtime.stop();
  });

  it('hands the handler only the applicable event types, and moves the cursor past the others', async () => {
    const clock = manualClock();
    const tenantId = await newTenant(store, clock);
    await appendEvents(store, tenantId, 2, clock.now(), 'CommentAdded');
    await appendEvents(store, tenantId, 2, clock.now(), 'DepartmentAssigned');
    await appendEvents(store, tenantId, 1, clock.now(), 'CommentAdded');
    const seen: [number, string][] = [];
    const { runtime } = testRuntime(store, clock, {
      consumers: [
        defineConsumer({
          name: 'assignments',
          eventTypes: ['DepartmentAssigned'],
          batchSize: 2,
          handler: async (_trx, events, context) => void (context.tenantId === tenantId && seen.push(...events.map(({ event }): [number, string] => [event.seq, event.type]))),
        }),
      ],
    });
    await runtime.tick();
    assert.deepEqual(seen, [
      [3, 'DepartmentAssigned'],
      [4, 'DepartmentAssigned'],
    ]);
    assert.equal((await cursorRepository.find(store.db, 'assignments', tenantId))?.seq, 5);
    await runtime.stop();
  });

  it('a handler that stops early has the rest of its batch given again: every applicable event once, in order, cursor past the skipped types', async () => {
    const clock = manualClock();
    const tenantId = await newTenant(store, clock);
    await appendEvents(store, tenantId, 2, clock.now(), 'DepartmentAssigned');
    await appendEvents(store, tenantId, 1, clock.now(), 'CommentAdded');
    await appendEvents(store, tenantId, 3, clock.now(), 'DepartmentAssigned');
    await appendEvents(store, tenantId, 1, clock.now(), 'CommentAdded');
    const batches: number[][] = [];
    const { runtime, registry } = testRuntime(store, clock, {
      consumers: [
        defineConsumer({
          name: 'one-at-a-time',
          eventTypes: ['DepartmentAssigned'],
          handler: async (_trx, events, context) => {
            if (context.tenantId !== tenantId) return;
            batches.push(events.map(({ event }) => event.seq));
            return { handled: 1 };
          },
        }),
      ],
    });
    await runtime.tick();
    assert.deepEqual(batches, [[1, 2, 4, 5, 6], [2, 4, 5, 6], [4, 5, 6], [5, 6], [6]]);
    assert.equal((await cursorRepository.find(store.db, 'one-at-a-time', tenantId))?.seq, 7);
    assert.equal(await lagOf(registry, 'one-at-a-time', tenantId), 0);
    await runtime.stop();
  });

  it('two processes: one lease holder at a time; a process that lost the lease cannot move the cursor; takeover after expiry', async () => {
    const clockA = manualClock();
    const clockB = manualClock();
    const tenantId = await newTenant(store, clockA);
    await appendEvents(store, tenantId, 4, clockA.now());
    const seen = { a: [] as number[], b: [] as number[] };
    const consumer = (who: 'a' | 'b') =>
      defineConsumer({
        name: 'single',
        handler: async (_trx, events, context) => void (context.tenantId === tenantId && seen[who].push(...events.map(({ event }) => event.seq))),
      });
    const a = testRuntime(store, clockA, { nodeId: 'node-a', consumers: [consumer('a')] });
    const b = testRuntime(second, clockB, { nodeId: 'node-b', consumers: [consumer('b')] });

    await Promise.all([a.runtime.tick(), b.runtime.tick()]);
    await appendEvents(store, tenantId, 2, clockA.now());
    await Promise.all([a.runtime.tick(), b.runtime.tick()]);
    const holder = seen.a.length > 0 ? 'a' : 'b';
    assert.deepEqual(seen[holder], range(1, 6), 'the holder saw everything');
    assert.deepEqual(seen[holder === 'a' ? 'b' : 'a'], [], 'the other saw nothing');
    const row = await cursorRepository.find(store.db, 'single', tenantId);
    assert.equal(row?.lease_owner, holder === 'a' ? 'node-a' : 'node-b');

    // The holder stalls (its clock stands still, so it still believes it holds the lease)
    // while the other's clock passes the lease's expiry and takes over.
    const [holderRuntime, otherRuntime, otherClock] = holder === 'a' ? [a, b, clockB] : [b, a, clockA];
    const otherName = holder === 'a' ? 'b' : 'a';
    otherClock.advance(LEASE_MS + 1);
    await appendEvents(store, tenantId, 2, clockA.now());
    await otherRuntime.runtime.tick();
    assert.deepEqual(seen[otherName], [7, 8], 'the other process took over after expiry');

    await appendEvents(store, tenantId, 1, clockA.now());
    await holderRuntime.runtime.tick();
    assert.deepEqual(seen[holder], range(1, 6), 'the stale holder handled nothing more');
    assert.equal((await cursorRepository.find(store.db, 'single', tenantId))?.seq, 8, 'and moved no cursor');
    assert.equal(holderRuntime.runtime.consumers.get('single')!.holds(tenantId), false, 'and knows it lost the lease');

    await otherRuntime.runtime.tick();
    assert.deepEqual(seen[otherName], [7, 8, 9]);
    // A stop gives the lease back: the first process takes over at once, no expiry wait.
    await otherRuntime.runtime.stop();
    await appendEvents(store, tenantId, 1, clockA.now());
    await holderRuntime.runtime.tick();
    assert.deepEqual(seen[holder], [...range(1, 6), 10]);
    await holderRuntime.runtime.stop();
  });

  it('a started runtime is woken by the log notice and does not wait for its poll', async () => {
    const clock = manualClock();
    const tenantId = await newTenant(store, clock);
    const arrived = deferred<number[]>();
    const { runtime, notices } = testRuntime(store, clock, {
      // Real timers, but a poll so slow that only the wake-up can deliver within the test.
      timers: systemTimers,
      pollMs: 60 * 60_000,
      consumers: [defineConsumer({ name: 'woken', handler: async (_trx, events, context) => void (context.tenantId === tenantId && arrived.resolve(events.map(({ event }) => event.seq))) })],
    });
    runtime.start();
    await runtime.tick(); // the first round has run: the cursor exists, the log is empty
    await appendEvents(store, tenantId, 1, clock.now());
    notices.notify(LOG_CHANNEL, tenantId);
    assert.deepEqual(await arrived.promise, [1]);
    await runtime.stop();
  });

  it('jobs a handler enqueues through its context run once the batch commits, without waiting for the poll', async () => {
    const clock = manualClock();
    const tenantId = await newTenant(store, clock);
    const ran = deferred<number>();
    const followUp = defineJob<{ seq: number }>({ kind: 'test.follow-up', handler: async ({ seq }) => ran.resolve(seq) });
    const { runtime, notices } = testRuntime(store, clock, {
      timers: systemTimers,
      pollMs: 60 * 60_000,
      jobs: [followUp as never],
      consumers: [
        defineConsumer({
          name: 'enqueuer',
          handler: async (trx, events, context) => {
            for (const { event } of events) await context.enqueue(trx, { job: followUp, payload: { seq: event.seq }, now: clock.now(), dedupeKey: `follow-up/${event.seq}` });
          },
        }),
      ],
    });
    runtime.start();
    await runtime.tick();
    await appendEvents(store, tenantId, 1, clock.now());
    notices.notify(LOG_CHANNEL, tenantId);
    assert.equal(await ran.promise, 1);
    await runtime.stop();
  });
});
