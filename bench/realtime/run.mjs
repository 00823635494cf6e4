// bench/realtime: the WebSocket gateway under 10,000 subscribed connections, side by side in
// the same run with (a) a naive `ws` server looping send() over every client and (b) Socket.IO 4
// broadcasting with io.emit(). Each server runs in its own process; the clients are spread over
// several client processes (bench/realtime/clients.mjs). For every event: the server's fan-out
// time and the delivery latency from commit (ours) or send (baselines) to the client's receipt.
// Also RSS per idle connection and 15,000 connections held by one node (ours).
// Writes bench/results/realtime-<timestamp>.json.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const here = path.join(root, 'bench/realtime');
const CLIENTS = Number(process.env.BENCH_WS_CLIENTS ?? 10_000);
const HELD = Number(process.env.BENCH_WS_HELD ?? 15_000);
const PROCESSES = Number(process.env.BENCH_WS_PROCESSES ?? 4);
const EVENTS = Number(process.env.BENCH_WS_EVENTS ?? 30);
const WARMUP_EVENTS = 3;
const SPACING_MS = Number(process.env.BENCH_WS_SPACING_MS ?? 200);
const HOLD_SECONDS = Number(process.env.BENCH_WS_HOLD_SECONDS ?? 5);
const USERS = 10;
const CONNECT_CONCURRENCY = 50; // per client process
const EVENT_TIMEOUT_MS = 10_000;
const CLIENT_NICE = Number(process.env.BENCH_WS_CLIENT_NICE ?? 0);
const SERVER_ARGS = ['--expose-gc', '--max-old-space-size=2048'];

const log = (...args) => console.log(`[${new Date().toISOString().slice(11, 23)}]`, ...args);

