import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { DomainError, TRANSITIONS, URGENCIES, type UserActor } from '@alertautec/core';
import { describeEachDatabase } from '../helpers/databases.js';
import { ADMIN, manualClock, startApp, type TestApp } from '../helpers/app.js';
import { createUser } from '../helpers/fixtures.js';
import { incidentRows, recountStats, seededRandom, type RecountScope } from '../helpers/stats-recount.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Just before a UTC midnight, so the first phase already crosses a day bucket. */
const T0 = Date.UTC(2026, 0, 30, 22, 0, 0, 0);

interface Viewer {
  name: string;
  email: string;
  password: string;
  actor: UserActor;
  scope: RecountScope;
}

type Period = { from?: number; to?: number };
const iso = (period: Period) => ({
  ...(period.from === undefined ? {} : { from: new Date(period.from).toISOString() }),
  ...(period.to === undefined ? {} : { to: new Date(period.to).toISOString() }),
});

await describeEachDatabase('GET /api/stats equals a full recount', (dialect) => {
  let t: TestApp;
  const clock = manualClock(T0);
  const viewers: Viewer[] = [];
  let admin: Viewer;
  const students: Viewer[] = [];
  let categories: string[] = [];
  let departments: string[] = [];
  const incidents: { id: string; reporter: Viewer }[] = [];

  before(async () => {
    // No workers: the test runs the SLA escalation itself, between changes.
    t = await startApp({ dialect, clock, env: { ACCESS_TOKEN_TTL_SECONDS: '86400', ALERTA_ROLES: 'api,realtime', LOGIN_RATE_LIMIT: '10000' } });
    const token = await t.adminToken();
    const me = (await t.request('GET', '/api/auth/me', { token })).body;
    const actorOf = (userId: string, role: UserActor['role'], departmentId: string | null = null): UserActor => ({ kind: 'user', userId, tenantId: me.tenantId, role, departmentId });
    admin = { name: 'admin', ...ADMIN, actor: actorOf(me.id, 'admin'), scope: {} };
    categories = (await t.request('GET', '/api/categories', { token })).body.items.map((c: { code: string }) => c.code);
    departments = (await t.request('GET', '/api/departments', { token })).body.items.map((d: { id: string }) => d.id);
    assert.ok(categories.length >= 3 && departments.length >= 3, 'the demo catalog has several categories and departments');
    viewers.push(admin);
    for (const departmentId of departments.slice(0, 2)) {
      const staff = await createUser(t, 'staff', { departmentId });
      viewers.push({ name: `staff of ${departmentId}`, ...staff, actor: actorOf(staff.id, 'staff', departmentId), scope: { departmentId } });
    }
    for (let i = 0; i < 3; i++) {
      const student = await createUser(t, 'student');
      const viewer = { name: `student ${i}`, ...student, actor: actorOf(student.id, 'student'), scope: { reporterId: student.id } };
      students.push(viewer);
      viewers.push(viewer);
    }
  });
  after(() => t.close());

  /** Periods of every shape over the incidents so far: sub-day ends, whole days, open ends, many blocks. */
  function periods(random: ReturnType<typeof seededRandom>): Period[] {
    const now = clock.now();
    const anyTime = () => T0 - DAY + random.int(now - T0 + 2 * DAY);
    const midnight = (ms: number) => Math.floor(ms / DAY) * DAY;
    const a = anyTime();
    const b = anyTime();
    return [
      {},
      { from: Math.min(a, b), to: Math.max(a, b) + 1 },
      { from: midnight(Math.min(a, b)), to: midnight(Math.max(a, b)) + DAY },
      { from: a },
      { to: b },
      { from: T0 - 3 * DAY, to: now + DAY },
      { from: a, to: a + random.int(6 * HOUR) + 1 }, // within a day or across one midnight
    ];
  }

  /** Every viewer and period through the service (the endpoint's code below HTTP), against a recount of the table. */
  async function assertServiceEqualsRecount(random: ReturnType<typeof seededRandom>) {
    const rows = await incidentRows(t.system.store.db, t.system.boot.tenantId);
    for (const viewer of viewers) {
      for (const period of periods(random)) {
        const stats = await t.system.services.incidents.stats(viewer.actor, iso(period));
        assert.deepEqual(stats, recountStats(rows, viewer.scope, period, clock.now()), `${viewer.name}, period ${JSON.stringify(period)}`);
      }
    }
  }

  /** The same through GET /api/stats, each viewer signed in. */
  async function assertEndpointEqualsRecount(random: ReturnType<typeof seededRandom>) {
    const rows = await incidentRows(t.system.store.db, t.system.boot.tenantId);
    for (const viewer of viewers) {
      const token = await t.login(viewer.email, viewer.password);
      for (const period of periods(random)) {
        const answer = await t.request('GET', `/api/stats?${new URLSearchParams(iso(period)).toString()}`, { token });
        assert.equal(answer.status, 200, answer.text);
        assert.deepEqual(answer.body, recountStats(rows, viewer.scope, period, clock.now()), `${viewer.name}, period ${JSON.stringify(period)}`);
      }
    }
  }

  it('after a seeded random sequence of creates, status changes, reassignments and escalations, for every role and period', async () => {
    const random = seededRandom(0x5eed13);
    const done = { created: 0, moved: 0, reassigned: 0, escalated: 0 };
    const { incidents: service, escalation } = t.system.services;
    for (let phase = 0; phase < 9; phase++) {
      // Phases days apart: the incidents spread over more than two blocks of 32 days.
      clock.advance(7 * DAY + random.int(7 * DAY));
      for (let step = 0; step < 9; step++) {
        clock.advance(random.int(4 * HOUR));
        const roll = random.next();
        if (roll < 0.4 || incidents.length < 3) {
          const reporter = random.pick(students);
          const body = { category: random.pick(categories), urgency: random.pick(URGENCIES), description: `Incidente ${phase}.${step}`, locationText: 'Campus' };
          const created = await service.create(reporter.actor, body);
          incidents.push({ id: created.incident.id, reporter });
          done.created++;
        } else if (roll < 0.8) {
          const incident = random.pick(incidents);
          const { status } = await service.get(admin.actor, incident.id);
          const next = TRANSITIONS[status];
          if (next.length === 0) continue; // closed and rejected are final
          // Admins make any move the graph allows; a reporter confirms or reopens their own.
          const actor = random.next() < 0.2 ? incident.reporter.actor : admin.actor;
          try {
            await service.changeStatus(actor, incident.id, { status: random.pick(next), note: 'Revisado en la prueba' }, undefined);
            done.moved++;
          } catch (error) {
            assert.ok(error instanceof DomainError && ['forbidden', 'conflict'].includes(error.kind), String(error));
          }
        } else if (roll < 0.95) {
          await service.assignDepartment(admin.actor, random.pick(incidents).id, random.pick(departments));
          done.reassigned++;
        } else {
          // The SLA escalation moves overdue pending incidents (its own write path).
          done.escalated += await escalation.sweep();
        }
      }
      if (phase === 4) await assertServiceEqualsRecount(random);
    }
    clock.advance(2 * DAY);
    done.escalated += await escalation.sweep();
    await assertEndpointEqualsRecount(random);
    assert.ok(done.created >= 25 && done.moved >= 15 && done.reassigned >= 5 && done.escalated >= 1, JSON.stringify(done));
    assert.ok(clock.now() - T0 > 2 * 32 * DAY, 'the incidents span whole blocks of days');
  });

  it('answers 400 for a period that ends before it starts or is not a date', async () => {
    const token = await t.login(ADMIN.email, ADMIN.password);
    const reversed = await t.request('GET', '/api/stats?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', { token });
    assert.equal(reversed.status, 400, reversed.text);
    assert.equal(reversed.body.code, 'invalid_period');
    const garbage = await t.request('GET', '/api/stats?from=yesterday', { token });
    assert.equal(garbage.status, 400, garbage.text);
  });
});
