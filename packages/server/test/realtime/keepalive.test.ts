import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import WebSocket from 'ws';
import { manualClock, startApp, type TestApp } from '../helpers/app.js';
import { createUser } from '../helpers/fixtures.js';
import { eventually } from '../helpers/realtime.js';

/**
 * §4 keep-alive: the server pings, and a peer that does not answer is dropped. The
 * keep-alive runs on the server's clock, moved by hand one ping interval at a time.
 */
const PING_INTERVAL_MS = 25_000;
const clock = manualClock();
let t: TestApp;
before(async () => {
  t = await startApp({ clock, env: { WS_PING_INTERVAL_MS: String(PING_INTERVAL_MS), PASSWORD_HASH_COST: '10' } });
});
after(() => t.close());

const open = (token: string, autoPong: boolean) =>
  new Promise<{ socket: WebSocket; pings: () => number; closed: Promise<number> }>((resolve, reject) => {
    const socket = new WebSocket(`${t.url.replace('http', 'ws')}/ws?token=${encodeURIComponent(token)}`, { autoPong });
    let pings = 0;
    socket.on('ping', () => (pings += 1));
    const closed = new Promise<number>((done) => socket.on('close', (code) => done(code)));
    socket.once('open', () => resolve({ socket, pings: () => pings, closed }));
    socket.once('error', reject);
  });

it('drops a peer that stops answering pings, and keeps one that answers', async () => {
  const user = await createUser(t, 'authority');
  const dead = await open(user.token, false);
  const alive = await open(user.token, true);
  const connections = () => t.system.realtime.registry.forUser('default', user.id);
  assert.equal(connections().length, 2);

  // First round: both are pinged; only the live peer's pong comes back.
  clock.advance(PING_INTERVAL_MS);
  await eventually(() => dead.pings() === 1 && alive.pings() === 1, 5_000, 'the first pings');
  await eventually(() => connections().filter((connection) => connection.alive).length === 1, 5_000, "the live peer's pong");
  assert.equal(dead.socket.readyState, WebSocket.OPEN, 'one unanswered ping is not yet a drop');

  // Second round: the silent peer is cut off; the answering one is pinged again and stays.
  clock.advance(PING_INTERVAL_MS);
  const code = await dead.closed;
  assert.equal(code, 1006, 'terminated, not closed politely');
  assert.equal(dead.pings(), 1, 'it was pinged first');
  await eventually(() => alive.pings() === 2, 5_000, 'the second ping of the live peer');
  assert.equal(alive.socket.readyState, WebSocket.OPEN);
  await eventually(() => connections().length === 1, 2_000, 'the dead peer leaves the registry');
  alive.socket.close();
});
