import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DomainError, unauthenticated } from '@alertautec/core';
import { addressKey, createLoginThrottle, type LoginThrottle, type LoginThrottleLimits } from '../../src/auth/login-throttle.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { sweepExpired } from '../../src/ops/housekeeping.js';
import type { Store } from '../../src/store/db.js';
import { manualClock } from '../helpers/app.js';
import { createTestDatabase, describeEachDatabase, openTestStore, type TestDatabase } from '../helpers/databases.js';

const LIMITS: LoginThrottleLimits = {
  accountMaxFailures: 5,
  accountLockSeconds: 60,
  accountLockMaxSeconds: 600,
  addressMaxFailures: 30,
  addressWindowSeconds: 900,
};

let counter = 0;
const uniqueEmail = (prefix: string) => `${prefix}-${process.pid}-${++counter}@throttle.example`;
let addressCounter = 0;
const uniqueAddress = () => `10.${(++addressCounter >> 8) & 255}.${addressCounter & 255}.1`;

const ACCOUNT_LOCKED = 'Too many failed sign-ins for this account; try again later.';
const ADDRESS_LIMITED = 'Too many failed sign-ins from your network; try again later.';

const wrongPassword = () => Promise.reject(unauthenticated('The e-mail or password is incorrect.', 'invalid_credentials'));
const rightPassword = () => Promise.resolve('signed in');

type Outcome = { kind: 'signed-in' } | { kind: 'wrong' } | { kind: 'refused'; retryAfter: number; detail: string };

/** One attempt, told apart by what the caller would see. */
async function attempt(throttle: LoginThrottle, email: string, ip: string, login: () => Promise<string>): Promise<Outcome> {
  try {
    await throttle.attempt(email, ip, login);
    return { kind: 'signed-in' };
  } catch (error) {
    assert.ok(error instanceof DomainError, String(error));
    if (error.code === 'invalid_credentials') return { kind: 'wrong' };
    assert.equal(error.kind, 'rate_limited');
    return { kind: 'refused', retryAfter: Math.ceil(error.details.retryAfterSeconds ?? NaN), detail: error.message };
  }
}

describe('addressKey', () => {
  it('keeps IPv4 as is, unwraps IPv4-mapped IPv6 and counts IPv6 per /64', () => {
    assert.equal(addressKey('203.0.113.7'), '203.0.113.7');
    assert.equal(addressKey('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:0DB8:0001:0002::1'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.notEqual(addressKey('2001:db8:1:3::1'), addressKey('2001:db8:1:2::1'));
  });
});

describe('login throttle configuration', () => {
  const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }, '/tmp');

  it('defaults to 5 failures, locks of 1 minute to 1 hour, and 1000 failures per address per 15 minutes', () => {
    assert.deepEqual(load({}).loginThrottle, {
      accountMaxFailures: 5,
      accountLockSeconds: 60,
      accountLockMaxSeconds: 3600,
      addressMaxFailures: 1000,
      addressWindowSeconds: 900,
    });
  });

  it('refuses bad values with an error naming the variable', () => {
    const cases: [Record<string, string>, string][] = [
      [{ LOGIN_ACCOUNT_MAX_FAILURES: '0' }, 'LOGIN_ACCOUNT_MAX_FAILURES'],
      [{ LOGIN_ACCOUNT_MAX_FAILURES: 'five' }, 'LOGIN_ACCOUNT_MAX_FAILURES'],
      [{ LOGIN_ACCOUNT_LOCK_SECONDS: '-1' }, 'LOGIN_ACCOUNT_LOCK_SECONDS'],
      [{ LOGIN_ACCOUNT_LOCK_SECONDS: '120', LOGIN_ACCOUNT_LOCK_MAX_SECONDS: '60' }, 'LOGIN_ACCOUNT_LOCK_MAX_SECONDS'],
      [{ LOGIN_ADDRESS_MAX_FAILURES: '1.5' }, 'LOGIN_ADDRESS_MAX_FAILURES'],
      [{ LOGIN_ADDRESS_WINDOW_SECONDS: '0' }, 'LOGIN_ADDRESS_WINDOW_SECONDS'],
    ];
    for (const [env, variable] of cases) {
      assert.throws(() => load(env), (error: unknown) => error instanceof ConfigError && error.variable === variable, JSON.stringify(env));
    }
    // A first lock longer than the default cap raises the cap with it.
    assert.equal(load({ LOGIN_ACCOUNT_LOCK_SECONDS: '7200' }).loginThrottle.accountLockMaxSeconds, 7200);
  });
});

