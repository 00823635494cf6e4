import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Store } from '../../src/store/db.js';
import { defineJob, enqueue, jobRepository, PermanentJobError, type JobContext } from '../../src/workers/index.js';
import { systemTimers } from '../../src/workers/timers.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { LEASE_MS, deferred, manualClock, testRuntime, twoConnections } from './helpers.js';

/**
 * The job runtime: claims with leases, retries with backoff, dead letters, token-checked
 * finishing, transactional enqueue and dedupe keys. Every test uses its own job kind, so
 * the tests share one database without seeing each other's rows.
 */
await describeEachDatabase('workers: jobs', (dialect) => {
  let store: Store;
  let second: Store;
  twoConnections(dialect, (stores) => ([store, second] = stores));

  it('a failing job waits out an exponential backoff between attempts and ends dead after its last one', async () => {
    const clock = manualClock();
    const attempts: number[] = [];
    const flaky = defineJob<{ to: string }>({
      kind: 'always-fails',
      maxAttempts: 3,
      backoff: { baseMs: 1_000, maxMs: 60_000 },
      handler: async (_payload, context) => {
        attempts.push(context.attempt);
        throw new Error(`SMTP refused (attempt ${context.attempt})`);
      },
    });
    const { runtime } = testRuntime(store, clock, { jobs: [flaky] });
    const { id } = await runtime.enqueue({ job: flaky, payload: { to: 'a@utec.edu.pe' }, now: clock.now() });

    assert.equal(await runtime.jobs.runDue(), 1);
    let row = await jobRepository.find(store.db, id);
    // random() = 0.5 → delay = nominal/2 + nominal/4: 750 ms after the first failure, 1500 after the second.
    assert.equal(row?.state, 'failed');
    assert.equal(row?.run_at, clock.now() + 750);
    assert.match(row?.last_error ?? '', /SMTP refused \(attempt 1\)/);
    assert.equal(await runtime.jobs.runDue(), 0, 'not run again before its retry time');

    clock.advance(749);
    assert.equal(await runtime.jobs.runDue(), 0);
    clock.advance(1);
    assert.equal(await runtime.jobs.runDue(), 1);
    row = await jobRepository.find(store.db, id);
    assert.equal(row?.state, 'failed');
    assert.equal(row?.run_at, clock.now() + 1_500);

    clock.advance(1_500);
    assert.equal(await runtime.jobs.runDue(), 1);
    row = await jobRepository.find(store.db, id);
    assert.equal(row?.state, 'dead');
    assert.equal(row?.attempts, 3);
    assert.equal(row?.finished_at, clock.now());
    assert.equal(row?.lease_token, null);

    clock.advance(60 * 60_000);
    assert.equal(await runtime.jobs.runDue(), 0, 'a dead job is never run again');
    assert.deepEqual(attempts, [1, 2, 3]);
    await runtime.stop();
  });

  it('a permanent error sends the job straight to dead', async () => {
    const clock = manualClock();
    let runs = 0;
    const job = defineJob<null>({
      kind: 'permanent-failure',
      maxAttempts: 5,
      handler: async () => {
        runs += 1;
        throw new PermanentJobError('the incident no longer exists');
      },
    });
    const { runtime } = testRuntime(store, clock, { jobs: [job] });
    const { id } = await runtime.enqueue({ job, payload: null, now: clock.now() });
    await runtime.jobs.runDue();
    clock.advance(60 * 60_000);
    await runtime.jobs.runDue();
    const row = await jobRepository.find(store.db, id);
    assert.equal(runs, 1);
    assert.equal(row?.state, 'dead');
    assert.equal(row?.attempts, 1);
    assert.match(row?.last_error ?? '', /PermanentJobError: the incident no longer exists/);
    await runtime.stop();
  });

  it('a worker whose lease expired and was claimed by another cannot complete the job', async () => {
    const clock = manualClock();
    const gates = { a: deferred(), b: deferred() };
    const job = (who: 'a' | 'b') => defineJob<null>({ kind: 'slow-report', handler: () => gates[who].promise });
    const a = testRuntime(store, clock, { nodeId: 'node-a', jobs: [job('a')] });
    const b = testRuntime(second, clock, { nodeId: 'node-b', jobs: [job('b')] });
    const { id } = await a.runtime.enqueue({ job: job('a'), payload: null, now: clock.now() });

    assert.equal(await a.runtime.jobs.tick(), 1);
    assert.equal(await b.runtime.jobs.tick(), 0, 'the lease is held');
    clock.advance(LEASE_MS); // a stalls: no heartbeat reaches the database
    assert.equal(await b.runtime.jobs.tick(), 1, 'b claims the job once the lease expired');
    let row = await jobRepository.find(store.db, id);
    assert.equal(row?.lease_owner, 'node-b');
    assert.equal(row?.attempts, 2);

    gates.a.resolve();
    await a.runtime.jobs.idle();
    row = await jobRepository.find(store.db, id);
    assert.equal(row?.state, 'running', 'a’s late success was not recorded');
    assert.equal(row?.lease_owner, 'node-b');
    assert.match(await a.registry.metrics(), /alertautec_jobs_finished_total\{kind="slow-report",outcome="lease_lost"\} 1/);

    gates.b.resolve();
    await b.runtime.jobs.idle();
    row = await jobRepository.find(store.db, id);
    assert.equal(row?.state, 'succeeded');
    assert.equal(row?.lease_token, null);
    await a.runtime.stop();
    await b.runtime.stop();
  });

  it('a job whose worker died is retried by another after the lease expires; on its last attempt it is dead', async () => {
    const clock = manualClock();
    const runs: { who: string; attempt: number }[] = [];
    const job = (who: string, maxAttempts: number, kind: string) =>
      defineJob<null>({
        kind,
        maxAttempts,
        handler: async (_payload, context: JobContext) => {
          runs.push({ who, attempt: context.attempt });
          if (who === 'dying') await new Promise(() => undefined); // the process is killed mid-job
        },
      });
    const dying = testRuntime(store, clock, { jobs: [job('dying', 3, 'orphaned'), job('dying', 1, 'orphaned-last')] });
    const survivor = testRuntime(second, clock, { jobs: [job('survivor', 3, 'orphaned'), job('survivor', 1, 'orphaned-last')] });
    const retried = await dying.runtime.enqueue({ job: job('dying', 3, 'orphaned'), payload: null, now: clock.now() });
    const last = await dying.runtime.enqueue({ job: job('dying', 1, 'orphaned-last'), payload: null, now: clock.now() });
    assert.equal(await dying.runtime.jobs.tick(), 2);

    clock.advance(LEASE_MS - 1);
    assert.equal(await survivor.runtime.jobs.runDue(), 0, 'not before the lease expires');
    clock.advance(1);
    assert.equal(await survivor.runtime.jobs.runDue(), 1);
    assert.deepEqual(
      runs.filter((run) => run.who === 'survivor'),
      [{ who: 'survivor', attempt: 2 }],
    );
    assert.equal((await jobRepository.find(store.db, retried.id))?.state, 'succeeded');
    const buried = await jobRepository.find(store.db, last.id);
    assert.equal(buried?.state, 'dead', 'the job that died on its only attempt is not run again');
    assert.match(buried?.last_error ?? '', /lease expired/);
    await survivor.runtime.stop();
  });

  it('a job enqueued in a transaction that rolls back never exists; a dedupe key makes a second enqueue a no-op', async () => {
    const clock = manualClock();
    let runs = 0;
    const job = defineJob<{ n: number }>({ kind: 'deliver-once', handler: async () => void (runs += 1) });
    const { runtime } = testRuntime(store, clock, { jobs: [job] });

    await assert.rejects(
      store.write(async (trx) => {
        await enqueue(trx, { job, payload: { n: 0 }, dedupeKey: 'event-1/user-1/email', now: clock.now() });
        throw new Error('the incident change failed');
      }),
      /the incident change failed/,
    );
    assert.deepEqual(await jobRepository.byKind(store.db, 'deliver-once'), []);
    assert.equal(await runtime.jobs.runDue(), 0);

    // Two processes enqueue the same key at once, then one more time: one row.
    const [one, two] = await Promise.all([
      store.write((trx) => enqueue(trx, { job, payload: { n: 1 }, dedupeKey: 'event-1/user-1/email', now: clock.now() })),
      second.write((trx) => enqueue(trx, { job, payload: { n: 2 }, dedupeKey: 'event-1/user-1/email', now: clock.now() })),
    ]);
    const three = await runtime.enqueue({ job, payload: { n: 3 }, dedupeKey: 'event-1/user-1/email', now: clock.now() });
    assert.deepEqual([one.created, two.created].sort(), [false, true]);
    assert.equal(three.created, false);
    assert.equal(one.id, two.id);
    assert.equal(three.id, one.id);
    assert.equal((await jobRepository.byKind(store.db, 'deliver-once')).length, 1);

    assert.equal(await runtime.jobs.runDue(), 1);
    assert.equal(runs, 1);
    assert.equal((await runtime.enqueue({ job, payload: { n: 4 }, dedupeKey: 'event-1/user-1/email', now: clock.now() })).state, 'succeeded');
    assert.equal(await runtime.jobs.runDue(), 0);
    await runtime.stop();
  });

  it('two processes claiming at once run each job exactly once', async () => {
    const clock = manualClock();
    const ran: { n: number; who: string }[] = [];
    const job = (who: string) => defineJob<{ n: number }>({ kind: 'fan-out', handler: async ({ n }) => void ran.push({ n, who }) });
    const a = testRuntime(store, clock, { jobs: [job('a')], concurrency: 3 });
    const b = testRuntime(second, clock, { jobs: [job('b')], concurrency: 3 });
    for (let n = 0; n < 30; n++) await a.runtime.enqueue({ job: job('a'), payload: { n }, now: clock.now() });
    const [byA, byB] = await Promise.all([a.runtime.jobs.runDue(), b.runtime.jobs.runDue()]);
    assert.equal(byA + byB, 30);
    assert.deepEqual(ran.map(({ n }) => n).sort((x, y) => x - y), Array.from({ length: 30 }, (_, n) => n));
    await a.runtime.stop();
    await b.runtime.stop();
  });

  it('stop() hands a job still running after the drain back to the queue, its attempt not counted', async () => {
    const clock = manualClock();
    const job = defineJob<null>({ kind: 'never-ends', handler: (_payload, context) => new Promise((_resolve, reject) => context.signal.addEventListener('abort', () => reject(context.signal.reason as Error))) });
    const { runtime } = testRuntime(store, clock, { jobs: [job], timers: systemTimers, drainMs: 0 });
    const { id } = await runtime.enqueue({ job, payload: null, now: clock.now() });
    assert.equal(await runtime.jobs.tick(), 1);
    await runtime.stop();
    const row = await jobRepository.find(store.db, id);
    assert.equal(row?.state, 'queued');
    assert.equal(row?.attempts, 0);
    assert.equal(row?.lease_token, null);
  });
});
