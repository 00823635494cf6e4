import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Registry } from 'prom-client';
import { createLocalNotices } from '../../src/events/signal.js';
import type { Store } from '../../src/store/db.js';
import { createWorkerRuntime, defineJob, jobRepository, runKey, type ScheduledPayload } from '../../src/workers/index.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { manualClock, silentLog, testRuntime, twoConnections } from './helpers.js';

/** Cron schedules: one job row per run time, whoever races for it; after downtime, only the latest run. */
await describeEachDatabase('workers: schedules', (dialect) => {
  let store: Store;
  let second: Store;
  twoConnections(dialect, (stores) => ([store, second] = stores));

  it('two processes racing for the same scheduled run: one job row, run once', async () => {
    // 10:05 in Lima (UTC−5): the hourly run of 10:00 Lima is due.
    const clock = manualClock(Date.parse('2025-03-10T15:05:00Z'));
    const runs: { who: string; scheduledAt: number }[] = [];
    const hourly = (who: string) =>
      defineJob<ScheduledPayload>({ kind: 'hourly-report', cron: '0 * * * *', handler: async ({ scheduledAt }) => void runs.push({ who, scheduledAt }) });
    const a = testRuntime(store, clock, { jobs: [hourly('a')] });
    const b = testRuntime(second, clock, { jobs: [hourly('b')] });

    const created = await Promise.all([a.runtime.scheduler.tick(), b.runtime.scheduler.tick()]);
    await Promise.all([a.runtime.scheduler.tick(), b.runtime.scheduler.tick()]); // and again: nothing new
    await Promise.all([a.runtime.jobs.runDue(), b.runtime.jobs.runDue()]);
    const scheduledAt = Date.parse('2025-03-10T15:00:00Z');
    assert.equal(created[0] + created[1], 1, 'exactly one of the racers created the run');
    const rows = await jobRepository.byKind(store.db, 'hourly-report');
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.dedupe_key, runKey('hourly-report', scheduledAt));
    assert.equal(rows[0]!.state, 'succeeded');
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.scheduledAt, scheduledAt);
    await a.runtime.stop();
    await b.runtime.stop();
  });

  it('after downtime only the latest missed run is enqueued, once', async () => {
    const clock = manualClock(Date.parse('2025-03-10T15:30:00Z'));
    const runs: number[] = [];
    const job = defineJob<ScheduledPayload>({ kind: 'sweep', cron: '*/10 * * * *', handler: async ({ scheduledAt }) => void runs.push(scheduledAt) });
    const first = testRuntime(store, clock, { jobs: [job] });
    await first.runtime.tick();
    await first.runtime.jobs.runDue();
    assert.deepEqual(runs, [Date.parse('2025-03-10T15:30:00Z')], 'a run at exactly now is due');
    // Everything is down for five hours (30 runs missed); a new process starts.
    clock.advance(5 * 60 * 60_000 + 7 * 60_000);
    const restarted = testRuntime(second, clock, { jobs: [job] });
    await restarted.runtime.tick();
    await restarted.runtime.tick();
    await restarted.runtime.jobs.runDue();
    assert.deepEqual(runs, [Date.parse('2025-03-10T15:30:00Z'), Date.parse('2025-03-10T20:30:00Z')]);
    assert.equal((await jobRepository.byKind(store.db, 'sweep')).length, 2);
    await first.runtime.stop();
    await restarted.runtime.stop();
  });

  it('runs in the campus time zone; overrides replace or switch off a schedule; a bad one is refused', async () => {
    const clock = manualClock(Date.parse('2025-03-10T15:30:00Z')); // 10:30 in Lima
    const nightly = defineJob<ScheduledPayload>({ kind: 'nightly', cron: '0 2 * * *', handler: async () => undefined });
    const { runtime } = testRuntime(store, clock, { jobs: [nightly] });
    const [schedule] = runtime.scheduler.schedules;
    assert.equal(runtime.scheduler.nextRunAt(schedule!), Date.parse('2025-03-11T07:00:00Z'), '02:00 Lima is 07:00 UTC');

    const off = testRuntime(store, clock, { jobs: [nightly], scheduleOverrides: { nightly: 'off' } });
    assert.deepEqual(off.runtime.scheduler.schedules, []);
    assert.equal(await off.runtime.scheduler.tick(), 0);
    const moved = testRuntime(store, clock, { jobs: [nightly], scheduleOverrides: { nightly: '15 4 * * *' }, timeZone: 'UTC' });
    assert.equal(moved.runtime.scheduler.nextRunAt(moved.runtime.scheduler.schedules[0]!), Date.parse('2025-03-11T04:15:00Z'));

    const build = (overrides: Record<string, string>) => () =>
      createWorkerRuntime({ store, clock, notices: createLocalNotices(), registry: new Registry(), log: silentLog, jobs: [nightly], scheduleOverrides: overrides });
    assert.throws(build({ nightly: 'every day' }), /Job nightly: invalid schedule "every day"/);
    assert.throws(build({ nighty: 'off' }), /unknown jobs: nighty/);
  });
});
