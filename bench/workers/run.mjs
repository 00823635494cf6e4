// bench/workers: the worker runtime (issue 10). Three parts, one run:
//  1. job throughput: jobs claimed and completed per second by 1, 2 and 4 worker processes
//     on SQLite and on PostgreSQL (jobs.mjs, job-worker.mjs);
//  2. consumer lag while autocannon creates incidents as bench/http does (load.mjs,
//     app-server.mjs);
//  3. the overhead on incident creation, three variants interleaved per round:
//     A ALERTA_ROLES=api,realtime; B the same plus the worker runtime alone (a counting
//     consumer and a scheduled job: the runtime's own cost, what the issue bounds at 5%);
//     C api,realtime,workers plus the counting consumer (the product's consumers as built:
//     notifier, per-assignment department reports — real work per incident, for information).
// Writes bench/results/workers-<timestamp>.json. Run alone: npm run bench -- workers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jobRun } from './jobs.mjs';
import { loadRun } from './load.mjs';
import { median, round } from './stats.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const JOBS = Number(process.env.BENCH_JOBS ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WORKERS = [1, 2, 4];
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',');
const PAIRS = Number(process.env.BENCH_PAIRS ?? 4);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Math.max(2, Math.round(DURATION / 5));
const WITHOUT = 'api,realtime';
const WITH = 'api,realtime,workers';

const loadBefore = os.loadavg().map((n) => round(n, 2));
const startedAt = Date.now();

// 1. Job throughput, rounds interleaved (every store and worker count once per round).
const jobRuns = {};
for (let run = 1; run <= RUNS; run++) {
  for (const kind of STORES) {
    for (const workers of WORKERS) {
      const result = await jobRun({ root, kind, databaseUrl: DATABASE_URL, workers, jobs: JOBS, concurrency: CONCURRENCY });
      if (result.states.succeeded !== JOBS || result.duplicates !== 0) throw new Error(`${kind} × ${workers}: ${JSON.stringify(result)}`);
      (jobRuns[`${kind}:${workers}`] ??= []).push(result);
      console.log(`jobs ${kind} ${workers} worker(s), run ${run}: ${result.jobsPerSecond} jobs/s`);
    }
  }
}
const throughput = Object.fromEntries(
  STORES.map((kind) => {
    const rows = WORKERS.map((workers) => {
      const runs = jobRuns[`${kind}:${workers}`];
      return { workers, jobsPerSecond: median(runs.map((r) => r.jobsPerSecond)), runs: runs.map((r) => r.jobsPerSecond), perWorkerLastRun: runs.at(-1).perWorker };
    });
    const one = rows[0].jobsPerSecond;
    return [kind, rows.map((row) => ({ ...row, speedupOverOne: round(row.jobsPerSecond / one, 2) }))];
  }),
);

// 2 + 3. Incident creation without workers, with the runtime alone, with the product's workers: A, B, C, A, B, C, …
const pairs = [];
for (let pair = 1; pair <= PAIRS; pair++) {
  const without = await loadRun({ root, roles: WITHOUT, connections: CONNECTIONS, duration: DURATION, warmup: WARMUP, consumer: false });
  const withWorkers = await loadRun({ root, roles: WITHOUT, connections: CONNECTIONS, duration: DURATION, warmup: WARMUP, consumer: true });
  const product = await loadRun({ root, roles: WITH, connections: CONNECTIONS, duration: DURATION, warmup: WARMUP, consumer: true });
  pairs.push({ without, withWorkers, product });
  const ratio = (x) => round(x.requestsPerSecond / without.requestsPerSecond, 3);
  console.log(`round ${pair}: ${without.requestsPerSecond} / ${withWorkers.requestsPerSecond} / ${product.requestsPerSecond} req/s (runtime ratio ${ratio(withWorkers)}, product ratio ${ratio(product)})`);
}
const summary = (runs) => ({
  requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
  latencyMs: { p50: median(runs.map((r) => r.latencyMs.p50)), p99: median(runs.map((r) => r.latencyMs.p99)) },
  serverCpuPerRequestMs: round(median(runs.map((r) => r.serverCpuPerRequestMs)), 4),
  non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
  errors: runs.reduce((sum, r) => sum + r.errors, 0),
});
const consumers = pairs.map((p) => p.product.consumer);
const medianOf = (pick) => median(consumers.map(pick));
const ratios = pairs.map((p) => round(p.withWorkers.requestsPerSecond / p.without.requestsPerSecond, 3));
const cpuRatios = pairs.map((p) => round(p.without.serverCpuPerRequestMs / p.withWorkers.serverCpuPerRequestMs, 3));
const productRatios = pairs.map((p) => round(p.product.requestsPerSecond / p.without.requestsPerSecond, 3));
const productCpuRatios = pairs.map((p) => round(p.without.serverCpuPerRequestMs / p.product.serverCpuPerRequestMs, 3));