/** A forked process with a mailbox: `next(type)` resolves with its next message of that type. */
function spawn(script, env = {}, execArgv = []) {
  const child = fork(script, [], { cwd: root, env: { ...process.env, ...env }, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const queues = new Map();
  const waiters = new Map();
  const proc = {
    child,
    listeners: new Set(),
    next(type, timeoutMs = 120_000) {
      const queued = queues.get(type);
      if (queued?.length) return Promise.resolve(queued.shift());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${path.basename(script)}: no ${type} within ${timeoutMs} ms`)), timeoutMs);
        if (!waiters.has(type)) waiters.set(type, []);
        waiters.get(type).push((message) => {
          clearTimeout(timer);
          resolve(message);
        });
      });
    },
    send: (message) => child.send(message),
  };
  child.on('message', (message) => {
    if (message.type === 'log') return log(`${path.basename(script)}: ${message.message}`);
    for (const listener of proc.listeners) listener(message);
    if (message.type === 'got') return;
    const waiting = waiters.get(message.type);
    if (waiting?.length) return waiting.shift()(message);
    if (!queues.has(message.type)) queues.set(message.type, []);
    queues.get(message.type).push(message);
  });
  child.on('exit', (code, signal) => {
    if (!proc.stopping) {
      console.error(`${path.basename(script)} exited unexpectedly (${code ?? signal})`);
      process.exit(1);
    }
  });
  proc.stop = () => {
    proc.stopping = true;
    child.kill('SIGKILL');
  };
  return proc;
}

async function startServer(script, env = {}) {
  const server = spawn(path.join(here, script), env, SERVER_ARGS);
  const { port } = await server.next('ready', 60_000);
  server.port = port;
  return server;
}

function rssKiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)[1]);
}

/** CPU time (ms) the process's main thread has run: schedstat counts nanoseconds, whatever the load. */
function mainThreadCpuMs(pid) {
  return Number(fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
}

/** User and system CPU (ms) of the main thread, from /proc (clock ticks of 10 ms: sum many). */
function mainThreadUserSystemMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
}

/** RSS after a full GC and a moment to settle, so the reading is not garbage. */
async function settledRss(server) {
  await sleep(1_000);
  server.send({ cmd: 'gc' });
  await server.next('gc');
  await sleep(500);
  return rssKiB(server.child.pid);
}

const clients = [];
async function allClients(command, reply, perClient = () => ({})) {
  clients.forEach((client, index) => client.send({ ...command, ...perClient(index) }));
  return Promise.all(clients.map((client) => client.next(reply, 300_000)));
}

async function connect(kind, urlsFor, total) {
  const base = Math.floor(total / clients.length);
  const replies = await allClients({ cmd: 'connect', kind, concurrency: CONNECT_CONCURRENCY }, 'connected', (index) => ({
    urls: urlsFor(index),
    count: base + (index < total % clients.length ? 1 : 0),
  }));
  const open = replies.reduce((sum, r) => sum + r.open, 0);
  const failed = replies.reduce((sum, r) => sum + r.failed, 0);
  const errors = {};
  for (const r of replies) for (const [error, n] of Object.entries(r.errors)) errors[error] = (errors[error] ?? 0) + n;
  const ms = Math.max(...replies.map((r) => r.ms));
  log(`${kind}: ${open} open, ${failed} failed in ${ms} ms`, failed ? JSON.stringify(errors) : '');
  return { open, failed, errors, ms };
}

async function status(kind) {
  const replies = await allClients({ cmd: 'status', kind }, 'status');
  const closeCodes = {};
  for (const r of replies) for (const [code, n] of Object.entries(r.closeCodes)) closeCodes[code] = (closeCodes[code] ?? 0) + n;
  return {
    open: replies.reduce((sum, r) => sum + r.open, 0),
    subscribed: replies.reduce((sum, r) => sum + r.subscribed, 0),
    closedUnexpectedly: replies.reduce((sum, r) => sum + r.closedUnexpectedly, 0),
    closeCodes,
  };
}

// Every client process says `got` once all its subscribed sockets have an event.
const gotBy = new Map();
const gotWaiters = new Map();
function onGot(message) {
  if (message.type !== 'got') return;
  const n = (gotBy.get(message.key) ?? 0) + 1;
  gotBy.set(message.key, n);
  if (n === clients.length) gotWaiters.get(message.key)?.();
}
function allGot(key) {
  if ((gotBy.get(key) ?? 0) >= clients.length) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      gotWaiters.delete(key);
      resolve(false);
    }, EVENT_TIMEOUT_MS);
    gotWaiters.set(key, () => {
      clearTimeout(timer);
      gotWaiters.delete(key);
      resolve(true);
    });
  });
}

const percentile = (sorted, p) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
const round = (value, digits = 2) => (value === null || value === undefined ? null : Number(value.toFixed(digits)));
const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? null),
    mean: round(sorted.reduce((sum, v) => sum + v, 0) / (sorted.length || 1)),
  };
};

/** Merges the clients' reports into per-server latency summaries. */
function latencyOf(reports, keys) {
  const latencies = [];
  const delivered = [];
  for (const key of keys) {
    let count = 0;
    for (const report of reports) {
      const list = report.latencies[key] ?? [];
      count += list.length;
      for (const value of list) latencies.push(value);
    }
    delivered.push(count);
  }
  return { deliveryLatencyMs: summary(latencies), deliveredPerEvent: { min: Math.min(...delivered), max: Math.max(...delivered) } };
}

async function api(base, method, url, token, body) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function fanOutHistogram(base) {
  const text = await fetch(`${base}/metrics`).then((r) => r.text());
  const value = (name) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { sum: value('alertautec_ws_fanout_seconds_sum'), count: value('alertautec_ws_fanout_seconds_count'), connections: value('alertautec_ws_connections') };
}

// ---------------------------------------------------------------------------------------------

const runStarted = Date.now();
const loadBefore = os.loadavg();
for (let i = 0; i < PROCESSES; i += 1) {
  const client = spawn(path.join(here, 'clients.mjs'), {}, ['--max-old-space-size=1536']);
  // Optionally at a lower priority (the clients stand for machines elsewhere); off by default,
  // since niced clients lose to anything else running and their latencies balloon.
  if (CLIENT_NICE > 0) os.setPriority(client.child.pid, CLIENT_NICE);
  client.listeners.add(onGot);
  clients.push(client);
}
await Promise.all(clients.map((client) => client.next('ready')));

log(`starting the three servers; ${CLIENTS} clients each over ${PROCESSES} client processes`);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alertautec-bench-ws-'));
const [app, naiveServer, sioServer] = await Promise.all([
  startServer('app-server.mjs', {
    DATA_DIR: dataDir,
    PASSWORD_HASH_COST: '10',
    WS_MAX_CONNECTIONS_PER_USER: String(Math.ceil(HELD / USERS) + 100),
    LOGIN_RATE_LIMIT: '1000',
    ACCESS_TOKEN_TTL_SECONDS: '3600',
  }),
  startServer('naive-server.mjs'),
  startServer('socketio-server.mjs'),
]);

// Ours: a handful of authority users (they see every incident) created through the admin API.
const appBase = `http://127.0.0.1:${app.port}`;
const admin = await api(appBase, 'POST', '/api/auth/login', null, { email: 'admin@utec.example', password: 'demo-admin-2026' });
const tokens = [];
for (let i = 0; i < USERS; i += 1) {
  const email = `bench-autoridad-${i}@utec.example`;
  const password = 'bench-autoridad-2026';
  await api(appBase, 'POST', '/api/users', admin.accessToken, { email, password, name: `Autoridad de carga ${i}`, role: 'authority' });
  tokens.push((await api(appBase, 'POST', '/api/auth/login', null, { email, password })).accessToken);
}
const reporter = await api(appBase, 'POST', '/api/auth/login', null, { email: 'estudiante@utec.example', password: 'demo-estudiante-2026' });
const body = (i) => ({ category: 'infrastructure', description: `Fuga de agua en el baño del tercer piso (evento de prueba ${i})`, urgency: 'medium', locationCode: 'A-P3' });
// A few incidents first, so the server's write path is warm before the memory reading; they
// also give the CPU an event costs ours with nobody connected (the HTTP request, its transaction).
for (let i = 0; i < 10; i += 1) await api(appBase, 'POST', '/api/incidents', reporter.accessToken, body(`warm ${i}`));
const postCpu = [];
for (let i = 0; i < 10; i += 1) {
  const before = mainThreadCpuMs(app.child.pid);
  await api(appBase, 'POST', '/api/incidents', reporter.accessToken, body(`idle ${i}`));
  await sleep(20);
  postCpu.push(mainThreadCpuMs(app.child.pid) - before);
}
const ourUrls = (index) => tokens.map((_, i) => `ws://127.0.0.1:${app.port}/ws?token=${tokens[(i + index) % tokens.length]}`);

const servers = {
  ours: {
    server: app,
    urls: ourUrls,
    result: {
      name: 'AlertaUTEC gateway (/ws: token auth, subscriptions, per-connection visibility policy; events via POST /api/incidents and the event log)',
      serverCpuPerEventWithoutClientsMs: summary(postCpu),
    },
  },
  naive: {
    server: naiveServer,
    urls: () => [`ws://127.0.0.1:${naiveServer.port}/`],
    result: { name: 'naive ws loop (JSON.stringify once, send() to every client; no auth, no filters)' },
  },
  sio: {
    server: sioServer,
    urls: () => [`ws://127.0.0.1:${sioServer.port}/socket.io/?EIO=4&transport=websocket`],
    result: { name: 'Socket.IO 4 io.emit() to every client (websocket transport)' },
  },
};

// RSS per idle connection, one server after the other.
for (const [kind, { server, urls, result }] of Object.entries(servers)) {
  const before = await settledRss(server);
  result.connect = await connect(kind, urls, CLIENTS);
  const after = await settledRss(server);
  result.rss = { beforeKiB: before, afterKiB: after, connections: result.connect.open, perIdleConnectionKiB: round((after - before) / result.connect.open) };
  log(`${kind}: RSS ${result.rss.perIdleConnectionKiB} KiB per idle connection`);
}
const subscribed = await allClients({ cmd: 'subscribe', concurrency: CONNECT_CONCURRENCY }, 'subscribed');
servers.ours.result.subscribed = subscribed.reduce((sum, r) => sum + r.subscribed, 0);
log(`ours: ${servers.ours.result.subscribed} subscribed in ${Math.max(...subscribed.map((r) => r.ms))} ms`);
servers.ours.result.rss.afterSubscribeKiB = await settledRss(app);

// One event through ours gives the payload the baselines send (the same bytes, but `id`/`at`).
const primer = await api(appBase, 'POST', '/api/incidents', reporter.accessToken, body('primer'));
await allGot(primer.id);
const payload = JSON.parse((await allClients({ cmd: 'sample' }, 'sample')).find((r) => r.sample).sample);
await allClients({ cmd: 'report' }, 'report');

// Events, interleaved (ours, naive, Socket.IO, ours, …) so all three see the same machine.
let histogram = await fanOutHistogram(appBase);
const emitters = {
  async ours(i) {
    const incident = await api(appBase, 'POST', '/api/incidents', reporter.accessToken, body(i));
    return {
      key: incident.id,
      fanOut: async () => {
        const now = await fanOutHistogram(appBase);
        const ms = ((now.sum - histogram.sum) * 1000) / Math.max(1, now.count - histogram.count);
        histogram = now;
        return ms;
      },
    };
  },
  naive: (i) => baselineEmit(naiveServer, `naive-${i}`),
  sio: (i) => baselineEmit(sioServer, `sio-${i}`),
};
async function baselineEmit(server, key) {
  server.send({ cmd: 'broadcast', key, payload });
  const reply = await server.next('broadcast');
  return { key, fanOut: async () => reply.fanOutMs };
}
const measured = Object.fromEntries(Object.keys(servers).map((kind) => [kind, { keys: [], fanOutMs: [], cpuMs: [], user: 0, system: 0, incomplete: 0 }]));
log(`${WARMUP_EVENTS} + ${EVENTS} events per server, interleaved, ${SPACING_MS} ms apart`);
for (let i = 0; i < WARMUP_EVENTS + EVENTS; i += 1) {
  for (const kind of Object.keys(servers)) {
    const started = Date.now();
    const { pid } = servers[kind].server.child;
    const cpuBefore = mainThreadCpuMs(pid);
    const splitBefore = mainThreadUserSystemMs(pid);
    const { key, fanOut } = await emitters[kind](i);
    const complete = await allGot(key);
    const cpu = mainThreadCpuMs(pid) - cpuBefore;
    const split = mainThreadUserSystemMs(pid);
    const ms = await fanOut();
    if (i >= WARMUP_EVENTS) {
      measured[kind].keys.push(key);
      measured[kind].fanOutMs.push(ms);
      measured[kind].cpuMs.push(cpu);
      measured[kind].user += split.user - splitBefore.user;
      measured[kind].system += split.system - splitBefore.system;
      if (!complete) measured[kind].incomplete += 1;
    }
    await sleep(Math.max(50, SPACING_MS - (Date.now() - started)));
  }
}
const reports = await allClients({ cmd: 'report' }, 'report');
for (const [kind, { result }] of Object.entries(servers)) {
  const { keys, fanOutMs, cpuMs, user, system, incomplete } = measured[kind];
  Object.assign(result, {
    events: keys.length,
    fanOutMs: summary(fanOutMs),
    serverCpuPerEventMs: summary(cpuMs),
    serverCpuSplitPerEventMs: { user: round(user / keys.length, 1), system: round(system / keys.length, 1) },
    fanOutPerEventMs: fanOutMs.map((v) => round(v, 3)),
    ...latencyOf(reports, keys),
    incompleteEvents: incomplete,
    fanOutSource:
      kind === 'ours'
        ? 'alertautec_ws_fanout_seconds histogram from GET /metrics (sum delta per event)'
        : kind === 'naive'
          ? 'time of the send() loop, in the server'
          : 'time of io.emit(), in the server',
  });
  log(`${kind}: fan-out p50 ${result.fanOutMs.p50} ms; delivery p50 ${result.deliveryLatencyMs.p50} ms, p99 ${result.deliveryLatencyMs.p99} ms`);
}

// The baselines are done; 15,000 connections held by our node: add the rest, subscribe, hold,
// then one event that every one of them must receive.
for (const kind of ['naive', 'sio']) await allClients({ cmd: 'close', kind }, 'closed');
naiveServer.stop();
sioServer.stop();
const ours = servers.ours.result;
log(`ours: adding ${HELD - ours.connect.open} connections to hold ${HELD}`);
const more = await connect('ours', ourUrls, HELD - ours.connect.open);
await allClients({ cmd: 'subscribe', concurrency: CONNECT_CONCURRENCY }, 'subscribed');
const heldAt = await status('ours');
await sleep(HOLD_SECONDS * 1000);
const heldAfter = await status('ours');
const serverView = await fanOutHistogram(appBase);
const check = await api(appBase, 'POST', '/api/incidents', reporter.accessToken, body('held'));
const allReceived = await allGot(check.id);
const heldReport = await allClients({ cmd: 'report' }, 'report');
const receivedByAll = heldReport.reduce((sum, r) => sum + (r.counts[check.id] ?? 0), 0);
ours.held = {
  target: HELD,
  connected: heldAt.open,
  failedToConnect: more.failed,
  heldSeconds: HOLD_SECONDS,
  openAfterHold: heldAfter.open,
  closedDuringHold: heldAfter.closedUnexpectedly,
  closeCodes: heldAfter.closeCodes,
  serverGaugeConnections: serverView.connections,
  eventAfterHoldReceivedBy: receivedByAll,
  rssKiB: rssKiB(app.child.pid),
};
ours.held.met = heldAfter.open >= HELD && serverView.connections >= HELD && receivedByAll >= HELD && allReceived;
log(`ours: ${heldAfter.open} open after ${HOLD_SECONDS} s (server gauge ${serverView.connections}); an event reached ${receivedByAll}`);
await allClients({ cmd: 'close', kind: 'ours' }, 'closed');
app.stop();
fs.rmSync(dataDir, { recursive: true, force: true });
for (const client of clients) {
  client.stopping = true;
  client.send({ cmd: 'exit' });
}
const naive = servers.naive.result;
const socketio = servers.sio.result;

// --- results ---------------------------------------------------------------------------------
const pkg = (name) => JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
const ratios = {
  fanOutVsNaive: round(ours.fanOutMs.p50 / naive.fanOutMs.p50, 3),
  fanOutMeanVsNaive: round(ours.fanOutMs.mean / naive.fanOutMs.mean, 3),
  p99VsSocketIo: round(ours.deliveryLatencyMs.p99 / socketio.deliveryLatencyMs.p99, 3),
  // Not targets: the server CPU an event costs (ours includes its HTTP POST), against each baseline.
  serverCpuVsNaive: round(ours.serverCpuPerEventMs.p50 / naive.serverCpuPerEventMs.p50, 3),
  serverCpuVsSocketIo: round(ours.serverCpuPerEventMs.p50 / socketio.serverCpuPerEventMs.p50, 3),
};
const targets = {
  fanOutVsNaive: { max: 1.0, measured: ratios.fanOutVsNaive, met: ratios.fanOutVsNaive <= 1.0 },
  p99VsSocketIo: { max: 0.6, measured: ratios.p99VsSocketIo, met: ratios.p99VsSocketIo <= 0.6 },
  rssPerIdleConnectionKiB: { max: 15, measured: ours.rss.perIdleConnectionKiB, met: ours.rss.perIdleConnectionKiB <= 15 },
  connectionsHeld: { min: HELD, measured: Math.min(ours.held.openAfterHold, ours.held.eventAfterHoldReceivedBy), met: ours.held.met },
};
const result = {
  benchmark: 'realtime-fanout',
  at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  settings: {
    clients: CLIENTS,
    clientProcesses: PROCESSES,
    events: EVENTS,
    warmupEvents: WARMUP_EVENTS,
    spacingMs: SPACING_MS,
    authorityUsers: USERS,
    store: 'sqlite',
    payloadBytes: Buffer.byteLength(JSON.stringify(payload)),
    versions: { ws: pkg('ws'), 'socket.io': pkg('socket.io') },
    clientNice: CLIENT_NICE,
    notes: [
      'The three servers run side by side, each in its own process, each holding its 10,000 clients; events are interleaved (ours, naive, Socket.IO, …).',
      'Latency: ours from the event commit time (`at`, ms) to Date.now() at receipt in the client process; baselines from the send loop start (embedded `at`).',
      'Fan-out: ours from the alertautec_ws_fanout_seconds histogram (authorization, filters, frames, socket writes); baselines timed around the send loop / io.emit in the server.',
      'RSS: VmRSS of the server process after a full GC, with 10,000 idle connections minus before, divided by the connections (KiB = 1024 B).',
      'serverCpuPerEventMs: CPU time of the server main thread (/proc/<pid>/task/<pid>/schedstat) from the trigger until every client has the event; for ours it includes the HTTP POST and its transaction (see serverCpuPerEventWithoutClientsMs). Unlike wall-clock times it does not grow with the load of other processes on the machine.',
      'All processes share one machine; the client processes compete with the server for its CPUs, and so does anything else running (see loadAverage).',
    ],
  },
  loadAverage: { before: loadBefore.map((v) => round(v)), after: os.loadavg().map((v) => round(v)) },
  ours,
  naive,
  socketio,
  ratios,
  targets,
  meetsTargets: Object.values(targets).every((t) => t.met),
  durationSeconds: round((Date.now() - runStarted) / 1000, 1),
};
fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
const file = path.join(root, 'bench/results', `realtime-${result.at.replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
const brief = { ...result, ours: { ...ours, fanOutPerEventMs: undefined }, naive: { ...naive, fanOutPerEventMs: undefined }, socketio: { ...socketio, fanOutPerEventMs: undefined } };
console.log(JSON.stringify(brief, null, 2));
console.log(`written ${path.relative(root, file)}`);
process.exit(0);
