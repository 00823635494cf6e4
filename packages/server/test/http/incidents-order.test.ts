import assert from 'node:assert/strict';
import { before, after, describe, it } from 'node:test';
import { INCIDENT_SORTS, OPEN_STATUSES, compareIncidents, type IncidentSort, type Status, type Urgency } from '@alertautec/core';
import { manualClock, startApp, type TestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { createUser } from '../helpers/fixtures.js';

interface Incident {
  id: string;
  status: Status;
  urgency: Urgency;
  category: string;
  departmentId: string | null;
  reporterId: string | null;
  slaDueAt: string;
  updatedAt: string;
}

const URGENCY_CYCLE: Urgency[] = ['low', 'critical', 'medium', 'low', 'high', 'critical', 'low', 'medium'];
const MOVES: Status[][] = [[], ['in_progress'], [], ['resolved'], ['escalated'], [], ['rejected'], ['in_progress', 'resolved', 'closed'], []];

const sortable = (incident: Incident) => ({ ...incident, slaDueAt: Date.parse(incident.slaDueAt), updatedAt: Date.parse(incident.updatedAt) });
const inOrder = (sort: IncidentSort, items: Incident[]) => [...items].sort((a, b) => compareIncidents(sort)(sortable(a), sortable(b)));

// Orders and cursors are SQL (keyset over composite indexes), so they run on both stores.
await describeEachDatabase('incident list orders', (dialect) => {
  let t: TestApp;
  const clock = manualClock(Date.parse('2026-03-02T08:00:00Z'));
  const tokens: Record<'admin' | 'staff' | 'student', string> = { admin: '', staff: '', student: '' };
  const ids: Record<'admin' | 'staff' | 'student', string> = { admin: '', staff: '', student: '' };
  let staffDepartment: string;
  let categories: { code: string; departmentId: string }[];
  const known = new Map<string, Incident>();
  let created = 0;

  /** Reports one incident (the clock moves only when told, so some share a time and an SLA due time). */
  async function report(by: 'admin' | 'student', urgency: Urgency, category: string, moves: Status[] = []) {
    const answer = await t.request('POST', '/api/incidents', {
      token: tokens[by],
      body: { category, urgency, title: `Incidente ${created}`, description: `Descripción ${created}`, locationText: 'Pabellón A' },
    });
    assert.equal(answer.status, 201, answer.text);
    created += 1;
    let incident = answer.body as Incident;
    for (const status of moves) {
      clock.advance(700);
      const moved = await t.request('PATCH', `/api/incidents/${incident.id}`, { token: tokens.admin, body: { status, note: 'Revisado por la prueba' } });
      assert.equal(moved.status, 200, moved.text);
      incident = moved.body;
    }
    known.set(incident.id, incident);
    return incident;
  }

  /** Pages through a list `limit` at a time; `between` runs after each page (new reports arriving). */
  async function pageThrough(query: string, token: string, limit: number, between?: () => Promise<void>) {
    const items: Incident[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 200; pages++) {
      const answer = await t.request('GET', `/api/incidents?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
      assert.equal(answer.status, 200, answer.text);
      items.push(...(answer.body.items as Incident[]));
      cursor = answer.body.nextCursor;
      if (!cursor) return items;
      await between?.();
    }
    assert.fail('the cursor never ended');
  }

  before(async () => {
    t = await startApp({ dialect, clock, env: { ALERTA_DEMO: '1' } });
    tokens.admin = await t.adminToken();
    ids.admin = (await t.request('GET', '/api/auth/me', { token: tokens.admin })).body.id;
    const staff = await createUser(t, 'staff');
    const student = await createUser(t, 'student');
    tokens.staff = staff.token;
    tokens.student = student.token;
    ids.student = student.id;
    staffDepartment = (await t.request('GET', '/api/auth/me', { token: staff.token })).body.departmentId;
    categories = (await t.request('GET', '/api/categories', { token: tokens.admin })).body.items;
    const ofStaff = categories.filter((category) => category.departmentId === staffDepartment);
    assert.ok(ofStaff.length > 0, 'the staff member’s department receives some category');
    const others = categories.filter((category) => category.departmentId !== staffDepartment);
    for (let i = 0; i < 24; i++) {
      const category = (i % 3 === 0 ? ofStaff : others)[i % (i % 3 === 0 ? ofStaff.length : others.length)]!;
      await report(i % 4 === 0 ? 'student' : 'admin', URGENCY_CYCLE[i % URGENCY_CYCLE.length]!, category.code, MOVES[i % MOVES.length]);
      // Groups of three share a creation time: equal SLA due times, ties broken by id.
      if (i % 3 === 2) clock.advance(5_000 * ((i % 5) + 1));
    }
  });
  after(() => t.close());

  const everyone = () => [...known.values()];
  const FILTERS: { name: string; query: string; matches: (incident: Incident) => boolean }[] = [
    { name: 'no filter', query: '', matches: () => true },
    { name: 'open', query: OPEN_STATUSES.map((status) => `status=${status}`).join('&'), matches: (i) => OPEN_STATUSES.includes(i.status) },
    { name: 'pending', query: 'status=pending', matches: (i) => i.status === 'pending' },
    { name: 'resolved or closed', query: 'status=resolved&status=closed', matches: (i) => i.status === 'resolved' || i.status === 'closed' },
    { name: 'critical', query: 'urgency=critical', matches: (i) => i.urgency === 'critical' },
    { name: 'low or medium', query: 'urgency=low&urgency=medium', matches: (i) => i.urgency === 'low' || i.urgency === 'medium' },
    {
      name: 'open and critical',
      query: `${OPEN_STATUSES.map((status) => `status=${status}`).join('&')}&urgency=critical`,
      matches: (i) => OPEN_STATUSES.includes(i.status) && i.urgency === 'critical',
    },
    { name: 'in_progress and low', query: 'status=in_progress&urgency=low', matches: (i) => i.status === 'in_progress' && i.urgency === 'low' },
    { name: 'category', query: 'category=CATEGORY', matches: (i) => i.category === categories[0]!.code },
    { name: 'department', query: 'departmentId=DEPARTMENT', matches: (i) => i.departmentId === staffDepartment },
    {
      name: 'open, department and category',
      query: `${OPEN_STATUSES.map((status) => `status=${status}`).join('&')}&departmentId=DEPARTMENT&category=CATEGORY`,
      matches: (i) => OPEN_STATUSES.includes(i.status) && i.departmentId === staffDepartment && i.category === categories[0]!.code,
    },
    { name: 'mine', query: 'mine=true', matches: (i) => i.reporterId === ids.admin },
  ];
  const resolve = (query: string) => query.replace('CATEGORY', categories[0]!.code).replace('DEPARTMENT', staffDepartment);

  describe('every order pages through exactly what matches, in order', () => {
    for (const sort of INCIDENT_SORTS) {
      it(`sort=${sort} with each filter (admin)`, async () => {
        for (const filter of FILTERS) {
          const expected = inOrder(sort, everyone().filter(filter.matches)).map((incident) => incident.id);
          const got = await pageThrough(`sort=${sort}&${resolve(filter.query)}`, tokens.admin, 4);
          assert.deepEqual(
            got.map((incident) => incident.id),
            expected,
            `${sort} / ${filter.name}`,
          );
          // One page of everything agrees with the pages.
          const whole = await t.request('GET', `/api/incidents?sort=${sort}&${resolve(filter.query)}&limit=200`, { token: tokens.admin });
          assert.deepEqual(
            whole.body.items.map((incident: Incident) => incident.id),
            expected,
          );
        }
      });

      it(`sort=${sort} inside each role’s scope`, async () => {
        const staffSees = (i: Incident) => i.departmentId === staffDepartment;
        const studentSees = (i: Incident) => i.reporterId === ids.student;
        for (const [role, sees] of [['staff', staffSees], ['student', studentSees]] as const) {
          for (const filter of FILTERS.filter((f) => f.name !== 'mine' && f.name !== 'department' && !f.name.includes('department'))) {
            const expected = inOrder(sort, everyone().filter((i) => sees(i) && filter.matches(i))).map((incident) => incident.id);
            const got = await pageThrough(`sort=${sort}&${resolve(filter.query)}`, tokens[role], 4);
            assert.deepEqual(
              got.map((incident) => incident.id),
              expected,
              `${role} / ${sort} / ${filter.name}`,
            );
          }
        }
      });
    }
    it('newest is the default order', async () => {
      const got = await pageThrough('', tokens.admin, 7);
      assert.deepEqual(
        got.map((incident) => incident.id),
        inOrder('newest', everyone()).map((incident) => incident.id),
      );
    });

    it('urgency puts open critical incidents first, the nearest due first among them', async () => {
      const page = (await t.request('GET', '/api/incidents?sort=urgency&limit=200', { token: tokens.admin })).body.items as Incident[];
      const openCritical = everyone().filter((i) => i.urgency === 'critical' && OPEN_STATUSES.includes(i.status));
      assert.ok(openCritical.length >= 2);
      const head = page.slice(0, openCritical.length);
      assert.ok(head.every((i) => i.urgency === 'critical' && OPEN_STATUSES.includes(i.status)));
      for (let i = 1; i < head.length; i++) assert.ok(Date.parse(head[i - 1]!.slaDueAt) <= Date.parse(head[i]!.slaDueAt));
    });

    it('due puts every open incident before any resolved, closed or rejected one', async () => {
      const page = (await t.request('GET', '/api/incidents?sort=due&limit=200', { token: tokens.admin })).body.items as Incident[];
      const firstClosed = page.findIndex((i) => !OPEN_STATUSES.includes(i.status));
      assert.ok(firstClosed > 0);
      assert.ok(page.slice(firstClosed).every((i) => !OPEN_STATUSES.includes(i.status)));
    });
  });

  describe('while new incidents arrive between pages', () => {
    for (const sort of INCIDENT_SORTS) {
      it(`sort=${sort}: nothing that existed is skipped or repeated, and the pages stay in order`, async () => {
        for (const filter of [FILTERS[0]!, FILTERS[1]!]) {
          const existing = everyone().filter(filter.matches);
          let round = 0;
          const got = await pageThrough(`sort=${sort}&${resolve(filter.query)}`, tokens.admin, 5, async () => {
            // Some arrive at the same instant as the last ones, some later; every urgency.
            if (round >= 6) return;
            if (round % 2 === 0) clock.advance(1_000);
            await report('admin', URGENCY_CYCLE[round % URGENCY_CYCLE.length]!, categories[round % categories.length]!.code);
            round += 1;
          });
          const seen = got.map((incident) => incident.id);
          assert.equal(new Set(seen).size, seen.length, `${sort} / ${filter.name}: no duplicates`);
          for (const incident of existing) assert.ok(seen.includes(incident.id), `${sort} / ${filter.name}: ${incident.id} was skipped`);
          assert.ok(got.every(filter.matches));
          for (let i = 1; i < got.length; i++) {
            assert.ok(compareIncidents(sort)(sortable(got[i - 1]!), sortable(got[i]!)) < 0, `${sort} / ${filter.name}: out of order at ${i}`);
          }
          assert.ok(round > 0);
        }
      });
    }
  });

  describe('mistakes', () => {
    it('refuses an unknown order with 400', async () => {
      for (const sort of ['sla', 'priority', 'NEWEST', '']) {
        const answer = await t.request('GET', `/api/incidents?sort=${sort}`, { token: tokens.admin });
        assert.equal(answer.status, 400, sort);
        assert.match(answer.headers.get('content-type') ?? '', /application\/problem\+json/);
      }
    });

    it('refuses a cursor issued for another order with 400', async () => {
      for (const sort of INCIDENT_SORTS) {
        const first = await t.request('GET', `/api/incidents?sort=${sort}&limit=2`, { token: tokens.admin });
        const cursor = first.body.nextCursor as string;
        assert.ok(cursor);
        for (const other of INCIDENT_SORTS.filter((s) => s !== sort)) {
          const answer = await t.request('GET', `/api/incidents?sort=${other}&cursor=${encodeURIComponent(cursor)}`, { token: tokens.admin });
          assert.equal(answer.status, 400, `${sort} cursor used for ${other}`);
          assert.match(answer.headers.get('content-type') ?? '', /application\/problem\+json/);
          assert.equal(answer.body.code, 'invalid_cursor');
        }
      }
    });

    it('refuses a forged key with 400', async () => {
      const forged = [{ s: 'urgency', k: [0, 0, 'x', 'id'] }, { s: 'updated', k: [1] }, { s: 'due', k: [0, 1.5, 'id'] }, { s: 'newest', k: [7] }];
      for (const key of forged) {
        const cursor = Buffer.from(JSON.stringify(key)).toString('base64url');
        const answer = await t.request('GET', `/api/incidents?sort=${key.s}&cursor=${cursor}`, { token: tokens.admin });
        assert.equal(answer.status, 400, JSON.stringify(key));
      }
    });

    it('the department list takes the same orders', async () => {
      for (const sort of INCIDENT_SORTS) {
        const got = await t.request('GET', `/api/departments/${staffDepartment}/incidents?sort=${sort}&limit=200`, { token: tokens.staff });
        assert.equal(got.status, 200, got.text);
        assert.deepEqual(
          got.body.items.map((incident: Incident) => incident.id),
          inOrder(sort, everyone().filter((i) => i.departmentId === staffDepartment)).map((incident) => incident.id),
        );
      }
    });
  });
});
