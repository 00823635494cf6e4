import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../../src/adapters.js';
import { createAccessTokens } from '../../src/auth/access-tokens.js';
import { ADMIN, manualClock, startApp, type TestApp } from '../helpers/app.js';
import { createUser } from '../helpers/fixtures.js';
import { connectClient, eventually, nextMessage, rawSocket, report } from '../helpers/realtime.js';

/** §4 lifetime: a connection lives to its token's expiry (4001) unless the client reauths. */
const TTL = 30;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('token expiry and reauth (server clock moved by hand)', () => {
  const clock = manualClock();
  let t: TestApp;
  before(async () => {
    t = await startApp({ clock, env: { ACCESS_TOKEN_TTL_SECONDS: String(TTL), PASSWORD_HASH_COST: '10', LOGIN_RATE_LIMIT: '1000' } });
  });
  after(() => t.close());

  /**
   * A socket whose token has about one (real) second left, with the tokens a test may send
   * it already in hand (signed in after the clock moved): a renewed one of the same user
   * and another user's. Nothing slow stands between opening the socket and using them.
   */
  // The clock jumps, so the admin signs in afresh each time.
  const fresh = () => ({ ...t, adminToken: () => t.login(ADMIN.email, ADMIN.password) });
  async function nearlyExpired() {
    const user = await createUser(fresh(), 'student');
    clock.advance((TTL - 1) * 1000);
    const renewed = await t.login(user.email, user.password);
    const someoneElse = await createUser(fresh(), 'admin');
    const socket = await rawSocket(t, user.token);
    return { user, socket, renewed, someoneElse };
  }

  it('closes with 4001 when the token expires', async () => {
    const { socket } = await nearlyExpired();
    const closed = await socket.closed;
    assert.equal(closed.code, 4001);
  });

  it('keeps the connection past the old expiry after a reauth, and answers Reauthenticated {exp}', async () => {
    const { socket, renewed } = await nearlyExpired();
    socket.ws.send(JSON.stringify({ action: 'reauth', token: renewed }));
    const answer = await nextMessage(socket, (m) => m.type === 'Reauthenticated', 'Reauthenticated');
    assert.equal(answer.exp, Math.floor(clock.now() / 1000) + TTL);
    const outcome = await Promise.race([socket.closed, sleep(2_500).then(() => 'open' as const)]);
    assert.equal(outcome, 'open', 'the connection outlived its first token');
    socket.ws.send(JSON.stringify({ action: 'ping' }));
    await nextMessage(socket, (m) => m.type === 'Pong', 'Pong');
    socket.ws.close();
  });

  it("refuses a reauth with another user's token, and the connection still expires with 4001", async () => {
    const { socket, someoneElse } = await nearlyExpired();
    socket.ws.send(JSON.stringify({ action: 'reauth', token: someoneElse.token }));
    const refused = await nextMessage(socket, (m) => m.type === 'Error', 'an Error');
    assert.equal(refused.code, 'reauth_mismatch');
    assert.ok(!socket.messages.some((m) => (m as { type: string }).type === 'Reauthenticated'), 'no Reauthenticated');
    assert.equal((await socket.closed).code, 4001);
  });

  it('refuses a reauth with a bad or expired token', async () => {
    const { socket, user } = await nearlyExpired();
    socket.ws.send(JSON.stringify({ action: 'reauth', token: 'garbage' }));
    const refused = await nextMessage(socket, (m) => m.type === 'Error', 'an Error');
    assert.equal(refused.code, 'invalid_token');
    assert.equal((await socket.closed).code, 4001);
    // Past its expiry on the server's clock, the token no longer opens a connection.
    clock.advance(2_000);
    const stale = await rawSocket(t, user.token).then(
      () => 0,
      (error: { status?: number }) => error.status,
    );
    assert.equal(stale, 401);
  });
});

describe('the SDK reauths before expiry (real clock, 3-second tokens)', () => {
  let t: TestApp;
  before(async () => {
    t = await startApp({ env: { PASSWORD_HASH_COST: '10' } });
  });
  after(() => t.close());

  it('survives several expiries without dropping, and keeps receiving', async () => {
    const student = await createUser(t, 'student');
    const actor = await t.system.services.auth.actorFromAccessToken(student.token);
    const short = createAccessTokens(t.system.keys, 3, systemClock);
    let issued = 0;
    const provider = async () => {
      issued += 1;
      return short.issue({ id: actor.userId, tenantId: actor.tenantId, role: actor.role, departmentId: actor.departmentId });
    };
    const first = await provider();
    const firstExp = JSON.parse(Buffer.from(first.split('.')[1]!, 'base64url').toString()).exp as number;
    let handed = false;
    const live = connectClient(t, () => (handed ? provider() : ((handed = true), first)), { reauthLeadSeconds: 2 });
    live.client.subscribe({});
    await eventually(() => live.states.includes('live'), 5_000, 'live');
    // Wait well past the first token's expiry (and the next ones').
    await eventually(() => Date.now() > firstExp * 1000 + 3_500, 10_000, 'three expiries');
    const incident = await report(t, student.token);
    await eventually(() => live.events.some((event) => event.id === incident.id), 5_000, 'the event after the expiries');
    assert.deepEqual(live.states, ['connecting', 'live'], 'never dropped');
    assert.ok(issued >= 3, `the SDK asked for fresh tokens (${issued})`);
    assert.deepEqual(live.errors, []);
    live.close();
  });
});
