import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApp, type TestApp } from '../helpers/app.js';

describe('operations endpoints', () => {
  let t: TestApp;
  before(async () => {
    t = await startApp();
  });
  after(() => t.close());

  it('answers /healthz and /readyz', async () => {
    const health = await t.request('GET', '/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok' });
    const ready = await t.request('GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.store, 'sqlite');
  });

  it('/readyz answers 503 problem+json once the store is gone', async () => {
    const other = await startApp();
    await other.system.store.close();
    const ready = await other.request('GET', '/readyz');
    assert.equal(ready.status, 503);
    assert.equal(ready.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal(ready.body.code, 'not_ready');
    await other.app.close();
    await other.database.drop();
  });

  it('exposes Prometheus metrics, including per-route HTTP durations', async () => {
    await t.request('GET', '/healthz');
    const metrics = await t.request('GET', '/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /text\/plain/);
    assert.match(metrics.text, /alertautec_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/);
    assert.match(metrics.text, /process_resident_memory_bytes/);
  });

  it('echoes a sane X-Request-Id and generates one otherwise', async () => {
    const given = await t.request('GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    assert.equal(given.headers.get('x-request-id'), 'abc-123');
    const hostile = await t.request('GET', '/healthz', { headers: { 'x-request-id': 'bad id\twith spaces' } });
    assert.match(hostile.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('serves the OpenAPI document and the browsable docs', async () => {
    const doc = await t.request('GET', '/api/openapi.json');
    assert.equal(doc.status, 200);
    assert.equal(doc.body.openapi, '3.1.0');
    for (const path of ['/api/auth/login', '/api/users', '/api/users/{id}', '/api/locations/validate', '/api/api-keys', '/api/categories']) {
      assert.ok(doc.body.paths[path], `OpenAPI documents ${path}`);
    }
    const login = doc.body.paths['/api/auth/login'].post;
    assert.deepEqual(login.requestBody.content['application/json'].schema.required.sort(), ['email', 'password']);
    // The problem body is one named schema that every error answer refers to.
    assert.deepEqual(doc.body.components.schemas.Problem.required.sort(), ['code', 'detail', 'status', 'title', 'type']);
    assert.deepEqual(login.responses['401'].content['application/json'].schema, { $ref: '#/components/schemas/Problem' });
    const docs = await t.request('GET', '/docs/');
    assert.equal(docs.status, 200);
    assert.match(docs.text, /swagger/i);
  });
});
