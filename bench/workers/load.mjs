// Incident creation under load, as bench/http drives it (autocannon, 32 connections, POST
// /api/incidents on embedded SQLite), against the built server with or without the workers
// role. With workers the server also runs a counting log consumer (app-server.mjs); its lag
// is sampled every 100 ms during the measured window (the same messages go to a server
// without workers, which answers null, so both sides do the same work for the harness).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { ask, exited, forkReady, percentile, round } from './stats.mjs';

/** CPU time (ns) of every thread of a process so far, from /proc/<pid>/task/<tid>/schedstat. */
function cpuNs(pid) {
  let total = 0;
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return total;
}

const body = { category: 'infrastructure', description: 'Fuga de agua en el baño del tercer piso', urgency: 'medium', locationCode: 'A-P3' };

export async function loadRun({ root, roles, connections, duration, warmup, sampleMs = 100, consumer = roles.includes('workers') }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alertautec-bench-workers-'));
  const env = { DATA_DIR: dataDir, ALERTA_ROLES: roles, BENCH_CONSUMER: consumer ? '1' : '0' };
  const { child, ready } = await forkReady(path.join(root, 'bench/workers/app-server.mjs'), { cwd: root, env });
  try {
    const base = `http://127.0.0.1:${ready.port}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'estudiante@utec.example', password: 'demo-estudiante-2026' }),
    }).then((r) => r.json());
    const options = {
      url: `${base}/api/incidents`,
      method: 'POST',
      connections,
      pipelining: 1,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${login.accessToken}` },
      body: JSON.stringify(body),
    };
    await autocannon({ ...options, duration: warmup });
    await ask(child, 'reset');

    const lags = [];
    const onLag = (message) => message.type === 'lag' && message.lag !== null && lags.push(message.lag);
    child.on('message', onLag);
    const sampler = setInterval(() => child.send({ type: 'lag' }), sampleMs);
    const cpuBefore = cpuNs(child.pid);
    const result = await autocannon({ ...options, duration });
    const serverCpuMs = (cpuNs(child.pid) - cpuBefore) / 1e6;
    clearInterval(sampler);
    const endedAt = Date.now();

    // How long the consumer takes to catch up once the load stops.
    let catchUpMs = null;
    if (consumer) {
      for (;;) {
        const { lag } = await ask(child, 'lag');
        if (lag === 0) break;
        if (Date.now() - endedAt > 30_000) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      catchUpMs = Date.now() - endedAt;
    }
    child.off('message', onLag);
    const stats = await ask(child, 'stats');
    return {
      roles,
      requestsPerSecond: result.requests.average,
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      total: result.requests.total,
      // CPU the server process spent per request, all threads: unlike req/s it hardly moves
      // with what else the shared machine is running.
      serverCpuPerRequestMs: Number((serverCpuMs / result.requests.total).toFixed(4)),
      serverCpuCores: Number((serverCpuMs / 1000 / duration).toFixed(2)),
      non2xx: result.non2xx,
      errors: result.errors,
      ...(stats.consumer && {
        consumer: {
          eventsHandled: stats.handled,
          lagSamples: lags.length,
          lagEvents: { p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags.length ? Math.max(...lags) : null },
          commitToConsumeMs: {
            p50: percentile(stats.delays, 50),
            p99: percentile(stats.delays, 99),
            max: stats.delays.length ? Math.max(...stats.delays) : null,
            mean: stats.delays.length ? round(stats.delays.reduce((a, b) => a + b, 0) / stats.delays.length) : null,
          },
          catchUpAfterLoadMs: catchUpMs,
        },
      }),
    };
  } finally {
    child.kill('SIGINT');
    await exited(child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
