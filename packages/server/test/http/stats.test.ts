import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDatabase } from '../helpers/databases.js';
import { ADMIN, manualClock, startApp, type TestApp } from '../helpers/app.js';
import { createOtherTenant, createUser } from '../helpers/fixtures.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 3, 6, 13, 0, 0, 0);

type User = Awaited<ReturnType<typeof createUser>>;

await describeEachDatabase('GET /api/stats', (dialect) => {
  let t: TestApp;
  let clock: ReturnType<typeof manualClock>;
  let admin: string;
  let authority: User;
  let student1: User;
  let student2: User;
  let maintenance: User;
  let otherTenant: Awaited<ReturnType<typeof createOtherTenant>>;
  const dept: Record<string, string> = {};
  const ids: Record<string, string> = {};

  /** Access tokens expire as the clock moves: everyone signs in again. */
  async function signInAgain() {
    admin = await t.login(ADMIN.email, ADMIN.password);
    for (const user of [authority, student1, student2, maintenance]) user.token = await t.login(user.email, user.password);
    otherTenant.token = await t.login(otherTenant.email, otherTenant.password);
  }

  async function report(name: string, user: User, category: string, urgency: string) {
    const created = await t.request('POST', '/api/incidents', {
      token: user.token,
      body: { category, urgency, description: `Incidente ${name}`, locationText: 'Patio central' },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.createdAt, new Date(clock.now()).toISOString());
    ids[name] = created.body.id;
  }

  async function move(name: string, token: string, status: string) {
    const moved = await t.request('PATCH', `/api/incidents/${ids[name]}`, { token, body: { status, note: 'Motivo de la prueba' } });
    assert.equal(moved.status, 200, moved.text);
  }

  const stats = async (token: string) => {
    const answer = await t.request('GET', '/api/stats', { token });
    assert.equal(answer.status, 200, answer.text);
    return answer.body;
  };

  before(async () => {
    clock = manualClock(T0);
    // No workers: the clock runs past SLAs here, and these counts are about incidents left
    // pending (the SLA escalation would move them to escalated).
    t = await startApp({ dialect, clock, env: { ACCESS_TOKEN_TTL_SECONDS: '86400', ALERTA_ROLES: 'api,realtime' } });
    admin = await t.adminToken();
    const categories = await t.request('GET', '/api/categories', { token: admin });
    for (const category of categories.body.items) dept[category.code] = category.departmentId;
    authority = await createUser(t, 'authority');
    student1 = await createUser(t, 'student');
    student2 = await createUser(t, 'student');
    maintenance = await createUser(t, 'staff', { departmentId: dept.infrastructure });
    otherTenant = await createOtherTenant(t);

    // T0: five reports.
    await report('i1', student1, 'infrastructure', 'high'); // due T0+1h
    await report('i2', student1, 'security', 'critical'); // due T0+15m
    await report('i3', student2, 'cleaning', 'low'); // due T0+24h
    await report('i4', student2, 'infrastructure', 'critical'); // due T0+15m
    await report('i5', student1, 'technology', 'medium'); // due T0+8h
    // Another tenant's incident never counts here.
    const foreign = await t.request('POST', '/api/incidents', {
      token: otherTenant.token,
      body: { category: 'infrastructure', urgency: 'critical', description: 'Ajeno', locationText: 'Otro campus' },
    });
    assert.equal(foreign.status, 201, foreign.text);
  });
  after(() => t.close());

  it('counts everything in the tenant for admins, with nothing acknowledged yet', async () => {
    const body = await stats(admin);
    assert.deepEqual(body, {
      byStatus: { pending: 5 },
      byCategory: { infrastructure: 2, security: 1, cleaning: 1, technology: 1 },
      byUrgency: { high: 1, critical: 2, low: 1, medium: 1 },
      byDepartment: { [dept.infrastructure!]: 2, [dept.security!]: 1, [dept.cleaning!]: 1, [dept.technology!]: 1 },
      mttaSeconds: null,
      mttrSeconds: null,
      slaBreaches: 0,
    });
  });

  it('computes MTTA, MTTR and SLA breaches exactly as the clock moves', async () => {
    clock.advance(5 * MINUTE);
    await move('i5', admin, 'rejected'); // acknowledged after 300 s
    clock.advance(5 * MINUTE);
    await move('i1', maintenance.token, 'in_progress'); // acknowledged after 600 s, in time
    clock.advance(5 * MINUTE);
    // T0+15m: the critical ones are exactly due, not yet past due.
    assert.equal((await stats(admin)).slaBreaches, 0);
    clock.advance(1);
    assert.equal((await stats(admin)).slaBreaches, 2);
    clock.advance(5 * MINUTE - 1);
    await move('i2', admin, 'in_progress'); // acknowledged after 1200 s: late
    clock.advance(10 * MINUTE);
    await move('i1', maintenance.token, 'resolved'); // resolved after 1800 s
    clock.advance(30 * MINUTE);
    await move('i2', authority.token, 'resolved'); // resolved after 3600 s
    assert.equal(clock.now(), T0 + HOUR);

    const body = await stats(admin);
    assert.deepEqual(body.byStatus, { resolved: 2, rejected: 1, pending: 2 });
    assert.equal(body.mttaSeconds, (300 + 600 + 1200) / 3);
    assert.equal(body.mttrSeconds, (1800 + 3600) / 2);
    // i2 was acknowledged after its due time; i4 is still waiting past it.
    assert.equal(body.slaBreaches, 2);
    assert.deepEqual(await stats(authority.token), body);
  });

  it('scopes a student to what they reported', async () => {
    assert.deepEqual(await stats(student1.token), {
      byStatus: { resolved: 1 + 1, rejected: 1 },
      byCategory: { infrastructure: 1, security: 1, technology: 1 },
      byUrgency: { high: 1, critical: 1, medium: 1 },
      byDepartment: { [dept.infrastructure!]: 1, [dept.security!]: 1, [dept.technology!]: 1 },
      mttaSeconds: 700,
      mttrSeconds: 2700,
      slaBreaches: 1,
    });
    assert.deepEqual(await stats(student2.token), {
      byStatus: { pending: 2 },
      byCategory: { cleaning: 1, infrastructure: 1 },
      byUrgency: { low: 1, critical: 1 },
      byDepartment: { [dept.cleaning!]: 1, [dept.infrastructure!]: 1 },
      mttaSeconds: null,
      mttrSeconds: null,
      slaBreaches: 1,
    });
    const newcomer = await createUser(t, 'student');
    assert.deepEqual(await stats(newcomer.token), {
      byStatus: {},
      byCategory: {},
      byUrgency: {},
      byDepartment: {},
      mttaSeconds: null,
      mttrSeconds: null,
      slaBreaches: 0,
    });
  });

  it('scopes staff to their department', async () => {
    assert.deepEqual(await stats(maintenance.token), {
      byStatus: { resolved: 1, pending: 1 },
      byCategory: { infrastructure: 2 },
      byUrgency: { high: 1, critical: 1 },
      byDepartment: { [dept.infrastructure!]: 2 },
      mttaSeconds: 600,
      mttrSeconds: 1800,
      slaBreaches: 1,
    });
    const security = await createUser(t, 'staff', { departmentId: dept.security });
    const body = await stats(security.token);
    assert.deepEqual(body.byStatus, { resolved: 1 });
    assert.equal(body.mttaSeconds, 1200);
    assert.equal(body.mttrSeconds, 3600);
    assert.equal(body.slaBreaches, 1);
  });

  it('follows a reassignment to another department', async () => {
    const moved = await t.request('PUT', `/api/incidents/${ids.i4}/department`, { token: admin, body: { departmentId: dept.security } });
    assert.equal(moved.status, 200, moved.text);
    const body = await stats(maintenance.token);
    assert.deepEqual(body.byStatus, { resolved: 1 });
    assert.equal(body.slaBreaches, 0);
    assert.deepEqual((await stats(admin)).byDepartment, {
      [dept.infrastructure!]: 1,
      [dept.security!]: 2,
      [dept.cleaning!]: 1,
      [dept.technology!]: 1,
    });
  });

  it('shows another tenant only its own incidents', async () => {
    const body = await stats(otherTenant.token);
    assert.deepEqual(body.byStatus, { pending: 1 });
    assert.deepEqual(body.byCategory, { infrastructure: 1 });
    assert.deepEqual(body.byUrgency, { critical: 1 });
    assert.equal(Object.values(body.byDepartment as Record<string, number>).reduce((a, b) => a + b, 0), 1);
    for (const id of Object.keys(body.byDepartment)) assert.ok(!Object.values(dept).includes(id), 'not this tenant’s departments');
    assert.equal(body.slaBreaches, 1);
  });

  it('counts a low-urgency report as breached only after its 24 hours', async () => {
    clock.advance(23 * HOUR); // T0+24h: i3 exactly due
    await signInAgain();
    assert.equal((await stats(student2.token)).slaBreaches, 1);
    clock.advance(1);
    assert.equal((await stats(student2.token)).slaBreaches, 2);
    assert.equal((await stats(admin)).slaBreaches, 3);
  });

  it('answers 401 without a token', async () => {
    const answer = await t.request('GET', '/api/stats');
    assert.equal(answer.status, 401);
  });
});
