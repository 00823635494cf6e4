import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../src/adapters.js';
import { startApp, type TestApp, type TestResponse } from '../helpers/app.js';

/**
 * Bad input for every route, driven by the OpenAPI document so routes added later are
 * covered without touching this file: every answer is problem+json with the right status
 * and a code, and nothing is stored.
 */
const PUBLIC_API = new Set([
  'POST /api/auth/register',
  'POST /api/auth/login',
  'POST /api/auth/refresh',
  'POST /api/auth/logout',
  'GET /api/openapi.json',
  'GET /api/config',
]);
const TABLES = ['tenants', 'users', 'refresh_tokens', 'api_keys', 'departments', 'categories', 'locations'] as const;

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  jsonBody: boolean;
  /** Multipart and other non-JSON bodies are exercised by their own tests. */
  otherBody: boolean;
}

function assertProblem(response: TestResponse, status: number | number[], label: string, code?: string | RegExp) {
  const statuses = Array.isArray(status) ? status : [status];
  assert.ok(statuses.includes(response.status), `${label}: status ${response.status} (${response.text.slice(0, 300)}), wanted ${statuses.join(' or ')}`);
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/, `${label}: problem+json`);
  assert.equal(response.body.status, response.status, `${label}: status in the body`);
  assert.equal(typeof response.body.code, 'string', `${label}: a code`);
  assert.ok(response.body.code.length > 0, `${label}: a code`);
  assert.equal(typeof response.body.title, 'string', `${label}: a title`);
  assert.equal(typeof response.body.type, 'string', `${label}: a type`);
  if (typeof code === 'string') assert.equal(response.body.code, code, `${label}: code`);
  else if (code) assert.match(response.body.code, code, `${label}: code`);
}

