import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { IncidentEvent } from '@alertautec/core';
import { startApp, type TestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { createOtherTenant, createUser } from '../helpers/fixtures.js';
import { connectClient, eventually } from '../helpers/realtime.js';
import { waitFor } from '../helpers/wait.js';

type User = Awaited<ReturnType<typeof createUser>>;

/** "It affects me too" (POST /api/incidents/:id/affected, docs/incidents.md). */
await describeEachDatabase('it affects me too', (dialect) => {
  let t: TestApp;
  let reporter: User;
  let follower: User;
  let second: User;
  let staff: User;
  let authority: User;
  let infraDept: string;

  before(async () => {
    t = await startApp({ dialect, env: { PASSWORD_HASH_COST: '10', LOGIN_RATE_LIMIT: '1000' } });
    const categories = await t.request('GET', '/api/categories', { token: await t.adminToken() });
    infraDept = categories.body.items.find((c: { code: string }) => c.code === 'infrastructure').departmentId;
    [reporter, follower, second, staff, authority] = await Promise.all([
      createUser(t, 'student'),
      createUser(t, 'student'),
      createUser(t, 'student'),
      createUser(t, 'staff', { departmentId: infraDept }),
      createUser(t, 'authority'),
    ]);
  });
  after(() => t.close());

  const body = { category: 'infrastructure', description: 'No hay luz en el aula A-101', urgency: 'medium', locationText: 'Aula A-101', lat: -12.1352, lng: -77.0221, anonymous: true };
  async function report(token = reporter.token) {
    const created = await t.request('POST', '/api/incidents', { token, body });
    assert.equal(created.status, 201, created.text);
    return created.body as { id: string; affectedCount: number };
  }
  const affected = (token: string, id: string) => t.request('POST', `/api/incidents/${id}/affected`, { token });
  const move = async (id: string, status: string, note?: string) => {
    const answer = await t.request('PATCH', `/api/incidents/${id}`, { token: authority.token, body: { status, ...(note ? { note } : {}) } });
    assert.equal(answer.status, 200, answer.text);
  };

  it('a student found among the preview’s duplicates joins once: the count rises once, one event, and they now see its public view and list', async () => {
    const incident = await report();
    assert.equal(incident.affectedCount, 1);
    const preview = await t.request('POST', '/api/incidents/preview', { token: follower.token, body });
    assert.equal(preview.status, 200, preview.text);
    const duplicate = preview.body.possibleDuplicates.find((d: { id: string }) => d.id === incident.id);
    assert.ok(duplicate, 'the preview offers the incident');
    assert.equal(duplicate.affectedCount, 1);
    assert.equal(duplicate.title, null, 'others’ texts stay hidden');

    // Not yet a follower: not visible.
    assert.equal((await t.request('GET', `/api/incidents/${incident.id}`, { token: follower.token })).status, 404);

    const first = await affected(follower.token, incident.id);
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.body, { affectedCount: 2 });
    const again = await affected(follower.token, incident.id);
    assert.deepEqual(again.body, { affectedCount: 2 }, 'idempotent per student');
    assert.deepEqual((await affected(second.token, incident.id)).body, { affectedCount: 3 });
    // The reporter already counts.
    assert.deepEqual((await affected(reporter.token, incident.id)).body, { affectedCount: 3 });

    const staffEvents = await t.request('GET', `/api/incidents/${incident.id}/events`, { token: staff.token });
    const joined = (staffEvents.body.items as IncidentEvent[]).filter((e) => e.type === 'IncidentAffected');
    assert.deepEqual(
      joined.map((e) => [e.actorId, (e as { affectedCount: number }).affectedCount]),
      [
        [follower.id, 2],
        [second.id, 3],
      ],
    );

    const view = await t.request('GET', `/api/incidents/${incident.id}`, { token: follower.token });
    assert.equal(view.status, 200, view.text);
    assert.equal(view.body.affectedCount, 3);
    assert.equal(view.body.reporterId, null, 'anonymous: the reporter stays hidden');
    assert.equal((await t.request('GET', `/api/incidents/${incident.id}`, { token: authority.token })).body.affectedCount, 3);

    const list = await t.request('GET', '/api/incidents?limit=200', { token: follower.token });
    assert.deepEqual(list.body.items.map((i: { id: string }) => i.id), [incident.id]);
    const mine = await t.request('GET', '/api/incidents?mine=true&limit=200', { token: follower.token });
    assert.deepEqual(mine.body.items, [], '`mine` keeps meaning reported by me');

    // Public comments yes, internal ones never; who joined is not shown to students.
    await t.request('POST', `/api/incidents/${incident.id}/comments`, { token: staff.token, body: { text: 'Vamos en camino', internal: false } });
    await t.request('POST', `/api/incidents/${incident.id}/comments`, { token: staff.token, body: { text: 'Nota interna', internal: true } });
    const events = (await t.request('GET', `/api/incidents/${incident.id}/events`, { token: follower.token })).body.items as IncidentEvent[];
    const texts = events.filter((e) => e.type === 'CommentAdded').map((e) => (e as { text: string }).text);
    assert.deepEqual(texts, ['Vamos en camino']);
    assert.ok(events.filter((e) => e.type === 'IncidentAffected').every((e) => e.actorId === null));
    assert.ok(events.every((e) => e.actorId !== reporter.id && (e as { reporterId?: string }).reporterId !== reporter.id));
    // A follower has none of the reporter's rights.
    await move(incident.id, 'resolved');
    const close = await t.request('PATCH', `/api/incidents/${incident.id}`, { token: follower.token, body: { status: 'closed' } });
    assert.equal(close.status, 403, close.text);
  });

  it('refuses other roles (403), closed incidents (409 incident_not_open) and other tenants’ (404)', async () => {
    const incident = await report();
    for (const token of [staff.token, authority.token, await t.adminToken()]) {
      const answer = await affected(token, incident.id);
      assert.equal(answer.status, 403, answer.text);
    }
    const other = await createOtherTenant(t);
    assert.equal((await affected(other.token, incident.id)).status, 404, 'another tenant’s incident does not exist for them');
    const otherStudent = await createUser(t, 'student');
    const foreignEmail = `s-${Date.now()}@${other.tenantId}.example`;
    const foreign = await t.request('POST', '/api/users', {
      token: other.token,
      body: { email: foreignEmail, password: 'student-password-1', name: 'Otro', role: 'student' },
    });
    assert.equal(foreign.status, 201, foreign.text);
    const foreignToken = await t.login(foreignEmail, 'student-password-1');
    assert.equal((await affected(foreignToken, incident.id)).status, 404);
    assert.equal((await affected(otherStudent.token, 'does-not-exist')).status, 404);

    await move(incident.id, 'rejected', 'No procede');
    const closed = await affected(otherStudent.token, incident.id);
    assert.equal(closed.status, 409, closed.text);
    assert.equal(closed.body.code, 'incident_not_open');
    assert.equal((await t.request('GET', `/api/incidents/${incident.id}`, { token: authority.token })).body.affectedCount, 1);
  });

  it('the follower receives the next public status change live and its notification', async () => {
    const incident = await report();
    const joiner = await createUser(t, 'student');
    const live = connectClient(t, joiner.token);
    try {
      const subscription = live.client.subscribe({});
      await eventually(() => subscription.cursor !== undefined, 5_000, 'Subscribed');
      assert.equal((await affected(joiner.token, incident.id)).status, 200);
      await move(incident.id, 'in_progress', 'Electricista asignado');
      const change = await eventually(
        () => live.events.find((e) => e.id === incident.id && e.type === 'IncidentStatusChanged'),
        5_000,
        'the status change',
      );
      assert.equal((change as { status: string }).status, 'in_progress');
      const affectedEvent = live.events.find((e) => e.id === incident.id && e.type === 'IncidentAffected');
      assert.ok(affectedEvent, 'their own join reached them too');
      assert.equal(affectedEvent.actorId, null);
      await t.request('POST', `/api/incidents/${incident.id}/comments`, { token: staff.token, body: { text: 'interno', internal: true } });
      await t.request('POST', `/api/incidents/${incident.id}/comments`, { token: staff.token, body: { text: 'público' } });
      await eventually(() => live.events.some((e) => e.type === 'CommentAdded' && (e as { text: string }).text === 'público'), 5_000, 'the public comment');
      assert.ok(!live.events.some((e) => e.type === 'CommentAdded' && (e as { internal: boolean }).internal), 'never an internal comment');
    } finally {
      live.close();
    }
    const inbox = await waitFor(async () => {
      const answer = await t.request('GET', '/api/me/notifications', { token: joiner.token });
      return (answer.body.items as { incidentId: string }[]).find((n) => n.incidentId === incident.id) ? answer.body : undefined;
    });
    assert.ok(inbox.items.length >= 1);
  });
});
