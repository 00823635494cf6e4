import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay, tokenExpiry } from '../src/index.js';

describe('backoffDelay: exponential with full jitter, capped at 30 s', () => {
  it('is zero at the bottom of the jitter and just under the bound at the top', () => {
    for (const attempt of [0, 1, 2, 5, 10]) assert.equal(backoffDelay(attempt, { random: () => 0 }), 0);
    const top = () => 0.999999;
    assert.equal(backoffDelay(0, { random: top }), 499);
    assert.equal(backoffDelay(1, { random: top }), 999);
    assert.equal(backoffDelay(3, { random: top }), 3_999);
    assert.equal(backoffDelay(5, { random: top }), 15_999);
  });

  it('never exceeds 30 s, however many attempts', () => {
    for (const attempt of [6, 7, 10, 30, 31, 100, 10_000]) {
      const delay = backoffDelay(attempt, { random: () => 0.999999 });
      assert.ok(delay <= 30_000 && delay >= 29_999, `attempt ${attempt}: ${delay}`);
      assert.ok(Number.isFinite(delay), `attempt ${attempt}: finite`);
    }
    assert.equal(backoffDelay(6, { random: () => 0.5 }), 15_000, 'half of the 30 s cap');
  });

  it('is full jitter: delays spread over [0, bound), not bunched near the bound', () => {
    const samples = Array.from({ length: 2_000 }, () => backoffDelay(20));
    assert.ok(samples.every((d) => Number.isInteger(d) && d >= 0 && d < 30_000), 'within [0, 30 s)');
    assert.ok(samples.some((d) => d < 3_000), 'some short waits');
    assert.ok(samples.some((d) => d > 27_000), 'some long waits');
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    assert.ok(mean > 12_000 && mean < 18_000, `mean near half the bound: ${mean}`);
  });

  it('takes its own initial delay and cap', () => {
    assert.equal(backoffDelay(0, { initialMs: 100, maxMs: 1_000, random: () => 0.5 }), 50);
    assert.equal(backoffDelay(2, { initialMs: 100, maxMs: 1_000, random: () => 0.5 }), 200);
    assert.equal(backoffDelay(8, { initialMs: 100, maxMs: 1_000, random: () => 0.5 }), 500);
  });
});

describe('tokenExpiry', () => {
  const jwt = (payload: unknown) => `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

  it('reads exp without verifying, from base64url with - and _ and no padding', () => {
    const payload = { exp: 1_800_000_000, sub: '>>>???~~~', name: 'Ñandú' };
    const token = jwt(payload);
    const part = token.split('.')[1]!;
    assert.match(part, /[-_]/, 'the payload uses the URL-safe alphabet');
    assert.equal(part.includes('='), false);
    assert.equal(tokenExpiry(token), 1_800_000_000);
    for (let pad = 0; pad < 4; pad++) assert.equal(tokenExpiry(jwt({ exp: 42, s: 'x'.repeat(pad) })), 42);
  });

  it('answers undefined when there is no readable numeric exp', () => {
    assert.equal(tokenExpiry('garbage'), undefined);
    assert.equal(tokenExpiry(''), undefined);
    assert.equal(tokenExpiry('a.%%%.c'), undefined);
    assert.equal(tokenExpiry(jwt({ sub: 'x' })), undefined);
    assert.equal(tokenExpiry(jwt({ exp: '1800000000' })), undefined);
    assert.equal(tokenExpiry(`a.${Buffer.from('not json').toString('base64url')}.c`), undefined);
  });
});
