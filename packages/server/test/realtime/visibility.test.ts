import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IncidentEvent, SubscriptionFilters } from '@alertautec/core';
import { startApp, type TestApp } from '../helpers/app.js';
import { createOtherTenant, createUser } from '../helpers/fixtures.js';
import { connectClient, eventually, expectedSeqs, headSeq, rawSocket, report, viewerOf, type RecordingClient, type Viewer } from '../helpers/realtime.js';

/**
 * §4: a connection receives only events about incidents its user may see — the same
 * policy as HTTP — and students never receive internal comments, whatever they send.
 */
let t: TestApp;
let departments: Map<string, string>;
type User = Awaited<ReturnType<typeof createUser>>;

before(async () => {
  t = await startApp({ env: { PASSWORD_HASH_COST: '10', LOGIN_RATE_LIMIT: '1000' } });
  const list = await t.request('GET', '/api/departments', { token: await t.adminToken() });
  departments = new Map((list.body.items as { id: string; name: string }[]).map((d) => [d.name, d.id]));
});
after(() => t.close());

const dept = (name: string) => {
  const id = [...departments].find(([full]) => full.startsWith(name))?.[1];
  assert.ok(id, `department ${name}`);
  return id;
};
const seqsOf = (events: readonly IncidentEvent[]) => events.map((event) => event.seq);
const comment = async (token: string, id: string, text: string, internal = false) => {
  const answer = await t.request('POST', `/api/incidents/${id}/comments`, { token, body: { text, internal } });
  assert.equal(answer.status, 201, answer.text);
  return answer.body as IncidentEvent;
};
const move = async (token: string, id: string, status: string) => {
  const answer = await t.request('PATCH', `/api/incidents/${id}`, { token, body: { status } });
  assert.equal(answer.status, 200, answer.text);
};

/** Publishes a marker to everyone in the caller's tenant and waits until each client has it. */
async function barrier(token: string, clients: RecordingClient[], raw: { messages: unknown[] }[] = []) {
  const marker = `m${Math.random().toString(36).slice(2)}`;
  const published = await t.request('POST', '/api/realtime/events', { token, body: { type: 'test.marker', audience: { all: true }, data: { marker } } });
  assert.equal(published.status, 202, published.text);
  const has = (data: unknown) => (data as { marker?: string } | null)?.marker === marker;
  for (const client of clients) await eventually(() => client.published.some((event) => has(event.data)), 5_000, 'the marker');
  for (const socket of raw) await eventually(() => socket.messages.some((m) => has((m as { data?: unknown }).data)), 5_000, 'the marker');
}

async function live(user: User, filters: SubscriptionFilters = {}) {
  const client = connectClient(t, user.token);
  const subscription = client.client.subscribe(filters);
  await eventually(() => subscription.cursor !== undefined, 5_000, 'Subscribed');
  return client;
}

