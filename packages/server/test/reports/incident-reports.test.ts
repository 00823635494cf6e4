import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { it } from 'node:test';
import { buildApp } from '../../src/app.js';
import { createSystem, type System } from '../../src/system.js';
import { manualClock, startApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { createUser } from '../helpers/fixtures.js';
import { report } from '../helpers/realtime.js';

/**
 * Department incident reports from the log (issue 12 item 2): each routing of an incident to a
 * department — its creation, an assignment — gives that department its report and one message
 * per recipient and channel, with the link, however the processes stop in between.
 */
const T0 = Date.UTC(2026, 3, 14, 15, 20, 0);
const PUBLIC_URL = 'http://campus.test:8080';

interface Served {
  system: System;
  request(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any; text: string }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): Promise<void>;
}

/** A system (no background work: the test drives its runtime) and the API on it. */
async function serve(system: System): Promise<Served> {
  const app = await buildApp(system);
  await app.listen({ port: 0, host: '127.0.0.1' });
  system.start(['api']);
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    system,
    async request(method, route, token, body) {
      const response = await fetch(url + route, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await response.text();
      return { status: response.status, text, body: /json/.test(response.headers.get('content-type') ?? '') && text ? JSON.parse(text) : undefined };
    },
    async close() {
      await app.close();
      await system.close();
    },
  };
}

/** Everything the runtime has to do now: consumers, then jobs (and the jobs they enqueue). */
async function drain(system: System) {
  await system.workers.tick();
  await system.workers.jobs.runDue();
}

