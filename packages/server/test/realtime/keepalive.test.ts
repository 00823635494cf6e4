import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import WebSocket from 'ws';
import { startApp, type TestApp } from '../helpers/app.js';
import { createUser } from '../helpers/fixtures.js';
import { eventually } from '../helpers/realtime.js';

/** §4 keep-alive: the server pings, and a peer that does not answer is dropped. */
let t: TestApp;
before(async () => {
  t = await startApp({ env: { WS_PING_INTERVAL_MS: '150', PASSWORD_HASH_COST: '10' } });
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
  const code = await dead.closed;
  assert.equal(code, 1006, 'terminated, not closed politely');
  assert.ok(dead.pings() >= 1, 'it was pinged first');
  // The answering peer has been pinged as often and is still here.
  assert.ok(alive.pings() >= 1, 'the live peer was pinged too');
  assert.equal(alive.socket.readyState, WebSocket.OPEN);
  await eventually(() => t.system.realtime.registry.forUser('default', user.id).length === 1, 2_000, 'the dead peer leaves the registry');
  alive.socket.close();
});
