// A client process for bench/realtime: holds a share of the connections (plain `ws`
// clients speaking each server's wire protocol, no SDK) and records, for every event, the
// receipt time (Date.now(), as soon as the frame arrives) against the event's `at`.
// Driven by its parent over IPC; one process may open at most 20,000 files here.
import WebSocket from 'ws';

const sockets = new Set();
const closeCodes = {};
let closedUnexpectedly = 0;
/** Frames waiting to be parsed: [receivedAt, kind, data]. Parsing waits for setImmediate so
 * that every frame already readable gets its timestamp first. */
let pending = [];
let flushScheduled = false;
const latencies = new Map(); // key -> number[]
const counts = new Map(); // key -> number
const reported = new Set();
let sample = null;
// Open, subscribed sockets per server kind: how many copies each of its events should reach.
const liveSubscribed = { ours: 0, naive: 0, sio: 0 };

const CLIENT_OPTIONS = { perMessageDeflate: false, skipUTF8Validation: true, handshakeTimeout: 30_000 };

function send(message) {
  process.send?.(message);
}

function markSubscribed(socket) {
  if (socket.subscribed) return;
  socket.subscribed = true;
  liveSubscribed[socket.kind] += 1;
}

function onEvent(kind, key, at, receivedAt) {
  let list = latencies.get(key);
  if (!list) latencies.set(key, (list = []));
  list.push(receivedAt - Date.parse(at));
  const count = (counts.get(key) ?? 0) + 1;
  counts.set(key, count);
  if (!reported.has(key) && count >= liveSubscribed[kind]) {
    reported.add(key);
    send({ type: 'got', key, count });
  }
}

function flush() {
  flushScheduled = false;
  const batch = pending;
  pending = [];
  for (const [receivedAt, socket, data] of batch) {
    const text = data.toString();
    if (socket.kind === 'sio') {
      if (text.startsWith('42')) {
        const [, payload] = JSON.parse(text.slice(2));
        onEvent('sio', payload.id, payload.at, receivedAt);
      } else if (text.startsWith('40')) {
        markSubscribed(socket);
        socket.onReady?.();
      } else if (text === '2') {
        socket.send('3'); // engine.io heartbeat
      } else if (text.startsWith('0')) {
        socket.send('40'); // connect to the main namespace
      }
      continue;
    }
    const message = JSON.parse(text);
    if (message.type === 'Subscribed') {
      markSubscribed(socket);
      socket.onSubscribed?.();
    } else if (message.id !== undefined && message.at !== undefined) {
      if (sample === null && socket.kind === 'ours') sample = text;
      onEvent(socket.kind, message.id, message.at, receivedAt);
    } else if (message.type === 'Error') {
      send({ type: 'log', message: `server error frame: ${text}` });
    }
  }
}

function open(kind, url) {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, CLIENT_OPTIONS);
    socket.kind = kind;
    socket.subscribed = false;
    let settled = false;
    const done = (ok, why) => {
      if (settled) return;
      settled = true;
      resolve(ok ? null : why);
    };
    socket.on('message', (data) => {
      pending.push([Date.now(), socket, data]);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    });
    socket.on('error', (error) => done(false, error.message));
    socket.on('unexpected-response', (_request, response) => {
      done(false, `HTTP ${response.statusCode}`);
      socket.terminate();
    });
    socket.on('close', (code) => {
      if (socket.subscribed && sockets.has(socket)) liveSubscribed[socket.kind] -= 1;
      if (sockets.delete(socket) && !socket.closing) {
        closedUnexpectedly += 1;
        closeCodes[code] = (closeCodes[code] ?? 0) + 1;
      }
      done(false, `closed ${code}`);
    });
    if (kind === 'sio') {
      // Ready once Socket.IO acknowledges the namespace connection ("40{sid}").
      socket.onReady = () => done(true);
      socket.on('open', () => sockets.add(socket));
    } else {
      socket.on('open', () => {
        sockets.add(socket);
        done(true);
      });
    }
  });
}

async function connect({ kind, urls, count, concurrency }) {
  const started = Date.now();
  let next = 0;
  let failed = 0;
  const errors = {};
  async function worker() {
    while (next < count) {
      const url = urls[next % urls.length];
      next += 1;
      const error = await open(kind, url);
      if (error) {
        failed += 1;
        errors[error] = (errors[error] ?? 0) + 1;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  send({ type: 'connected', kind, open: [...sockets].filter((s) => s.kind === kind).length, failed, errors, ms: Date.now() - started });
}

async function subscribe({ concurrency }) {
  const started = Date.now();
  const todo = [...sockets].filter((socket) => !socket.subscribed && socket.kind === 'ours');
  let next = 0;
  async function worker() {
    while (next < todo.length) {
      const socket = todo[next++];
      if (socket.readyState !== WebSocket.OPEN) continue;
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, 10_000);
        socket.onSubscribed = () => {
          clearTimeout(timer);
          resolve();
        };
        socket.send('{"action":"subscribeIncidents","filters":{}}');
      });
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  send({ type: 'subscribed', subscribed: liveSubscribed.ours, ms: Date.now() - started });
}

process.on('message', (message) => {
  switch (message.cmd) {
    case 'connect':
      void connect(message);
      break;
    case 'subscribe':
      void subscribe(message);
      break;
    case 'report': {
      flush();
      send({ type: 'report', latencies: Object.fromEntries(latencies), counts: Object.fromEntries(counts), sample });
      latencies.clear();
      counts.clear();
      reported.clear();
      break;
    }
    case 'sample':
      flush();
      send({ type: 'sample', sample });
      break;
    case 'status':
      send({
        type: 'status',
        open: [...sockets].filter((s) => s.kind === message.kind && s.readyState === WebSocket.OPEN).length,
        subscribed: liveSubscribed[message.kind],
        closedUnexpectedly,
        closeCodes,
      });
      break;
    case 'close': {
      // Closes one kind's sockets (`terminate`: no closing handshake).
      for (const socket of sockets) {
        if (socket.kind !== message.kind) continue;
        socket.closing = true;
        socket.terminate();
        sockets.delete(socket);
      }
      liveSubscribed[message.kind] = 0;
      send({ type: 'closed' });
      break;
    }
    case 'exit':
      process.exit(0);
  }
});
send({ type: 'ready' });
