// bench/reports: the global report (issue 12) over 1,000,000 seeded incidents, on SQLite and on
// PostgreSQL, against the original design's approach, in the same run.
//  1. Seed: a fresh database per store (a temp SQLite file, or a new PostgreSQL schema dropped
//     afterwards), opened by the product (migrations, bootstrap), then BENCH_INCIDENTS incidents
//     and their events by bench/lib/seed-incidents.mjs (seed.mjs, its own process); timed. The
//     stores are seeded at the same time (each in its process), then measured one by one.
//  2. Measure: each report in its own process (measure.mjs), so each starts from the same
//     memory: `real` is the product's path (the report.generate job: SQL aggregations, JSON and
//     streamed CSV into the blob store), `baseline` reads every incident row into memory and
//     counts in JavaScript (the Airflow task `generar_reporte_global`). One unmeasured warm-up
//     of each (the OS page cache), then BENCH_RUNS rounds, the order alternating per round;
//     medians. RSS growth: the child's peak resident set (VmHWM, reset after opening the
//     system and a GC) minus its resident set then. Both ways' numbers are checked equal.
// Writes bench/results/reports-<timestamp>.json. Run alone: npm run bench -- reports.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const here = path.join(root, 'bench/reports');
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',');
const NOW = Date.now();
const targets = { realMs: 3000, speedup: 5, rssGrowthMiB: 50 };

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (n, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function child(script, args, env) {
  return new Promise((resolve, reject) => {
    const proc = fork(path.join(here, script), args, {
      cwd: root,
      env: { ...process.env, ...env },
      execArgv: ['--expose-gc', '--max-old-space-size=8192'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result = null;
    proc.on('message', (message) => (result = message.result));
    proc.on('error', reject);
    proc.on('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`${script} ${args.join(' ')} exited ${code}`))));
  });
}

function storeEnv(kind, dataDir, schema) {
  return kind === 'postgres' ? { DATA_DIR: dataDir, DATABASE_URL, DATABASE_SCHEMA: schema } : { DATA_DIR: dataDir, DATABASE_URL: '' };
}

async function databaseBytes(kind, dataDir, schema) {
  if (kind === 'sqlite') return fs.statSync(path.join(dataDir, 'alertautec.db')).size;
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query(
      `select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r'`,
      [schema],
    );
    return Number(rows[0].bytes);
  } finally {
    await client.end();
  }
}

async function dropSchema(schema) {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

const loadBefore = os.loadavg().map((n) => round(n));
const startedAt = Date.now();
const stores = {};
const databases = STORES.map((kind) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `alerta-bench-reports-${kind}-`));
  const schema = `bench_reports_${process.pid}_${Date.now()}`;
  return { kind, dataDir, schema, env: storeEnv(kind, dataDir, schema) };
});
try {
  // Both stores seeded at once (independent processes and databases); measured one after the other.
  const seeds = await Promise.all(
    databases.map(async ({ kind, env }) => {
      console.log(`${kind}: seeding ${INCIDENTS.toLocaleString('en')} incidents`);
      const seed = await child('seed.mjs', [], { ...env, BENCH_INCIDENTS: String(INCIDENTS), BENCH_NOW: String(NOW), BENCH_LABEL: kind });
      console.log(`${kind}: seeded ${seed.incidents} incidents, ${seed.events} events in ${round(seed.seconds, 1)} s`);
      return seed;
    }),
  );
  for (const [i, { kind, dataDir, schema, env }] of databases.entries()) {
    const seed = seeds[i];
    const bytes = await databaseBytes(kind, dataDir, schema);
    const runs = { real: [], baseline: [] };
    const warmUp = {};
    for (const variant of ['real', 'baseline']) warmUp[variant] = await child('measure.mjs', [variant], env);
    console.log(`${kind}: warm-up real ${warmUp.real.ms} ms, baseline ${warmUp.baseline.ms} ms`);
    for (let run = 1; run <= RUNS; run++) {
      for (const variant of run % 2 ? ['real', 'baseline'] : ['baseline', 'real']) {
        const result = await child('measure.mjs', [variant], env);
        runs[variant].push(result);
        console.log(`${kind} run ${run} ${variant}: ${result.ms} ms, RSS +${result.rssGrowthMiB} MiB (peak ${result.peakRssMiB} MiB)`);
      }
    }
    // Both ways report the same numbers.
    const agree = [...runs.real, ...runs.baseline, warmUp.real, warmUp.baseline].every((r) => isDeepStrictEqual(r.check, runs.real[0].check));
    if (!agree) {
      console.error(JSON.stringify({ real: runs.real[0].check, baseline: runs.baseline[0].check }, null, 2));
      throw new Error(`${kind}: the real report and the baseline disagree`);
    }
    const summary = (list) => ({
      ms: median(list.map((r) => r.ms)),
      rssGrowthMiB: median(list.map((r) => r.rssGrowthMiB)),
      peakRssMiB: median(list.map((r) => r.peakRssMiB)),
      runsMs: list.map((r) => r.ms),
      runsRssGrowthMiB: list.map((r) => r.rssGrowthMiB),
      ...(list[0].phasesMs && Object.keys(list[0].phasesMs).length > 0 ? { phasesMs: list.map((r) => r.phasesMs) } : {}),
    });
    const real = summary(runs.real);
    const baseline = summary(runs.baseline);
    const speedups = runs.real.map((r, i) => round(runs.baseline[i].ms / r.ms, 2));
    stores[kind] = {
      seed: { ...seed, seconds: round(seed.seconds, 1), writeSeconds: round(seed.writeSeconds, 1), statsSeconds: seed.statsSeconds === null ? null : round(seed.statsSeconds, 1), openSeconds: round(seed.openSeconds, 1), incidentsPerSecond: Math.round(seed.incidents / seed.seconds), databaseMiB: round(bytes / 2 ** 20, 0) },
      real,
      baseline,
      speedup: round(baseline.ms / real.ms, 2),
      speedupsPerRound: speedups,
      warmUp: { realMs: warmUp.real.ms, baselineMs: warmUp.baseline.ms },
      loadAverageAfter: os.loadavg().map((n) => round(n)),
      content: runs.real[0].check,
    };
    stores[kind].meetsTargets = real.ms < targets.realMs && stores[kind].speedup >= targets.speedup && real.rssGrowthMiB < targets.rssGrowthMiB;
    console.log(`${kind}: real ${real.ms} ms (RSS +${real.rssGrowthMiB} MiB), baseline ${baseline.ms} ms (RSS +${baseline.rssGrowthMiB} MiB), ${stores[kind].speedup}× faster`);
  }
} finally {
  for (const { kind, dataDir, schema } of databases) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (kind === 'postgres') await dropSchema(schema);
  }
}

const result = {
  benchmark: 'reports',
  at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  settings: {
    incidents: INCIDENTS,
    runs: RUNS,
    stores: STORES,
    notes: [
      'Seeding (bench/lib/seed-incidents.mjs): the product opens a fresh database (migrations, default tenant, catalog, demo accounts), then 2,000 reporter accounts and the incidents over two years ending now, with their event log, are bulk-inserted (SQLite: multi-row INSERTs on a second connection, synchronous=OFF on it; PostgreSQL: INSERT … SELECT FROM unnest, then ANALYZE). seconds includes generating the rows.',
      'real: the product path in a fresh process on the seeded database: reports.create (as POST /api/reports and the CLI do), then the report.generate job run by a runtime that knows only report jobs; the clock runs from create to the job done (row succeeded, JSON and CSV in the filesystem blob store under DATA_DIR).',
      'baseline: the original design’s generar_reporte_global in a fresh process: one SELECT of every incident row of the tenant into an array, counts in JavaScript of the same sections the product report has (status, category, urgency, department, open, MTTA, MTTR, SLA breaches, backlog by age, daily series), JSON and CSV written to files. Days are computed once per quarter hour, as the product does, so the baseline is not slowed by date formatting.',
      'RSS growth: peak resident set (VmHWM, reset through /proc/self/clear_refs after opening the system and a forced GC) minus the resident set at that moment, of the Node process only (PostgreSQL’s own memory is the server’s).',
      'Each real and baseline run is checked to give the same numbers (counts, open, MTTA, MTTR, daily totals).',
      'The machine is shared with other work (see loadAverage); the speedup of each round is printed beside the medians.',
    ],
  },
  loadAverage: { before: loadBefore, after: os.loadavg().map((n) => round(n)) },
  elapsedSeconds: Math.round((Date.now() - startedAt) / 1000),
  stores,
  targets,
};
result.meetsTargets = Object.values(stores).every((store) => store.meetsTargets);
fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
const file = path.join(root, 'bench/results', `reports-${result.at.replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(Object.fromEntries(Object.entries(stores).map(([kind, s]) => [kind, { seedSeconds: s.seed.seconds, realMs: s.real.ms, baselineMs: s.baseline.ms, speedup: s.speedup, realRssGrowthMiB: s.real.rssGrowthMiB, baselineRssGrowthMiB: s.baseline.rssGrowthMiB }])), null, 2));
console.log(`written ${path.relative(root, file)}`);
