import assert from 'node:assert/strict';
import { createHmac, createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SignJWT, createLocalJWKSet, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify, type JWK } from 'jose';
import { loadConfig } from '../../src/config.js';
import { createSystem } from '../../src/system.js';
import { ADMIN, manualClock, startApp, type TestApp, type TestResponse } from '../helpers/app.js';
import { createOtherTenant, createUser } from '../helpers/fixtures.js';

const b64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const parseSegment = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;

function assertUnauthenticated(response: TestResponse, code = 'invalid_token') {
  assert.equal(response.status, 401, response.text);
  assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.equal(response.body.code, code);
  assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="alertautec", error="invalid_token"');
}

/** Signs `header.payload` with HMAC-SHA256 under `secret`, as an alg-confusion attacker would. */
function hs256(header: object, payload: object, secret: string | Buffer) {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

const me = (t: TestApp, token: string) => t.request('GET', '/api/auth/me', { token });
// Introspection is for services: each test server gets an API key with the scope.
const introspectionKeys = new WeakMap<TestApp, Promise<string>>();
const introspectionKey = (t: TestApp) => {
  let key = introspectionKeys.get(t);
  if (!key) {
    key = t.adminToken().then(async (admin) => {
      const created = await t.request('POST', '/api/api-keys', { token: admin, body: { name: 'Introspection', scopes: ['auth:introspect'] } });
      assert.equal(created.status, 201, created.text);
      return created.body.key as string;
    });
    introspectionKeys.set(t, key);
  }
  return key;
};
const introspect = async (t: TestApp, token: string) =>
  t.request('POST', '/api/auth/introspect', { headers: { 'x-api-key': await introspectionKey(t) }, body: { token } });

describe('access tokens under attack', () => {
  let t: TestApp;
  let adminToken: string;
  let student: Awaited<ReturnType<typeof createUser>>;
  before(async () => {
    t = await startApp();
    adminToken = await t.adminToken();
    student = await createUser(t, 'student');
  });
  after(() => t.close());

  it('accepts the genuine token (the baseline the attacks below start from)', async () => {
    const response = await me(t, student.token);
    assert.equal(response.status, 200);
    assert.equal(response.body.role, 'student');
    assert.equal((await t.request('GET', '/api/users', { token: student.token })).status, 403);
  });

  it('refuses a payload changed to role admin with the signature kept', async () => {
    const [header, payload, signature] = student.token.split('.');
    const claims = parseSegment(payload!);
    assert.equal(claims.role, 'student');
    const forged = `${header}.${b64url({ ...claims, role: 'admin' })}.${signature}`;
    assertUnauthenticated(await me(t, forged));
    assertUnauthenticated(await t.request('GET', '/api/users', { token: forged }));
    // A different subject, or a longer life, is refused the same way.
    const adminSub = decodeJwt(adminToken).sub;
    assertUnauthenticated(await me(t, `${header}.${b64url({ ...claims, sub: adminSub })}.${signature}`));
    assertUnauthenticated(await me(t, `${header}.${b64url({ ...claims, exp: Number(claims.exp) + 86_400 })}.${signature}`));
    // A flipped signature byte too.
    const bytes = Buffer.from(signature!, 'base64url');
    bytes[0]! ^= 1;
    assertUnauthenticated(await me(t, `${header}.${payload}.${bytes.toString('base64url')}`));
  });

  it('refuses alg "none" tokens', async () => {
    const claims = decodeJwt(adminToken);
    for (const alg of ['none', 'None', 'NONE']) {
      const unsigned = `${b64url({ alg, typ: 'JWT' })}.${b64url({ ...claims, sub: decodeJwt(student.token).sub, role: 'admin' })}.`;
      assertUnauthenticated(await me(t, unsigned));
      assertUnauthenticated(await t.request('GET', '/api/users', { token: unsigned }));
    }
    // Even a none token carrying the admin's own claims.
    assertUnauthenticated(await me(t, `${b64url({ alg: 'none' })}.${b64url(claims)}.`));
  });

  it('refuses an HS256 token signed with the public key as the secret', async () => {
    const jwks = (await t.request('GET', '/.well-known/jwks.json')).body as { keys: JWK[] };
    const jwk = jwks.keys[0]!;
    const claims = { ...decodeJwt(student.token), role: 'admin' };
    const header = { alg: 'HS256', typ: 'JWT', kid: jwk.kid };
    const publicKey = createPublicKey({ key: jwk as never, format: 'jwk' });
    const secrets: (string | Buffer)[] = [
      JSON.stringify(jwk),
      JSON.stringify(jwks),
      publicKey.export({ type: 'spki', format: 'pem' }) as string,
      publicKey.export({ type: 'spki', format: 'der' }) as Buffer,
      String(jwk.x),
    ];
    for (const secret of secrets) {
      assertUnauthenticated(await me(t, hs256(header, claims, secret)));
    }
    // jose itself, asked for HS256 with the public key bytes.
    const joseToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: jwk.kid })
      .sign(new TextEncoder().encode(JSON.stringify(jwk)));
    assertUnauthenticated(await t.request('GET', '/api/users', { token: joseToken }));
  });

  it('refuses a token signed by another ES256 key, even with the right kid and claims', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const { kid } = decodeProtectedHeader(adminToken);
    const claims = decodeJwt(adminToken);
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).sign(privateKey);
    assertUnauthenticated(await me(t, forged));
    assertUnauthenticated(await t.request('GET', '/api/users', { token: forged }));
    // Nor does embedding the attacker's public key in the header help.
    const { privateKey: k2, publicKey: p2 } = await generateKeyPair('ES256', { extractable: true });
    const embedded = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', jwk: await exportJWK(p2) }).sign(k2);
    assertUnauthenticated(await me(t, embedded));
  });

  it('refuses tokens from another server instance (other DATA_DIR keys)', async () => {
    const other = await startApp();
    try {
      const foreign = await other.adminToken();
      assert.equal((await me(other, foreign)).status, 200);
      assertUnauthenticated(await me(t, foreign));
      // Claims naming this server's admin, signed with the other instance's key.
      const { kid } = decodeProtectedHeader(adminToken);
      const forged = await new SignJWT(decodeJwt(adminToken))
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .sign(other.system.keys.privateKey);
      assertUnauthenticated(await t.request('GET', '/api/users', { token: forged }));
      assert.deepEqual((await introspect(t, forged)).body, { active: false });
    } finally {
      await other.close();
    }
  });

  it('refuses well-signed tokens whose claims are wrong (issuer, audience, role, tenant, subject)', async () => {
    const { kid } = decodeProtectedHeader(adminToken);
    const base = decodeJwt(adminToken);
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).sign(t.system.keys.privateKey);
    // Sanity: this forger makes accepted tokens when the claims are right.
    assert.equal((await me(t, await sign(base))).status, 200);
    assertUnauthenticated(await me(t, await sign({ ...base, iss: 'someone-else' })));
    assertUnauthenticated(await me(t, await sign({ ...base, aud: 'another-service' })));
    assertUnauthenticated(await me(t, await sign({ ...base, role: 'superuser' })));
    assertUnauthenticated(await me(t, await sign({ ...base, tid: 'other-tenant' })));
    assertUnauthenticated(await me(t, await sign({ ...base, sub: 'no-such-user' })));
    const { exp: _exp, ...noExp } = base;
    assertUnauthenticated(await me(t, await sign(noExp)));
  });

  it('lets the database, not the token, decide the role: a demoted admin is refused at once', async () => {
    const second = await createUser(t, 'admin');
    assert.equal((await t.request('GET', '/api/users', { token: second.token })).status, 200);

    const demoted = await t.request('PATCH', `/api/users/${second.id}`, { token: adminToken, body: { role: 'student' } });
    assert.equal(demoted.status, 200, demoted.text);
    const refused = await t.request('GET', '/api/users', { token: second.token });
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.code, 'forbidden');
    // The token still says admin; me and introspect tell the truth.
    assert.equal(decodeJwt(second.token).role, 'admin');
    assert.equal((await me(t, second.token)).body.role, 'student');
    assert.equal((await introspect(t, second.token)).body.role, 'student');

    // And the other way round: a promotion counts at once too.
    const promoted = await t.request('PATCH', `/api/users/${student.id}`, { token: adminToken, body: { role: 'admin' } });
    assert.equal(promoted.status, 200, promoted.text);
    assert.equal((await t.request('GET', '/api/users', { token: student.token })).status, 200);
    assert.equal((await t.request('PATCH', `/api/users/${student.id}`, { token: adminToken, body: { role: 'student' } })).status, 200);
    assert.equal((await t.request('GET', '/api/users', { token: student.token })).status, 403);
  });
});

