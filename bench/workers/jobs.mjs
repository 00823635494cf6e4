// Job throughput: N jobs enqueued up front into a fresh database, then 1, 2 or 4 worker
// processes (job-worker.mjs) claim and complete them; the clock runs from `go` to the last
// completion (the runtime's `succeeded` write committed) seen by any worker.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineJob, enqueue, openStore } from '@alertautec/server';
import pg from 'pg';
import { exited, forkReady } from './stats.mjs';

const job = defineJob({ kind: 'bench.count', handler: async () => undefined });

/** A fresh database: a SQLite file in a temp dir, or a new schema in PostgreSQL. */
export async function freshDatabase(kind, databaseUrl) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alertautec-bench-workers-'));
  if (kind === 'sqlite') {
    return { env: { BENCH_DATA_DIR: dataDir }, options: { databaseUrl: null, dataDir }, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const schema = `bench_workers_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  return {
    env: { BENCH_DATA_DIR: dataDir, BENCH_DATABASE_URL: databaseUrl, BENCH_SCHEMA: schema },
    options: { databaseUrl, dataDir, schema },
    drop: async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function jobRun({ root, kind, databaseUrl, workers, jobs, concurrency }) {
  const database = await freshDatabase(kind, databaseUrl);
  const children = [];
  try {
    const store = await openStore(database.options);
    const now = Date.now();
    for (let start = 0; start < jobs; start += 500) {
      await store.write(async (trx) => {
        for (let n = start; n < Math.min(jobs, start + 500); n++) await enqueue(trx, { job, payload: { n }, now });
      });
    }
    const script = path.join(root, 'bench/workers/job-worker.mjs');
    const env = { ...database.env, BENCH_CONCURRENCY: String(concurrency) };
    for (let i = 0; i < workers; i++) children.push((await forkReady(script, { cwd: root, env })).child);

    const progress = new Map();
    const finished = new Promise((resolve) => {
      for (const child of children) {
        child.on('message', (message) => {
          if (message.type !== 'progress') return;
          progress.set(child.pid, message);
          if ([...progress.values()].reduce((sum, p) => sum + p.done, 0) >= jobs) resolve();
        });
      }
    });
    const goAt = Date.now();
    for (const child of children) child.send({ type: 'go' });
    await finished;
    const lastAt = Math.max(...[...progress.values()].map((p) => p.lastAt));
    const stopped = await Promise.all(children.map(stop));
    const states = await store.db.selectFrom('jobs').select(['state']).select((eb) => eb.fn.countAll().as('count')).groupBy('state').execute();
    await store.close();
    const seconds = (lastAt - goAt) / 1000;
    return {
      jobsPerSecond: Math.round(jobs / seconds),
      seconds: Number(seconds.toFixed(3)),
      perWorker: stopped.map((s) => s.done),
      duplicates: stopped.reduce((sum, s) => sum + s.duplicates, 0),
      states: Object.fromEntries(states.map((row) => [row.state, Number(row.count)])),
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
    await database.drop();
  }
}

function stop(child) {
  return new Promise((resolve) => {
    const onMessage = (message) => {
      if (message.type !== 'stopped') return;
      child.off('message', onMessage);
      resolve(exited(child).then(() => message));
    };
    child.on('message', onMessage);
    child.send({ type: 'stop' });
  });
}
