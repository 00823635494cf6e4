import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { IncidentEvent, PublishedEvent } from '@alertautec/core';
import { RealtimeClient, type ConnectionState, type SocketLike } from '../src/index.js';
import { manualTime, type ManualTime } from './manual-time.js';

/** A WebSocket the test drives by hand: open, deliver, drop. */
class FakeSocket implements SocketLike {
  static made: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  closedWith: { code: number; reason: string } | undefined;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  send(data: string) {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code = 1000, reason = '') {
    if (this.readyState === 3) return;
    this.closedWith = { code, reason };
    this.readyState = 3;
    queueMicrotask(() => this.onclose?.({ code, reason }));
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  /** The server or the network ends it. */
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
}

/** Lets the client's promises (its token provider) settle. */
const flush = () => new Promise((resolve) => setImmediate(resolve));
/** The client's time: its timers fire only when a test moves it. */
let time: ManualTime = manualTime();
/**
 * Waits for the client to open socket #count: a retry due now (the backoff is zero here)
 * is fired, and the token provider given its turn.
 */
async function nextSocket(count: number): Promise<FakeSocket> {
  for (let i = 0; i < 20 && FakeSocket.made.length < count; i++) {
    time.advance(0);
    await flush();
  }
  const socket = FakeSocket.made[count - 1];
  assert.ok(socket, `socket #${count} was opened`);
  return socket;
}
const event = (seq: number, subscriptionId: string, id = 'inc1') => ({
  subscriptionId,
  seq,
  type: 'CommentAdded',
  id,
  at: new Date().toISOString(),
  actorId: 'u1',
  commentId: `c${seq}`,
  text: 'hola',
  internal: false,
  authorId: 'u1',
});

let clients: RealtimeClient[] = [];
function makeClient(token: () => string | Promise<string> = () => 'tok', extra: { reauthLeadSeconds?: number; idleTimeoutMs?: number } = {}) {
  const client = new RealtimeClient({ url: 'ws://example.test/ws', token, WebSocket: FakeSocket, backoff: { initialMs: 1, maxMs: 5, random: () => 0 }, clock: time, timers: time, ...extra });
  const record = { states: [] as ConnectionState[], events: [] as IncidentEvent[], published: [] as PublishedEvent[], errors: [] as { code: string }[] };
  client.on('state', (state) => record.states.push(state));
  client.on('event', (e) => record.events.push(e));
  client.on('published', (e) => record.published.push(e));
  client.on('error', (e) => record.errors.push(e));
  clients.push(client);
  return { client, record };
}
afterEach(() => {
  for (const client of clients) client.close();
  clients = [];
  FakeSocket.made = [];
  time = manualTime();
});

describe('RealtimeClient', () => {
  it('goes connecting → live → reconnecting → live, and closed on close()', async () => {
    const { client, record } = makeClient();
    client.connect();
    const first = await nextSocket(1);
    assert.equal(first.url, 'ws://example.test/ws?token=tok');
    first.open();
    first.drop();
    const second = await nextSocket(2);
    second.open();
    assert.deepEqual(record.states, ['connecting', 'live', 'reconnecting', 'live']);
    client.close();
    assert.deepEqual(record.states, ['connecting', 'live', 'reconnecting', 'live', 'closed']);
    assert.equal(second.closedWith?.code, 1000);
    assert.equal(time.pendingTimers(), 0, 'close() leaves no timer behind');
    time.advance(60 * 60_000);
    await flush();
    assert.equal(FakeSocket.made.length, 2, 'no reconnect after close()');
  });

  it('asks the token provider on every connect, and encodes the token in the URL', async () => {
    let n = 0;
    const { client } = makeClient(async () => `t ${++n}/+`);
    client.connect();
    (await nextSocket(1)).drop();
    const second = await nextSocket(2);
    assert.equal(n, 2);
    assert.equal(second.url, `ws://example.test/ws?token=${encodeURIComponent('t 2/+')}`);
  });

  it('keeps retrying while the token provider fails', async () => {
    let n = 0;
    const { client, record } = makeClient(() => {
      n += 1;
      if (n < 3) throw new Error('no token yet');
      return 'late';
    });
    client.connect();
    const socket = await nextSocket(1);
    assert.equal(n, 3);
    socket.open();
    assert.deepEqual(record.states, ['connecting', 'reconnecting', 'live']);
  });

  it('restores subscriptions after a reconnect, resuming from the last seq, without duplicates', async () => {
    const { client, record } = makeClient();
    const mine = client.subscribe({ status: 'pending' });
    const gone = client.subscribe({ urgency: 'high' });
    client.connect();
    const first = await nextSocket(1);
    first.open();
    assert.deepEqual(first.sent, [
      { action: 'subscribeIncidents', filters: { status: 'pending' }, ref: 'r1' },
      { action: 'subscribeIncidents', filters: { urgency: 'high' }, ref: 'r2' },
    ]);
    first.receive({ type: 'Subscribed', subscriptionId: 's1', headSeq: 10, ref: 'r1' });
    first.receive({ type: 'Subscribed', subscriptionId: 's2', headSeq: 10, ref: 'r2' });
    assert.equal(mine.cursor, 10);
    first.receive(event(11, 's1'));
    first.receive(event(12, 's1'));
    gone.unsubscribe();
    assert.deepEqual(first.sent.at(-1), { action: 'unsubscribe', subscriptionId: 's2' });
    first.receive(event(13, 's2')); // in flight before the unsubscribe: dropped
    first.drop();

    const second = await nextSocket(2);
    second.open();
    assert.deepEqual(second.sent, [{ action: 'subscribeIncidents', filters: { status: 'pending' }, ref: 'r1', since: 12 }]);
    second.receive({ type: 'Subscribed', subscriptionId: 's1', headSeq: 20, ref: 'r1' });
    // A replay that overlaps what was seen delivers each seq once.
    for (const seq of [12, 14, 14, 15]) second.receive(event(seq, 's1'));
    assert.deepEqual(record.events.map((e) => e.seq), [11, 12, 14, 15]);
    assert.equal(mine.cursor, 15);
    assert.equal('subscriptionId' in record.events[0]!, false, 'the event is the §3 event');
  });

  it('subscribes at once when already live, and unsubscribes stray Subscribed answers', async () => {
    const { client } = makeClient();
    client.connect();
    const socket = await nextSocket(1);
    socket.open();
    client.subscribe({ incidentId: 'x' }, 5);
    assert.deepEqual(socket.sent, [{ action: 'subscribeIncidents', filters: { incidentId: 'x' }, ref: 'r1', since: 5 }]);
    socket.receive({ type: 'Subscribed', subscriptionId: 's9', headSeq: 3, ref: 'nobody' });
    assert.deepEqual(socket.sent.at(-1), { action: 'unsubscribe', subscriptionId: 's9' });
  });

  it('ignores events of unknown subscriptions, emits published events and errors, and handles ResyncRequired', async () => {
    const { client, record } = makeClient();
    const subscription = client.subscribe({});
    const resyncs: number[] = [];
    client.on('resync', (_s, head) => resyncs.push(head));
    client.connect();
    const socket = await nextSocket(1);
    socket.open();
    socket.receive({ type: 'Subscribed', subscriptionId: 's1', headSeq: 0, ref: 'r1' });
    socket.receive(event(1, 's404'));
    socket.receive({ type: 'sales.orderShipped', data: { order: 7 }, at: '2025-01-01T00:00:00.000Z' });
    socket.receive({ type: 'Error', code: 'rate_limited', message: 'slow down' });
    socket.receive({ type: 'ResyncRequired', headSeq: 500, subscriptionId: 's1' });
    for (const junk of ['not an object', null, 42, [], { no: 'type' }]) socket.receive(junk);
    assert.deepEqual(record.events, []);
    assert.deepEqual(record.published, [{ type: 'sales.orderShipped', data: { order: 7 }, at: '2025-01-01T00:00:00.000Z' }]);
    assert.deepEqual(record.errors, [{ code: 'rate_limited', message: 'slow down' }]);
    assert.deepEqual(resyncs, [500]);
    assert.equal(subscription.cursor, 500);
    socket.drop();
    const next = await nextSocket(2);
    next.open();
    assert.equal(next.sent[0]!.since, 500);
  });

  it('reconnects with a fresh token after a 4001 close', async () => {
    let n = 0;
    const { client, record } = makeClient(() => `token-${++n}`);
    client.connect();
    const first = await nextSocket(1);
    first.open();
    first.drop(4001);
    const second = await nextSocket(2);
    assert.match(second.url, /token=token-2$/);
    second.open();
    assert.deepEqual(record.states, ['connecting', 'live', 'reconnecting', 'live']);
  });

  it('sends reauth with a fresh token before the current one expires', async () => {
    const jwt = (exp: number, n: number) => `h.${Buffer.from(JSON.stringify({ exp, n })).toString('base64url')}.s`;
    let n = 0;
    // Each token lives 3 s (the clock starts on a whole second); the lead is 2 s, so the
    // first reauth comes 1 s after the connection opened.
    const { client, record } = makeClient(() => jwt(Math.floor(time.now() / 1000) + 3, ++n), { reauthLeadSeconds: 2 });
    client.connect();
    const socket = await nextSocket(1);
    socket.open();
    time.advance(999);
    await flush();
    assert.equal(n, 1, 'no fresh token asked for before the lead');
    assert.ok(!socket.sent.some((m) => m.action === 'reauth'), 'no reauth before the lead');
    time.advance(1);
    await flush();
    const reauth = socket.sent.find((m) => m.action === 'reauth');
    assert.ok(reauth, 'a reauth was sent');
    assert.equal(reauth.token, jwt(JSON.parse(Buffer.from(String(reauth.token).split('.')[1]!, 'base64url').toString()).exp, 2));
    socket.receive({ type: 'Reauthenticated', exp: 0 });
    await flush();
    assert.equal(FakeSocket.made.length, 1, 'no reconnect');
    assert.deepEqual(record.states, ['connecting', 'live']);
  });

  it('checks a silent connection with a ping action, and replaces it when nothing is heard for idleTimeoutMs', async () => {
    const { client, record } = makeClient(() => 'tok', { idleTimeoutMs: 60_000 });
    client.connect();
    const first = await nextSocket(1);
    first.open();
    time.advance(29_999);
    assert.equal(first.sent.length, 0, 'nothing sent before half the idle timeout');
    time.advance(1);
    assert.deepEqual(first.sent, [{ action: 'ping' }]);
    // Anything heard keeps it: the next check finds it recent.
    first.receive({ type: 'Pong', at: new Date(time.now()).toISOString() });
    time.advance(30_000);
    assert.equal(first.closedWith, undefined);
    assert.equal(first.sent.filter((m) => m.action === 'ping').length, 2);
    // Silent from here: the check after idleTimeoutMs has passed closes it, and the client reconnects.
    time.advance(30_000);
    assert.equal(first.closedWith, undefined, 'silent for exactly idleTimeoutMs is not yet idle');
    time.advance(30_000);
    assert.deepEqual(first.closedWith, { code: 4000, reason: 'idle' });
    const second = await nextSocket(2);
    second.open();
    assert.deepEqual(record.states, ['connecting', 'live', 'reconnecting', 'live']);
  });

  it('resumes a subscription whose Subscribed never arrived from the newest seq the client knows', async () => {
    const { client } = makeClient();
    client.subscribe({});
    client.connect();
    const first = await nextSocket(1);
    first.open();
    first.receive({ type: 'Subscribed', subscriptionId: 's1', headSeq: 10, ref: 'r1' });
    first.receive(event(11, 's1'));
    client.subscribe({ urgency: 'critical' });
    first.drop(); // before the second Subscribed came back
    const second = await nextSocket(2);
    second.open();
    await flush();
    const resubscribes = second.sent.filter((message) => message.action === 'subscribeIncidents');
    assert.deepEqual(
      resubscribes.map((message) => message.since),
      [11, 11],
    );
  });
});