await describeEachDatabase('login throttle', (dialect) => {
  let database: TestDatabase;
  let store: Store;
  let other: Store;
  const clock = manualClock(1_767_225_600_000);
  let throttle: LoginThrottle;
  /** A second process on the same database (its own pool on PostgreSQL). */
  let otherProcess: LoginThrottle;

  before(async () => {
    database = await createTestDatabase(dialect);
    store = await openTestStore(database);
    other = await openTestStore(database);
    throttle = createLoginThrottle({ db: store.db, write: store.write, clock, limits: LIMITS });
    otherProcess = createLoginThrottle({ db: other.db, write: other.write, clock, limits: LIMITS });
  });
  after(async () => {
    await other.close();
    await store.close();
    await database.drop();
  });

  it('locks one account guessed at from 20 addresses after 5 failures, for 1, 2, 4 … minutes up to the cap', async () => {
    const email = uniqueEmail('victim');
    const addresses = Array.from({ length: 20 }, uniqueAddress);
    const outcomes: Outcome[] = [];
    let checked = 0;
    const guess = () => {
      checked += 1;
      return wrongPassword();
    };
    for (let i = 0; i < 200; i++) outcomes.push(await attempt(throttle, email, addresses[i % 20]!, guess));

    assert.deepEqual(outcomes.slice(0, 5), Array(5).fill({ kind: 'wrong' }));
    for (const outcome of outcomes.slice(5)) assert.deepEqual(outcome, { kind: 'refused', retryAfter: 60, detail: ACCOUNT_LOCKED });
    assert.equal(checked, 5, 'no password is checked while the account is locked');

    // The right password is refused too while locked, without being checked.
    let rightChecked = false;
    const refused = await attempt(throttle, email, addresses[0]!, () => ((rightChecked = true), rightPassword()));
    assert.equal(refused.kind, 'refused');
    assert.equal(rightChecked, false);

    // Each lock lasts twice the one before, capped at 10 minutes; a second early is still locked.
    const lockSeconds: number[] = [];
    let previous = 60;
    for (let round = 0; round < 5; round++) {
      clock.advance(previous * 1000 - 1000);
      assert.deepEqual(await attempt(throttle, email, addresses[round]!, rightPassword), { kind: 'refused', retryAfter: 1, detail: ACCOUNT_LOCKED });
      clock.advance(1000);
      for (let i = 0; i < 4; i++) assert.deepEqual(await attempt(throttle, email, addresses[(round + i) % 20]!, guess), { kind: 'wrong' });
      const fifth = await attempt(throttle, email, addresses[round]!, guess);
      assert.deepEqual(fifth, { kind: 'wrong' }, 'the attempt that reaches the limit is answered, the next ones are refused');
      const next = await attempt(throttle, email, addresses[(round + 7) % 20]!, rightPassword);
      assert.equal(next.kind, 'refused');
      lockSeconds.push((previous = next.kind === 'refused' ? next.retryAfter : NaN));
    }
    assert.deepEqual(lockSeconds, [120, 240, 480, 600, 600]);
  });

  it('shows the lock, lifts it on request, and then the right password works and the count starts over', async () => {
    const email = uniqueEmail('unlock');
    for (let i = 0; i < 5; i++) await attempt(throttle, email, uniqueAddress(), wrongPassword);
    const until = (await throttle.lockedUntil([email.toUpperCase(), uniqueEmail('never')])).get(email);
    assert.equal(until, clock.now() + 60_000);
    assert.equal((await attempt(throttle, email, uniqueAddress(), rightPassword)).kind, 'refused');

    await throttle.unlock(` ${email.toUpperCase()} `);
    assert.equal((await throttle.lockedUntil([email])).size, 0);
    assert.deepEqual(await attempt(throttle, email, uniqueAddress(), rightPassword), { kind: 'signed-in' });
    // After the lift the history is gone: five more failures lock for the first delay again.
    for (let i = 0; i < 5; i++) assert.deepEqual(await attempt(throttle, email, uniqueAddress(), wrongPassword), { kind: 'wrong' });
    const locked = await attempt(throttle, email, uniqueAddress(), rightPassword);
    assert.equal(locked.kind === 'refused' && locked.retryAfter, 60);
  });

  it('resets the count on a success, so a user who mistypes now and then is never locked', async () => {
    const email = uniqueEmail('typo');
    const address = uniqueAddress();
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 4; i++) assert.deepEqual(await attempt(throttle, email, address, wrongPassword), { kind: 'wrong' });
      assert.deepEqual(await attempt(throttle, email, address, rightPassword), { kind: 'signed-in' });
    }
  });

  it('treats the right password for a disabled account as a success (no lock builds up)', async () => {
    const email = uniqueEmail('disabled');
    const disabled = () => Promise.reject(new DomainError('forbidden', 'account_disabled', 'This account has been disabled.'));
    for (let i = 0; i < 12; i++) {
      await assert.rejects(throttle.attempt(email, uniqueAddress(), disabled), (error: DomainError) => error.code === 'account_disabled');
    }
    assert.equal((await throttle.lockedUntil([email])).size, 0);
  });

  it('refuses many different e-mails from one address past the per-address limit, until the window ends', async () => {
    const address = uniqueAddress();
    for (let i = 0; i < 30; i++) assert.deepEqual(await attempt(throttle, uniqueEmail('spray'), address, wrongPassword), { kind: 'wrong' });
    clock.advance(100_000);
    const refused = await attempt(throttle, uniqueEmail('spray'), address, wrongPassword);
    assert.deepEqual(refused, { kind: 'refused', retryAfter: 800, detail: ADDRESS_LIMITED });
    // Even the right password for a fresh account: the address is refused, not judged.
    let checked = false;
    assert.equal((await attempt(throttle, uniqueEmail('spray'), address, () => ((checked = true), rightPassword()))).kind, 'refused');
    assert.equal(checked, false);
    // Another address is unaffected.
    assert.deepEqual(await attempt(throttle, uniqueEmail('spray'), uniqueAddress(), rightPassword), { kind: 'signed-in' });
    // Another process on the same database refuses the address too.
    assert.equal((await attempt(otherProcess, uniqueEmail('spray'), address, rightPassword)).kind, 'refused');

    clock.advance(800_000);
    assert.deepEqual(await attempt(throttle, uniqueEmail('spray'), address, rightPassword), { kind: 'signed-in' });
  });

  it('counts only failures against an address: a NAT full of people signing in correctly is never limited', async () => {
    const address = uniqueAddress();
    for (let i = 0; i < 100; i++) assert.deepEqual(await attempt(throttle, uniqueEmail('nat'), address, rightPassword), { kind: 'signed-in' });
    for (let i = 0; i < 29; i++) assert.deepEqual(await attempt(throttle, uniqueEmail('nat'), address, wrongPassword), { kind: 'wrong' });
    assert.deepEqual(await attempt(throttle, uniqueEmail('nat'), address, rightPassword), { kind: 'signed-in' });
    assert.deepEqual(await attempt(throttle, uniqueEmail('nat'), address, wrongPassword), { kind: 'wrong' });
    assert.equal((await attempt(throttle, uniqueEmail('nat'), address, rightPassword)).kind, 'refused');
  });

  it('lets no more than 5 of 40 parallel guesses at one account reach the password check, across two processes', async () => {
    const email = uniqueEmail('burst');
    let checked = 0;
    const slowGuess = async () => {
      checked += 1;
      await new Promise((resolve) => setImmediate(resolve));
      return wrongPassword();
    };
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) => attempt(i % 2 ? otherProcess : throttle, email, uniqueAddress(), slowGuess)),
    );
    assert.equal(checked, 5);
    assert.equal(outcomes.filter((outcome) => outcome.kind === 'wrong').length, 5);
    assert.equal(outcomes.filter((outcome) => outcome.kind === 'refused').length, 35);
  });

  it('forgets an account’s failures after a quiet day, and housekeeping removes rows that count for nothing', async () => {
    const email = uniqueEmail('quiet');
    for (let i = 0; i < 4; i++) await attempt(throttle, email, uniqueAddress(), wrongPassword);
    clock.advance(24 * 60 * 60 * 1000 + 1);
    for (let i = 0; i < 4; i++) assert.deepEqual(await attempt(throttle, email, uniqueAddress(), wrongPassword), { kind: 'wrong' });
    assert.equal((await throttle.lockedUntil([email])).size, 0, 'four old and four new failures are not five in a row');

    const before = Number((await store.db.selectFrom('login_throttle').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    clock.advance(24 * 60 * 60 * 1000 + 1);
    await attempt(throttle, email, uniqueAddress(), wrongPassword);
    await sweepExpired(store.db, clock.now());
    const left = await store.db.selectFrom('login_throttle').select(['scope', 'subject']).execute();
    assert.ok(before > 2, `rows before the sweep: ${before}`);
    assert.deepEqual(left.map((row) => row.scope).sort(), ['account', 'address'], 'only the rows touched in the last day stay');
  });
});
