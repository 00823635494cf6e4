import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN, manualClock, startApp, type TestApp, type TestResponse } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { createUser } from '../helpers/fixtures.js';

let counter = 0;
const uniqueEmail = (prefix: string) => `${prefix}-${process.pid}-${++counter}@test.example`;

// Headers that differ between any two requests, whoever asks: they say nothing about the account.
const PER_REQUEST_HEADERS = new Set(['date', 'x-request-id', 'x-ratelimit-reset', 'connection', 'keep-alive']);

/** What a client can observe of an answer, less what changes on every request. */
function observable(response: TestResponse) {
  const headers = [...response.headers.entries()].filter(([name]) => !PER_REQUEST_HEADERS.has(name)).sort();
  return { status: response.status, body: response.text, headers };
}

const signIn = (t: TestApp, email: string, password: string) => t.request('POST', '/api/auth/login', { body: { email, password } });

/** Signs in to a known and an unknown account alike, asserts the answers are the same, and returns one. */
async function sameForBoth(t: TestApp, known: { email: string; password: string }, unknownEmail: string) {
  const knownAnswer = await signIn(t, known.email, known.password);
  const unknownAnswer = await signIn(t, unknownEmail, known.password);
  assert.deepEqual(observable(knownAnswer), observable(unknownAnswer));
  return knownAnswer;
}

function assertRefused(response: TestResponse, retryAfter: number) {
  assert.equal(response.status, 429, response.text);
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(response.body.code, 'rate_limited');
  assert.equal(response.headers.get('retry-after'), String(retryAfter));
  assert.equal(response.body.accessToken, undefined);
}

