import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApp, type TestApp } from '../helpers/app.js';
import { createOtherTenant, createUser } from '../helpers/fixtures.js';
import { connectClient, eventually, rawSocket, type RecordingClient } from '../helpers/realtime.js';

/** Contract "Realtime publish": other services push their own events to chosen audiences. */
let t: TestApp;
let admin: string;
let publishKey: string;
let introspectKey: string;
let departments: string[];

before(async () => {
  t = await startApp({ env: { PASSWORD_HASH_COST: '10', LOGIN_RATE_LIMIT: '1000' } });
  admin = await t.adminToken();
  const key = async (scopes: string[]) => {
    const created = await t.request('POST', '/api/api-keys', { token: admin, body: { name: `key ${scopes.join()}`, scopes } });
    assert.equal(created.status, 201, created.text);
    return created.body.key as string;
  };
  publishKey = await key(['realtime:publish']);
  introspectKey = await key(['auth:introspect']);
  const list = await t.request('GET', '/api/departments', { token: admin });
  departments = (list.body.items as { id: string }[]).map((d) => d.id);
});
after(() => t.close());

const publish = (body: unknown, auth: { key?: string; token?: string } = { key: publishKey }) =>
  t.request('POST', '/api/realtime/events', { ...(auth.token ? { token: auth.token } : {}), headers: auth.key ? { 'x-api-key': auth.key } : {}, body });

