import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Cron } from 'croner';
import { loadConfig } from '../../src/config.js';
import { createSystem } from '../../src/system.js';
import { defineJob, type JobDefinition } from '../../src/workers/index.js';
import { manualClock, startApp, type TestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { createUser } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/wait.js';

/**
 * CONTRACT §3 Reports and jobs, the jobs half: what admins see of the background work and
 * how they run a job on demand, over HTTP, with the worker runtime running in the process.
 */
const flaky = defineJob<unknown>({
  kind: 'test.flaky',
  onDemand: true,
  maxAttempts: 3,
  backoff: { baseMs: 60_000, maxMs: 60_000 },
  handler: async () => {
    throw new Error('the printer is on fire');
  },
});

await describeEachDatabase('jobs API', (dialect) => {
  let t: TestApp;
  let admin: string;
  const clock = manualClock(Date.UTC(2026, 2, 3, 15, 30, 0));

  before(async () => {
    t = await startApp({ dialect, clock, extraJobs: [flaky as JobDefinition<never>] });
    admin = await t.adminToken();
  });
  after(() => t.close());

  const runs = async (query = '') => (await t.request('GET', `/api/jobs/runs${query}`, { token: admin })).body.items as { id: string; name: string; state: string; attempts: number; error: string | null; runAt: string }[];
  const run = async (id: string) => (await runs()).find((item) => item.id === id);

  it('lists every job with its schedule in the campus time zone, next run and last run; admins only', async () => {
    const answer = await t.request('GET', '/api/jobs', { token: admin });
    assert.equal(answer.status, 200, answer.text);
    const housekeeping = answer.body.items.find((job: { name: string }) => job.name === 'housekeeping');
    assert.equal(housekeeping.schedule, '7 * * * *');
    assert.equal(housekeeping.timeZone, 'America/Lima');
    const next = new Cron('7 * * * *', { timezone: 'America/Lima' }).nextRun(new Date(clock.now()))!;
    assert.equal(housekeeping.nextRunAt, next.toISOString());
    const onDemand = answer.body.items.find((job: { name: string }) => job.name === 'test.flaky');
    assert.equal(onDemand.schedule, null);
    assert.equal(onDemand.nextRunAt, null);
    // The first start runs the latest due housekeeping once (not a backlog): it shows as the last run.
    const last = await waitFor(async () => {
      const item = (await t.request('GET', '/api/jobs', { token: admin })).body.items.find((job: { name: string }) => job.name === 'housekeeping');
      return item.lastRun?.state === 'succeeded' && item.lastRun;
    }, 10_000, 'the first housekeeping run');
    assert.equal(last.attempts, 1);

    const staff = await createUser(t, 'staff');
    assert.equal((await t.request('GET', '/api/jobs', { token: staff.token })).status, 403);
    assert.equal((await t.request('GET', '/api/jobs/runs', { token: staff.token })).status, 403);
    assert.equal((await t.request('POST', '/api/jobs/housekeeping/run', { token: staff.token })).status, 403);
    assert.equal((await t.request('GET', '/api/jobs')).status, 401);
  });

  it('runs a job on demand: 202 {id}, then the run succeeds and shows in the history', async () => {
    const answer = await t.request('POST', '/api/jobs/housekeeping/run', { token: admin });
    assert.equal(answer.status, 202, answer.text);
    assert.equal(typeof answer.body.id, 'string');
    const done = await waitFor(async () => {
      const item = await run(answer.body.id);
      return item?.state === 'succeeded' && item;
    }, 10_000, 'the run on demand');
    assert.equal(done.name, 'housekeeping');
    const filtered = await runs('?name=housekeeping&state=succeeded');
    assert.ok(filtered.some((item) => item.id === answer.body.id));
    assert.ok(filtered.every((item) => item.name === 'housekeeping' && item.state === 'succeeded'));
  });

  it('a failing job backs off between attempts and ends dead after max attempts, with its error, visible to admins', async () => {
    const answer = await t.request('POST', '/api/jobs/test.flaky/run', { token: admin });
    assert.equal(answer.status, 202, answer.text);
    const { id } = answer.body;
    const first = await waitFor(async () => {
      const item = await run(id);
      return item?.state === 'failed' && item;
    }, 10_000, 'the first failure');
    assert.equal(first.attempts, 1);
    assert.equal(first.error, 'Error: the printer is on fire');
    // The retry waits its backoff (30–60 s with jitter) on the injected clock.
    const retryIn = Date.parse(first.runAt) - clock.now();
    assert.ok(retryIn >= 30_000 && retryIn <= 60_000, `retry in ${retryIn} ms`);
    clock.advance(60_000);
    await waitFor(async () => (await run(id))?.attempts === 2, 10_000, 'the second attempt');
    clock.advance(60_000);
    const dead = await waitFor(async () => {
      const item = await run(id);
      return item?.state === 'dead' && item;
    }, 10_000, 'the job to die');
    assert.equal(dead.attempts, 3);
    assert.equal(dead.error, 'Error: the printer is on fire');
    assert.ok((await runs('?state=dead')).some((item) => item.id === id));
  });

  it('pages the history newest first, and refuses unknown jobs and bad filters', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await t.request('POST', '/api/jobs/housekeeping/run', { token: admin })).status, 202);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await t.request('GET', `/api/jobs/runs?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: admin });
      assert.equal(page.status, 200, page.text);
      assert.ok(page.body.items.length <= 2);
      seen.push(...page.body.items.map((item: { id: string }) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, [...seen].sort().reverse());
    assert.equal(new Set(seen).size, seen.length);

    const internal = await t.request('POST', '/api/jobs/notification.deliver/run', { token: admin });
    assert.equal(internal.status, 409);
    assert.equal(internal.body.code, 'job_not_runnable');
    const listed = (await t.request('GET', '/api/jobs', { token: admin })).body.items as { name: string; onDemand: boolean }[];
    assert.equal(listed.find((job) => job.name === 'notification.deliver')?.onDemand, false);
    assert.equal(listed.find((job) => job.name === 'housekeeping')?.onDemand, true);
    const unknown = await t.request('POST', '/api/jobs/nope/run', { token: admin });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'not_found');
    assert.equal((await t.request('GET', '/api/jobs/runs?state=sleeping', { token: admin })).status, 400);
    assert.equal((await t.request('POST', '/api/jobs/Bad%20Name/run', { token: admin })).status, 400);
  });
});

describe('process roles (ALERTA_ROLES)', () => {
  let t: TestApp;
  before(async () => {
    t = await startApp({ env: { ALERTA_ROLES: 'api' } });
  });
  after(() => t.close());

  it('an api-only process answers HTTP, refuses WebSocket upgrades and starts no worker; a workers process runs what it enqueued', async () => {
    assert.deepEqual([...t.system.started], ['api']);
    const admin = await t.adminToken();
    const answer = await t.request('POST', '/api/jobs/housekeeping/run', { token: admin });
    assert.equal(answer.status, 202);
    const upgrade = await new Promise<number>((resolve, reject) => {
      const request = http.get(`${t.url}/ws?token=${admin}`, { headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('upgrade', () => reject(new Error('upgraded')));
      request.on('error', reject);
    });
    assert.equal(upgrade, 404);

    // A worker node on the same database takes the job.
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: t.config.dataDir, LOG_LEVEL: 'silent', ALERTA_DEMO: '0', PASSWORD_HASH_COST: '10', ALERTA_ROLES: 'workers' });
    const worker = await createSystem(config);
    try {
      worker.start();
      assert.deepEqual([...worker.started], ['workers']);
      const done = await waitFor(async () => {
        const item = (await t.request('GET', '/api/jobs/runs?name=housekeeping', { token: admin })).body.items.find((run: { id: string }) => run.id === answer.body.id);
        return item?.state === 'succeeded' && item;
      }, 10_000, 'the worker node to run the job');
      assert.equal(done.attempts, 1);
    } finally {
      await worker.close();
    }
  });

  it('a workers-only process serves health, readiness and metrics, and nothing else over HTTP', async () => {
    const workers = await startApp({ env: { ALERTA_ROLES: 'workers' } });
    try {
      assert.deepEqual([...workers.system.started], ['workers']);
      assert.equal((await workers.request('GET', '/healthz')).status, 200);
      assert.equal((await workers.request('GET', '/readyz')).status, 200);
      const metrics = await workers.request('GET', '/metrics');
      assert.equal(metrics.status, 200);
      assert.match(metrics.text, /alertautec_/);
      for (const path of ['/api/incidents', '/api/auth/login', '/api/jobs', '/docs', '/', '/.well-known/jwks.json']) {
        const answer = await workers.request(path === '/api/auth/login' ? 'POST' : 'GET', path, path === '/api/auth/login' ? { body: { email: 'a@b.example', password: 'x' } } : {});
        assert.equal(answer.status, 404, `${path}: ${answer.status}`);
      }
    } finally {
      await workers.close();
    }
  });
});
