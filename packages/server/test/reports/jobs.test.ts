import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSystem, type System } from '../../src/system.js';
import { ADMIN, manualClock, startApp, type TestApp } from '../helpers/app.js';
import { postgresUnavailable } from '../helpers/databases.js';
import { runReportJobs } from './helpers.js';

const REQUIRE_POSTGRES = process.env.REQUIRE_POSTGRES === '1';
const unavailable = await postgresUnavailable();
/** 10:20 in Lima: the hourly report's latest run was at 10:00. */
const T0 = Date.UTC(2026, 3, 14, 15, 20, 0);

const reportFiles = (dataDir: string) => {
  const dir = path.join(dataDir, 'blobs', 'reports', 'global');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
};

describe('the scheduled global report, two systems racing on one PostgreSQL', { skip: unavailable && !REQUIRE_POSTGRES ? unavailable : false }, () => {
  let t: TestApp;
  let other: System;
  const clock = manualClock(T0);
  before(async () => {
    if (unavailable) assert.fail(unavailable);
    t = await startApp({ dialect: 'postgres', clock, env: { ALERTA_ROLES: 'api' } });
    other = await createSystem(t.config, { clock, databaseSchema: t.database.schema });
  });
  after(async () => {
    await other?.close();
    await t?.close();
  });

  it('both tick the schedule and run jobs at once: one report row, one JSON and one CSV', async () => {
    // Rounds of both at once, each run to its end (a round starts jobs; idle() waits for
    // them), until the report is written: the scheduled job enqueues the report's own job.
    for (let round = 0; round < 8; round++) {
      await Promise.all([t.system.workers.tick(), other.workers.tick(), t.system.workers.tick(), other.workers.tick()]);
      await Promise.all([t.system.workers.jobs.idle(), other.workers.jobs.idle()]);
      const written = await t.system.store.db.selectFrom('reports').select('status').where('status', '=', 'succeeded').executeTakeFirst();
      if (written && round >= 3) break;
    }
    const rows = await t.system.store.db.selectFrom('reports').selectAll().execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.status, 'succeeded');
    assert.equal(rows[0]!.key, 'reports/global/reporte_2026-04-14_10-00.json');
    const scheduled = await t.system.store.db.selectFrom('jobs').select(['kind', 'state']).where('kind', 'in', ['report.global', 'report.generate']).execute();
    assert.deepEqual(scheduled.map((job) => `${job.kind}:${job.state}`).sort(), ['report.generate:succeeded', 'report.global:succeeded']);
    assert.deepEqual(reportFiles(t.config.dataDir), ['reporte_2026-04-14_10-00.csv', 'reporte_2026-04-14_10-00.json']);
  });
});

describe('a report job whose blob store fails is retried', () => {
  let t: TestApp;
  const clock = manualClock(T0);
  before(async () => {
    t = await startApp({ clock, env: { ALERTA_ROLES: 'api', REPORT_GLOBAL_SCHEDULE: 'off' } });
  });
  after(() => t?.close());

  it('the first attempt fails (the blob folder is blocked), the report waits queued with the error, the retry writes it', async () => {
    // A file where the reports folder belongs: the filesystem store cannot create it.
    const blocked = path.join(t.config.dataDir, 'blobs', 'reports');
    fs.mkdirSync(path.dirname(blocked), { recursive: true });
    fs.writeFileSync(blocked, 'in the way');
    const admin = await t.login(ADMIN.email, ADMIN.password);
    const created = await t.request('POST', '/api/reports', { token: admin, body: { kind: 'global' } });
    assert.equal(created.status, 202, created.text);
    await runReportJobs(t.system, 1);
    const failed = await t.request('GET', `/api/reports/${created.body.id}`, { token: admin });
    assert.equal(failed.body.status, 'queued');
    assert.ok(failed.body.error, 'the failure is recorded');
    const job = await t.system.store.db.selectFrom('jobs').selectAll().where('kind', '=', 'report.generate').executeTakeFirstOrThrow();
    assert.equal(job.state, 'failed');
    assert.equal(job.attempts, 1);

    fs.rmSync(blocked);
    clock.advance(10 * 60_000);
    await runReportJobs(t.system, 1);
    const done = await t.request('GET', `/api/reports/${created.body.id}`, { token: await t.login(ADMIN.email, ADMIN.password) });
    assert.equal(done.body.status, 'succeeded');
    assert.equal(done.body.error, undefined);
    const again = await t.system.store.db.selectFrom('jobs').selectAll().where('kind', '=', 'report.generate').executeTakeFirstOrThrow();
    assert.equal(again.attempts, 2);
    assert.deepEqual(reportFiles(t.config.dataDir), ['reporte_2026-04-14_10-20.csv', 'reporte_2026-04-14_10-20.json']);
  });
});
