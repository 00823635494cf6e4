// Baseline (b): Socket.IO 4 broadcasting with io.emit() to every connected socket
// (WebSocket transport only, no compression, as the clients connect straight over WebSocket).
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { Server } from 'socket.io';

const server = http.createServer((_request, response) => response.writeHead(404).end());
const io = new Server(server, { transports: ['websocket'], serveClient: false, perMessageDeflate: false, httpCompression: false });

process.on('message', (message) => {
  if (message?.cmd === 'gc') {
    globalThis.gc?.();
    process.send?.({ type: 'gc' });
  } else if (message?.cmd === 'broadcast') {
    const started = performance.now();
    io.emit('incident', { ...message.payload, id: message.key, at: new Date().toISOString() });
    process.send?.({ type: 'broadcast', key: message.key, fanOutMs: performance.now() - started, sent: io.engine.clientsCount });
  }
});

server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => process.send?.({ type: 'ready', port: server.address().port }));
