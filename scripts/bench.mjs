#!/usr/bin/env node
// npm run bench: every benchmark, one after the other; each writes its JSON under bench/results/.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const only = process.argv[2];
// Benchmarks run the built packages, as `npm start` does.
const build = spawnSync('npx', ['tsc', '-b'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const all = [
  { name: 'http', script: 'bench/http/run.mjs' },
  // 10,000 WebSocket clients in child processes against ours, a naive ws loop and Socket.IO.
  { name: 'realtime', script: 'bench/realtime/run.mjs' },
  // Jobs/s with 1, 2 and 4 worker processes (SQLite, PostgreSQL), consumer lag under load, overhead.
  { name: 'workers', script: 'bench/workers/run.mjs' },
  // 10,000 e-mail notifications drained into a local SMTP server against a bare nodemailer loop; commit → arrival.
  { name: 'notify', script: 'bench/notify/run.mjs' },
  // The global report over 1,000,000 seeded incidents (SQLite, PostgreSQL) against reading every row into memory.
  { name: 'reports', script: 'bench/reports/run.mjs' },
  // Board, filters, search, stats, history and preview through the API at 1,000,000 incidents (SQLite, PostgreSQL).
  { name: 'scale', script: 'bench/scale/run.mjs' },
];
const benches = all.filter((bench) => !only || bench.name === only);
if (benches.length === 0) {
  console.error(`unknown benchmark "${only}" (${all.map((bench) => bench.name).join(', ')})`);
  process.exit(2);
}
for (const bench of benches) {
  console.log(`\n== bench/${bench.name}`);
  const result = spawnSync(process.execPath, [bench.script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
