import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isDomainError } from '@alertautec/core';
import { buildApp } from '../../src/app.js';
import { actorOf } from '../../src/http/authenticate.js';
import type { App } from '../../src/http/types.js';
import { startApp, type TestApp, type TestResponse } from '../helpers/app.js';
import { createOtherTenant, createUser } from '../helpers/fixtures.js';

function assertProblem(response: TestResponse, status: number, code?: string) {
  assert.equal(response.status, status, response.text);
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  if (code) assert.equal(response.body.code, code, response.text);
}

describe('API keys', () => {
  let t: TestApp;
  let admin: string;
  // A second server over the same system with one route that takes API keys, so the keys
  // can be exercised over real HTTP whatever other routes accept them.
  let probe: App;
  let probeUrl: string;
  before(async () => {
    t = await startApp();
    admin = await t.adminToken();
    probe = await buildApp(t.system);
    probe.get('/api/test/whoami', { config: { auth: 'userOrApiKey' } }, async (request) => actorOf(request));
    await probe.listen({ port: 0, host: '127.0.0.1' });
    probeUrl = `http://127.0.0.1:${(probe.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await probe.close();
    await t.close();
  });

  const whoami = async (headers: Record<string, string>) => {
    const response = await fetch(`${probeUrl}/api/test/whoami`, { headers });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
  };
  const createKey = (body: unknown, token = admin) => t.request('POST', '/api/api-keys', { token, body });

  it('creates a key, shows the secret once and stores only its hash', async () => {
    const created = await createKey({ name: ' Gateway ', scopes: ['realtime:publish'] });
    assert.equal(created.status, 201, created.text);
    const { id, key } = created.body;
    assert.match(id, /^[A-Za-z0-9_-]+$/);
    assert.match(key, /^ak_[A-Za-z0-9_-]{40,}$/);
    assert.equal(created.body.name, 'Gateway');
    assert.deepEqual(created.body.scopes, ['realtime:publish']);
    assert.ok(key.startsWith(created.body.prefix));
    assert.ok(created.body.prefix.length < key.length / 2, 'the prefix is not the key');
    assert.ok(!Number.isNaN(Date.parse(created.body.createdAt)));

    const listed = await t.request('GET', '/api/api-keys', { token: admin });
    assert.equal(listed.status, 200);
    assert.equal(listed.body.nextCursor, null);
    const item = listed.body.items.find((k: { id: string }) => k.id === id);
    assert.ok(item, 'the key is listed');
    assert.equal(item.key, undefined);
    assert.equal(item.name, 'Gateway');
    assert.equal(item.prefix, created.body.prefix);
    assert.equal(item.revokedAt, null);
    assert.equal(item.lastUsedAt, null);
    assert.ok(!listed.text.includes(key), 'the secret never comes back');
    assert.ok(!listed.text.includes(key.slice(3)), 'not even without its prefix');

    const rows = await t.system.store.db.selectFrom('api_keys').selectAll().execute();
    const row = rows.find((r) => r.id === id);
    assert.ok(row);
    for (const [column, value] of Object.entries(row)) {
      assert.ok(!String(value).includes(key), `column ${column} holds the key`);
      assert.ok(!String(value).includes(key.slice(12)), `column ${column} holds the key's secret part`);
    }
    assert.notEqual(row.key_hash, key);
  });

  it('two keys never share a secret', async () => {
    const a = await createKey({ name: 'A', scopes: ['realtime:publish'] });
    const b = await createKey({ name: 'B', scopes: ['realtime:publish'] });
    assert.notEqual(a.body.key, b.body.key);
    assert.notEqual(a.body.id, b.body.id);
  });

  it('accepts every known scope, once each', async () => {
    const both = await createKey({ name: 'Both', scopes: ['realtime:publish', 'auth:introspect'] });
    assert.equal(both.status, 201, both.text);
    assert.deepEqual(both.body.scopes, ['realtime:publish', 'auth:introspect']);
  });

  it('validates name and scopes', async () => {
    const cases: unknown[] = [
      { name: 'Bad scope', scopes: ['admin'] },
      { name: 'Bad scope', scopes: ['realtime:publish', 'users:manage'] },
      { name: 'Empty', scopes: [] },
      { name: 'Dup', scopes: ['realtime:publish', 'realtime:publish'] },
      { name: 'Not array', scopes: 'realtime:publish' },
      { name: 'No scopes' },
      { scopes: ['realtime:publish'] },
      { name: '', scopes: ['realtime:publish'] },
      { name: 'x'.repeat(81), scopes: ['realtime:publish'] },
      { name: 'bidi\u202E', scopes: ['realtime:publish'] },
      { name: 'Extra', scopes: ['realtime:publish'], key: 'ak_mine' },
    ];
    const before = (await t.request('GET', '/api/api-keys', { token: admin })).body.items.length;
    for (const body of cases) {
      const response = await createKey(body);
      assertProblem(response, 400, 'validation_failed');
      assert.ok(Array.isArray(response.body.errors) && response.body.errors.length > 0, JSON.stringify(body));
    }
    const after = (await t.request('GET', '/api/api-keys', { token: admin })).body.items.length;
    assert.equal(after, before, 'no key was created');
  });

  for (const role of ['student', 'staff', 'authority'] as const) {
    it(`answers 403 to ${role} on every API key route`, async () => {
      const caller = await createUser(t, role);
      const existing = await createKey({ name: `for ${role}`, scopes: ['realtime:publish'] });
      assertProblem(await createKey({ name: 'Mine', scopes: ['realtime:publish'] }, caller.token), 403, 'forbidden');
      assertProblem(await t.request('GET', '/api/api-keys', { token: caller.token }), 403, 'forbidden');
      assertProblem(await t.request('DELETE', `/api/api-keys/${existing.body.id}`, { token: caller.token }), 403, 'forbidden');
      assert.equal((await whoami({ authorization: `Bearer ${existing.body.key}` })).status, 200, 'still works');
    });
  }

  it('answers 401 without credentials', async () => {
    assertProblem(await t.request('GET', '/api/api-keys'), 401);
    assertProblem(await t.request('POST', '/api/api-keys', { body: { name: 'x', scopes: ['realtime:publish'] } }), 401);
    assertProblem(await t.request('DELETE', '/api/api-keys/abc'), 401);
  });

  it('a key authenticates as itself where keys are accepted (Bearer or X-Api-Key)', async () => {
    const created = await createKey({ name: 'Service', scopes: ['realtime:publish'] });
    const variants: Record<string, string>[] = [{ authorization: `Bearer ${created.body.key}` }, { 'x-api-key': created.body.key }];
    for (const headers of variants) {
      const response = await whoami(headers);
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body, { kind: 'apiKey', keyId: created.body.id, tenantId: 'default', scopes: ['realtime:publish'] });
    }
    const listed = await t.request('GET', '/api/api-keys', { token: admin });
    const item = listed.body.items.find((k: { id: string }) => k.id === created.body.id);
    assert.ok(item.lastUsedAt !== null, 'use is recorded');
  });

  it('a key used on a people-only route answers 403 api_key_not_allowed', async () => {
    const created = await createKey({ name: 'Nosy', scopes: ['realtime:publish', 'auth:introspect'] });
    const key = created.body.key as string;
    assertProblem(await t.request('GET', '/api/users', { token: key }), 403, 'api_key_not_allowed');
    assertProblem(await t.request('GET', '/api/users', { headers: { 'x-api-key': key } }), 403, 'api_key_not_allowed');
    assertProblem(await t.request('POST', '/api/api-keys', { token: key, body: { name: 'Child', scopes: ['realtime:publish'] } }), 403, 'api_key_not_allowed');
    assertProblem(await t.request('GET', '/api/auth/me', { token: key }), 403, 'api_key_not_allowed');
    assertProblem(await t.request('POST', '/api/departments', { token: key, body: { name: 'Key Dept' } }), 403, 'api_key_not_allowed');
  });

  it('made-up and revoked keys answer 401', async () => {
    for (const key of ['ak_xxx', `ak_${'A'.repeat(43)}`]) {
      const response = await whoami({ authorization: `Bearer ${key}` });
      assert.equal(response.status, 401, response.text);
      assert.equal(response.body.code, 'invalid_api_key');
      // Checked before the route's policy: a made-up key is 401 on people-only routes too.
      assertProblem(await t.request('GET', '/api/users', { token: key }), 401, 'invalid_api_key');
      await assert.rejects(t.system.services.apiKeys.authenticate(key), (error: unknown) => isDomainError(error) && error.kind === 'unauthenticated');
    }

    const created = await createKey({ name: 'Short-lived', scopes: ['realtime:publish'] });
    assert.equal((await whoami({ authorization: `Bearer ${created.body.key}` })).status, 200);
    const revoked = await t.request('DELETE', `/api/api-keys/${created.body.id}`, { token: admin });
    assert.equal(revoked.status, 204);
    assert.equal(revoked.text, '');
    const refused = await whoami({ authorization: `Bearer ${created.body.key}` });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, 'invalid_api_key');
    const listed = await t.request('GET', '/api/api-keys', { token: admin });
    const item = listed.body.items.find((k: { id: string }) => k.id === created.body.id);
    assert.ok(item.revokedAt !== null && !Number.isNaN(Date.parse(item.revokedAt)));

    // Revoking again is harmless; unknown ids are 404.
    const twice = await t.request('DELETE', `/api/api-keys/${created.body.id}`, { token: admin });
    assert.equal(twice.status, 204);
    assertProblem(await t.request('DELETE', '/api/api-keys/no-such-key', { token: admin }), 404, 'not_found');
  });

  it("tenants never see or revoke each other's keys", async () => {
    const ours = await createKey({ name: 'Ours', scopes: ['realtime:publish'] });
    const other = await createOtherTenant(t);
    const theirList = await t.request('GET', '/api/api-keys', { token: other.token });
    assert.equal(theirList.status, 200);
    assert.deepEqual(theirList.body.items, []);
    assertProblem(await t.request('DELETE', `/api/api-keys/${ours.body.id}`, { token: other.token }), 404, 'not_found');
    assert.equal((await whoami({ authorization: `Bearer ${ours.body.key}` })).status, 200, 'our key still works');

    const theirs = await createKey({ name: 'Theirs', scopes: ['realtime:publish'] }, other.token);
    assert.equal(theirs.status, 201);
    const who = await whoami({ 'x-api-key': theirs.body.key });
    assert.equal(who.body.tenantId, other.tenantId);
    assertProblem(await t.request('DELETE', `/api/api-keys/${theirs.body.id}`, { token: admin }), 404, 'not_found');
    const ourList = await t.request('GET', '/api/api-keys', { token: admin });
    assert.ok(!ourList.body.items.some((k: { id: string }) => k.id === theirs.body.id));
  });
});
