// bench/notify: e-mail notifications through the product path, side by side in one run with
// a bare nodemailer loop, both into the same local SMTP server (smtp-sink.mjs, its own
// process). Each round:
//  1. throughput: critical incidents created through the HTTP API with the workers role off
//     (each one tells every authority: 100 authorities × 100 incidents = 10,000 e-mails),
//     then the workers role starts and the clock runs until the sink has every message:
//     notifier consumer → outbox rows + `notification.deliver` jobs → SMTP (pooled
//     nodemailer, as configured by SMTP_URL);
//  2. the same 10,000 messages (read back from that outbox) sent by a bare nodemailer loop:
//     one pooled connection, one message at a time (the baseline), and the
//     product's pool settings with 4 in flight (its job concurrency);
//  3. latency: one authority, critical incidents created at a steady rate with the workers
//     running; time from the HTTP 201 (the commit) to the message's arrival at the sink,
//     matched by the incident the e-mail threads to.
// Writes bench/results/notify-<timestamp>.json. Run alone: npm run bench -- notify.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const RATE = Number(process.env.BENCH_RATE ?? 20); // incidents per second in the latency part
const INCIDENTS = Math.ceil(MESSAGES / RECIPIENTS);
if (INCIDENTS * RECIPIENTS !== MESSAGES) throw new Error('BENCH_MESSAGES must be a multiple of BENCH_RECIPIENTS');

// ---------------------------------------------------------------- helpers

const median = (values) => {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
/** Nearest-rank percentile. */
const percentile = (values, p) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};
const trace = process.env.BENCH_TRACE ? (...args) => console.error(new Date().toISOString(), ...args) : () => undefined;
const round = (value, digits = 1) => (value === null ? null : Number(value.toFixed(digits)));
const spread = (values) => ({ p50: percentile(values, 50), p99: percentile(values, 99), max: values.length ? Math.max(...values) : null });

function forkReady(script, env, execArgv = []) {
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { cwd: root, env: { ...process.env, ...env }, execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const onExit = (code) => reject(new Error(`${script} exited with ${code}`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve({ child, ready: message });
    });
  });
}

