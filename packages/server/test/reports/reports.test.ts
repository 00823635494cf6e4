import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { ADMIN, manualClock, startApp, type TestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { createOtherTenant, createUser } from '../helpers/fixtures.js';
import { parseCsv } from './csv-parse.js';
import { runReportJobs } from './helpers.js';

/** 08:00 in Lima (UTC−5) on 14 April 2026; every time below is counted from here. */
const T0 = Date.UTC(2026, 3, 14, 13, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * A dataset whose every number is known, built through the API with a held clock:
 *   A critical infrastructure  T0        acknowledged +10 min, resolved +70 min
 *   B high     security        T0+1h     acknowledged after 90 min (SLA 60: breach), open
 *   C low      health          T0+2h     pending; due at T0+26h (breach at T0+27h)
 *   E medium   cleaning        T0+11h    pending (19:00 in Lima, already the 15th in UTC); due T0+19h: breach
 *   D medium   technology      T0+24h    pending; due T0+32h: no breach
 * The report runs at T0+27h (11:00 in Lima on the 15th).
 */
await describeEachDatabase('reports', (dialect) => {
  let t: TestApp;
  const clock = manualClock(T0);
  const ids: Record<string, string> = {};
  let student: Awaited<ReturnType<typeof createUser>>;
  let authority: Awaited<ReturnType<typeof createUser>>;
  let securityStaff: Awaited<ReturnType<typeof createUser>>;
  let departments: Record<string, string>;

  const at = (ms: number) => clock.advance(T0 + ms - clock.now());
  const report = async (name: string, category: string, urgency: string) => {
    const created = await t.request('POST', '/api/incidents', { token: await t.login(student.email, student.password), body: { category, urgency, description: `Incidente ${name} en el campus`, locationText: 'Pabellón A' } });
    assert.equal(created.status, 201, created.text);
    ids[name] = created.body.id;
  };
  const move = async (name: string, status: string) => {
    const moved = await t.request('PATCH', `/api/incidents/${ids[name]}`, { token: await t.login(authority.email, authority.password), body: { status } });
    assert.equal(moved.status, 200, moved.text);
  };
  const runReport = async (token: string, body: Record<string, unknown>) => {
    const created = await t.request('POST', '/api/reports', { token, body });
    assert.equal(created.status, 202, created.text);
    assert.deepEqual(Object.keys(created.body).sort(), ['id', 'status']);
    await runReportJobs(t.system);
    return created.body.id as string;
  };

  before(async () => {
    // No background workers: the SLA checks would move the pending incidents; report jobs are run by hand.
    t = await startApp({ dialect, clock, env: { ALERTA_ROLES: 'api' } });
    const list = await t.request('GET', '/api/departments', { token: await t.adminToken() });
    departments = Object.fromEntries(list.body.items.map((d: { id: string; name: string }) => [d.name, d.id]));
    const categories = await t.request('GET', '/api/categories', { token: await t.adminToken() });
    const securityDepartment = categories.body.items.find((c: { code: string }) => c.code === 'security').departmentId as string;
    student = await createUser(t, 'student');
    authority = await createUser(t, 'authority');
    securityStaff = await createUser(t, 'staff', { departmentId: securityDepartment });
    departments.security = securityDepartment;

    await report('A', 'infrastructure', 'critical');
    at(10 * MIN);
    await move('A', 'in_progress');
    at(1 * HOUR);
    await report('B', 'security', 'high');
    at(70 * MIN);
    await move('A', 'resolved');
    at(2 * HOUR);
    await report('C', 'health', 'low');
    at(2 * HOUR + 30 * MIN);
    await move('B', 'in_progress');
    at(11 * HOUR);
    await report('E', 'cleaning', 'medium');
    at(24 * HOUR);
    await report('D', 'technology', 'medium');
    at(27 * HOUR);
    // Access tokens expired on the way: sign everyone in again at report time.
    for (const user of [student, authority, securityStaff]) user.token = await t.login(user.email, user.password);
  });
  after(() => t?.close());

  it('the global report: counts, MTTA/MTTR, SLA breaches, backlog by age and the campus-day series, in JSON and CSV', async () => {
    const admin = await t.login(ADMIN.email, ADMIN.password);
    const id = await runReport(admin, { kind: 'global' });
    const meta = await t.request('GET', `/api/reports/${id}`, { token: admin });
    assert.equal(meta.status, 200, meta.text);
    assert.equal(meta.body.status, 'succeeded');
    assert.equal(meta.body.kind, 'global');
    assert.equal(meta.body.key, 'reports/global/reporte_2026-04-15_11-00.json');
    assert.equal(meta.body.finishedAt, new Date(T0 + 27 * HOUR).toISOString());

    const json = await t.request('GET', `/api/reports/${id}/content`, { token: admin });
    assert.equal(json.status, 200, json.text);
    assert.match(json.headers.get('content-type') ?? '', /application\/json/);
    const c = json.body;
    assert.deepEqual(c.totals, { incidents: 5, open: 4, slaBreaches: 3 });
    assert.deepEqual(c.byStatus, { in_progress: 1, pending: 3, resolved: 1 });
    assert.deepEqual(c.byUrgency, { critical: 1, high: 1, low: 1, medium: 2 });
    assert.deepEqual(c.byCategory, { cleaning: 1, health: 1, infrastructure: 1, security: 1, technology: 1 });
    assert.equal(Object.values(c.byDepartment as Record<string, number>).reduce((a, b) => a + b, 0), 5);
    assert.equal(c.byDepartment[departments.security!], 1);
    assert.equal(c.mttaSeconds, 3000);
    assert.equal(c.mttrSeconds, 4200);
    assert.equal(c.slaBreaches, 3);
    assert.deepEqual(c.backlogByAge, { under1h: 0, from1hTo24h: 2, from1dTo7d: 2, from7dTo30d: 0, over30d: 0 });
    assert.deepEqual(c.daily, [
      { date: '2026-04-14', created: 4, resolved: 1 },
      { date: '2026-04-15', created: 1, resolved: 0 },
    ]);

    const csv = await t.request('GET', `/api/reports/${id}/content`, { token: admin, headers: { accept: 'text/csv' } });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    const rows = parseCsv(csv.text);
    assert.deepEqual(rows[0], ['section', 'key', 'label', 'value']);
    const value = (section: string, key: string, label = '') => rows.find((r) => r[0] === section && r[1] === key && (label === '' || r[2] === label))?.[3];
    assert.equal(value('total', 'incidents'), '5');
    assert.equal(value('total', 'mttaSeconds'), '3000');
    assert.equal(value('status', 'pending'), '3');
    assert.equal(rows.find((r) => r[0] === 'category' && r[1] === 'technology')?.[2], 'Tecnología');
    assert.equal(value('daily', '2026-04-14', 'created'), '4');
    assert.equal(value('backlog', 'from1dTo7d'), '2');

    // Both blobs are where the contract says.
    assert.ok(fs.existsSync(path.join(t.config.dataDir, 'blobs', 'reports', 'global', 'reporte_2026-04-15_11-00.csv')));
  });

  it('from/to narrow the period; a department report counts only its department', async () => {
    const admin = await t.login(ADMIN.email, ADMIN.password);
    const from = new Date(T0 + 1 * HOUR).toISOString();
    const to = new Date(T0 + 11 * HOUR).toISOString();
    const id = await runReport(admin, { kind: 'global', from, to });
    const meta = await t.request('GET', `/api/reports/${id}`, { token: admin });
    assert.equal(meta.body.from, from);
    assert.equal(meta.body.to, to);
    assert.equal(meta.body.key, 'reports/global/reporte_2026-04-15_11-00_2.json', 'a second report in the same minute gets its own name');
    const c = (await t.request('GET', `/api/reports/${id}/content`, { token: admin })).body;
    assert.deepEqual(c.totals, { incidents: 2, open: 2, slaBreaches: 2 });
    assert.deepEqual(c.byCategory, { health: 1, security: 1 });
    assert.deepEqual(c.daily, [{ date: '2026-04-14', created: 2, resolved: 0 }], 'A, resolved that day, was created before the period');
    // A period holding A alone: A's resolution (70 minutes later, after the period) is on its day.
    const early = await runReport(admin, { kind: 'global', from: new Date(T0).toISOString(), to: new Date(T0 + 30 * MIN).toISOString() });
    const e = (await t.request('GET', `/api/reports/${early}/content`, { token: admin })).body;
    assert.deepEqual(e.totals, { incidents: 1, open: 0, slaBreaches: 0 });
    assert.deepEqual(e.daily, [{ date: '2026-04-14', created: 1, resolved: 1 }]);

    const dep = await runReport(securityStaff.token, { kind: 'department', departmentId: departments.security });
    const depMeta = await t.request('GET', `/api/reports/${dep}`, { token: securityStaff.token });
    assert.equal(depMeta.status, 200);
    assert.equal(depMeta.body.key, `reports/departments/${departments.security}/reporte_2026-04-15_11-00.json`);
    const d = (await t.request('GET', `/api/reports/${dep}/content`, { token: securityStaff.token })).body;
    assert.deepEqual(d.totals, { incidents: 1, open: 1, slaBreaches: 1 });
    assert.equal(d.mttaSeconds, 5400);
  });

  it('who sees what: students none, staff their department, authorities and admins all; others 404; bad input 400', async () => {
    const admin = await t.login(ADMIN.email, ADMIN.password);
    for (const [method, url] of [['GET', '/api/reports'], ['POST', '/api/reports']] as const) {
      const refused = await t.request(method, url, { token: student.token, body: method === 'POST' ? { kind: 'global' } : undefined });
      assert.equal(refused.status, 403, `${method} ${url}`);
    }
    const all = await t.request('GET', '/api/reports', { token: authority.token });
    assert.equal(all.status, 200);
    assert.ok(all.body.items.length >= 3);
    const globalId = all.body.items.find((r: { kind: string }) => r.kind === 'global').id as string;
    assert.equal((await t.request('GET', `/api/reports/${globalId}`, { token: student.token })).status, 403);
    assert.equal((await t.request('GET', `/api/reports/${globalId}`, { token: securityStaff.token })).status, 404);
    assert.equal((await t.request('GET', `/api/reports/${globalId}/content`, { token: securityStaff.token })).status, 404);

    const mine = await t.request('GET', '/api/reports', { token: securityStaff.token });
    assert.ok(mine.body.items.length >= 1);
    assert.ok(mine.body.items.every((r: { kind: string; departmentId?: string }) => r.kind === 'department' && r.departmentId === departments.security));
    assert.deepEqual((await t.request('GET', '/api/reports?kind=global', { token: securityStaff.token })).body.items, []);

    const otherDepartment = Object.values(departments).find((id) => id !== departments.security)!;
    const foreign = await t.request('POST', '/api/reports', { token: securityStaff.token, body: { kind: 'department', departmentId: otherDepartment } });
    assert.equal(foreign.status, 403);
    assert.equal((await t.request('POST', '/api/reports', { token: securityStaff.token, body: { kind: 'global' } })).status, 403);
    const othersReport = await t.request('POST', '/api/reports', { token: admin, body: { kind: 'department', departmentId: otherDepartment } });
    assert.equal(othersReport.status, 202);
    assert.equal((await t.request('GET', `/api/reports/${othersReport.body.id}`, { token: securityStaff.token })).status, 404);
    const notYet = await t.request('GET', `/api/reports/${othersReport.body.id}/content`, { token: admin });
    assert.equal(notYet.status, 409);
    assert.equal(notYet.body.code, 'report_not_ready');

    const before = (await t.request('GET', '/api/reports?limit=200', { token: admin })).body.items.length;
    const noDepartment = await t.request('POST', '/api/reports', { token: admin, body: { kind: 'department' } });
    assert.equal(noDepartment.status, 400);
    const backwards = await t.request('POST', '/api/reports', { token: admin, body: { kind: 'global', from: new Date(T0).toISOString(), to: new Date(T0 - HOUR).toISOString() } });
    assert.equal(backwards.status, 400);
    assert.equal(backwards.body.code, 'invalid_period');
    assert.equal((await t.request('POST', '/api/reports', { token: admin, body: { kind: 'incident' } })).status, 400);
    assert.equal((await t.request('GET', '/api/reports?limit=200', { token: admin })).body.items.length, before, 'refused requests create nothing');

    const other = await createOtherTenant(t);
    const otherToken = await t.login(other.email, other.password);
    assert.equal((await t.request('GET', `/api/reports/${globalId}`, { token: otherToken })).status, 404);
    assert.deepEqual((await t.request('GET', '/api/reports', { token: otherToken })).body.items, []);

    const paged = await t.request('GET', '/api/reports?limit=1', { token: admin });
    assert.equal(paged.body.items.length, 1);
    assert.ok(paged.body.nextCursor);
    const next = await t.request('GET', `/api/reports?limit=1&cursor=${paged.body.nextCursor}`, { token: admin });
    assert.notEqual(next.body.items[0].id, paged.body.items[0].id);
  });
});
