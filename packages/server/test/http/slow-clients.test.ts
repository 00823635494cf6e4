import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN, startApp, type TestApp } from '../helpers/app.js';
import { connect, parseResponse } from '../helpers/raw-http.js';
import { rawSocket } from '../helpers/realtime.js';

/**
 * Slow and half-open clients are cut off by the request and headers timeouts (short here,
 * set through the environment), answered 408 problem+json, while everyone else is served
 * and WebSockets on the same port stay open.
 */
describe('slow and half-open clients', { timeout: 30_000 }, () => {
  let t: TestApp;
  let port: number;
  before(async () => {
    t = await startApp({ env: { HTTP_HEADERS_TIMEOUT_MS: '300', HTTP_REQUEST_TIMEOUT_MS: '800' } });
    port = Number(new URL(t.url).port);
  });
  after(() => t.close());

  it('cuts a client that trickles its body after the request timeout, serving others meanwhile', async () => {
    const slow = await connect(port);
    slow.socket.write('POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{');
    // One more byte every 100 ms: never idle, never done.
    const trickle = setInterval(() => slow.socket.writable && slow.socket.write(' '), 100);
    try {
      const other = await connect(port, '127.0.0.2');
      const served = await other.get('/healthz');
      assert.equal(served.status, 200);
      assert.equal(slow.socket.destroyed, false, 'the slow client was still being waited for when the other was served');
      other.socket.destroy();

      const sent = await slow.closed;
      const answer = parseResponse(sent);
      assert.ok(answer, `an answer before the close, not a reset: ${JSON.stringify(sent)}`);
      assert.equal(answer.status, 408);
      assert.match(answer.headers['content-type'] ?? '', /application\/problem\+json/);
      assert.equal(answer.body.code, 'request_timeout');
    } finally {
      clearInterval(trickle);
      slow.socket.destroy();
    }
  });

  it('cuts a connection that never sends its headers after the headers timeout', async () => {
    const silent = await connect(port);
    silent.socket.write('GET /healthz HTTP/1.1\r\nHost: local'); // and nothing more
    const answer = parseResponse(await silent.closed);
    assert.equal(answer?.status, 408);
    assert.equal(answer?.body.code, 'request_timeout');
  });

  it('leaves an upgraded WebSocket alone: it outlives a request timeout that cut a later slow client', async () => {
    const token = await t.login(ADMIN.email, ADMIN.password);
    const { ws, messages } = await rawSocket(t, token);
    try {
      // Opened after the WebSocket: once it is cut, the WebSocket's own deadline (had it one) has passed.
      const slow = await connect(port);
      slow.socket.write('POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{');
      assert.equal(parseResponse(await slow.closed)?.status, 408);

      assert.equal(ws.readyState, ws.OPEN);
      const pong = new Promise((resolve) => ws.once('message', resolve));
      ws.send(JSON.stringify({ action: 'ping' }));
      await pong;
      assert.ok(messages.some((m) => (m as { type: string }).type === 'Pong'));
    } finally {
      ws.close();
    }
  });
});
