import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type WebSocket from 'ws';
import { createAccessTokens } from '../../src/auth/access-tokens.js';
import { ADMIN, manualClock, startApp, type TestApp } from '../helpers/app.js';
import { createUser } from '../helpers/fixtures.js';
import { connectClient, eventually, nextMessage, rawSocket, report } from '../helpers/realtime.js';

/**
 * §4 lifetime: a connection lives to its token's expiry (4001) unless the client reauths.
 * The server's clock and timers are moved by hand: a connection's expiry fires when the
 * clock passes it, and a connection that must not have closed proves it by answering a ping.
 */
const TTL = 30;
/** Keep-alive pings far apart: a jump of the clock is no silence of a peer here. */
const PING_INTERVAL_MS = '600000';

const expiryOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;

/** The server still serves this connection: it answers a ping (a closed one answers nothing). */
async function stillOpen(socket: { ws: WebSocket; messages: unknown[] }): Promise<void> {
  const pongs = socket.messages.filter((m) => (m as { type: string }).type === 'Pong').length;
  socket.ws.send(JSON.stringify({ action: 'ping' }));
  await eventually(() => socket.messages.filter((m) => (m as { type: string }).type === 'Pong').length > pongs, 5_000, 'a Pong');
  assert.equal(socket.ws.readyState, socket.ws.OPEN);
}

describe('token expiry and reauth (server clock moved by hand)', () => {
  const clock = manualClock();
  let t: TestApp;
  before(async () => {
    t = await startApp({ clock, env: { ACCESS_TOKEN_TTL_SECONDS: String(TTL), PASSWORD_HASH_COST: '10', LOGIN_RATE_LIMIT: '1000', WS_PING_INTERVAL_MS: PING_INTERVAL_MS } });
  });
  after(() => t.close());

  /**
   * A socket whose token has at most a second left on the server's clock, with the tokens a
   * test may send it already in hand (signed in after the clock moved): a renewed one of the
   * same user and another user's. The clock stands still until the test moves it.
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
    const { socket, user } = await nearlyExpired();
    const left = expiryOf(user.token) * 1000 - clock.now();
    assert.ok(left > 0 && left <= 1_000, `${left} ms left`);
    clock.advance(left - 1);
    await stillOpen(socket);
    clock.advance(1);
    const closed = await socket.closed;
    assert.equal(closed.code, 4001);
  });

  it('keeps the connection past the old expiry after a reauth, and answers Reauthenticated {exp}', async () => {
    const { socket, renewed, user } = await nearlyExpired();
    socket.ws.send(JSON.stringify({ action: 'reauth', token: renewed }));
    const answer = await nextMessage(socket, (m) => m.type === 'Reauthenticated', 'Reauthenticated');
    assert.equal(answer.exp, Math.floor(clock.now() / 1000) + TTL);
    // Well past the first token's expiry: the connection outlived it.
    clock.advance(expiryOf(user.token) * 1000 - clock.now() + 1_500);
    await stillOpen(socket);
    // It lives on to the renewed token's expiry, and no further.
    clock.advance((answer.exp as number) * 1000 - clock.now());
    assert.equal((await socket.closed).code, 4001);
  });

  it("refuses a reauth with another user's token, and the connection still expires with 4001", async () => {
    const { socket, someoneElse, user } = await nearlyExpired();
    socket.ws.send(JSON.stringify({ action: 'reauth', token: someoneElse.token }));
    const refused = await nextMessage(socket, (m) => m.type === 'Error', 'an Error');
    assert.equal(refused.code, 'reauth_mismatch');
    assert.ok(!socket.messages.some((m) => (m as { type: string }).type === 'Reauthenticated'), 'no Reauthenticated');
    clock.advance(expiryOf(user.token) * 1000 - clock.now());
    assert.equal((await socket.closed).code, 4001);
  });

  it('refuses a reauth with a bad or expired token', async () => {
    const { socket, user } = await nearlyExpired();
    socket.ws.send(JSON.stringify({ action: 'reauth', token: 'garbage' }));
    const refused = await nextMessage(socket, (m) => m.type === 'Error', 'an Error');
    assert.equal(refused.code, 'invalid_token');
    clock.advance(expiryOf(user.token) * 1000 - clock.now());
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

describe('the SDK reauths before expiry (3-second tokens; the server and the SDK on one clock moved by hand)', () => {
  const clock = manualClock();
  let t: TestApp;
  before(async () => {
    t = await startApp({ clock, env: { PASSWORD_HASH_COST: '10', WS_PING_INTERVAL_MS: PING_INTERVAL_MS } });
  });
  after(() => t.close());

  it('survives several expiries without dropping, and keeps receiving', async () => {
    const student = await createUser(t, 'student');
    const actor = await t.system.services.auth.actorFromAccessToken(student.token);
    const short = createAccessTokens(t.system.keys, 3, clock);
    let issued = 0;
    const tokens: string[] = [];
    const provider = async () => {
      issued += 1;
      const token = await short.issue({ id: actor.userId, tenantId: actor.tenantId, role: actor.role, departmentId: actor.departmentId });
      tokens.push(token);
      return token;
    };
    const first = await provider();
    const firstExp = expiryOf(first);
    let handed = false;
    const live = connectClient(t, () => (handed ? provider() : ((handed = true), first)), { reauthLeadSeconds: 2, clock });
    const subscription = live.client.subscribe({});
    await eventually(() => live.states.includes('live') && subscription.cursor !== undefined, 5_000, 'live and subscribed');
    const serverSide = () => t.system.realtime.registry.forUser(actor.tenantId, actor.userId)[0];
    // Time moves on in small steps, well past the first token's expiry (and the next ones'),
    // each step at most as long as a reauth's round trip is short next to the 2-second lead:
    // whenever the SDK sent one, the server has applied it before time moves again. Had the
    // SDK reauthed too late, an expiry would fire during a step and the connection drop.
    while (clock.now() <= firstExp * 1000 + 3_500) {
      const before = issued;
      clock.advance(250);
      if (issued > before) await eventually(() => tokens.length === issued && serverSide()?.exp === expiryOf(tokens.at(-1)!), 5_000, 'the server to apply the reauth');
    }
    const incident = await report(t, student.token);
    await eventually(() => live.events.some((event) => event.id === incident.id), 5_000, 'the event after the expiries');
    assert.deepEqual(live.states, ['connecting', 'live'], 'never dropped');
    assert.ok(issued >= 3, `the SDK asked for fresh tokens (${issued})`);
    assert.deepEqual(live.errors, []);
    live.close();
  });
});
