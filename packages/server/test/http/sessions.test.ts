import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { buildApp } from '../../src/app.js';
import { sweepExpired } from '../../src/ops/housekeeping.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { App } from '../../src/http/types.js';
import { createSystem, type System } from '../../src/system.js';
import { ADMIN, manualClock, startApp, type TestApp, type TestResponse } from '../helpers/app.js';
import { createTestDatabase, describeEachDatabase, postgresUnavailable, type TestDatabase } from '../helpers/databases.js';
import { createUser } from '../helpers/fixtures.js';
import { nextMessage, rawSocket } from '../helpers/realtime.js';

/**
 * A session (one sign-in: a refresh-token family, the `sid` of its access tokens) ends at
 * once, not when its last access token expires: after logout, and after a rotated refresh
 * token comes back (reuse). Its access tokens answer 401 and its WebSockets close with 4001,
 * here and on every other node; the same user's other sessions are untouched. The clock is
 * frozen, so no cache can have expired on its own: what ends the session is the notice.
 */

interface Pair {
  accessToken: string;
  refreshToken: string;
}

async function signIn(url: string, email: string, password: string): Promise<Pair> {
  const response = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  assert.equal(response.status, 200);
  return (await response.json()) as Pair;
}

async function post(url: string, path: string, body: unknown) {
  const response = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.text()) || undefined };
}