await describeEachDatabase('sign-in throttling over HTTP', (dialect) => {
  describe('per account', () => {
    const clock = manualClock();
    let t: TestApp;
    before(async () => {
      t = await startApp({
        dialect,
        clock,
        env: { LOGIN_RATE_LIMIT: '10000', LOGIN_ACCOUNT_MAX_FAILURES: '3', LOGIN_ACCOUNT_LOCK_SECONDS: '60', LOGIN_ACCOUNT_LOCK_MAX_SECONDS: '300' },
      });
    });
    after(() => t.close());

    it('locks known and unknown accounts alike, refuses the right password while locked, and an admin sees and lifts the lock', async () => {
      const user = await createUser(t, 'student');
      const ghost = uniqueEmail('ghost');
      const wrong = { email: user.email, password: 'a-wrong-guess-1' };
      const right = { email: user.email, password: user.password };
      const admin = await t.adminToken();

      for (let i = 0; i < 3; i++) assert.equal((await sameForBoth(t, wrong, ghost)).status, 401);
      // Locked: the right password is refused exactly as the unknown account's attempt is.
      assertRefused(await sameForBoth(t, right, ghost), 60);
      assertRefused(await sameForBoth(t, wrong, ghost), 60);

      clock.advance(59_000);
      assertRefused(await sameForBoth(t, right, ghost), 1);
      clock.advance(1_000);
      for (let i = 0; i < 3; i++) assert.equal((await sameForBoth(t, wrong, ghost)).status, 401);
      assertRefused(await sameForBoth(t, right, ghost), 120);
      clock.advance(30_000);
      assertRefused(await sameForBoth(t, right, ghost), 90);

      // The admin sees when the lock ends, on the user and in the list.
      const lockedUntil = new Date(clock.now() + 90_000).toISOString();
      const shown = await t.request('GET', `/api/users/${user.id}`, { token: admin });
      assert.equal(shown.status, 200, shown.text);
      assert.equal(shown.body.loginLockedUntil, lockedUntil);
      const list = await t.request('GET', '/api/users?limit=200', { token: admin });
      const items = list.body.items as { id: string; email: string; loginLockedUntil: string | null }[];
      assert.equal(items.find((item) => item.id === user.id)?.loginLockedUntil, lockedUntil);
      assert.equal(items.find((item) => item.email === ADMIN.email)?.loginLockedUntil, null);

      // Only an admin may lift it, and only for a user of their tenant.
      const student = await createUser(t, 'student');
      assert.equal((await t.request('DELETE', `/api/users/${user.id}/login-lock`, { token: student.token })).status, 403);
      assert.equal((await t.request('DELETE', `/api/users/${user.id}/login-lock`)).status, 401);
      assert.equal((await t.request('DELETE', '/api/users/no-such-user/login-lock', { token: admin })).status, 404);
      assertRefused(await signIn(t, right.email, right.password), 90);

      const lifted = await t.request('DELETE', `/api/users/${user.id}/login-lock`, { token: admin });
      assert.equal(lifted.status, 204, lifted.text);
      assert.equal((await t.request('GET', `/api/users/${user.id}`, { token: admin })).body.loginLockedUntil, null);
      const signedIn = await signIn(t, right.email, right.password);
      assert.equal(signedIn.status, 200, signedIn.text);
      assert.equal(signedIn.body.user.id, user.id);
      // The unknown account stays locked: lifting one lock touches nothing else.
      assertRefused(await signIn(t, ghost, right.password), 90);
    });
  });

  describe('behind a trusted proxy (TRUST_PROXY)', () => {
    const clock = manualClock();
    let t: TestApp;
    before(async () => {
      t = await startApp({ dialect, clock, env: { LOGIN_RATE_LIMIT: '10000', TRUST_PROXY: '127.0.0.1', LOGIN_ADDRESS_MAX_FAILURES: '10' } });
    });
    after(() => t.close());

    const from = (address: string, email: string, password: string) =>
      t.request('POST', '/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': address } });

    it('answers 429 to 200 guesses at one account from 20 addresses after the fifth, with a growing Retry-After', async () => {
      const user = await createUser(t, 'student');
      const addresses = Array.from({ length: 20 }, (_, i) => `198.51.100.${i + 1}`);
      const statuses: number[] = [];
      const retryAfters = new Set<string | null>();
      for (let i = 0; i < 200; i++) {
        const answer = await from(addresses[i % 20]!, user.email, `guess-number-${i}`);
        statuses.push(answer.status);
        if (answer.status === 429) retryAfters.add(answer.headers.get('retry-after'));
      }
      assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
      assert.deepEqual(new Set(statuses.slice(5)), new Set([429]));
      assert.deepEqual(retryAfters, new Set(['60']));
      assertRefused(await from(addresses[7]!, user.email, user.password), 60);

      clock.advance(60_000);
      for (let i = 0; i < 5; i++) assert.equal((await from(addresses[i + 10]!, user.email, `later-guess-${i}`)).status, 401);
      assertRefused(await from(addresses[19]!, user.email, user.password), 120);
    });

    it('counts failures per client address the proxy names, not per proxy', async () => {
      for (let i = 0; i < 10; i++) assert.equal((await from('203.0.113.9', uniqueEmail('spray'), 'a-wrong-guess-1')).status, 401);
      assertRefused(await from('203.0.113.9', ADMIN.email, ADMIN.password), 900);
      // Another client behind the same proxy signs in.
      assert.equal((await from('203.0.113.10', ADMIN.email, ADMIN.password)).status, 200);
    });
  });

  describe('per client address', () => {
    const clock = manualClock();
    let t: TestApp;
    before(async () => {
      t = await startApp({ dialect, clock, env: { LOGIN_RATE_LIMIT: '10000', LOGIN_ADDRESS_MAX_FAILURES: '20', LOGIN_ADDRESS_WINDOW_SECONDS: '600' } });
    });
    after(() => t.close());

    it('refuses sign-ins from an address after many failures across different e-mails, known and unknown alike', async () => {
      const user = { email: ADMIN.email, password: 'not-the-admin-password' };
      // Successes do not count against the address.
      for (let i = 0; i < 30; i++) assert.equal((await signIn(t, ADMIN.email, ADMIN.password)).status, 200);
      for (let i = 0; i < 20; i++) assert.equal((await signIn(t, uniqueEmail('spray'), 'a-wrong-guess-1')).status, 401);
      clock.advance(100_000);
      assertRefused(await sameForBoth(t, user, uniqueEmail('spray')), 500);
      // The right password too: from this address nothing is checked until the window ends.
      assertRefused(await signIn(t, ADMIN.email, ADMIN.password), 500);

      clock.advance(500_000);
      assert.equal((await signIn(t, ADMIN.email, ADMIN.password)).status, 200);
    });
  });
});
