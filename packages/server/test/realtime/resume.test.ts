import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SubscriptionFilters, Urgency, UserActor } from '@alertautec/core';
import type { SocketLike } from '@alertautec/client';
import { manualClock, startApp, type TestApp } from '../helpers/app.js';
import { createUser } from '../helpers/fixtures.js';
import { connectClient, eventually, expectedSeqs, headSeq, nextMessage, rawSocket, report, viewerOf, type RecordingClient } from '../helpers/realtime.js';

/**
 * §4 resume: a client that drops and comes back resumes each subscription from the last
 * seq it saw — replay then live, no duplicates, no gaps at the seam.
 */
let t: TestApp;

before(async () => {
  t = await startApp({ env: { PASSWORD_HASH_COST: '10', LOGIN_RATE_LIMIT: '1000', WS_MAX_CONNECTIONS_PER_USER: '30' } });
});
after(() => t.close());

const CATEGORIES = ['infrastructure', 'security', 'health', 'technology'] as const;
const URGENCIES: Urgency[] = ['low', 'medium', 'high', 'critical'];
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

describe('resume without loss', () => {
  it('1,000 events while 50 clients drop and reconnect at random: each ends with exactly what it may see', async () => {
    const students = await Promise.all([0, 1, 2, 3].map(() => createUser(t, 'student')));
    const category = async (code: string) => (await t.request('GET', '/api/categories', { token: students[0]!.token })).body.items.find((c: { code: string }) => c.code === code).departmentId as string;
    const staffM = await createUser(t, 'staff', { departmentId: await category('infrastructure') });
    const staffS = await createUser(t, 'staff', { departmentId: await category('security') });
    const [authority, admin] = await Promise.all([createUser(t, 'authority'), createUser(t, 'admin')]);

    const auth = t.system.services.auth;
    const actor = async (token: string): Promise<UserActor> => auth.actorFromAccessToken(token);
    const studentActors = await Promise.all(students.map((s) => actor(s.token)));
    const workers = await Promise.all([staffM, staffS, authority].map((u) => actor(u.token)));
    const authorityActor = workers[2]!;

    // 50 clients over six users, some with filters.
    const plan: { user: typeof admin; filters: SubscriptionFilters }[] = [];
    const users = [students[0]!, students[1]!, staffM, staffS, authority, admin];
    const filterChoices: SubscriptionFilters[] = [{}, {}, { urgency: ['high', 'critical'] }, { category: 'security' }, { category: ['infrastructure', 'health'], urgency: 'low' }];
    for (let i = 0; i < 50; i++) plan.push({ user: users[i % users.length]!, filters: filterChoices[i % filterChoices.length]! });

    const start = await headSeq(t);
    await eventually(() => t.system.realtime.broadcaster.cursorOf('default') >= start, 5_000, 'the broadcaster');
    const clients: { recording: RecordingClient; filters: SubscriptionFilters; token: string }[] = plan.map(({ user, filters }) => {
      const recording = connectClient(t, user.token, { backoffMs: 10 });
      recording.client.subscribe(filters);
      return { recording, filters, token: user.token };
    });
    // Each subscription must know where it stands before the first drop.
    await eventually(() => clients.every((c) => (c.recording.client as unknown as { subscriptions: Map<string, { cursor?: number }> }).subscriptions.values().next().value?.cursor !== undefined), 10_000, 'every Subscribed');

    // Drops at random, from both ends: the client closes, or the server cuts the TCP connection.
    let drops = 0;
    let turn = 0;
    const churn = setInterval(() => {
      // Every client in turn closes its socket; on top, the server cuts one at random.
      const socket = (clients[turn++ % clients.length]!.recording.client as unknown as { socket?: SocketLike }).socket;
      if (socket?.readyState === 1) {
        socket.close(1000, 'test drop');
        drops += 1;
      }
      const connections = [...t.system.realtime.registry.all()];
      if (connections.length > 0 && Math.random() < 0.5) {
        pick(connections).socket.terminate();
        drops += 1;
      }
    }, 5);

    // 1,000 events through the services: creates, comments (public and internal), status moves.
    const incidents: { id: string; status: 'pending' | 'in_progress' | 'escalated'; reporter: UserActor; busy: boolean }[] = [];
    let written = 0;
    const TOTAL = 1000;
    const writer = async () => {
      while (written < TOTAL) {
        written += 1;
        const roll = Math.random();
        const free = incidents.filter((i) => !i.busy);
        if (incidents.length < 10 || roll < 0.2 || free.length === 0) {
          const reporter = pick(studentActors);
          const { incident } = await t.system.services.incidents.create(reporter, {
            category: pick(CATEGORIES),
            urgency: pick(URGENCIES),
            description: `Incidente ${written}`,
            locationText: 'Pabellón B',
            anonymous: Math.random() < 0.2,
          });
          incidents.push({ id: incident.id, status: 'pending', reporter, busy: false });
        } else if (roll < 0.6) {
          const incident = pick(incidents);
          if (Math.random() < 0.4) {
            await t.system.services.incidents.comment(incident.reporter, incident.id, { text: `Comentario ${written}` });
          } else {
            await t.system.services.incidents.comment(authorityActor, incident.id, { text: `Nota ${written}`, internal: Math.random() < 0.5 });
          }
        } else {
          const incident = pick(free);
          incident.busy = true;
          const next = incident.status === 'in_progress' ? 'escalated' : 'in_progress';
          await t.system.services.incidents.changeStatus(authorityActor, incident.id, { status: next }, undefined);
          incident.status = next;
          incident.busy = false;
        }
      }
    };
    await Promise.all([0, 1, 2, 3, 4, 5].map(writer));
    clearInterval(churn);
    assert.equal((await headSeq(t)) - start, TOTAL);
    assert.ok(drops >= 50, `only ${drops} drops`);

    const expected = await Promise.all(clients.map(async (c) => expectedSeqs(t, await viewerOf(t, c.token), c.filters, start)));
    assert.ok(expected.filter((seqs) => seqs.length > 0).length >= 45, 'nearly every client has something to receive');
    for (const [i, c] of clients.entries()) {
      const want = expected[i]!;
      await eventually(() => c.recording.events.length >= want.length && c.recording.client.state === 'live', 20_000, `client ${i} to catch up (${c.recording.events.length}/${want.length})`);
    }
    for (const [i, c] of clients.entries()) {
      const got = c.recording.events.map((e) => e.seq);
      assert.deepEqual(got, expected[i], `client ${i} (${JSON.stringify(c.filters)}) ends with exactly what it may see`);
      // It really went through drops and came back.
      assert.equal(c.recording.states[0], 'connecting');
      assert.ok(c.recording.states.includes('reconnecting'), `client ${i} never dropped`);
      c.recording.close();
    }
    void workers;
  });

  it('stops a replay when the client unsubscribes during it: nothing of it after Unsubscribed', async () => {
    const head = await headSeq(t);
    assert.ok(head >= 1000, 'the log of the test before');
    const socket = await rawSocket(t, await t.adminToken());
    // The server's end of the replay is what the test waits for: the subscribe action's promise.
    const { broadcaster } = t.system.realtime;
    const subscribe = broadcaster.subscribe.bind(broadcaster);
    const replays: Promise<void>[] = [];
    broadcaster.subscribe = (...args) => {
      const replay = subscribe(...args);
      replays.push(replay);
      return replay;
    };
    try {
      // The first subscription of a connection is s1: the unsubscribe follows right behind,
      // and actions are taken in order.
      socket.ws.send(JSON.stringify({ action: 'subscribeIncidents', since: 0 }));
      socket.ws.send(JSON.stringify({ action: 'unsubscribe', subscriptionId: 's1' }));
      await nextMessage(socket, (m) => m.type === 'Unsubscribed', 'Unsubscribed');
      assert.equal(replays.length, 1, 'the subscribe action reached the broadcaster');
      await replays[0];
    } finally {
      delete (broadcaster as Partial<typeof broadcaster>).subscribe;
    }
    // The replay is over on the server; a Pong written after it arrives after all it sent.
    socket.ws.send(JSON.stringify({ action: 'ping' }));
    await nextMessage(socket, (m) => m.type === 'Pong', 'Pong');
    const types = socket.messages.map((m) => (m as { type: string }).type).filter((type) => !/^(Incident|Comment|Department|Attachment)/.test(type));
    assert.deepEqual(types, ['Subscribed', 'Unsubscribed', 'Pong']);
    const at = socket.messages.findIndex((m) => (m as { type: string }).type === 'Unsubscribed');
    const replayed = socket.messages.filter((m) => typeof (m as { seq?: unknown }).seq === 'number');
    const after = socket.messages.slice(at + 1).filter((m) => typeof (m as { seq?: unknown }).seq === 'number');
    assert.equal(after.length, 0, `events after Unsubscribed (${replayed.length} in all)`);
    socket.ws.close();
  });

  it('answers ResyncRequired {headSeq} when `since` is older than REALTIME_RETENTION_EVENTS, and replays within it', async () => {
    const small = await startApp({ env: { PASSWORD_HASH_COST: '10', REALTIME_RETENTION_EVENTS: '5' } });
    try {
      const student = await createUser(small, 'student');
      const admin = await small.adminToken();
      // Connected before the writes, so the broadcaster follows the tenant from here.
      const socket = await rawSocket(small, admin);
      const first = await report(small, student.token);
      for (let i = 0; i < 9; i++) {
        const answer = await small.request('POST', `/api/incidents/${first.id}/comments`, { token: admin, body: { text: `c${i}` } });
        assert.equal(answer.status, 201);
      }
      const head = await headSeq(small);
      await eventually(() => small.system.realtime.broadcaster.cursorOf('default') >= head, 5_000, 'the broadcaster');
      socket.ws.send(JSON.stringify({ action: 'subscribeIncidents', since: head - 6, ref: 'old' }));
      await eventually(() => socket.messages.some((m) => (m as { type: string }).type === 'ResyncRequired'), 5_000, 'ResyncRequired');
      const resync = socket.messages.find((m) => (m as { type: string }).type === 'ResyncRequired') as { headSeq: number; subscriptionId: string };
      assert.equal(resync.headSeq, head);
      socket.ws.send(JSON.stringify({ action: 'subscribeIncidents', since: head - 5, ref: 'ok' }));
      const replayed = await eventually(() => {
        const seqs = socket.messages.filter((m) => (m as { subscriptionId?: string; seq?: number }).subscriptionId === 's2' && typeof (m as { seq?: number }).seq === 'number');
        return seqs.length === 5 && seqs.map((m) => (m as { seq: number }).seq);
      }, 5_000, 'the replay');
      assert.deepEqual(replayed, [head - 4, head - 3, head - 2, head - 1, head]);
      // Nothing was replayed for the refused subscription, and it goes on live.
      assert.equal(socket.messages.filter((m) => (m as { subscriptionId?: string; seq?: number }).subscriptionId === resync.subscriptionId && 'seq' in (m as object)).length, 0);
      // The SDK reports it as a resync and moves its cursor to the head.
      const sdk = connectClient(small, admin);
      const resyncs: number[] = [];
      sdk.client.on('resync', (_subscription, headSeq) => resyncs.push(headSeq));
      const subscription = sdk.client.subscribe({}, 1);
      await eventually(() => resyncs.length === 1, 5_000, 'the resync event');
      assert.deepEqual(resyncs, [head]);
      assert.equal(subscription.cursor, head);
      assert.equal(sdk.events.length, 0);
      sdk.close();
      socket.ws.close();
    } finally {
      await small.close();
    }
  });

  it('answers ResyncRequired {headSeq} when `since` is beyond the head of the log, and goes on live', async () => {
    const admin = await t.adminToken();
    const student = await createUser(t, 'student');
    const socket = await rawSocket(t, admin);
    const head = await headSeq(t);
    await eventually(() => t.system.realtime.broadcaster.cursorOf('default') >= head, 5_000, 'the broadcaster');
    socket.ws.send(JSON.stringify({ action: 'subscribeIncidents', since: head + 1_000 }));
    const resync = await nextMessage(socket, (m) => m.type === 'ResyncRequired', 'ResyncRequired');
    assert.equal(resync.headSeq, head);
    // The subscription is live from the head: the next event reaches it.
    const incident = await report(t, student.token);
    const live = await nextMessage(socket, (m) => m.type === 'IncidentCreated' && m.id === incident.id, 'the live event');
    assert.equal(live.subscriptionId, resync.subscriptionId);
    assert.equal(live.seq, head + 1);
    socket.ws.close();
  });

  it('answers ResyncRequired when `since` is older than REALTIME_RETENTION_DAYS', async () => {
    const clock = manualClock();
    // No workers: eight days on, the SLA escalation would append events of its own.
    const aged = await startApp({ clock, env: { PASSWORD_HASH_COST: '10', REALTIME_RETENTION_DAYS: '7', ALERTA_ROLES: 'api,realtime' } });
    try {
      const student = await createUser(aged, 'student');
      const incident = await report(aged, student.token);
      clock.advance(8 * 86_400_000);
      // Tokens from before the jump have expired; sign in again.
      const admin = await aged.login('admin@test.example', 'admin-password-1');
      const socket = await rawSocket(aged, admin);
      const comment = await aged.request('POST', `/api/incidents/${incident.id}/comments`, { token: admin, body: { text: 'nuevo' } });
      assert.equal(comment.status, 201);
      const head = await headSeq(aged);
      await eventually(() => aged.system.realtime.broadcaster.cursorOf('default') >= head, 5_000, 'the broadcaster');
      socket.ws.send(JSON.stringify({ action: 'subscribeIncidents', since: head - 2 }));
      const resync = await nextMessage(socket, (m) => m.type === 'ResyncRequired', 'ResyncRequired');
      assert.equal(resync.headSeq, head);
      // Within the window (only the fresh event after `since`), it replays.
      socket.ws.send(JSON.stringify({ action: 'subscribeIncidents', since: head - 1 }));
      const replayed = await nextMessage(socket, (m) => m.seq === head, 'the replay');
      assert.equal(replayed.subscriptionId, 's2');
      socket.ws.close();
    } finally {
      await aged.close();
    }
  });
});