async function me(url: string, token: string): Promise<{ status: number; code?: string }> {
  const response = await fetch(`${url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await response.json()) as { code?: string };
  return { status: response.status, code: body.code };
}

const ok = { status: 200, code: undefined };
const ended = { status: 401, code: 'session_ended' };

await describeEachDatabase('sessions end at once', (dialect) => {
  let t: TestApp;
  let user: Awaited<ReturnType<typeof createUser>>;
  before(async () => {
    t = await startApp({ dialect, clock: manualClock(), env: { PASSWORD_HASH_COST: '10', LOGIN_RATE_LIMIT: '1000' } });
    user = await createUser(t, 'student');
  });
  after(() => t.close());

  it('puts the session id (the refresh family) into access tokens', async () => {
    const pair = await signIn(t.url, user.email, user.password);
    const sid = decodeJwt(pair.accessToken).sid;
    assert.equal(typeof sid, 'string');
    const rotated = (await post(t.url, '/api/auth/refresh', { refreshToken: pair.refreshToken })).body!;
    assert.equal(decodeJwt((JSON.parse(rotated) as Pair).accessToken).sid, sid, 'a refresh stays in the session');
    assert.notEqual(decodeJwt((await signIn(t.url, user.email, user.password)).accessToken).sid, sid, 'a new sign-in is a new session');
  });

  it('logout: the session’s access token answers 401 right away; the user’s other session keeps working', async () => {
    const leaving = await signIn(t.url, user.email, user.password);
    const staying = await signIn(t.url, user.email, user.password);
    // Both are known good (and cached as such) before the logout.
    assert.deepEqual(await me(t.url, leaving.accessToken), ok);
    assert.deepEqual(await me(t.url, staying.accessToken), ok);
    const socket = await rawSocket(t, leaving.accessToken);

    assert.equal((await post(t.url, '/api/auth/logout', { refreshToken: leaving.refreshToken })).status, 204);
    assert.deepEqual(await me(t.url, leaving.accessToken), ended);
    assert.equal((await t.request('GET', '/api/incidents', { token: leaving.accessToken })).status, 401);
    assert.deepEqual(await t.system.services.auth.introspect(leaving.accessToken, decodeJwt(leaving.accessToken).tid as string), { active: false });
    assert.equal((await socket.closed).code, 4001);
    // Nor can the ended session open a new connection.
    await assert.rejects(rawSocket(t, leaving.accessToken), (error: { status?: number }) => error.status === 401);

    assert.deepEqual(await me(t.url, staying.accessToken), ok);
    assert.equal((await post(t.url, '/api/auth/refresh', { refreshToken: staying.refreshToken })).status, 200);
  });

  it('reuse of a rotated refresh token ends every access token of its family, not other sessions', async () => {
    const first = await signIn(t.url, user.email, user.password);
    const rotated = JSON.parse((await post(t.url, '/api/auth/refresh', { refreshToken: first.refreshToken })).body!) as Pair;
    const other = await signIn(t.url, user.email, user.password);
    for (const token of [first.accessToken, rotated.accessToken, other.accessToken]) assert.deepEqual(await me(t.url, token), ok);
    const stolen = await rawSocket(t, rotated.accessToken);
    const untouched = await rawSocket(t, other.accessToken);

    const reuse = await post(t.url, '/api/auth/refresh', { refreshToken: first.refreshToken });
    assert.equal(reuse.status, 401);
    assert.equal((JSON.parse(reuse.body!) as { code: string }).code, 'refresh_token_reused');
    assert.deepEqual(await me(t.url, first.accessToken), ended);
    assert.deepEqual(await me(t.url, rotated.accessToken), ended);
    assert.equal((await stolen.closed).code, 4001);

    assert.deepEqual(await me(t.url, other.accessToken), ok);
    untouched.ws.send(JSON.stringify({ action: 'ping' }));
    await nextMessage(untouched, (message) => message.type === 'Pong', 'the other session’s connection answering');
    untouched.ws.close();
  });

  it('a refresh token added to a family after it was revoked (a refresh racing the logout) does not revive it', async () => {
    const pair = await signIn(t.url, user.email, user.password);
    const rotated = JSON.parse((await post(t.url, '/api/auth/refresh', { refreshToken: pair.refreshToken })).body!) as Pair;
    // The logout lands between the rotation's "mark used" and its insert: the end state is
    // a family whose older (used) token is revoked and whose newest is not.
    const sid = decodeJwt(pair.accessToken).sid as string;
    const revoked = await t.system.store.db
      .updateTable('refresh_tokens')
      .set({ revoked_at: t.system.clock.now() })
      .where('family_id', '=', sid)
      .where('used_at', 'is not', null)
      .executeTakeFirst();
    assert.equal(Number(revoked.numUpdatedRows), 1);
    const late = await post(t.url, '/api/auth/refresh', { refreshToken: rotated.refreshToken });
    assert.equal(late.status, 401);
    assert.equal((JSON.parse(late.body!) as { code: string }).code, 'refresh_token_revoked');
    assert.deepEqual(await me(t.url, rotated.accessToken), ended);
  });

  it('an ended session is remembered as long as its tokens could live, then swept', async () => {
    const pair = await signIn(t.url, user.email, user.password);
    assert.equal((await post(t.url, '/api/auth/logout', { refreshToken: pair.refreshToken })).status, 204);
    const sid = decodeJwt(pair.accessToken).sid as string;
    const { db } = t.system.store;
    const row = await db.selectFrom('ended_sessions').selectAll().where('id', '=', sid).executeTakeFirstOrThrow();
    assert.equal(Number(row.expires_at) - Number(row.ended_at), t.config.refreshTokenTtlSeconds * 1000);
    await sweepExpired(db, Number(row.expires_at));
    assert.ok(await db.selectFrom('ended_sessions').select('id').where('id', '=', sid).executeTakeFirst(), 'kept until it expires');
    await sweepExpired(db, Number(row.expires_at) + 1);
    assert.equal(await db.selectFrom('ended_sessions').select('id').where('id', '=', sid).executeTakeFirst(), undefined);
  });

  it('disabling a user is not a logout: re-enabled, their unexpired access token works again', async () => {
    const other = await createUser(t, 'student');
    const admin = await t.adminToken();
    assert.deepEqual(await me(t.url, other.token), ok);
    assert.equal((await t.request('PATCH', `/api/users/${other.id}`, { token: admin, body: { disabled: true } })).status, 200);
    assert.equal((await me(t.url, other.token)).status, 401);
    assert.equal((await t.request('PATCH', `/api/users/${other.id}`, { token: admin, body: { disabled: false } })).status, 200);
    assert.deepEqual(await me(t.url, other.token), ok);
  });
});

const REFRESH_COOKIE = /^alertautec_refresh=(rt_[A-Za-z0-9_-]+); Max-Age=(\d+); Path=\/api\/auth; HttpOnly; SameSite=Strict$/;

function refreshCookie(response: TestResponse): string {
  const header = response.headers.get('set-cookie') ?? '';
  const match = REFRESH_COOKIE.exec(header);
  assert.ok(match, `an HttpOnly, SameSite=Strict cookie on /api/auth, got "${header}"`);
  return match[1]!;
}

const cookieLogin = (t: TestApp, email: string, password: string) =>
  t.request('POST', '/api/auth/login', { headers: { 'x-session-mode': 'cookie' }, body: { email, password } });
const withCookie = (t: TestApp, path: '/api/auth/refresh' | '/api/auth/logout', refreshToken: string, csrf: string | null) =>
  t.request('POST', path, { headers: { cookie: `alertautec_refresh=${refreshToken}`, ...(csrf !== null ? { 'x-csrf': csrf } : {}) }, body: {} });

describe('the web app’s session cookie', () => {
  let t: TestApp;
  before(async () => {
    t = await startApp({ env: { PASSWORD_HASH_COST: '10', LOGIN_RATE_LIMIT: '1000' } });
  });
  after(() => t.close());

  it('login in cookie mode sets an HttpOnly, SameSite=Strict cookie on /api/auth, and the body has no refresh token', async () => {
    const response = await cookieLogin(t, ADMIN.email, ADMIN.password);
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(Object.keys(response.body).sort(), ['accessToken', 'expiresIn', 'user']);
    const token = refreshCookie(response);
    assert.equal(REFRESH_COOKIE.exec(response.headers.get('set-cookie')!)![2], String(30 * 86_400));
    assert.ok(!response.text.includes(token));
    assert.equal(response.headers.get('cache-control'), 'no-store');
    // Not over plain HTTP: no PUBLIC_URL with https here, so no Secure flag.
    assert.doesNotMatch(response.headers.get('set-cookie')!, /Secure/);
  });

  it('other clients keep the JSON flow: no cookie unless asked for', async () => {
    const response = await t.request('POST', '/api/auth/login', { body: ADMIN });
    assert.deepEqual(Object.keys(response.body).sort(), ['accessToken', 'expiresIn', 'refreshToken', 'user']);
    assert.equal(response.headers.get('set-cookie'), null);
    const rotated = await t.request('POST', '/api/auth/refresh', { body: { refreshToken: response.body.refreshToken } });
    assert.equal(typeof rotated.body.refreshToken, 'string');
    assert.equal(rotated.headers.get('set-cookie'), null);
  });

  it('refresh by cookie works only with the X-CSRF header, and rotates the cookie', async () => {
    const login = await cookieLogin(t, ADMIN.email, ADMIN.password);
    const first = refreshCookie(login);

    for (const csrf of [null, '0', '']) {
      const refused = await withCookie(t, '/api/auth/refresh', first, csrf);
      assert.equal(refused.status, 403, refused.text);
      assert.equal(refused.body.code, 'csrf_header_missing');
      assert.equal(refused.headers.get('set-cookie'), null);
    }
    // The refused attempts spent nothing: the cookie still works.
    const refreshed = await withCookie(t, '/api/auth/refresh', first, '1');
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.deepEqual(Object.keys(refreshed.body).sort(), ['accessToken', 'expiresIn', 'user']);
    const second = refreshCookie(refreshed);
    assert.notEqual(second, first);
    assert.equal((await t.request('GET', '/api/auth/me', { token: refreshed.body.accessToken })).status, 200);
    // Without a cookie or a body token: a 400 naming the missing token.
    const missing = await t.request('POST', '/api/auth/refresh', { headers: { 'x-csrf': '1' }, body: {} });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.errors[0].path, '/refreshToken');
  });

  it('logout by cookie needs the X-CSRF header too, clears the cookie and ends the session', async () => {
    const login = await cookieLogin(t, ADMIN.email, ADMIN.password);
    const token = refreshCookie(login);
    const refused = await withCookie(t, '/api/auth/logout', token, null);
    assert.equal(refused.status, 403);
    assert.equal((await t.request('GET', '/api/auth/me', { token: login.body.accessToken })).status, 200, 'a refused logout ends nothing');

    const out = await withCookie(t, '/api/auth/logout', token, '1');
    assert.equal(out.status, 204, out.text);
    assert.match(out.headers.get('set-cookie') ?? '', /^alertautec_refresh=; Max-Age=0; Path=\/api\/auth; HttpOnly; SameSite=Strict$/);
    const after = await t.request('GET', '/api/auth/me', { token: login.body.accessToken });
    assert.equal(after.status, 401);
    assert.equal(after.body.code, 'session_ended');
    // A dead cookie is refused, and cleared.
    const dead = await withCookie(t, '/api/auth/refresh', token, '1');
    assert.equal(dead.status, 401);
    assert.equal(dead.body.code, 'refresh_token_revoked');
    assert.match(dead.headers.get('set-cookie') ?? '', /^alertautec_refresh=; Max-Age=0;/);
  });

  it('is Secure when PUBLIC_URL is https, and PUBLIC_URL is validated', async () => {
    const secure = await startApp({ env: { PASSWORD_HASH_COST: '10', PUBLIC_URL: 'https://alertas.example.edu' } });
    try {
      const login = await cookieLogin(secure, ADMIN.email, ADMIN.password);
      assert.match(login.headers.get('set-cookie') ?? '', /; HttpOnly; Secure; SameSite=Strict$/);
    } finally {
      await secure.close();
    }
    for (const bad of ['alertas.example.edu', 'ftp://alertas.example.edu']) {
      assert.throws(() => loadConfig({ PUBLIC_URL: bad }), (error: unknown) => error instanceof ConfigError && error.variable === 'PUBLIC_URL');
    }
  });
});

/**
 * Two systems (two nodes: their own caches, gateways and LISTEN connections) on one
 * PostgreSQL schema: a session ended through node A stops working on node B at once,
 * though B had just seen its token as good and its clock never moves.
 */
const noPostgres = await postgresUnavailable();
describe('sessions end on every node', { skip: noPostgres && process.env.REQUIRE_POSTGRES !== '1' ? noPostgres : false }, () => {
  const nodes: { system: System; app: App; url: string }[] = [];
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase('postgres');
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: database.dataDir,
      LOG_LEVEL: 'silent',
      ALERTA_DEMO: '0',
      PASSWORD_HASH_COST: '10',
      ALERTA_ADMIN_EMAIL: ADMIN.email,
      ALERTA_ADMIN_PASSWORD: ADMIN.password,
      DATABASE_URL: database.databaseUrl!,
    });
    const clock = manualClock();
    for (let i = 0; i < 2; i++) {
      const system = await createSystem(config, { clock, databaseSchema: database.schema });
      const app = await buildApp(system);
      await app.listen({ port: 0, host: '127.0.0.1' });
      system.start();
      nodes.push({ system, app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` });
    }
  });
  after(async () => {
    for (const node of nodes) {
      await node.app.close();
      await node.system.close();
    }
    await database.drop();
    fs.rmSync(database.dataDir, { recursive: true, force: true });
  });

  it('logout and reuse on node A end the session on node B; other sessions stay', async () => {
    const [a, b] = [nodes[0]!, nodes[1]!];
    const leaving = await signIn(a.url, ADMIN.email, ADMIN.password);
    const reused = await signIn(a.url, ADMIN.email, ADMIN.password);
    const staying = await signIn(a.url, ADMIN.email, ADMIN.password);
    for (const pair of [leaving, reused, staying]) assert.deepEqual(await me(b.url, pair.accessToken), ok);
    const onB = await rawSocket({ url: b.url } as TestApp, leaving.accessToken);
    const reusedOnB = await rawSocket({ url: b.url } as TestApp, reused.accessToken);

    assert.equal((await post(a.url, '/api/auth/logout', { refreshToken: leaving.refreshToken })).status, 204);
    // B learns it from the notice that also closes its connections of that session.
    assert.equal((await onB.closed).code, 4001);
    assert.deepEqual(await me(b.url, leaving.accessToken), ended);

    assert.equal((await post(a.url, '/api/auth/refresh', { refreshToken: reused.refreshToken })).status, 200);
    assert.equal((await post(a.url, '/api/auth/refresh', { refreshToken: reused.refreshToken })).status, 401);
    assert.equal((await reusedOnB.closed).code, 4001);
    assert.deepEqual(await me(b.url, reused.accessToken), ended);

    assert.deepEqual(await me(b.url, staying.accessToken), ok);
    assert.deepEqual(await me(a.url, staying.accessToken), ok);
  });
});