/** Sends a message and waits for the child's answer of the same type. */
function ask(child, message) {
  return new Promise((resolve) => {
    const onMessage = (answer) => {
      if (answer.type !== message.type) return;
      child.off('message', onMessage);
      resolve(answer);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

const exited = (child) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve)));

async function stopServer(child) {
  child.kill('SIGINT');
  await exited(child);
}

/** CPU time (ms) of every thread of a process so far. */
function cpuMs(pid) {
  let total = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return total / 1e6;
}

/** Waits until the sink has `count` messages; resolves with its first/last arrival times. */
async function sinkReached(sink, count, timeoutMs) {
  const started = Date.now();
  for (;;) {
    const state = await ask(sink, { type: 'count' });
    if (state.count >= count) return state;
    if (Date.now() - started > timeoutMs) throw new Error(`the SMTP sink has ${state.count} of ${count} messages after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Runs `task(i)` for i < n with at most `width` at once. */
async function pool(n, width, task) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await task(next++);
  }));
}

async function api(base, method, url, token, body) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { ...(body && { 'content-type': 'application/json' }), ...(token && { authorization: `Bearer ${token}` }) },
    ...(body && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} → ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const login = (base, email, password) => api(base, 'POST', '/api/auth/login', null, { email, password }).then((r) => r.accessToken);

const incidentBody = (tag) => ({
  category: 'infrastructure',
  description: `Fuga de agua en el baño del tercer piso (${tag})`,
  urgency: 'critical',
  locationCode: 'A-P3',
});

/**
 * A fresh server on its own SQLite directory, e-mail to the sink, where a critical
 * incident tells `authorities` people by e-mail and nobody else anything: every rule but
 * `urgent_incident` off, and that one on e-mail only (the in-app, SMS and SNS rows it
 * would add are not what is measured).
 */
async function productServer(sinkPort, authorities) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alertautec-bench-notify-'));
  const env = { DATA_DIR: dataDir, SMTP_URL: `smtp://127.0.0.1:${sinkPort}`, ALERTA_ROLES: 'api,realtime,workers', PASSWORD_HASH_COST: '10' };
  // BENCH_PROFILE=<dir>: a V8 CPU profile of each server process, to see where its time goes.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`] : [];
  const { child, ready } = await forkReady(path.join(root, 'bench/notify/app-server.mjs'), env, profile);
  const base = `http://127.0.0.1:${ready.port}`;
  trace('server ready', ready.port);
  const admin = await login(base, 'admin@utec.example', 'demo-admin-2026');
  const rules = await api(base, 'GET', '/api/notification-rules', admin);
  for (const rule of rules.items ?? rules) {
    const change = rule.id === 'urgent_incident' ? { enabled: true, channels: ['email'] } : { enabled: false };
    await api(base, 'PATCH', `/api/notification-rules/${rule.id}`, admin, change);
  }
  // The demo seed has one authority.
  await pool(authorities - 1, 4, (i) =>
    api(base, 'POST', '/api/users', admin, { email: `autoridad-${i}@utec.example`, password: 'bench-autoridad-2026', name: `Autoridad ${i}`, role: 'authority' }),
  );
  trace('authorities created');
  const student = await login(base, 'estudiante@utec.example', 'demo-estudiante-2026');
  return { child, base, student, dataDir };
}

// ---------------------------------------------------------------- the three parts

async function productThroughput(sink, sinkPort, run) {
  const server = await productServer(sinkPort, RECIPIENTS);
  const createStarted = Date.now();
  await pool(INCIDENTS, 8, (i) => api(server.base, 'POST', '/api/incidents', server.student, incidentBody(`run ${run}, ${i}`)));
  const queueMs = Date.now() - createStarted;
  trace('queued', INCIDENTS, 'incidents in', queueMs, 'ms');
  await ask(sink, { type: 'reset', track: false });
  const serverCpu = cpuMs(server.child.pid);
  const sinkCpu = cpuMs(sink.pid);
  const { at: startedAt } = await ask(server.child, { type: 'workers' });
  trace('workers started');
  const state = await sinkReached(sink, MESSAGES, 300_000);
  trace('sink has', state.count);
  const cpu = { serverMs: cpuMs(server.child.pid) - serverCpu, sinkMs: cpuMs(sink.pid) - sinkCpu };
  // The last `sent` and `succeeded` writes follow the last SMTP replies.
  let rows;
  for (;;) {
    ({ rows } = await ask(server.child, { type: 'breakdown' }));
    if (rows.length >= MESSAGES && rows.every((row) => row.status === 'sent' && row.jobFinishedAt !== null)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stopServer(server.child);
  const seconds = (state.lastAt - startedAt) / 1000;
  // Rows and jobs are invisible until the notifier's batch commits: the first job's start
  // is about when the first batch (50 incidents) was written.
  const firstJobMs = Math.min(...rows.map((r) => r.jobStartedAt)) - startedAt;
  const busyMs = rows.reduce((sum, r) => sum + (r.jobFinishedAt - r.jobStartedAt), 0);
  return {
    result: {
      messagesPerSecond: Math.round(MESSAGES / seconds),
      seconds: round(seconds, 3),
      received: state.count,
      queueSeconds: round(queueMs / 1000, 2),
      outbox: { rows: rows.length, sent: rows.filter((r) => r.status === 'sent').length },
      firstJobStartedMs: firstJobMs,
      // Per delivery job: claimed → the row's `sent` write began (checks, rendering the
      // MIME, the SMTP exchange), and → the job's own `succeeded` write.
      jobStartToSentMs: spread(rows.map((r) => r.sentAt - r.jobStartedAt)),
      sentToJobFinishedMs: spread(rows.map((r) => r.jobFinishedAt - r.sentAt)),
      // Jobs running at once on average, from the first start to the last finish (at most 4).
      jobsInFlight: round(busyMs / (Math.max(...rows.map((r) => r.jobFinishedAt)) - Math.min(...rows.map((r) => r.jobStartedAt))), 2),
      cpu: { serverCores: round(cpu.serverMs / 1000 / seconds, 2), sinkCores: round(cpu.sinkMs / 1000 / seconds, 2), serverMsPerMessage: round(cpu.serverMs / MESSAGES, 3) },
    },
    dataDir: server.dataDir,
  };
}

async function bareLoop(sink, sinkPort, dataDir, mode) {
  const { child, ready } = await forkReady(path.join(root, 'bench/notify/bare-loop.mjs'), { BENCH_DATA_DIR: dataDir, BENCH_SMTP_PORT: String(sinkPort), BENCH_POOL: mode });
  if (ready.messages !== MESSAGES) throw new Error(`the outbox has ${ready.messages} sent e-mails, expected ${MESSAGES}`);
  await ask(sink, { type: 'reset', track: false });
  const loopCpu = cpuMs(child.pid);
  const sinkCpu = cpuMs(sink.pid);
  const done = await ask(child, { type: 'go' });
  const state = await sinkReached(sink, MESSAGES, 300_000);
  const cpu = { loopMs: cpuMs(child.pid) - loopCpu, sinkMs: cpuMs(sink.pid) - sinkCpu };
  child.kill();
  await exited(child);
  if (done.failures > 0) throw new Error(`bare loop (${mode}): ${done.failures} sends failed`);
  const seconds = (state.lastAt - done.startedAt) / 1000;
  return {
    messagesPerSecond: Math.round(MESSAGES / seconds),
    seconds: round(seconds, 3),
    received: state.count,
    cpu: { senderCores: round(cpu.loopMs / 1000 / seconds, 2), sinkCores: round(cpu.sinkMs / 1000 / seconds, 2), senderMsPerMessage: round(cpu.loopMs / MESSAGES, 3) },
  };
}

async function latency(sink, sinkPort, run) {
  const server = await productServer(sinkPort, 1);
  await ask(server.child, { type: 'workers' });
  await ask(sink, { type: 'reset', track: true });
  const committed = new Map();
  const interval = 1000 / RATE;
  const start = Date.now();
  const requests = [];
  for (let i = 0; i < SAMPLES; i++) {
    const due = start + i * interval;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    requests.push(
      api(server.base, 'POST', '/api/incidents', server.student, incidentBody(`latency ${run}, ${i}`)).then((incident) => committed.set(incident.id, Date.now())),
    );
  }
  await Promise.all(requests);
  await sinkReached(sink, SAMPLES, 60_000);
  const { arrivals } = await ask(sink, { type: 'arrivals' });
  let rows;
  for (;;) {
    ({ rows } = await ask(server.child, { type: 'breakdown' }));
    if (rows.length >= SAMPLES && rows.every((row) => row.status === 'sent' && row.jobFinishedAt !== null)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stopServer(server.child);
  fs.rmSync(server.dataDir, { recursive: true, force: true });
  const delays = arrivals.filter((a) => committed.has(a.incidentId)).map((a) => a.at - committed.get(a.incidentId));
  if (delays.length !== SAMPLES) throw new Error(`matched ${delays.length} of ${SAMPLES} e-mails to their incidents`);
  // Where the time went, from the product's own timestamps (ms, same clock).
  const stage = (pick) => spread(rows.map(pick));
  return {
    samples: delays.length,
    commitToArrivalMs: { ...spread(delays), mean: round(delays.reduce((a, b) => a + b, 0) / delays.length) },
    stagesMs: {
      eventToOutboxRow: stage((r) => r.rowAt - r.eventAt),
      outboxRowToJobStart: stage((r) => r.jobStartedAt - r.rowAt),
      jobStartToSent: stage((r) => r.sentAt - r.jobStartedAt),
    },
  };
}

// ---------------------------------------------------------------- the run

const loadBefore = os.loadavg().map((n) => round(n, 2));
const startedAt = Date.now();
const { child: sink, ready: sinkReady } = await forkReady(path.join(root, 'bench/notify/smtp-sink.mjs'), {});
const rounds = [];
try {
  for (let run = 1; run <= RUNS; run++) {
    const product = await productThroughput(sink, sinkReady.port, run);
    let one;
    let productPool;
    try {
      // Alternate which baseline goes first, so neither always gets the warmer machine.
      if (run % 2) {
        one = await bareLoop(sink, sinkReady.port, product.dataDir, 'one');
        productPool = await bareLoop(sink, sinkReady.port, product.dataDir, 'product');
      } else {
        productPool = await bareLoop(sink, sinkReady.port, product.dataDir, 'product');
        one = await bareLoop(sink, sinkReady.port, product.dataDir, 'one');
      }
    } finally {
      fs.rmSync(product.dataDir, { recursive: true, force: true });
    }
    const late = await latency(sink, sinkReady.port, run);
    rounds.push({ product: product.result, bareOneConnection: one, bareProductPool: productPool, latency: late });
    console.log(
      `run ${run}: product ${product.result.messagesPerSecond} msg/s, bare (1 connection) ${one.messagesPerSecond} msg/s, ` +
        `bare (product pool) ${productPool.messagesPerSecond} msg/s; commit → arrival p50 ${late.commitToArrivalMs.p50} ms, p99 ${late.commitToArrivalMs.p99} ms`,
    );
  }
} finally {
  sink.kill();
}

const ratios = rounds.map((r) => round(r.product.messagesPerSecond / r.bareOneConnection.messagesPerSecond, 3));
const poolRatios = rounds.map((r) => round(r.product.messagesPerSecond / r.bareProductPool.messagesPerSecond, 3));
const medianOf = (pick) => median(rounds.map(pick));
const result = {
  benchmark: 'notify',
  at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  settings: {
    messages: MESSAGES,
    incidents: INCIDENTS,
    recipientsPerIncident: RECIPIENTS,
    runs: RUNS,
    latencySamples: SAMPLES,
    latencyIncidentsPerSecond: RATE,
    store: 'sqlite',
    queuedThrough: 'POST /api/incidents (critical) with the workers role off; rule urgent_incident on e-mail only, other rules off',
    productTransport: 'SMTP_URL → nodemailer pool: true, maxConnections: 4 (channels/email.ts); worker runtime concurrency 4 (default)',
  },
  loadAverage: { before: loadBefore, after: os.loadavg().map((n) => round(n, 2)) },
  elapsedSeconds: Math.round((Date.now() - startedAt) / 1000),
  throughput: {
    product: {
      name: 'incidents → event log → notifier → outbox + notification.deliver jobs → SMTP, from workers start to the last arrival',
      messagesPerSecond: medianOf((r) => r.product.messagesPerSecond),
      seconds: medianOf((r) => r.product.seconds),
      firstJobStartedMs: medianOf((r) => r.product.firstJobStartedMs),
      serverCores: medianOf((r) => r.product.cpu.serverCores),
      jobStartToSentMs: { p50: medianOf((r) => r.product.jobStartToSentMs.p50), p99: medianOf((r) => r.product.jobStartToSentMs.p99) },
      sentToJobFinishedMs: { p50: medianOf((r) => r.product.sentToJobFinishedMs.p50), p99: medianOf((r) => r.product.sentToJobFinishedMs.p99) },
      jobsInFlight: medianOf((r) => r.product.jobsInFlight),
      serverMsPerMessage: medianOf((r) => r.product.cpu.serverMsPerMessage),
    },
    bareOneConnection: {
      name: 'bare nodemailer loop, pool: true, maxConnections: 1, one message at a time',
      messagesPerSecond: medianOf((r) => r.bareOneConnection.messagesPerSecond),
      seconds: medianOf((r) => r.bareOneConnection.seconds),
      senderMsPerMessage: medianOf((r) => r.bareOneConnection.cpu.senderMsPerMessage),
    },
    bareProductPool: {
      name: 'bare nodemailer loop, the product’s pool (maxConnections: 4, its timeouts), 4 in flight',
      messagesPerSecond: medianOf((r) => r.bareProductPool.messagesPerSecond),
      seconds: medianOf((r) => r.bareProductPool.seconds),
      senderMsPerMessage: medianOf((r) => r.bareProductPool.cpu.senderMsPerMessage),
    },
    ratios,
    ratio: median(ratios),
    ratiosToProductPool: poolRatios,
    ratioToProductPool: median(poolRatios),
  },
  latency: {
    name: 'HTTP 201 of a critical incident → its e-mail at the SMTP sink (one authority), workers running',
    samplesPerRun: SAMPLES,
    commitToArrivalMs: { p50: medianOf((r) => r.latency.commitToArrivalMs.p50), p99: medianOf((r) => r.latency.commitToArrivalMs.p99), max: medianOf((r) => r.latency.commitToArrivalMs.max) },
    stagesMs: Object.fromEntries(
      Object.keys(rounds[0].latency.stagesMs).map((key) => [key, { p50: medianOf((r) => r.latency.stagesMs[key].p50), p99: medianOf((r) => r.latency.stagesMs[key].p99) }]),
    ),
  },
  perRun: rounds,
  targets: { ratio: 0.5 },
};
result.meetsTargets = result.throughput.ratio >= result.targets.ratio;
fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
const file = path.join(root, 'bench/results', `notify-${result.at.replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify({ throughput: result.throughput, latency: result.latency, meetsTargets: result.meetsTargets }, null, 2));
console.log(`written ${path.relative(root, file)}`);
