import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CLOSE_GRACE_MS } from '../../src/realtime/connection.js';
import { manualClock, startApp, type TestApp } from '../helpers/app.js';
import { createUser } from '../helpers/fixtures.js';
import { connectClient, eventually, expectedSeqs, headSeq, nextMessage, rawSocket, report, viewerOf } from '../helpers/realtime.js';

/** §4 protection: oversized frames, malformed floods, rate limits, slow readers. */
let t: TestApp;
/** The realtime timers, moved by hand (the clock stays real: rate limits refill in real time). */
const timers = manualClock();
before(async () => {
  t = await startApp({ timers, env: { PASSWORD_HASH_COST: '10', LOGIN_RATE_LIMIT: '1000' } });
});
after(() => t.close());

const errorsOf = (messages: unknown[]) => messages.filter((m) => (m as { type: string }).type === 'Error') as { code: string }[];

describe('protection', () => {
  it('closes a connection that sends a frame over 64 KB with 4008', async () => {
    const user = await createUser(t, 'student');
    const socket = await rawSocket(t, user.token);
    socket.ws.send(JSON.stringify({ action: 'ping', pad: 'x'.repeat(65 * 1024) }));
    assert.equal((await socket.closed).code, 4008);
  });

  it('closes a frame far over the limit (2 MB) with 4008 too', async () => {
    const user = await createUser(t, 'student');
    const socket = await rawSocket(t, user.token);
    socket.ws.send('x'.repeat(2 * 1024 * 1024));
    assert.equal((await socket.closed).code, 4008);
  });

  it('accepts a frame just under 64 KB (it is refused as an action, not as a size)', async () => {
    const user = await createUser(t, 'student');
    const socket = await rawSocket(t, user.token);
    socket.ws.send(JSON.stringify({ action: 'ping', pad: 'x'.repeat(60 * 1024) }));
    const error = await nextMessage(socket, (m) => m.type === 'Error', 'an Error');
    assert.equal(error.code, 'invalid_message');
    socket.ws.send(JSON.stringify({ action: 'ping' }));
    await nextMessage(socket, (m) => m.type === 'Pong', 'Pong');
    socket.ws.close();
  });

  it('answers malformed JSON, unknown actions and binary frames with Error frames, and stays open', async () => {
    const user = await createUser(t, 'student');
    const socket = await rawSocket(t, user.token);
    socket.ws.send('{"action": "ping"');
    socket.ws.send(JSON.stringify({ action: 'dance' }));
    socket.ws.send(JSON.stringify({ action: 'subscribeIncidents', filters: { reporterId: 'x' } }));
    socket.ws.send(JSON.stringify({ action: 'unsubscribe', subscriptionId: 'nope' }));
    socket.ws.send(Buffer.from([1, 2, 3]));
    socket.ws.send(JSON.stringify({ action: 'ping' }));
    await nextMessage(socket, (m) => m.type === 'Pong', 'Pong');
    assert.deepEqual(
      errorsOf(socket.messages).map((e) => e.code),
      ['malformed_json', 'invalid_message', 'invalid_message', 'unknown_subscription', 'unsupported'],
    );
    socket.ws.close();
  });

  it('closes a flood of malformed frames with 4008', async () => {
    const user = await createUser(t, 'student');
    const socket = await rawSocket(t, user.token);
    for (let i = 0; i < 30; i++) socket.ws.send(`not json ${i}`);
    assert.equal((await socket.closed).code, 4008);
    const errors = errorsOf(socket.messages);
    assert.ok(errors.length >= 20 && errors.every((e) => e.code === 'malformed_json'), `errors before the close: ${errors.length}`);
  });

  it('rate-limits messages per connection (Error rate_limited) without closing at once', async () => {
    const user = await createUser(t, 'student');
    const socket = await rawSocket(t, user.token);
    for (let i = 0; i < 55; i++) socket.ws.send(JSON.stringify({ action: 'ping' }));
    await eventually(() => socket.messages.length >= 55, 5_000, 'an answer to every ping');
    const pongs = socket.messages.filter((m) => (m as { type: string }).type === 'Pong').length;
    const limited = errorsOf(socket.messages).filter((e) => e.code === 'rate_limited').length;
    assert.equal(pongs + limited, 55);
    assert.ok(limited >= 5, `rate_limited answers: ${limited}`);
    assert.ok(pongs >= 40, `pongs: ${pongs}`);
    assert.equal(socket.ws.readyState, socket.ws.OPEN);
    socket.ws.close();
  });

  it('closes a slow reader (never reads) without delaying another client, which gets every event', async () => {
    const admin = await createUser(t, 'admin');
    const student = await createUser(t, 'student');
    const incident = await report(t, student.token);
    const start = await headSeq(t);

    const other = connectClient(t, admin.token);
    const otherSubscription = other.client.subscribe({});
    await eventually(() => otherSubscription.cursor !== undefined, 5_000, 'the other client subscribed');

    // A raw TCP client: completes the handshake, subscribes, then never reads again.
    const existing = new Set(t.system.realtime.registry.all());
    const slowConnection = () => [...t.system.realtime.registry.all()].find((c) => !existing.has(c));
    const { port } = new URL(t.url);
    const slow = net.connect(Number(port), '127.0.0.1');
    slow.on('error', () => undefined);
    const slowEnded = new Promise<void>((resolve) => slow.once('close', () => resolve()));
    await new Promise<void>((resolve) => slow.once('connect', () => resolve()));
    slow.write(
      `GET /ws?token=${encodeURIComponent(admin.token)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`,
    );
    const handshake = await new Promise<string>((resolve) => slow.once('data', (data: Buffer) => resolve(data.toString('latin1'))));
    slow.pause();
    assert.match(handshake, /^HTTP\/1\.1 101/);
    slow.write(maskedTextFrame(JSON.stringify({ action: 'subscribeIncidents', filters: {} })));
    await eventually(() => (slowConnection()?.subscriptions.size ?? 0) > 0, 5_000, 'the slow subscription');

    const dropped = async () => Number(/alertautec_ws_slow_readers_dropped_total (\d+)/.exec((await t.request('GET', '/metrics')).text)?.[1] ?? 0);
    const droppedBefore = await dropped();
    const actor = await t.system.services.auth.actorFromAccessToken(admin.token);
    const text = 'y'.repeat(3_900);
    let produced = 0;
    // About 2 MB of events at least, and on until the slow reader is gone (kernel buffers absorb some).
    // On until the server has decided to drop it (it leaves the registry once the socket
    // is gone: at once, or after the close handshake times out).
    while ((produced < 600 || (slowConnection() && !slowConnection()!.closed)) && produced < 4_000) {
      await t.system.services.incidents.comment(actor, incident.id, { text });
      produced += 1;
    }
    assert.equal(slowConnection()?.closed ?? true, true, 'the slow reader was dropped');
    // A reader that does not read does not answer the close handshake either: its grace runs out.
    timers.advance(CLOSE_GRACE_MS);
    await eventually(() => slowConnection() === undefined, 5_000, 'the slow reader to leave the registry');
    assert.equal((await dropped()) - droppedBefore, 1);
    // Reading at last, the slow client finds its connection ended by the server.
    slow.resume();
    await slowEnded;

    const want = await expectedSeqs(t, await viewerOf(t, admin.token), {}, start);
    assert.equal(want.length, produced);
    await eventually(() => other.events.length >= want.length, 10_000, `the other client to receive all (${other.events.length}/${want.length})`);
    assert.deepEqual(
      other.events.map((e) => e.seq),
      want,
    );
    assert.deepEqual(other.states, ['connecting', 'live'], 'the other client never dropped');
    other.close();
    slow.destroy();
  });
});

/** A client-to-server text frame (clients must mask). */
function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const header = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([header, mask, masked]);
}
