// Baseline (a): a naive `ws` server. A broadcast serializes the payload once and loops over
// every client calling send() — no authorization, no filters, no pre-built frame.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';

const server = http.createServer((_request, response) => response.writeHead(404).end());
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on('connection', (socket) => socket.on('error', () => undefined));

process.on('message', (message) => {
  if (message?.cmd === 'gc') {
    globalThis.gc?.();
    process.send?.({ type: 'gc' });
  } else if (message?.cmd === 'broadcast') {
    const started = performance.now();
    // The send time is embedded as `at`, as our events carry their commit time.
    const text = JSON.stringify({ ...message.payload, id: message.key, at: new Date().toISOString() });
    let sent = 0;
    for (const client of wss.clients) {
      if (client.readyState !== client.OPEN) continue;
      client.send(text);
      sent += 1;
    }
    process.send?.({ type: 'broadcast', key: message.key, fanOutMs: performance.now() - started, sent });
  }
});

server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => process.send?.({ type: 'ready', port: server.address().port }));
