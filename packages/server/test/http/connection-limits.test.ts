import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { ADMIN, startApp, type TestApp } from '../helpers/app.js';
import { connect, type RawConnection, type RawResponse } from '../helpers/raw-http.js';

/**
 * HTTP_MAX_CONNECTIONS_PER_ADDRESS: connections over the cap are answered 429 problem+json
 * (not reset) while other addresses are served; WebSockets count; behind TRUST_PROXY the
 * cap applies to the client X-Forwarded-For names, and without it the header is ignored.
 * The test's own sign-in comes from 127.0.0.3 so that it takes none of 127.0.0.1's places.
 */
const SIGN_IN_FROM = '127.0.0.3';

function signIn(t: TestApp): Promise<string> {
  const body = JSON.stringify({ email: ADMIN.email, password: ADMIN.password });
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${t.url}/api/auth/login`,
      { method: 'POST', agent: false, localAddress: SIGN_IN_FROM, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => (response.statusCode === 200 ? resolve(JSON.parse(text).accessToken) : reject(new Error(`sign-in ${response.statusCode}: ${text}`))));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** A WebSocket from `from`, open once the upgrade was accepted; or the refusal's status. */
function openSocket(t: TestApp, token: string, from: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/ws?token=${encodeURIComponent(token)}`, { localAddress: from, headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_request, response) => reject(Object.assign(new Error(`upgrade refused: ${response.statusCode}`), { status: response.statusCode })));
    ws.once('error', reject);
  });
}

function assertTooManyConnections(answer: RawResponse) {
  assert.equal(answer.status, 429);
  assert.match(answer.headers['content-type'] ?? '', /application\/problem\+json/);
  assert.equal(answer.body.code, 'too_many_connections');
  assert.ok(Number(answer.headers['retry-after']) > 0);
}

describe('connections per client address', () => {
  let t: TestApp;
  let port: number;
  const open: Array<RawConnection | WebSocket> = [];
  const hold = <T extends RawConnection | WebSocket>(connection: T) => (open.push(connection), connection);
  before(async () => {
    t = await startApp({ env: { HTTP_MAX_CONNECTIONS_PER_ADDRESS: '3' } });
    port = Number(new URL(t.url).port);
  });
  after(async () => {
    for (const connection of open) {
      if (connection instanceof WebSocket) connection.terminate();
      else connection.socket.destroy();
    }
    await t.close();
  });

  it('answers a connection over the cap with 429 and closes it, while another address is served', async () => {
    const token = await signIn(t);
    // Three places for 127.0.0.1: a WebSocket (an upgraded connection still counts) and two kept-alive connections.
    hold(await openSocket(t, token, '127.0.0.1'));
    for (let i = 0; i < 2; i++) assert.equal((await hold(await connect(port)).get('/healthz')).status, 200);

    const fourth = hold(await connect(port));
    assertTooManyConnections(await fourth.get('/healthz'));
    await fourth.closed; // closed by the server, after its answer

    const other = hold(await connect(port, '127.0.0.2'));
    assert.equal((await other.get('/healthz')).status, 200, 'another address is served meanwhile');

    // A WebSocket over the cap is refused the same way, before the upgrade.
    await assert.rejects(openSocket(t, token, '127.0.0.1'), { status: 429 });
    // The places held are still served.
    assert.equal((await (open[1] as RawConnection).get('/healthz')).status, 200);
  });
});

describe('TRUST_PROXY', () => {
  const apps: TestApp[] = [];
  const sockets: WebSocket[] = [];
  after(async () => {
    for (const ws of sockets) ws.terminate();
    for (const t of apps) await t.close();
  });
  const start = async (env: Record<string, string>) => {
    const t = await startApp({ env: { HTTP_MAX_CONNECTIONS_PER_ADDRESS: '2', ...env } });
    apps.push(t);
    return t;
  };

  it('with the proxy listed, a forwarded client is limited by its own address and the proxy is not', async () => {
    const t = await start({ TRUST_PROXY: '127.0.0.1' });
    const token = await signIn(t);
    const client = { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' }; // the proxy appended 203.0.113.7
    for (let i = 0; i < 2; i++) sockets.push(await openSocket(t, token, '127.0.0.1', client));

    const proxy = await connect(Number(new URL(t.url).port));
    try {
      // The same proxy connection carries the capped client and others: the proxy is not capped.
      assertTooManyConnections(await proxy.get('/healthz', client));
      assert.equal((await proxy.get('/healthz', { 'x-forwarded-for': '203.0.113.8' })).status, 200);
      assert.equal((await proxy.get('/healthz', { 'x-forwarded-for': '203.0.113.9' })).status, 200);
      // Forging the left-hand part does not help: the address the proxy saw is what counts.
      assertTooManyConnections(await proxy.get('/healthz', { 'x-forwarded-for': '203.0.113.8, 203.0.113.7' }));
      await assert.rejects(openSocket(t, token, '127.0.0.1', client), { status: 429 });
    } finally {
      proxy.socket.destroy();
    }
  });

  it('without TRUST_PROXY, X-Forwarded-For is ignored: the connection counts for its own address', async () => {
    const t = await start({});
    const token = await signIn(t);
    for (let i = 0; i < 2; i++) sockets.push(await openSocket(t, token, '127.0.0.1', { 'x-forwarded-for': '203.0.113.7' }));
    const third = await connect(Number(new URL(t.url).port));
    try {
      assertTooManyConnections(await third.get('/healthz', { 'x-forwarded-for': '203.0.113.8' }));
    } finally {
      third.socket.destroy();
    }
  });
});