describe('access token expiry', () => {
  const clock = manualClock();
  let t: TestApp;
  before(async () => {
    t = await startApp({ clock });
  });
  after(() => t.close());

  it('answers 401 token_expired once the 15 minutes are over', async () => {
    const token = await t.login(ADMIN.email, ADMIN.password);
    const claims = decodeJwt(token);
    assert.equal(Number(claims.exp) - Number(claims.iat), 900);
    clock.advance(14 * 60 * 1000);
    assert.equal((await me(t, token)).status, 200);
    assert.equal((await introspect(t, token)).body.active, true);

    clock.advance(2 * 60 * 1000);
    assertUnauthenticated(await me(t, token), 'token_expired');
    assertUnauthenticated(await t.request('GET', '/api/users', { token }), 'token_expired');
    assert.deepEqual((await introspect(t, token)).body, { active: false });

    // A fresh sign-in works again.
    const fresh = await t.login(ADMIN.email, ADMIN.password);
    assert.equal((await me(t, fresh)).status, 200);
  });
});

describe('GET /.well-known/jwks.json', () => {
  let t: TestApp;
  before(async () => {
    t = await startApp();
  });
  after(() => t.close());

  it('publishes one ES256 public key, without its private part', async () => {
    const response = await t.request('GET', '/.well-known/jwks.json');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(response.body.keys.length, 1);
    const [key] = response.body.keys;
    assert.equal(key.kty, 'EC');
    assert.equal(key.crv, 'P-256');
    assert.equal(key.alg, 'ES256');
    assert.equal(key.use, 'sig');
    assert.equal(typeof key.kid, 'string');
    assert.equal(typeof key.x, 'string');
    assert.equal(typeof key.y, 'string');
    assert.equal('d' in key, false, 'the private scalar must never be published');
    assert.doesNotMatch(response.text, /"d"/);
  });

  it('verifies a login token with jose createLocalJWKSet', async () => {
    const jwks = createLocalJWKSet((await t.request('GET', '/.well-known/jwks.json')).body);
    const token = await t.adminToken();
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { algorithms: ['ES256'], issuer: 'alertautec', audience: 'alertautec' });
    assert.equal(protectedHeader.alg, 'ES256');
    const me = (await t.request('GET', '/api/auth/me', { token })).body;
    assert.equal(payload.sub, me.id);
    assert.equal(payload.role, 'admin');
    assert.equal(payload.tid, me.tenantId);
    // And it does not verify a token from a stranger's key.
    const { privateKey } = await generateKeyPair('ES256');
    const stranger = await new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: protectedHeader.kid }).sign(privateKey);
    await assert.rejects(jwtVerify(stranger, jwks, { algorithms: ['ES256'] }));
  });

  it('keeps its keys across restarts on the same DATA_DIR, in files only the owner can read', async () => {
    const file = path.join(t.config.dataDir, 'keys', 'signing-key.json');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(file)).mode & 0o077, 0, 'the keys directory is private too');

    const before = (await t.request('GET', '/.well-known/jwks.json')).body;
    const token = await t.adminToken();
    const restarted = await createSystem(
      loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: t.config.dataDir,
        LOG_LEVEL: 'silent',
        ALERTA_DEMO: '0',
        PASSWORD_HASH_COST: '12',
        ALERTA_ADMIN_EMAIL: ADMIN.email,
        ALERTA_ADMIN_PASSWORD: ADMIN.password,
      }),
    );
    try {
      assert.deepEqual(restarted.keys.jwks, before);
      const actor = await restarted.services.auth.actorFromAccessToken(token);
      assert.equal(actor.role, 'admin');
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    } finally {
      await restarted.close();
    }
  });
});

