// One worker of the job-throughput bench: a process with its own store connection and its
// own worker runtime (the product's createWorkerRuntime, concurrency BENCH_CONCURRENCY,
// default 4 as in production), knowing one trivial job kind whose handler counts in memory.
// It starts claiming when the harness says `go` and reports completions (after the
// runtime's own `succeeded` write) until told to stop.
import { createWorkerRuntime, defineJob, openStore } from '@alertautec/server';
import { Registry } from 'prom-client';

const store = await openStore({ databaseUrl: process.env.BENCH_DATABASE_URL || null, dataDir: process.env.BENCH_DATA_DIR, schema: process.env.BENCH_SCHEMA || undefined });
const seen = new Set();
let duplicates = 0;
const job = defineJob({
  kind: 'bench.count',
  async handler(payload) {
    if (seen.has(payload.n)) duplicates += 1;
    seen.add(payload.n);
  },
});
const quiet = { info() {}, warn: (object, message) => console.error(message, object), error: (object, message) => console.error(message, object) };
const notices = { notify() {}, on: () => () => undefined, ready: Promise.resolve(), close: async () => undefined };
const clock = { now: () => Date.now() };
const runtime = createWorkerRuntime({
  store,
  clock,
  notices,
  registry: new Registry(),
  log: quiet,
  jobs: [job],
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 4),
});

let done = 0;
let lastAt = 0;
let reported = -1;
const report = () => {
  if (done === reported) return;
  reported = done;
  process.send({ type: 'progress', done, lastAt });
};
let reporter;

process.on('message', async (message) => {
  if (message.type === 'go') {
    runtime.start();
    // onFinished runs after a job's finishing write committed; the runtime uses it to claim
    // the next job at once, so it is wrapped, not replaced.
    const next = runtime.jobs.onFinished;
    runtime.jobs.onFinished = () => {
      done += 1;
      lastAt = Date.now();
      next();
    };
    reporter = setInterval(report, 20);
  } else if (message.type === 'stop') {
    clearInterval(reporter);
    await runtime.stop();
    report();
    process.send({ type: 'stopped', done, handled: seen.size, duplicates });
    await store.close();
    process.exit(0);
  }
});
process.send({ type: 'ready' });