await describeEachDatabase('department incident reports', (dialect) => {
  it('an assignment writes its report and notifies the department once, with the link, across a restart and a rerun; other staff get 404', async () => {
    const clock = manualClock(T0);
    const t = await startApp({ dialect, clock, env: { ALERTA_ROLES: 'api', REPORT_GLOBAL_SCHEDULE: 'off', PUBLIC_URL } });
    const open: Served[] = [];
    try {
      const admin = await t.adminToken();
      const adminId = (await t.request('GET', '/api/auth/me', { token: admin })).body.id as string;
      const tenantId = t.system.boot.tenantId;
      const student = await createUser(t, 'student');
      const incident = await report(t, student.token, { anonymous: true, description: 'Cable suelto junto al tablero' });
      const first = incident.departmentId!;
      const departments = (await t.request('GET', '/api/departments', { token: admin })).body.items as { id: string; email: string | null }[];
      const second = departments.find((department) => department.id !== first)!;
      const staffFirst = await createUser(t, 'staff', { departmentId: first });
      const staffSecond = await createUser(t, 'staff', { departmentId: second.id });
      const internal = await t.request('POST', `/api/incidents/${incident.id}/comments`, { token: staffFirst.token, body: { text: 'Nota interna: revisar tablero B', internal: true } });
      assert.equal(internal.status, 201, internal.text);
      const moved = await t.request('PUT', `/api/incidents/${incident.id}/department`, { token: admin, body: { departmentId: second.id } });
      assert.equal(moved.status, 200, moved.text);
      const events = (await t.request('GET', `/api/incidents/${incident.id}/events`, { token: admin })).body.items as { seq: number; type: string; at: string }[];
      const assignedSeq = events.find((event) => event.type === 'DepartmentAssigned')!.seq;

      // The consumer alone: the reports are queued with their jobs, in its transaction; then the process stops.
      await t.system.workers.consumers.get('reports.incidents')!.pass(tenantId);
      const queued = await t.system.store.db.selectFrom('reports').selectAll().where('kind', '=', 'incident').orderBy('department_id').execute();
      assert.deepEqual(queued.map((row) => row.status), ['queued', 'queued']);
      assert.deepEqual(new Set(queued.map((row) => row.key)), new Set([`reports/incidents/${first}/incident_${incident.id}.json`, `reports/incidents/${second.id}/incident_${incident.id}.json`]));
      const jobs = await t.system.store.db.selectFrom('jobs').select(['state', 'dedupe_key']).where('kind', '=', 'report.incident').execute();
      assert.equal(jobs.length, 2);
      assert.ok(jobs.every((job) => job.state === 'queued'));
      await t.app.close();
      await t.system.close();

      // The next process runs the jobs (and the notifier, which tells the department of the same event).
      const restarted = await serve(await createSystem(t.config, { clock, databaseSchema: t.database.schema }));
      open.push(restarted);
      await drain(restarted.system);
      await drain(restarted.system);
      const { db } = restarted.system.store;
      const reportOf = async (departmentId: string) =>
        db.selectFrom('reports').selectAll().where('kind', '=', 'incident').where('department_id', '=', departmentId).executeTakeFirstOrThrow();
      const secondReport = await reportOf(second.id);
      assert.equal(secondReport.status, 'succeeded', secondReport.error ?? '');
      assert.equal(secondReport.incident_id, incident.id);

      // As if its worker died after the commit that wrote the rows, before recording success:
      // the lease expires and the job runs again.
      await db
        .updateTable('jobs')
        .set({ state: 'running', lease_token: 'gone', lease_owner: 'a dead process', lease_expires_at: clock.now() - 1 })
        .where('kind', '=', 'report.incident')
        .where('dedupe_key', '=', `${tenantId}@${assignedSeq}`)
        .execute();
      await drain(restarted.system);
      const rerun = await restarted.system.store.db.selectFrom('jobs').selectAll().where('dedupe_key', '=', `${tenantId}@${assignedSeq}`).executeTakeFirstOrThrow();
      assert.equal(rerun.state, 'succeeded');
      assert.equal(rerun.attempts, 2, 'the job did run again');

      // The blob: the incident and its whole history as the department's staff see it.
      const file = path.join(t.config.dataDir, 'blobs', 'reports', 'incidents', second.id, `incident_${incident.id}.json`);
      const content = JSON.parse(fs.readFileSync(file, 'utf8'));
      assert.equal(content.kind, 'incident');
      assert.equal(content.departmentId, second.id);
      assert.equal(content.incident.id, incident.id);
      assert.equal(content.incident.anonymous, true);
      assert.equal(content.incident.reporterId, null, 'the anonymous reporter stays hidden');
      assert.deepEqual(content.history.map((event: { type: string }) => event.type), ['IncidentCreated', 'CommentAdded', 'DepartmentAssigned']);
      assert.equal(content.history[0].reporterId, null);
      assert.equal(content.history[1].text, 'Nota interna: revisar tablero B');
      assert.equal(content.history[1].internal, true);
      assert.deepEqual(content.assignment, { seq: assignedSeq, type: 'DepartmentAssigned', at: events.find((event) => event.seq === assignedSeq)!.at, actorId: adminId, previousDepartmentId: first });

      // One message per recipient and channel for the assignment's report, beside the notifier's own.
      const outbox = await restarted.system.store.db.selectFrom('notifications').selectAll().where('event_seq', '=', assignedSeq).execute();
      const reportRows = outbox.filter((row) => row.kind === 'department_report');
      const link = `${PUBLIC_URL}/reports/${secondReport.id}`;
      assert.deepEqual(
        reportRows.map((row) => `${row.channel}|${row.recipient_key}`).sort(),
        [`email|department:${second.id}`, `email|user:${staffSecond.id}`, `inapp|user:${staffSecond.id}`].filter((entry) => second.email || !entry.includes('department:')).sort(),
      );
      assert.ok(reportRows.every((row) => row.status === 'sent'), JSON.stringify(reportRows.map((row) => [row.status, row.last_error])));
      for (const row of reportRows.filter((row) => row.channel === 'email')) assert.ok(row.body.includes(link), row.body);
      assert.ok(outbox.some((row) => row.kind === 'department_assigned' && row.recipient_key === `user:${staffSecond.id}`), 'the notifier’s own message is still there');
      const mails = await restarted.system.store.db.selectFrom('dev_mailbox').selectAll().execute();
      const reportMails = mails.filter((mail) => mail.text.includes(link));
      assert.equal(reportMails.length, reportRows.filter((row) => row.channel === 'email').length, 'each report e-mail sent once');
      assert.match(reportMails[0]!.subject, /Informe del incidente/);

      // Through the API: the department's staff see it, other staff get 404, students nothing.
      const staffList = await restarted.request('GET', `/api/reports?kind=incident&incidentId=${incident.id}`, staffSecond.token);
      assert.equal(staffList.status, 200, staffList.text);
      assert.deepEqual(staffList.body.items.map((item: { id: string }) => item.id), [secondReport.id]);
      assert.equal(staffList.body.items[0].incidentId, incident.id);
      const got = await restarted.request('GET', `/api/reports/${secondReport.id}/content`, staffSecond.token);
      assert.equal(got.status, 200, got.text);
      assert.equal(got.body.history[1].text, 'Nota interna: revisar tablero B');
      assert.equal((await restarted.request('GET', `/api/reports/${secondReport.id}`, staffFirst.token)).status, 404);
      assert.equal((await restarted.request('GET', `/api/reports/${secondReport.id}/content`, staffFirst.token)).status, 404);
      const firstList = await restarted.request('GET', `/api/reports?incidentId=${incident.id}`, staffFirst.token);
      assert.deepEqual(firstList.body.items.map((item: { departmentId: string }) => item.departmentId), [first], 'the first department keeps its own report');
      assert.equal((await restarted.request('GET', `/api/reports/${secondReport.id}`, student.token)).status, 403);
      const adminList = await restarted.request('GET', `/api/reports?kind=incident&incidentId=${incident.id}`, admin);
      assert.equal(adminList.body.items.length, 2);

      // Back to the first department: its report (same key, same row) is queued again for the
      // new assignment, written anew with the whole history, and succeeds again.
      const firstReport = await reportOf(first);
      assert.equal(firstReport.status, 'succeeded');
      const back = await restarted.request('PUT', `/api/incidents/${incident.id}/department`, admin, { departmentId: first });
      assert.equal(back.status, 200, back.text);
      await restarted.system.workers.consumers.get('reports.incidents')!.pass(tenantId);
      const requeued = await reportOf(first);
      assert.equal(requeued.id, firstReport.id);
      assert.equal(requeued.status, 'queued');
      assert.equal(requeued.started_at, null);
      assert.equal(requeued.finished_at, null);
      assert.notEqual(requeued.job_id, firstReport.job_id);
      await drain(restarted.system);
      const again = await reportOf(first);
      assert.equal(again.status, 'succeeded', again.error ?? '');
      const rewritten = JSON.parse(fs.readFileSync(path.join(t.config.dataDir, 'blobs', 'reports', 'incidents', first, `incident_${incident.id}.json`), 'utf8'));
      assert.deepEqual(rewritten.history.map((event: { type: string }) => event.type), ['IncidentCreated', 'CommentAdded', 'DepartmentAssigned', 'DepartmentAssigned']);
      assert.equal(rewritten.assignment.previousDepartmentId, second.id);
    } finally {
      for (const served of open) await served.close();
      await t.database.drop();
      fs.rmSync(t.database.dataDir, { recursive: true, force: true });
    }
  });
});
