import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN, manualClock, startApp, type TestApp, type TestResponse } from '../helpers/app.js';
import { createUser } from '../helpers/fixtures.js';

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';
const GOOD_PASSWORD = 'correct-horse-battery';

let counter = 0;
const uniqueEmail = (prefix = 'user') => `${prefix}-${process.pid}-${++counter}@test.example`;

/** Asserts a problem+json answer with the given status and code, and returns its body. */
function assertProblem(response: TestResponse, status: number, code: string) {
  assert.equal(response.status, status, `expected ${status} ${code}, got ${response.status} ${response.text}`);
  assert.equal(response.headers.get('content-type'), PROBLEM_JSON);
  assert.equal(response.body.status, status);
  assert.equal(response.body.code, code);
  assert.equal(typeof response.body.type, 'string');
  assert.equal(typeof response.body.title, 'string');
  assert.equal(typeof response.body.detail, 'string');
  assert.equal(typeof response.body.instance, 'string');
  return response.body;
}

/** The JSON pointers a 400 validation problem names. */
function errorPaths(response: TestResponse): string[] {
  assertProblem(response, 400, response.body?.code ?? 'validation_failed');
  assert.ok(Array.isArray(response.body.errors), `errors[] in ${response.text}`);
  // One field may break several rules (say minLength and format): each path once.
  return [...new Set((response.body.errors as { path: string }[]).map((error) => error.path))];
}

async function register(t: TestApp, body: unknown) {
  return t.request('POST', '/api/auth/register', { body });
}

async function loginPair(t: TestApp, email: string, password: string) {
  const response = await t.request('POST', '/api/auth/login', { body: { email, password } });
  assert.equal(response.status, 200, response.text);
  return response.body as { accessToken: string; refreshToken: string; expiresIn: number; user: Record<string, unknown> };
}

async function refresh(t: TestApp, refreshToken: string) {
  return t.request('POST', '/api/auth/refresh', { body: { refreshToken } });
}

