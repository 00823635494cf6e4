import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { startApp, type TestApp, type TestResponse } from '../helpers/app.js';
import { createUser } from '../helpers/fixtures.js';

/** Contract §3 Operations: metrics to an admin, an API key with metrics:read, or loopback callers. */

async function apiKey(t: TestApp, scopes: string[]): Promise<string> {
  const created = await t.request('POST', '/api/api-keys', { token: await t.adminToken(), body: { name: `metrics ${scopes.join()}`, scopes } });
  assert.equal(created.status, 201, created.text);
  return created.body.key as string;
}

function assertMetrics(answer: TestResponse, what: string) {
  assert.equal(answer.status, 200, `${what}: ${answer.text.slice(0, 200)}`);
  assert.match(answer.text, /process_resident_memory_bytes/, what);
}

function assertRefused(answer: TestResponse, status: 401 | 403, what: string) {
  assert.equal(answer.status, status, `${what}: ${answer.text.slice(0, 200)}`);
  assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/, what);
  assert.doesNotMatch(answer.text, /process_resident_memory_bytes/, what);
}

describe('/metrics with METRICS_ALLOW_LOOPBACK=0', () => {
  let t: TestApp;
  before(async () => {
    t = await startApp({ env: { METRICS_ALLOW_LOOPBACK: '0' } });
  });
  after(() => t.close());

  it('refuses anonymous callers (401), people other than admins and keys without the scope (403)', async () => {
    const anonymous = await t.request('GET', '/metrics');
    assertRefused(anonymous, 401, 'anonymous');
    assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer realm="alertautec"');
    assertRefused(await t.request('GET', '/metrics', { headers: { 'x-api-key': 'ak_made-up' } }), 401, 'a made-up key');
    for (const role of ['student', 'staff', 'authority'] as const) {
      assertRefused(await t.request('GET', '/metrics', { token: (await createUser(t, role)).token }), 403, role);
    }
    const publishKey = await apiKey(t, ['realtime:publish', 'auth:introspect']);
    assertRefused(await t.request('GET', '/metrics', { headers: { 'x-api-key': publishKey } }), 403, 'a key without metrics:read');
  });

  it('answers an admin and an API key with scope metrics:read', async () => {
    assertMetrics(await t.request('GET', '/metrics', { token: await t.adminToken() }), 'admin');
    const metricsKey = await apiKey(t, ['metrics:read']);
    const byKey = await t.request('GET', '/metrics', { headers: { 'x-api-key': metricsKey } });
    assertMetrics(byKey, 'metrics:read key');
    assert.equal(byKey.headers.get('cache-control'), 'no-store');
  });
});

describe('/metrics with loopback allowed (the default)', () => {
  let t: TestApp;
  before(async () => {
    t = await startApp();
  });
  after(() => t.close());

  it('answers a caller on this machine without credentials', async () => {
    assert.equal(t.config.metricsAllowLoopback, true);
    assert.throws(() => loadConfig({ METRICS_ALLOW_LOOPBACK: 'sometimes' }), (error: unknown) => error instanceof ConfigError && error.variable === 'METRICS_ALLOW_LOOPBACK');
    assertMetrics(await t.request('GET', '/metrics'), 'loopback');
  });

  it('does not count a request a proxy forwarded as loopback', async () => {
    // A reverse proxy on the same host connects from 127.0.0.1 for every visitor.
    const forwarded: Record<string, string>[] = [{ 'x-forwarded-for': '203.0.113.7' }, { forwarded: 'for=203.0.113.7' }, { 'x-real-ip': '203.0.113.7' }];
    for (const headers of forwarded) {
      assertRefused(await t.request('GET', '/metrics', { headers }), 401, JSON.stringify(headers));
    }
    assertMetrics(await t.request('GET', '/metrics', { token: await t.adminToken(), headers: { 'x-forwarded-for': '203.0.113.7' } }), 'forwarded admin');
  });

  it('still refuses bad credentials from loopback (401), like every route', async () => {
    assertRefused(await t.request('GET', '/metrics', { token: 'not-a-token' }), 401, 'a bad token');
  });
});