describe('bad input for every route', () => {
  let t: TestApp;
  let token: string;
  let operations: Operation[];

  // A path with plausible placeholder values: validation runs before any lookup.
  const concrete = (op: Operation) => op.path.replace(/\{id\}/g, newId()).replace(/\{(\w+)\}/g, 'placeholder-code');

  async function counts() {
    const result: Record<string, number> = {};
    for (const table of TABLES) {
      const row = await t.system.store.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      result[table] = Number(row.n);
    }
    return result;
  }

  before(async () => {
    t = await startApp({ env: { BODY_LIMIT_BYTES: '2048', LOGIN_RATE_LIMIT: '10000' } });
    token = await t.adminToken();
    const doc = await t.request('GET', '/api/openapi.json');
    assert.equal(doc.status, 200);
    operations = [];
    for (const [path, item] of Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)) {
      for (const [method, raw] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const op = raw as { requestBody?: { content: Record<string, unknown> }; parameters?: { in: string; name: string }[] };
        const content = Object.keys(op.requestBody?.content ?? {});
        operations.push({
          method: method.toUpperCase(),
          path,
          pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
          jsonBody: content.includes('application/json'),
          otherBody: content.length > 0 && !content.includes('application/json'),
        });
      }
    }
    assert.ok(operations.filter((op) => op.jsonBody).length >= 10, 'the document lists the JSON routes');
  });
  after(() => t.close());

  it('refuses a JSON array body on every JSON route (400)', async () => {
    const start = await counts();
    for (const op of operations.filter((o) => o.jsonBody)) {
      const label = `${op.method} ${op.path} with []`;
      const response = await t.request(op.method, concrete(op), { token, body: [] });
      assertProblem(response, 400, label, 'validation_failed');
      assert.ok(Array.isArray(response.body.errors) && response.body.errors.length > 0, `${label}: field errors`);
    }
    assert.deepEqual(await counts(), start);
  });

  it('refuses an unknown extra field on every JSON route (400, naming the field)', async () => {
    const start = await counts();
    for (const op of operations.filter((o) => o.jsonBody)) {
      const label = `${op.method} ${op.path} with an extra field`;
      const response = await t.request(op.method, concrete(op), { token, body: { sneakyExtraField: true } });
      assertProblem(response, 400, label, 'validation_failed');
      const paths = (response.body.errors as { path: string; message: string }[]).map((e) => e.path);
      assert.ok(paths.includes('/sneakyExtraField'), `${label}: errors name the field (${paths.join(', ')})`);
    }
    assert.deepEqual(await counts(), start);
  });

  it('refuses malformed JSON on every JSON route (400 malformed_json)', async () => {
    const start = await counts();
    for (const op of operations.filter((o) => o.jsonBody)) {
      for (const raw of ['{"email": ', '{email: 1}', "{'a':1}", '[1,2', '\u0000']) {
        const response = await t.request(op.method, concrete(op), {
          token,
          raw,
          headers: { 'content-type': 'application/json' },
        });
        assertProblem(response, 400, `${op.method} ${op.path} with ${JSON.stringify(raw)}`, 'malformed_json');
      }
    }
    assert.deepEqual(await counts(), start);
  });

  it('refuses a body over BODY_LIMIT_BYTES on every JSON route (413)', async () => {
    const start = await counts();
    const big = JSON.stringify({ name: 'x'.repeat(4096), email: 'big@test.example', password: 'y'.repeat(20) });
    assert.ok(Buffer.byteLength(big) > 4096);
    for (const op of operations.filter((o) => o.jsonBody)) {
      const response = await t.request(op.method, concrete(op), { token, raw: big, headers: { 'content-type': 'application/json' } });
      assertProblem(response, 413, `${op.method} ${op.path} with 4 KB`, 'payload_too_large');
    }
    assert.deepEqual(await counts(), start);
  });

  it('refuses text/plain (and other non-JSON types) on every JSON route (415)', async () => {
    const start = await counts();
    for (const op of operations.filter((o) => o.jsonBody)) {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const response = await t.request(op.method, concrete(op), {
          token,
          raw: JSON.stringify({ email: 'x@test.example', password: 'whatever-password', name: 'X' }),
          headers: { 'content-type': type },
        });
        assertProblem(response, 415, `${op.method} ${op.path} as ${type}`, 'unsupported_media_type');
      }
    }
    assert.deepEqual(await counts(), start);
  });

  it('refuses prototype pollution attempts on every JSON route (400)', async () => {
    const start = await counts();
    for (const op of operations.filter((o) => o.jsonBody)) {
      for (const raw of ['{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}']) {
        const response = await t.request(op.method, concrete(op), { token, raw, headers: { 'content-type': 'application/json' } });
        assertProblem(response, 400, `${op.method} ${op.path} with ${raw}`);
      }
    }
    assert.equal(({} as Record<string, unknown>).x, undefined, 'Object.prototype is untouched');
    assert.deepEqual(await counts(), start);
  });

  it('answers 400 or 404 (never 500) for malformed ids on every route with a path parameter', async () => {
    const start = await counts();
    const hostile = ['..%2F..%2Fetc', '..%2F..%2Fetc%2Fpasswd', 'a'.repeat(100), '%00', '%E2%80%AE', 'x%20y', "'%20or%201=1--"];
    const withParams = operations.filter((op) => op.pathParams.length > 0);
    assert.ok(withParams.length >= 5, 'routes with path parameters are documented');
    for (const op of withParams) {
      for (const value of hostile) {
        const path = op.path.replace(/\{\w+\}/g, value);
        const response = await t.request(op.method, path, { token, ...(op.jsonBody ? { body: {} } : {}) });
        assertProblem(response, [400, 404], `${op.method} ${path.slice(0, 80)}`);
      }
    }
    assert.deepEqual(await counts(), start);
  });

  // Fastify's router refuses these before any route or error handler runs; app.ts passes
  // `frameworkErrors` (src/http/problem.ts) so they are problem+json too.
  it(
    'answers problem+json 400 or 404 for 200-character ids and bad percent-encoding',
    async () => {
      for (const op of operations.filter((o) => o.pathParams.length > 0)) {
        for (const value of ['a'.repeat(200), '%ff', '%E0%A4%A']) {
          const path = op.path.replace(/\{\w+\}/g, value);
          const response = await t.request(op.method, path, { token, ...(op.jsonBody ? { body: {} } : {}) });
          assertProblem(response, [400, 404], `${op.method} ${path.slice(0, 80)}`);
        }
      }
    },
  );

  it('answers 404 route_not_found for unknown routes', async () => {
    for (const [method, path] of [
      ['GET', '/api/nope'],
      ['POST', '/api/nope'],
      ['DELETE', '/api/users'],
      ['GET', '/api/users/x/y/z'],
      ['GET', '/definitely-not-here'],
      ['PUT', '/api/auth/login'],
    ] as const) {
      const response = await t.request(method, path, { token, headers: { accept: 'application/json' } });
      assertProblem(response, 404, `${method} ${path}`, 'route_not_found');
    }
    // Without a token too: an unknown route is not a reason to ask for credentials.
    assertProblem(await t.request('GET', '/api/nope'), 404, 'GET /api/nope anonymously', 'route_not_found');
  });

  it('answers 401 without a token on every /api route but the public ones', async () => {
    const start = await counts();
    const guarded = operations.filter((op) => op.path.startsWith('/api/') && !PUBLIC_API.has(`${op.method} ${op.path}`));
    assert.ok(guarded.length >= 10);
    for (const op of guarded) {
      const label = `${op.method} ${op.path}`;
      const body = op.jsonBody ? { body: {} } : {};
      const anonymous = await t.request(op.method, concrete(op), body);
      assertProblem(anonymous, 401, `${label} without a token`);
      assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer/, `${label}: WWW-Authenticate`);
      const garbage = await t.request(op.method, concrete(op), { ...body, token: 'not-a-token' });
      assertProblem(garbage, 401, `${label} with a garbage token`);
      const malformedHeader = await t.request(op.method, concrete(op), { ...body, headers: { authorization: 'Basic abc' } });
      assertProblem(malformedHeader, 401, `${label} with Basic auth`);
    }
    assert.deepEqual(await counts(), start);
  });

  it('the public /api routes answer without a token', async () => {
    const doc = await t.request('GET', '/api/openapi.json');
    assert.equal(doc.status, 200);
    for (const key of PUBLIC_API) {
      if (key === 'GET /api/openapi.json' || key === 'GET /api/config') continue;
      const [method, path] = key.split(' ') as [string, string];
      const response = await t.request(method, path, { body: {} });
      assert.notEqual(response.status, 401, `${key} is public`);
      assertProblem(response, 400, `${key} with {}`, 'validation_failed');
    }
  });
});