describe('POST /api/auth/register', () => {
  let t: TestApp;
  before(async () => {
    t = await startApp();
  });
  after(() => t.close());

  it('creates a student with a lower-cased e-mail and answers 201 {user}', async () => {
    const email = uniqueEmail('Mixed.Case');
    const response = await register(t, { email: email.toUpperCase(), password: GOOD_PASSWORD, name: 'Ana Pérez' });
    assert.equal(response.status, 201, response.text);
    assert.deepEqual(Object.keys(response.body), ['user']);
    const { user } = response.body;
    assert.deepEqual(Object.keys(user).sort(), ['departmentId', 'email', 'id', 'name', 'role', 'tenantId']);
    assert.equal(user.email, email.toLowerCase());
    assert.equal(user.role, 'student');
    assert.equal(user.departmentId, null);
    assert.equal(user.name, 'Ana Pérez');
    assert.equal(typeof user.id, 'string');
    // The account works with the e-mail in any case.
    const pair = await loginPair(t, email.toUpperCase(), GOOD_PASSWORD);
    assert.equal(pair.user.id, user.id);
  });

  it('refuses a second account for the same e-mail, whatever its case, with 409 email_taken', async () => {
    const email = uniqueEmail('dup');
    assert.equal((await register(t, { email, password: GOOD_PASSWORD, name: 'First' })).status, 201);
    assertProblem(await register(t, { email, password: GOOD_PASSWORD, name: 'Second' }), 409, 'email_taken');
    assertProblem(await register(t, { email: email.toUpperCase(), password: GOOD_PASSWORD, name: 'Third' }), 409, 'email_taken');
    // The bootstrap admin's address cannot be taken over either.
    assertProblem(await register(t, { email: ADMIN.email, password: GOOD_PASSWORD, name: 'Impostor' }), 409, 'email_taken');
    // The first account keeps its password.
    await loginPair(t, email, GOOD_PASSWORD);
  });

  it('names every missing field', async () => {
    const response = await register(t, {});
    assert.equal(response.body.code, 'validation_failed');
    assert.deepEqual(errorPaths(response).sort(), ['/email', '/name', '/password']);
  });

  it('refuses wrong types instead of coercing them', async () => {
    const response = await register(t, { email: uniqueEmail(), password: GOOD_PASSWORD, name: 12345 });
    assert.deepEqual(errorPaths(response), ['/name']);
    const numbers = await register(t, { email: 42, password: 1234567890123, name: 'Ok Name' });
    assert.deepEqual(errorPaths(numbers).sort(), ['/email', '/password']);
    const array = await register(t, ['not', 'an', 'object']);
    assert.equal(array.status, 400);
    const nullBody = await register(t, null);
    assert.equal(nullBody.status, 400);
  });

  it('refuses unknown fields, so nobody can register as admin', async () => {
    const response = await register(t, { email: uniqueEmail(), password: GOOD_PASSWORD, name: 'Sneaky', role: 'admin' });
    assert.deepEqual(errorPaths(response), ['/role']);
    const dept = await register(t, { email: uniqueEmail(), password: GOOD_PASSWORD, name: 'Sneaky', departmentId: 'x' });
    assert.deepEqual(errorPaths(dept), ['/departmentId']);
  });

  it('refuses a password under 10 characters and an invalid e-mail', async () => {
    assert.deepEqual(errorPaths(await register(t, { email: uniqueEmail(), password: 'short-pw', name: 'Shorty' })), ['/password']);
    assert.deepEqual(errorPaths(await register(t, { email: 'not-an-email', password: GOOD_PASSWORD, name: 'Nobody' })), ['/email']);
    assert.deepEqual(errorPaths(await register(t, { email: uniqueEmail(), password: GOOD_PASSWORD, name: '' })), ['/name']);
    assert.deepEqual(errorPaths(await register(t, { email: uniqueEmail(), password: GOOD_PASSWORD, name: '   ' })), ['/name']);
    assert.deepEqual(errorPaths(await register(t, { email: uniqueEmail(), password: GOOD_PASSWORD, name: 'x'.repeat(121) })), ['/name']);
  });

  it('refuses names with NUL, bidi overrides, line breaks or lone surrogates', async () => {
    for (const name of ['Ana\u0000Admin', 'evil\u202Egnp.exe', 'lone \ud800 surrogate', 'trailing \udc00', 'two\nlines', 'isolate\u2066x']) {
      const response = await register(t, { email: uniqueEmail('unsafe'), password: GOOD_PASSWORD, name });
      assert.deepEqual(errorPaths(response), ['/name'], `name ${JSON.stringify(name)}`);
    }
  });

  it('stores a name that looks like SQL verbatim, and the users table keeps working', async () => {
    const name = "Robert'); DROP TABLE users;--";
    const email = uniqueEmail('bobby');
    const response = await register(t, { email, password: GOOD_PASSWORD, name });
    assert.equal(response.status, 201, response.text);
    assert.equal(response.body.user.name, name);

    const pair = await loginPair(t, email, GOOD_PASSWORD);
    const me = await t.request('GET', '/api/auth/me', { token: pair.accessToken });
    assert.equal(me.status, 200);
    assert.equal(me.body.name, name);

    const list = await t.request('GET', '/api/users?limit=200', { token: await t.adminToken() });
    assert.equal(list.status, 200, list.text);
    assert.ok(list.body.items.some((user: { email: string; name: string }) => user.email === email && user.name === name));
    // Other accounts are still there and new ones still register.
    await loginPair(t, ADMIN.email, ADMIN.password);
    assert.equal((await register(t, { email: uniqueEmail('after'), password: GOOD_PASSWORD, name: 'After Bobby' })).status, 201);
  });

  it('accepts accented and emoji names, stored in NFC', async () => {
    const decomposed = 'Jose\u0301 N\u0303an\u0303u\u0301 \u{1F6A8}\u{1F393}';
    assert.notEqual(decomposed, decomposed.normalize('NFC'));
    const response = await register(t, { email: uniqueEmail('accent'), password: GOOD_PASSWORD, name: decomposed });
    assert.equal(response.status, 201, response.text);
    assert.equal(response.body.user.name, 'José Ñañú 🚨🎓');
    assert.equal(response.body.user.name, decomposed.normalize('NFC'));

    const cjk = await register(t, { email: uniqueEmail('cjk'), password: GOOD_PASSWORD, name: '  山田 太郎 👩🏽‍💻  ' });
    assert.equal(cjk.status, 201, cjk.text);
    assert.equal(cjk.body.user.name, '山田 太郎 👩🏽‍💻');
  });

  it('answers 415 for a body that is not JSON and 400 for malformed JSON', async () => {
    const form = await t.request('POST', '/api/auth/register', {
      raw: 'email=a@b.c&password=xxxxxxxxxx&name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assertProblem(form, 415, 'unsupported_media_type');
    const broken = await t.request('POST', '/api/auth/register', { raw: '{"email": ', headers: { 'content-type': 'application/json' } });
    assertProblem(broken, 400, 'malformed_json');
  });
});

describe('POST /api/auth/register with ALLOWED_EMAIL_DOMAINS', () => {
  let t: TestApp;
  before(async () => {
    t = await startApp({ env: { ALLOWED_EMAIL_DOMAINS: 'utec.edu.pe' } });
  });
  after(() => t.close());

  it('accepts the campus domain, in any case', async () => {
    const response = await register(t, { email: `Alumno.${process.pid}@UTEC.EDU.PE`, password: GOOD_PASSWORD, name: 'Alumno' });
    assert.equal(response.status, 201, response.text);
    assert.equal(response.body.user.email, `alumno.${process.pid}@utec.edu.pe`);
  });

  it('refuses other domains, including look-alikes, with 400 on /email', async () => {
    for (const email of ['someone@gmail.com', 'x@utec.edu.pe.evil.com', 'x@notutec.edu.pe', 'x@evil.com.utec.edu']) {
      const response = await register(t, { email, password: GOOD_PASSWORD, name: 'Outsider' });
      const body = assertProblem(response, 400, 'email_domain_not_allowed');
      assert.deepEqual(
        body.errors.map((error: { path: string }) => error.path),
        ['/email'],
        email,
      );
      // Nothing was stored.
      const login = await t.request('POST', '/api/auth/login', { body: { email, password: GOOD_PASSWORD } });
      assert.equal(login.status, 401);
    }
    // An address with two @ is not an e-mail at all.
    assert.deepEqual(errorPaths(await register(t, { email: 'x@utec.edu.pe@evil.com', password: GOOD_PASSWORD, name: 'Outsider' })), ['/email']);
  });
});

describe('POST /api/auth/login', () => {
  let t: TestApp;
  before(async () => {
    t = await startApp();
  });
  after(() => t.close());

  it('answers 200 {accessToken, refreshToken, expiresIn: 900, user}', async () => {
    const email = uniqueEmail('login');
    const created = await register(t, { email, password: GOOD_PASSWORD, name: 'Login Test' });
    const response = await t.request('POST', '/api/auth/login', { body: { email, password: GOOD_PASSWORD } });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(Object.keys(response.body).sort(), ['accessToken', 'expiresIn', 'refreshToken', 'user']);
    assert.equal(response.body.expiresIn, 900);
    assert.match(response.body.accessToken, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(typeof response.body.refreshToken, 'string');
    assert.ok(response.body.refreshToken.length >= 32);
    assert.deepEqual(response.body.user, created.body.user);
    assert.ok(!('password_hash' in response.body.user) && !('passwordHash' in response.body.user));

    // Two sign-ins give different tokens.
    const again = await loginPair(t, email, GOOD_PASSWORD);
    assert.notEqual(again.refreshToken, response.body.refreshToken);
    assert.notEqual(again.accessToken, response.body.accessToken);
  });

  it('answers a wrong password and an unknown e-mail identically (no enumeration)', async () => {
    const email = uniqueEmail('enum');
    await register(t, { email, password: GOOD_PASSWORD, name: 'Enum Test' });
    const wrong = await t.request('POST', '/api/auth/login', { body: { email, password: 'wrong-password-123' } });
    const unknown = await t.request('POST', '/api/auth/login', { body: { email: uniqueEmail('ghost'), password: 'wrong-password-123' } });
    const wrongBody = assertProblem(wrong, 401, 'invalid_credentials');
    const unknownBody = assertProblem(unknown, 401, 'invalid_credentials');
    assert.equal(wrong.status, unknown.status);
    assert.equal(wrongBody.detail, unknownBody.detail);
    assert.equal(wrongBody.title, unknownBody.title);
    assert.equal(wrongBody.type, unknownBody.type);
    assert.deepEqual(Object.keys(wrongBody).sort(), Object.keys(unknownBody).sort());
    assert.equal(wrong.headers.get('www-authenticate'), unknown.headers.get('www-authenticate'));
    // A password differing only in case is wrong too.
    assertProblem(await t.request('POST', '/api/auth/login', { body: { email, password: GOOD_PASSWORD.toUpperCase() } }), 401, 'invalid_credentials');
  });

  it('treats a malformed e-mail as wrong credentials, and refuses bad bodies with 400', async () => {
    assertProblem(await t.request('POST', '/api/auth/login', { body: { email: 'nope', password: 'whatever' } }), 401, 'invalid_credentials');
    assert.deepEqual(errorPaths(await t.request('POST', '/api/auth/login', { body: { email: ADMIN.email } })), ['/password']);
    assert.deepEqual(errorPaths(await t.request('POST', '/api/auth/login', { body: { email: ADMIN.email, password: 123 } })), ['/password']);
    assert.deepEqual(
      errorPaths(await t.request('POST', '/api/auth/login', { body: { email: ADMIN.email, password: ADMIN.password, remember: true } })),
      ['/remember'],
    );
  });

  it('answers 403 account_disabled to a disabled user with the right password', async () => {
    const user = await createUser(t, 'student');
    const admin = await t.adminToken();
    const patched = await t.request('PATCH', `/api/users/${user.id}`, { token: admin, body: { disabled: true } });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.disabled, true);

    assertProblem(await t.request('POST', '/api/auth/login', { body: { email: user.email, password: user.password } }), 403, 'account_disabled');
    // The wrong password still says only "wrong credentials".
    assertProblem(await t.request('POST', '/api/auth/login', { body: { email: user.email, password: 'not-the-password' } }), 401, 'invalid_credentials');
    // The token they already held stops working at once.
    assertProblem(await t.request('GET', '/api/auth/me', { token: user.token }), 401, 'invalid_token');

    // Enabled again, they can sign in.
    assert.equal((await t.request('PATCH', `/api/users/${user.id}`, { token: admin, body: { disabled: false } })).status, 200);
    await loginPair(t, user.email, user.password);
  });
});

describe('POST /api/auth/login rate limit', () => {
  let t: TestApp;
  before(async () => {
    t = await startApp({ env: { LOGIN_RATE_LIMIT: '3' } });
  });
  after(() => t.close());

  it('answers 429 with Retry-After after the limit for one e-mail, while another e-mail still works', async () => {
    const target = uniqueEmail('victim');
    await register(t, { email: target, password: GOOD_PASSWORD, name: 'Victim' });
    for (let attempt = 1; attempt <= 3; attempt++) {
      const response = await t.request('POST', '/api/auth/login', { body: { email: target, password: `guess-number-${attempt}` } });
      assertProblem(response, 401, 'invalid_credentials');
    }
    const limited = await t.request('POST', '/api/auth/login', { body: { email: target, password: GOOD_PASSWORD } });
    assertProblem(limited, 429, 'rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${limited.headers.get('retry-after')}`);
    assert.equal(limited.body.accessToken, undefined);

    // The same account in another case or with spaces is the same bucket.
    assertProblem(await t.request('POST', '/api/auth/login', { body: { email: ` ${target.toUpperCase()} `, password: GOOD_PASSWORD } }), 429, 'rate_limited');

    // Other accounts are not locked out.
    const other = await t.request('POST', '/api/auth/login', { body: { email: ADMIN.email, password: ADMIN.password } });
    assert.equal(other.status, 200, other.text);
  });
});

describe('POST /api/auth/refresh', () => {
  let t: TestApp;
  let email: string;
  before(async () => {
    t = await startApp();
    email = uniqueEmail('refresh');
    await register(t, { email, password: GOOD_PASSWORD, name: 'Refresher' });
  });
  after(() => t.close());

  it('returns a new pair and the old refresh token then fails with 401', async () => {
    const first = await loginPair(t, email, GOOD_PASSWORD);
    const rotated = await refresh(t, first.refreshToken);
    assert.equal(rotated.status, 200, rotated.text);
    assert.deepEqual(Object.keys(rotated.body).sort(), ['accessToken', 'expiresIn', 'refreshToken', 'user']);
    assert.notEqual(rotated.body.refreshToken, first.refreshToken);
    assert.notEqual(rotated.body.accessToken, first.accessToken);
    assert.equal(rotated.body.expiresIn, 900);
    assert.deepEqual(rotated.body.user, first.user);
    const me = await t.request('GET', '/api/auth/me', { token: rotated.body.accessToken });
    assert.equal(me.status, 200);
    assert.equal(me.body.email, email);

    assertProblem(await refresh(t, first.refreshToken), 401, 'refresh_token_reused');
  });

  it('revokes the whole family when a rotated token comes back, but not other sessions', async () => {
    const session = await loginPair(t, email, GOOD_PASSWORD);
    const otherSession = await loginPair(t, email, GOOD_PASSWORD);

    const second = await refresh(t, session.refreshToken);
    assert.equal(second.status, 200);
    const third = await refresh(t, second.body.refreshToken);
    assert.equal(third.status, 200);

    // An attacker replays the first token.
    const reuse = await refresh(t, session.refreshToken);
    const body = assertProblem(reuse, 401, 'refresh_token_reused');
    assert.match(reuse.headers.get('www-authenticate') ?? '', /^Bearer /);
    assert.doesNotMatch(JSON.stringify(body), /rt_|token_hash/);

    // The newest token of that family is dead too, and so are the intermediate ones.
    assertProblem(await refresh(t, third.body.refreshToken), 401, 'refresh_token_revoked');
    assert.equal((await refresh(t, second.body.refreshToken)).status, 401);

    // A separate login is another family and keeps working.
    const other = await refresh(t, otherSession.refreshToken);
    assert.equal(other.status, 200, other.text);
    assert.equal((await refresh(t, other.body.refreshToken)).status, 200);
  });

  it('lets exactly one of two concurrent refreshes of the same token win', async () => {
    const session = await loginPair(t, email, GOOD_PASSWORD);
    const answers = await Promise.all([refresh(t, session.refreshToken), refresh(t, session.refreshToken)]);
    const statuses = answers.map((answer) => answer.status).sort();
    assert.deepEqual(statuses, [200, 401], answers.map((answer) => answer.text).join('\n'));
    const loser = answers.find((answer) => answer.status === 401);
    assert.ok(loser);
    assert.equal(loser.body.code, 'refresh_token_reused');

    const many = await loginPair(t, email, GOOD_PASSWORD);
    const burst = await Promise.all(Array.from({ length: 8 }, () => refresh(t, many.refreshToken)));
    assert.equal(burst.filter((answer) => answer.status === 200).length, 1);
    assert.equal(burst.filter((answer) => answer.status === 401).length, 7);
  });

  it('lets exactly one of many refreshes racing inside the service win (both read the row before either writes)', async () => {
    const { auth } = t.system.services;
    const session = await loginPair(t, email, GOOD_PASSWORD);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => auth.refresh(session.refreshToken)));
    assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1);
    for (const result of results) {
      // A loser either sees the token already used (and revokes the family) or the family
      // already revoked by another loser.
      if (result.status === 'rejected') assert.match(String((result.reason as { code?: string }).code), /^refresh_token_(reused|revoked)$/);
    }
  });

  it('refuses garbage, and refuses bad bodies with 400', async () => {
    assertProblem(await refresh(t, 'garbage'), 401, 'invalid_refresh_token');
    assertProblem(await refresh(t, `rt_${'A'.repeat(43)}`), 401, 'invalid_refresh_token');
    // An access token is not a refresh token.
    const pair = await loginPair(t, email, GOOD_PASSWORD);
    assertProblem(await refresh(t, pair.accessToken.slice(0, 256)), 401, 'invalid_refresh_token');
    assert.deepEqual(errorPaths(await t.request('POST', '/api/auth/refresh', { body: {} })), ['/refreshToken']);
    assert.deepEqual(errorPaths(await t.request('POST', '/api/auth/refresh', { body: { refreshToken: '' } })), ['/refreshToken']);
    assert.deepEqual(errorPaths(await t.request('POST', '/api/auth/refresh', { body: { refreshToken: 42 } })), ['/refreshToken']);
    assert.deepEqual(errorPaths(await t.request('POST', '/api/auth/refresh', { body: { refreshToken: 'x'.repeat(257) } })), ['/refreshToken']);
  });

  it('ends the sessions of a user who is disabled', async () => {
    const user = await createUser(t, 'student');
    const pair = await loginPair(t, user.email, user.password);
    const admin = await t.adminToken();
    assert.equal((await t.request('PATCH', `/api/users/${user.id}`, { token: admin, body: { disabled: true } })).status, 200);
    assert.equal((await refresh(t, pair.refreshToken)).status, 401);
    // Re-enabling does not bring the old session back.
    assert.equal((await t.request('PATCH', `/api/users/${user.id}`, { token: admin, body: { disabled: false } })).status, 200);
    assert.equal((await refresh(t, pair.refreshToken)).status, 401);
  });
});

