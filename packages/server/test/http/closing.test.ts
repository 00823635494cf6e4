import assert from 'node:assert/strict';
import net from 'node:net';
import { it } from 'node:test';
import { ADMIN, startApp } from '../helpers/app.js';

/**
 * While the server closes, a request still in flight is answered; one that arrives after
 * it on the same (busy) connection gets a 503 problem+json and `Connection: close`.
 */
it('answers the in-flight request and refuses the next one on the connection with 503 problem+json', async () => {
  const t = await startApp();
  const port = Number(new URL(t.url).port);
  const body = JSON.stringify({ email: ADMIN.email, password: ADMIN.password });
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  const ended = new Promise((resolve) => socket.once('close', resolve));

  socket.write(`POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const closed = t.app.close();
  await new Promise((resolve) => setTimeout(resolve, 100));
  socket.write(`${body.slice(10)}GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n`);
  await ended;
  await closed;
  await t.system.close();
  await t.database.drop();

  const responses = received.split(/(?=HTTP\/1\.1 )/);
  assert.equal(responses.length, 2, received);
  assert.match(responses[0]!, /^HTTP\/1\.1 200 /, 'the in-flight sign-in is answered');
  assert.match(responses[1]!, /^HTTP\/1\.1 503 /);
  assert.match(responses[1]!, /content-type: application\/problem\+json/i);
  assert.match(responses[1]!, /connection: close/i);
  assert.match(responses[1]!, /"code":"shutting_down"/);
});
