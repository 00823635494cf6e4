import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { manualClock, startApp, type TestApp } from '../helpers/app.js';
import { createUser } from '../helpers/fixtures.js';
import { rawSocket, upgradeStatus } from '../helpers/realtime.js';

/** §4: a missing, bad or expired token is refused with 401 before the upgrade. */
const clock = manualClock();
let t: TestApp;
let student: Awaited<ReturnType<typeof createUser>>;
before(async () => {
  t = await startApp({ clock, env: { WS_MAX_CONNECTIONS_PER_USER: '2', PASSWORD_HASH_COST: '10' } });
  student = await createUser(t, 'student');
});
after(() => t.close());

describe('refusal before the upgrade', () => {
  it('upgrades with a good token (the baseline)', async () => {
    assert.equal(await upgradeStatus(t, `/ws?token=${encodeURIComponent(student.token)}`), 101);
  });

  it('refuses a missing token with 401', async () => {
    assert.equal(await upgradeStatus(t, '/ws'), 401);
    assert.equal(await upgradeStatus(t, '/ws?token='), 401);
  });

  it('refuses a garbage token with 401', async () => {
    assert.equal(await upgradeStatus(t, '/ws?token=not-a-jwt'), 401);
    assert.equal(await upgradeStatus(t, '/ws?token=a.b.c'), 401);
  });

  it('refuses a tampered token (payload changed, signature kept) with 401', async () => {
    const [header, payload, signature] = student.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    assert.equal(await upgradeStatus(t, `/ws?token=${header}.${forged}.${signature}`), 401);
    // A flipped signature byte is refused as well.
    const flipped = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    assert.equal(await upgradeStatus(t, `/ws?token=${flipped}`), 401);
  });

  it('refuses a token of a path other than /ws with 404', async () => {
    assert.equal(await upgradeStatus(t, `/socket?token=${encodeURIComponent(student.token)}`), 404);
    assert.equal(await upgradeStatus(t, `/ws/extra?token=${encodeURIComponent(student.token)}`), 404);
  });

  it('refuses connections over WS_MAX_CONNECTIONS_PER_USER with 429, also when they arrive together', async () => {
    const user = await createUser(t, 'student');
    const path = `/ws?token=${encodeURIComponent(user.token)}`;
    // Opened at once, the upgrades race through the (async) token check.
    const settled = await Promise.allSettled([0, 1, 2, 3, 4, 5, 6, 7].map(() => rawSocket(t, user.token)));
    const opened = settled.filter((result) => result.status === 'fulfilled');
    const refused = settled.filter((result) => result.status === 'rejected').map((result) => (result.reason as { status?: number }).status);
    assert.equal(opened.length, 2);
    assert.deepEqual(refused, [429, 429, 429, 429, 429, 429]);
    assert.equal(await upgradeStatus(t, path), 429);
    // Another user is not affected.
    assert.equal(await upgradeStatus(t, `/ws?token=${encodeURIComponent(student.token)}`), 101);
    // Closing one frees a slot.
    const first = opened[0]!.value;
    first.ws.close();
    await first.closed;
    let status = 0;
    for (let i = 0; i < 50 && status !== 101; i++) {
      status = await upgradeStatus(t, path);
      if (status !== 101) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(status, 101);
    for (const result of opened) result.value.ws.close();
  });

  it('refuses an expired token with 401 (the clock moved past its expiry)', async () => {
    const token = student.token;
    assert.equal(await upgradeStatus(t, `/ws?token=${encodeURIComponent(token)}`), 101);
    clock.advance((t.config.accessTokenTtlSeconds + 5) * 1000);
    assert.equal(await upgradeStatus(t, `/ws?token=${encodeURIComponent(token)}`), 401);
  });
});