describe('POST /api/auth/refresh expiry', () => {
  const clock = manualClock();
  let t: TestApp;
  before(async () => {
    t = await startApp({ clock, env: { REFRESH_TOKEN_TTL_SECONDS: '3600' } });
  });
  after(() => t.close());

  it('works until REFRESH_TOKEN_TTL_SECONDS and answers 401 after', async () => {
    const early = await loginPair(t, ADMIN.email, ADMIN.password);
    const late = await loginPair(t, ADMIN.email, ADMIN.password);
    clock.advance(3599 * 1000);
    const stillFine = await refresh(t, early.refreshToken);
    assert.equal(stillFine.status, 200, stillFine.text);

    clock.advance(2 * 1000);
    assertProblem(await refresh(t, late.refreshToken), 401, 'refresh_token_expired');
    // The rotated one carries its own, fresh lifetime.
    assert.equal((await refresh(t, stillFine.body.refreshToken)).status, 200);
  });
});

describe('POST /api/auth/logout', () => {
  let t: TestApp;
  before(async () => {
    t = await startApp();
  });
  after(() => t.close());

  it('answers 204 and the refresh token then fails', async () => {
    const pair = await loginPair(t, ADMIN.email, ADMIN.password);
    const other = await loginPair(t, ADMIN.email, ADMIN.password);
    const response = await t.request('POST', '/api/auth/logout', { body: { refreshToken: pair.refreshToken } });
    assert.equal(response.status, 204);
    assert.equal(response.text, '');
    assertProblem(await refresh(t, pair.refreshToken), 401, 'refresh_token_revoked');
    // Logging out twice is harmless.
    assert.equal((await t.request('POST', '/api/auth/logout', { body: { refreshToken: pair.refreshToken } })).status, 204);
    // Another session of the same user is untouched.
    assert.equal((await refresh(t, other.refreshToken)).status, 200);
  });

  it('ends the whole session, including tokens rotated before', async () => {
    const pair = await loginPair(t, ADMIN.email, ADMIN.password);
    const rotated = await refresh(t, pair.refreshToken);
    assert.equal(rotated.status, 200);
    // Logging out with the old (already rotated) token still ends the session.
    assert.equal((await t.request('POST', '/api/auth/logout', { body: { refreshToken: pair.refreshToken } })).status, 204);
    assert.equal((await refresh(t, rotated.body.refreshToken)).status, 401);
  });

  it('answers 204 to an unknown token and 400 to a bad body', async () => {
    assert.equal((await t.request('POST', '/api/auth/logout', { body: { refreshToken: 'never-issued' } })).status, 204);
    assert.deepEqual(errorPaths(await t.request('POST', '/api/auth/logout', { body: {} })), ['/refreshToken']);
  });
});