const result = {
  benchmark: 'workers',
  at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  settings: {
    jobs: JOBS,
    runs: RUNS,
    workers: WORKERS,
    concurrencyPerWorker: CONCURRENCY,
    stores: STORES,
    pairs: PAIRS,
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    warmupSeconds: WARMUP,
    loadStore: 'sqlite',
    notes: [
      'A worker is one child process with its own store connection (SQLite file, or a PostgreSQL pool of 10) and its own createWorkerRuntime (the product runtime: poll loop, claim, lease, succeed), concurrency 4 (production default); the handler only records the job number in memory, so what is measured is the runtime’s own state writes.',
      'Job throughput: N jobs enqueued into a fresh database (temp SQLite file, or a new PostgreSQL schema dropped afterwards) before the workers start; the clock runs from `go` to the last completion (the `succeeded` write committed). Runs interleave every store × worker count per round; median of the runs. Every run checks N succeeded rows and no job handled twice.',
      'Load: autocannon from this process as bench/http does (POST /api/incidents, SQLite, demo tenant), against the built server in its own process with ALERTA_ROLES=api,realtime (A) or api,realtime,workers (B), A and B interleaved, a fresh data dir each run.',
      'B (overhead.withWorkers): ALERTA_ROLES=api,realtime plus the worker runtime alone inside the server process — a log consumer that counts events (startAt head) and a job kind scheduled every minute, on the system’s store, clock and notices (same write path, same in-process wake-ups, same poll and claim loop as the product’s). This is the runtime’s own overhead. C (overhead.product): ALERTA_ROLES=api,realtime,workers (the product’s consumers as built: the notifier, and the department report consumer that writes a report file, an outbox row per recipient and a delivery job for every incident routed to a department) plus the same counting consumer: the product’s work per incident, not the runtime’s. Lag and commitToConsumeMs are the counting consumer’s in C.',
      'Lag: the runtime’s alertautec_consumer_lag_events gauge (head seq − cursor, read from the database) sampled every 100 ms during the measured window. On SQLite the read shares the writer connection, so it counts appends of the group commit still in progress.',
      'commitToConsumeMs: from each event’s `at` (taken inside its write transaction, just before the group commit) to the consumer handler receiving it. catchUpAfterLoadMs: from the end of the load until the lag reads 0.',
      'serverCpuPerRequestMs: CPU time of all threads of the server process (/proc/<pid>/task/*/schedstat) over the measured window divided by the requests; it includes the consumer and the runtime. cpuRatio = A / B per pair (1 = no extra CPU per incident).',
      'The machine is shared: req/s swing with whatever else runs (see loadAverage); the ratios of interleaved pairs are what to read.',
    ],
  },
  loadAverage: { before: loadBefore, after: os.loadavg().map((n) => round(n, 2)) },
  elapsedSeconds: Math.round((Date.now() - startedAt) / 1000),
  throughput,
  consumerLag: {
    name: 'durable log consumer counting events, under incident creation (B runs)',
    runs: consumers.length,
    eventsHandled: consumers.map((c) => c.eventsHandled),
    lagEvents: { p50: medianOf((c) => c.lagEvents.p50), p99: medianOf((c) => c.lagEvents.p99), max: medianOf((c) => c.lagEvents.max) },
    commitToConsumeMs: { p50: medianOf((c) => c.commitToConsumeMs.p50), p99: medianOf((c) => c.commitToConsumeMs.p99), max: medianOf((c) => c.commitToConsumeMs.max) },
    catchUpAfterLoadMs: medianOf((c) => c.catchUpAfterLoadMs),
    perRun: consumers,
  },
  overhead: {
    without: { name: `incident creation, ALERTA_ROLES=${WITHOUT}`, ...summary(pairs.map((p) => p.without)) },
    withWorkers: { name: `incident creation, ALERTA_ROLES=${WITHOUT} + the worker runtime alone (counting consumer, scheduled job)`, ...summary(pairs.map((p) => p.withWorkers)) },
    product: { name: `incident creation, ALERTA_ROLES=${WITH} + counting consumer`, ...summary(pairs.map((p) => p.product)) },
    productRatios,
    productRatio: median(productRatios),
    productCpuRatios,
    productCpuRatio: median(productCpuRatios),
    ratios,
    ratio: median(ratios),
    cpuRatios,
    cpuRatio: median(cpuRatios),
    pairs: pairs.map((p) => ({
      without: { requestsPerSecond: p.without.requestsPerSecond, latencyMs: p.without.latencyMs, serverCpuPerRequestMs: p.without.serverCpuPerRequestMs, serverCpuCores: p.without.serverCpuCores },
      withWorkers: { requestsPerSecond: p.withWorkers.requestsPerSecond, latencyMs: p.withWorkers.latencyMs, serverCpuPerRequestMs: p.withWorkers.serverCpuPerRequestMs, serverCpuCores: p.withWorkers.serverCpuCores },
      product: { requestsPerSecond: p.product.requestsPerSecond, latencyMs: p.product.latencyMs, serverCpuPerRequestMs: p.product.serverCpuPerRequestMs, serverCpuCores: p.product.serverCpuCores },
    })),
  },
  targets: { overheadRatio: 0.95 },
};
result.meetsTargets = result.overhead.ratio >= result.targets.overheadRatio && result.overhead.without.non2xx === 0 && result.overhead.withWorkers.non2xx === 0 && result.overhead.product.non2xx === 0;
fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
const file = path.join(root, 'bench/results', `workers-${result.at.replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify({ throughput: result.throughput, consumerLag: { ...result.consumerLag, perRun: undefined }, overhead: { ...result.overhead, pairs: undefined } }, null, 2));
console.log(`written ${path.relative(root, file)}`);