describe('visibility for every role', () => {
  it('gives each role exactly what it may see, hides internal comments and anonymous reporters, across reassignment', async () => {
    const [studentA, studentB, staffM, staffS, staffIT, authority, admin] = await Promise.all([
      createUser(t, 'student'),
      createUser(t, 'student'),
      createUser(t, 'staff', { departmentId: dept('Infraestructura') }),
      createUser(t, 'staff', { departmentId: dept('Seguridad') }),
      createUser(t, 'staff', { departmentId: dept('Tecnolog') }),
      createUser(t, 'authority'),
      createUser(t, 'admin'),
    ]);
    const other = await createOtherTenant(t);
    const start = await headSeq(t);

    const users = { studentA, studentB, staffM, staffS, staffIT, authority, admin };
    const clients = Object.fromEntries(await Promise.all(Object.entries(users).map(async ([name, user]) => [name, await live(user)] as const))) as Record<
      keyof typeof users,
      RecordingClient
    >;
    const otherClient = await live({ ...other, id: '' });
    // Student A tries to reach other people's incidents with crafted filters.
    const crafty = await rawSocket(t, studentA.token);
    const probe = async (filters: SubscriptionFilters) => {
      crafty.ws.send(JSON.stringify({ action: 'subscribeIncidents', filters, ref: JSON.stringify(filters).slice(0, 60) }));
    };

    const incB = await report(t, studentB.token, { category: 'infrastructure', urgency: 'high' });
    await Promise.all([
      probe({ incidentId: incB.id }),
      probe({ incidentId: [incB.id, 'nope'] }),
      probe({ departmentId: dept('Infraestructura') }),
      probe({ category: 'infrastructure', urgency: 'high' }),
    ]);
    await eventually(() => crafty.messages.filter((m) => (m as { type: string }).type === 'Subscribed').length === 4, 5_000, 'crafted subscriptions');

    const incA = await report(t, studentA.token, { category: 'security', urgency: 'low', anonymous: true });
    await comment(staffM.token, incB.id, 'nota interna de mantenimiento', true);
    await comment(staffM.token, incB.id, 'vamos en camino');
    await move(staffS.token, incA.id, 'in_progress');
    await comment(staffS.token, incA.id, 'interno seguridad', true);
    await comment(studentA.token, incA.id, 'sigue pasando');
    const assigned = await t.request('PUT', `/api/incidents/${incA.id}/department`, { token: await t.adminToken(), body: { departmentId: dept('Tecnolog') } });
    assert.equal(assigned.status, 200, assigned.text);
    await comment(staffIT.token, incA.id, 'interno TI', true);
    await comment(staffIT.token, incA.id, 'público TI');
    const incC = await report(t, studentA.token, { category: 'health', urgency: 'critical' });
    // The other tenant's own incident never reaches this tenant.
    const otherIncident = await t.request('POST', '/api/incidents', { token: other.token, body: { category: 'security', description: 'Otro campus', urgency: 'low', locationText: 'Lejos' } });
    assert.equal(otherIncident.status, 201, otherIncident.text);

    await barrier(await t.adminToken(), Object.values(clients), [crafty]);
    await barrier(other.token, [otherClient]);

    for (const [name, client] of Object.entries(clients)) {
      const viewer: Viewer = await viewerOf(t, users[name as keyof typeof users].token);
      assert.deepEqual(seqsOf(client.events), await expectedSeqs(t, viewer, {}, start), `${name} receives exactly what it may see`);
      assert.equal(new Set(seqsOf(client.events)).size, client.events.length, `${name}: no duplicates`);
    }

    // Students: only their own incidents, never an internal comment.
    for (const name of ['studentA', 'studentB'] as const) {
      for (const event of clients[name].events) {
        assert.ok(!(event.type === 'CommentAdded' && event.internal), `${name} got an internal comment`);
      }
    }
    assert.deepEqual(new Set(clients.studentA.events.map((e) => e.id)), new Set([incA.id, incC.id]));
    assert.deepEqual(new Set(clients.studentB.events.map((e) => e.id)), new Set([incB.id]));
    assert.equal(clients.studentA.events.filter((e) => e.id === incA.id).length, 5, 'created, status, own comment, reassignment, public TI comment');
    // Crafted filters bring nothing: only the other student's incident matches them.
    const craftedEvents = crafty.messages.filter((m) => typeof (m as { seq?: unknown }).seq === 'number');
    assert.deepEqual(craftedEvents, []);

    // Staff: their department only; the reassignment reaches the old and the new one.
    assert.deepEqual(new Set(clients.staffM.events.map((e) => e.id)), new Set([incB.id]));
    const oldDept = clients.staffS.events.filter((e) => e.id === incA.id).map((e) => e.type);
    assert.deepEqual(oldDept, ['IncidentCreated', 'IncidentStatusChanged', 'CommentAdded', 'CommentAdded', 'DepartmentAssigned']);
    const newDept = clients.staffIT.events.filter((e) => e.id === incA.id).map((e) => e.type);
    assert.deepEqual(newDept, ['DepartmentAssigned', 'CommentAdded', 'CommentAdded']);
    assert.ok(!clients.staffIT.events.some((e) => e.id === incC.id), 'health is not IT');

    // Authority and admin: everything in the tenant, internal comments included.
    for (const name of ['authority', 'admin'] as const) {
      const ids = new Set(clients[name].events.map((e) => e.id));
      assert.deepEqual(ids, new Set([incA.id, incB.id, incC.id]));
      assert.equal(clients[name].events.filter((e) => e.type === 'CommentAdded' && e.internal).length, 3);
    }

    // Anonymous incident: the reporter is hidden from everyone but admins (even from the reporter's own stream).
    for (const name of ['studentA', 'staffS', 'staffIT', 'authority'] as const) {
      for (const event of clients[name].events.filter((e) => e.id === incA.id)) {
        assert.notEqual(event.actorId, studentA.id, `${name} sees the reporter as actor of ${event.type}`);
        if (event.type === 'IncidentCreated') assert.equal(event.reporterId, null);
        if (event.type === 'CommentAdded' && event.text === 'sigue pasando') {
          assert.equal(event.actorId, null);
          assert.equal(event.authorId, null);
        }
      }
    }
    const adminCreated = clients.admin.events.find((e) => e.id === incA.id && e.type === 'IncidentCreated');
    assert.equal(adminCreated?.type === 'IncidentCreated' ? adminCreated.reporterId : undefined, studentA.id);
    assert.equal(adminCreated?.actorId, studentA.id);
    // Not anonymous: names stay.
    const created = clients.authority.events.find((e) => e.id === incC.id && e.type === 'IncidentCreated');
    assert.equal(created?.type === 'IncidentCreated' ? created.reporterId : undefined, studentA.id);

    // Another tenant: nothing of this one (only its own incident).
    assert.deepEqual(new Set(otherClient.events.map((e) => e.id)), new Set([otherIncident.body.id]));

    for (const client of [...Object.values(clients), otherClient]) client.close();
    crafty.ws.close();
  });

  it('applies filters by status, urgency, category, department and incident (single values and arrays)', async () => {
    const [student, authority, staffM] = await Promise.all([
      createUser(t, 'student'),
      createUser(t, 'authority'),
      createUser(t, 'staff', { departmentId: dept('Infraestructura') }),
    ]);
    const client = connectClient(t, authority.token);
    const staffClient = connectClient(t, staffM.token);
    const perSubscription = new Map<unknown, number[]>();
    for (const c of [client, staffClient]) {
      c.client.on('event', (event, subscription) => perSubscription.set(subscription, [...(perSubscription.get(subscription) ?? []), event.seq]));
    }
    const first = await report(t, student.token, { category: 'infrastructure', urgency: 'high' });
    const second = await report(t, student.token, { category: 'health', urgency: 'low' });
    // Subscribe once the broadcaster has passed these two: they came before the subscriptions.
    const start = await headSeq(t);
    await eventually(() => t.system.realtime.broadcaster.cursorOf('default') >= start, 5_000, 'the broadcaster to catch up');
    const filters: SubscriptionFilters[] = [
      { status: 'pending' },
      { status: ['in_progress', 'resolved'] },
      { urgency: 'high' },
      { urgency: ['low', 'critical'] },
      { category: 'health' },
      { category: ['health', 'technology'] },
      { departmentId: dept('Infraestructura') },
      { departmentId: [dept('Seguridad'), dept('Tópico')] },
      { incidentId: first.id },
      { incidentId: [second.id, 'unknown'] },
      { category: 'infrastructure', status: 'in_progress' },
    ];
    const subscriptions = filters.map((f) => client.client.subscribe(f));
    // Staff asking for another department's incidents get nothing of them.
    const staffSub = staffClient.client.subscribe({ departmentId: dept('Tópico') });
    const staffAll = staffClient.client.subscribe({});
    await eventually(() => [...subscriptions, staffSub, staffAll].every((s) => s.cursor !== undefined), 5_000, 'Subscribed');

    const later = await report(t, student.token, { category: 'technology', urgency: 'critical' });
    await move(authority.token, first.id, 'in_progress');
    await move(authority.token, second.id, 'resolved');
    await move(authority.token, later.id, 'in_progress');
    await move(authority.token, first.id, 'resolved');
    const another = await report(t, student.token, { category: 'health', urgency: 'low' });
    await move(authority.token, another.id, 'in_progress');
    await barrier(await t.adminToken(), [client, staffClient]);

    const viewer = await viewerOf(t, authority.token);
    for (const [i, f] of filters.entries()) {
      const mine = perSubscription.get(subscriptions[i]!) ?? [];
      assert.deepEqual(mine, await expectedSeqs(t, viewer, f, start), `filters ${JSON.stringify(f)}`);
      assert.ok(mine.length > 0, `filters ${JSON.stringify(f)} match something`);
    }
    assert.deepEqual(perSubscription.get(staffSub) ?? [], []);
    assert.deepEqual(perSubscription.get(staffAll) ?? [], await expectedSeqs(t, await viewerOf(t, staffM.token), {}, start));
    client.close();
    staffClient.close();
  });
});