describe('GET /api/auth/me', () => {
  let t: TestApp;
  before(async () => {
    t = await startApp();
  });
  after(() => t.close());

  it('returns exactly {id, email, name, role, departmentId, tenantId}', async () => {
    const staff = await createUser(t, 'staff');
    const me = await t.request('GET', '/api/auth/me', { token: staff.token });
    assert.equal(me.status, 200, me.text);
    assert.deepEqual(Object.keys(me.body).sort(), ['departmentId', 'email', 'id', 'name', 'role', 'tenantId']);
    assert.equal(me.body.id, staff.id);
    assert.equal(me.body.email, staff.email);
    assert.equal(me.body.role, 'staff');
    assert.equal(typeof me.body.departmentId, 'string');
    assert.equal(typeof me.body.tenantId, 'string');
    assert.doesNotMatch(me.text, /scrypt|password/i);

    const admin = await t.request('GET', '/api/auth/me', { token: await t.adminToken() });
    assert.equal(admin.body.email, ADMIN.email);
    assert.equal(admin.body.role, 'admin');
    assert.equal(admin.body.departmentId, null);
    assert.equal(admin.body.tenantId, me.body.tenantId);
  });

  it('answers 401 with WWW-Authenticate without a token', async () => {
    const response = await t.request('GET', '/api/auth/me');
    assertProblem(response, 401, 'unauthenticated');
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="alertautec"', 'no error code without credentials (RFC 6750 §3.1)');
  });

  it('answers 401 to Basic credentials and to malformed bearer tokens', async () => {
    for (const authorization of ['Basic x', `Basic ${Buffer.from(`${ADMIN.email}:${ADMIN.password}`).toString('base64')}`, 'Bearer', 'Bearer a b', 'Bearer not.a.jwt', 'Token abc']) {
      const response = await t.request('GET', '/api/auth/me', { headers: { authorization } });
      assertProblem(response, 401, 'invalid_token');
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer\b/, authorization);
    }
  });

  it('does not take a refresh token as an access token', async () => {
    const pair = await loginPair(t, ADMIN.email, ADMIN.password);
    assert.equal((await t.request('GET', '/api/auth/me', { token: pair.refreshToken })).status, 401);
  });
});