describe('publish API', () => {
  it('delivers each audience (userIds, roles, departmentIds, all) to exactly the right connections', async () => {
    const [studentA, studentB, staffM, staffS, authority, otherAdmin] = await Promise.all([
      createUser(t, 'student'),
      createUser(t, 'student'),
      createUser(t, 'staff', { departmentId: departments[0] }),
      createUser(t, 'staff', { departmentId: departments[1] }),
      createUser(t, 'authority'),
      createUser(t, 'admin'),
    ]);
    const other = await createOtherTenant(t);
    const named = {
      studentA1: connectClient(t, studentA.token),
      studentA2: connectClient(t, studentA.token),
      studentB: connectClient(t, studentB.token),
      staffM: connectClient(t, staffM.token),
      staffS: connectClient(t, staffS.token),
      authority: connectClient(t, authority.token),
      admin: connectClient(t, otherAdmin.token),
      otherTenant: connectClient(t, other.token),
    };
    const clients: RecordingClient[] = Object.values(named);
    // Published events need no subscription: a connection in the registry is enough.
    await eventually(() => t.system.realtime.registry.size >= clients.length, 5_000, 'every connection');

    const sends: [string, unknown, { key?: string; token?: string }?][] = [
      ['app.toUser', { userIds: [studentA.id] }],
      ['app.toStaff', { roles: ['staff'] }],
      ['app.toDepartment', { departmentIds: [departments[0]] }],
      ['app.toAuthorities', { roles: ['authority', 'admin'] }],
      ['app.union', { userIds: [studentB.id], departmentIds: [departments[1]] }],
      ['app.nobody', { userIds: ['no-such-user'] }],
      ['app.everyone', { all: true }, { token: admin }],
      ['app.otherTenant', { all: true }, { token: other.token }],
    ];
    for (const [type, audience, auth] of sends) {
      const answer = await publish({ type, audience, data: { type, n: 1 } }, auth);
      assert.equal(answer.status, 202, answer.text);
      assert.deepEqual(answer.body, { status: 'accepted' });
    }
    // Barriers: a last event to everyone of each tenant, written after all the others.
    assert.equal((await publish({ type: 'app.last', audience: { all: true }, data: null })).status, 202);
    assert.equal((await publish({ type: 'app.last', audience: { all: true }, data: null }, { token: other.token })).status, 202);
    for (const client of clients) await eventually(() => client.published.some((e) => e.type === 'app.last'), 5_000, 'the last event');

    const got = Object.fromEntries(Object.entries(named).map(([name, client]) => [name, client.published.map((e) => e.type).sort()]));
    const expected = {
      studentA1: ['app.everyone', 'app.last', 'app.toUser'],
      studentA2: ['app.everyone', 'app.last', 'app.toUser'],
      studentB: ['app.everyone', 'app.last', 'app.union'],
      staffM: ['app.everyone', 'app.last', 'app.toDepartment', 'app.toStaff'],
      staffS: ['app.everyone', 'app.last', 'app.toStaff', 'app.union'],
      authority: ['app.everyone', 'app.last', 'app.toAuthorities'],
      admin: ['app.everyone', 'app.last', 'app.toAuthorities'],
      otherTenant: ['app.last', 'app.otherTenant'],
    };
    assert.deepEqual(got, expected);
    // The shape: {type, data, at}.
    const one = named.studentA1.published.find((e) => e.type === 'app.toUser')!;
    assert.deepEqual(Object.keys(one).sort(), ['at', 'data', 'type']);
    assert.deepEqual(one.data, { type: 'app.toUser', n: 1 });
    assert.ok(!Number.isNaN(Date.parse(one.at)), 'at is a time');
    // Published events are not incident events.
    for (const client of clients) assert.deepEqual(client.events, []);
    for (const client of clients) client.close();
  });

  it('refuses reserved types and bad type patterns with 400', async () => {
    for (const type of ['IncidentCreated', 'CommentAdded', 'Subscribed', 'Error', 'ResyncRequired']) {
      const answer = await publish({ type, audience: { all: true }, data: {} });
      assert.equal(answer.status, 400, `${type}: ${answer.status}`);
    }
    for (const type of ['ab', 'Upper.case', '1abc', 'has space', 'dash-ed', `a${'b'.repeat(64)}`, '']) {
      const answer = await publish({ type, audience: { all: true }, data: {} });
      assert.equal(answer.status, 400, `${type}: ${answer.status}`);
    }
    for (const audience of [{}, { everyone: true }, { roles: ['janitor'] }, { userIds: [] }]) {
      const answer = await publish({ type: 'app.ok', audience, data: {} });
      assert.equal(answer.status, 400, `${JSON.stringify(audience)}: ${answer.status}`);
    }
    assert.equal((await publish({ type: 'app.ok', audience: { all: true } })).status, 400, 'data is required');
    assert.equal((await publish({ type: 'abc', audience: { all: true }, data: 1 })).status, 202, 'the shortest valid type');
  });

  it('refuses students (403), keys without the scope (403), and no credentials (401)', async () => {
    const student = await createUser(t, 'student');
    const staff = await createUser(t, 'staff', { departmentId: departments[0] });
    const listener = await rawSocket(t, student.token);
    const body = { type: 'app.sneaky', audience: { all: true }, data: {} };
    assert.equal((await publish(body, { token: student.token })).status, 403);
    assert.equal((await publish(body, { token: staff.token })).status, 403);
    assert.equal((await publish(body, { key: introspectKey })).status, 403);
    assert.equal((await publish(body, { key: 'not-a-key' })).status, 401);
    assert.equal((await publish(body, {})).status, 401);
    // And nothing reached anyone.
    assert.equal((await publish({ type: 'app.after', audience: { all: true }, data: {} })).status, 202);
    await eventually(() => listener.messages.some((m) => (m as { type: string }).type === 'app.after'), 5_000, 'the later event');
    assert.ok(!listener.messages.some((m) => (m as { type: string }).type === 'app.sneaky'), 'a refused event was delivered');
    listener.ws.close();
  });

  it('refuses data over 64 KB with 413 and accepts data just under', async () => {
    const big = await publish({ type: 'app.big', audience: { all: true }, data: { blob: 'x'.repeat(64 * 1024) } });
    assert.equal(big.status, 413, big.text);
    assert.equal(big.body.code, 'payload_too_large');
    const fine = await publish({ type: 'app.big', audience: { all: true }, data: { blob: 'x'.repeat(60 * 1024) } });
    assert.equal(fine.status, 202, fine.text);
  });
});
