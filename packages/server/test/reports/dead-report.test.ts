import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { BlobStore } from '../../src/blobs/blob-store.js';
import { createReportJobs } from '../../src/reports/jobs.js';
import { onDemandRuntime, type JobDefinition } from '../../src/workers/index.js';
import { manualClock, startApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { waitFor } from '../helpers/wait.js';

/**
 * A report whose worker dies on its last attempt must not stay `running` for ever: when the
 * lease of that attempt expires, the job is buried (dead) and, in the same transaction, the
 * report becomes `failed` with the reason — which the API shows.
 */
const T0 = Date.UTC(2026, 3, 14, 15, 20, 0);
const LEASE_MS = 30_000;

await describeEachDatabase('a report whose worker dies on every attempt', (dialect) => {
  it('ends failed, with the error, once the last attempt’s lease expires', async () => {
    const clock = manualClock(T0);
    const t = await startApp({ dialect, clock, env: { ALERTA_ROLES: 'api', REPORT_GLOBAL_SCHEDULE: 'off' } });
    try {
      const admin = await t.adminToken();
      const created = await t.request('POST', '/api/reports', { token: admin, body: { kind: 'global' } });
      assert.equal(created.status, 202, created.text);
      const { db } = t.system.store;
      const job = () => db.selectFrom('jobs').selectAll().where('kind', '=', 'report.generate').executeTakeFirstOrThrow();

      // Each attempt runs in a process that freezes while writing the blob and is never heard
      // of again (no heartbeat, no failure recorded): only its lease expiring tells.
      let frozenWrites = 0;
      const frozenBlobs: BlobStore = {
        ...t.system.services.blobs,
        put: () => {
          frozenWrites += 1;
          return new Promise(() => undefined);
        },
      };
      const frozen = createReportJobs({ db, write: t.system.store.write, clock, blobs: frozenBlobs, timeZone: t.config.timeZone, wake: () => undefined }).generate;
      const { maxAttempts } = frozen;
      for (let attempt = 1; attempt <= maxAttempts!; attempt++) {
        const dying = onDemandRuntime(t.system, [frozen as JobDefinition<never>]);
        assert.equal(await dying.jobs.tick(), 1, `attempt ${attempt} starts`);
        // Until the attempt hangs in the blob write (its last database write is behind it).
        await waitFor(async () => frozenWrites === attempt, 10_000, `attempt ${attempt} writing`);
        assert.equal((await t.request('GET', `/api/reports/${created.body.id}`, { token: admin })).body.status, 'running');
        assert.equal((await job()).attempts, attempt);
        clock.advance(LEASE_MS + 1);
      }
      const stuck = await t.request('GET', `/api/reports/${created.body.id}`, { token: admin });
      assert.equal(stuck.body.status, 'running', 'nothing has noticed yet');

      // A live worker's upkeep buries the job, and the report fails with it.
      await t.system.workers.jobs.tick();
      const buried = await job();
      assert.equal(buried.state, 'dead');
      const failed = await t.request('GET', `/api/reports/${created.body.id}`, { token: admin });
      assert.equal(failed.status, 200);
      assert.equal(failed.body.status, 'failed');
      assert.match(failed.body.error, /lease expired/);
      assert.equal(failed.body.finishedAt, new Date(clock.now()).toISOString());
      const content = await t.request('GET', `/api/reports/${created.body.id}/content`, { token: admin });
      assert.equal(content.status, 409);
    } finally {
      await t.close();
    }
  });
});