describe('POST /api/auth/introspect', () => {
  let t: TestApp;
  before(async () => {
    t = await startApp();
  });
  after(() => t.close());

  it('describes an active token with {active, sub, role, departmentId, tenantId, exp}', async () => {
    const staff = await createUser(t, 'staff');
    const response = await introspect(t, staff.token);
    assert.equal(response.status, 200, response.text);
    const profile = (await me(t, staff.token)).body;
    assert.deepEqual(response.body, {
      active: true,
      sub: staff.id,
      role: 'staff',
      departmentId: profile.departmentId,
      tenantId: profile.tenantId,
      exp: decodeJwt(staff.token).exp,
    });
    assert.equal(typeof profile.departmentId, 'string');

    const admin = (await introspect(t, await t.adminToken())).body;
    assert.equal(admin.active, true);
    assert.equal(admin.role, 'admin');
    assert.equal(admin.departmentId, null);
  });

  it('answers {active: false} and nothing more for garbage and forged tokens', async () => {
    const token = await t.adminToken();
    const [header, payload] = token.split('.');
    for (const bad of ['garbage', 'a.b.c', `${header}.${payload}.`, `${header}.${b64url({ ...decodeJwt(token), role: 'student' })}.${token.split('.')[2]}`]) {
      const response = await introspect(t, bad);
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, { active: false }, bad);
    }
    const pair = (await t.request('POST', '/api/auth/login', { body: ADMIN })).body;
    assert.deepEqual((await introspect(t, pair.refreshToken)).body, { active: false });
  });

  it("answers {active: false} for a disabled user's token, and true again once re-enabled", async () => {
    const student = await createUser(t, 'student');
    assert.equal((await introspect(t, student.token)).body.active, true);
    const admin = await t.adminToken();
    assert.equal((await t.request('PATCH', `/api/users/${student.id}`, { token: admin, body: { disabled: true } })).status, 200);
    assert.deepEqual((await introspect(t, student.token)).body, { active: false });
    assert.equal((await t.request('PATCH', `/api/users/${student.id}`, { token: admin, body: { disabled: false } })).status, 200);
    assert.equal((await introspect(t, student.token)).body.active, true);
  });

  it('answers only services that authenticate: a key with the scope, or an admin', async () => {
    const target = (await createUser(t, 'student')).token;
    assert.equal((await t.request('POST', '/api/auth/introspect', { body: { token: target } })).status, 401);
    const admin = await t.adminToken();
    const publishOnly = await t.request('POST', '/api/api-keys', { token: admin, body: { name: 'Publisher', scopes: ['realtime:publish'] } });
    const withoutScope = await t.request('POST', '/api/auth/introspect', { headers: { 'x-api-key': publishOnly.body.key }, body: { token: target } });
    assert.equal(withoutScope.status, 403);
    const student = await t.request('POST', '/api/auth/introspect', { token: target, body: { token: target } });
    assert.equal(student.status, 403);
    const asAdmin = await t.request('POST', '/api/auth/introspect', { token: admin, body: { token: target } });
    assert.equal(asAdmin.status, 200);
    assert.equal(asAdmin.body.active, true);
  });

  it("answers {active: false} to another tenant's admin and keys: tenants never see each other's tokens", async () => {
    const target = await createUser(t, 'staff');
    const other = await createOtherTenant(t);
    const asOtherAdmin = await t.request('POST', '/api/auth/introspect', { token: other.token, body: { token: target.token } });
    assert.equal(asOtherAdmin.status, 200, asOtherAdmin.text);
    assert.deepEqual(asOtherAdmin.body, { active: false });
    const otherKey = await t.request('POST', '/api/api-keys', { token: other.token, body: { name: 'Other introspection', scopes: ['auth:introspect'] } });
    assert.equal(otherKey.status, 201, otherKey.text);
    const asOtherKey = await t.request('POST', '/api/auth/introspect', { headers: { 'x-api-key': otherKey.body.key }, body: { token: target.token } });
    assert.deepEqual(asOtherKey.body, { active: false });
    // Each tenant still introspects its own.
    assert.equal((await t.request('POST', '/api/auth/introspect', { token: other.token, body: { token: other.token } })).body.active, true);
    assert.equal((await introspect(t, target.token)).body.active, true);
  });

  it('refuses a bad body with 400', async () => {
    const key = { 'x-api-key': await introspectionKey(t) };
    const missing = await t.request('POST', '/api/auth/introspect', { headers: key, body: {} });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.errors.map((error: { path: string }) => error.path), ['/token']);
    const extra = await t.request('POST', '/api/auth/introspect', { headers: key, body: { token: 'x', hint: 'access_token' } });
    assert.equal(extra.status, 400);
    assert.deepEqual(extra.body.errors.map((error: { path: string }) => error.path), ['/hint']);
  });
});
