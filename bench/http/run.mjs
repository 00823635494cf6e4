// bench/http: incident creation over HTTP on embedded SQLite, side by side with a bare
// Fastify JSON POST, both loaded by autocannon from this process while each server runs
// in its own process. Writes bench/results/http-<timestamp>.json.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Math.max(2, Math.round(DURATION / 5));

function start(script, args, env) {
  return new Promise((resolve, reject) => {
    const child = fork(script, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', (message) => resolve({ child, port: message.port }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

async function load(url, { headers, body }) {
  const options = { url, method: 'POST', connections: CONNECTIONS, pipelining: 1, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
  await autocannon({ ...options, duration: WARMUP });
  const result = await autocannon({ ...options, duration: DURATION });
  return {
    requestsPerSecond: result.requests.average,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

const body = { category: 'infrastructure', description: 'Fuga de agua en el baño del tercer piso', urgency: 'medium', locationCode: 'A-P3' };

const bare = await start(path.join(root, 'bench/http/bare-server.mjs'), [], {});
const baseline = await load(`http://127.0.0.1:${bare.port}/echo`, { headers: {}, body });
bare.child.kill();

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alertautec-bench-'));
const app = await start(path.join(root, 'bench/http/app-server.mjs'), [], { DATA_DIR: dataDir });
const login = await fetch(`http://127.0.0.1:${app.port}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'estudiante@utec.example', password: 'demo-estudiante-2026' }),
}).then((r) => r.json());
const incidents = await load(`http://127.0.0.1:${app.port}/api/incidents`, { headers: { authorization: `Bearer ${login.accessToken}` }, body });
app.child.kill();
fs.rmSync(dataDir, { recursive: true, force: true });

const result = {
  benchmark: 'http-incident-create',
  at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  settings: { connections: CONNECTIONS, durationSeconds: DURATION, warmupSeconds: WARMUP, store: 'sqlite' },
  baseline: { name: 'bare Fastify JSON POST', ...baseline },
  incidents: { name: 'POST /api/incidents (ES256 auth, SQLite transaction, event log)', ...incidents },
  ratio: Number((incidents.requestsPerSecond / baseline.requestsPerSecond).toFixed(3)),
  targets: { incidentsPerSecond: 10_000, ratio: 0.15 },
};
result.meetsTargets = result.incidents.requestsPerSecond >= result.targets.incidentsPerSecond && result.ratio >= result.targets.ratio && incidents.non2xx === 0;
fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
const file = path.join(root, 'bench/results', `http-${result.at.replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result, null, 2));
console.log(`written ${path.relative(root, file)}`);
