import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startApp, type TestApp, type TestResponse } from '../helpers/app.js';

/** A stand-in for the built web app: the headers do not depend on what the page holds. */
function webDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alertautec-web-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>AlertaUTEC</title><div id="root"></div><script type="module" src="/assets/app.js"></script>');
  return dir;
}

function assertBrowserProtections(answer: TestResponse, what: string, options: { inlineStyles?: boolean } = {}) {
  const csp = answer.headers.get('content-security-policy') ?? '';
  const directives = new Map(csp.split(';').map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
  assert.deepEqual(directives.get('script-src'), ["'self'"], `${what}: scripts only from files of this origin (${csp})`);
  assert.deepEqual(directives.get('script-src-attr'), ["'none'"], `${what}: no inline event handlers`);
  assert.deepEqual(directives.get('frame-ancestors'), ["'none'"], `${what}: never framed`);
  assert.deepEqual(directives.get('object-src'), ["'none'"], what);
  assert.deepEqual(directives.get('style-src'), options.inlineStyles ? ["'self'", "'unsafe-inline'"] : ["'self'"], what);
  assert.doesNotMatch(csp, /unsafe-eval/, what);
  assert.equal(answer.headers.get('x-content-type-options'), 'nosniff', what);
  assert.equal(answer.headers.get('referrer-policy'), 'no-referrer', what);
  assert.equal(answer.headers.get('x-frame-options'), 'DENY', what);
}

describe('security headers (plain http PUBLIC_URL)', () => {
  let t: TestApp;
  let dir: string;
  before(async () => {
    dir = webDir();
    t = await startApp({ env: { WEB_DIR: dir } });
  });
  after(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('protects the web app page, which may be cached as any static file', async () => {
    const page = await t.request('GET', '/', { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(page.text, /id="root"/);
    assertBrowserProtections(page, 'GET /');
    assert.notEqual(page.headers.get('cache-control'), 'no-store');
    // A client-side route falls back to the same page, with the same headers.
    assertBrowserProtections(await t.request('GET', '/incidents/abc', { headers: { accept: 'text/html' } }), 'client route');
  });

  it('protects API answers, and never lets an authenticated one be stored', async () => {
    const me = await t.request('GET', '/api/auth/me', { token: await t.adminToken() });
    assert.equal(me.status, 200, me.text);
    assertBrowserProtections(me, 'GET /api/auth/me');
    assert.equal(me.headers.get('cache-control'), 'no-store');
    // Sign-in answers carry tokens: also no-store, though the request had no credentials.
    const login = await t.request('POST', '/api/auth/login', { body: { email: 'admin@test.example', password: 'admin-password-1' } });
    assert.equal(login.status, 200, login.text);
    assert.equal(login.headers.get('cache-control'), 'no-store');
  });

  it('protects error answers: 401, 404, a body that is not JSON, a URL the router refuses', async () => {
    const answers: [string, TestResponse][] = [
      ['401', await t.request('GET', '/api/auth/me')],
      ['404', await t.request('GET', '/api/nothing-here')],
      ['400 malformed JSON', await t.request('POST', '/api/auth/login', { raw: '{"email":', headers: { 'content-type': 'application/json' } })],
      ['400 bad URL', await t.request('GET', '/api/incidents/%E0%A4%A')],
    ];
    for (const [what, answer] of answers) {
      assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/, what);
      assertBrowserProtections(answer, what);
    }
    const [[, unauthorized]] = answers as [[string, TestResponse]];
    assert.equal(unauthorized.status, 401);
    assert.equal(unauthorized.headers.get('cache-control'), 'no-store');
  });

  it('protects /docs, and Swagger UI loads under the policy (no inline script in its page)', async () => {
    const docs = await t.request('GET', '/docs/');
    assert.equal(docs.status, 200);
    // Swagger UI sets style attributes from markup: inline styles (never scripts) on /docs only.
    assertBrowserProtections(docs, 'GET /docs/', { inlineStyles: true });
    const scripts = [...docs.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0, 'Swagger UI has scripts');
    for (const [, attributes = '', body = ''] of scripts) {
      const src = /src="([^"]+)"/.exec(attributes)?.[1];
      assert.ok(src, `an inline script: ${body.slice(0, 80)}`);
      assert.equal(body.trim(), '', 'a script with a src has no inline body');
      const file = await t.request('GET', new URL(src, `${t.url}/docs/`).pathname);
      assert.equal(file.status, 200, src);
    }
  });

  it('sends no HSTS over plain http', async () => {
    const answer = await t.request('GET', '/healthz');
    assert.equal(answer.headers.get('strict-transport-security'), null);
    assert.doesNotMatch(answer.headers.get('content-security-policy') ?? '', /upgrade-insecure-requests/);
  });
});

describe('security headers (https PUBLIC_URL)', () => {
  let t: TestApp;
  before(async () => {
    t = await startApp({ env: { PUBLIC_URL: 'https://alertas.example.edu' } });
  });
  after(() => t.close());

  it('sends HSTS and upgrades insecure requests, on every answer', async () => {
    for (const path of ['/healthz', '/api/auth/me', '/docs/']) {
      const answer = await t.request('GET', path);
      assert.equal(answer.headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains', path);
      assert.match(answer.headers.get('content-security-policy') ?? '', /upgrade-insecure-requests/, path);
      assertBrowserProtections(answer, path, { inlineStyles: path === '/docs/' });
    }
  });
});
