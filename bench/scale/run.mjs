// bench/scale (issue 13): interactive reads at 1,000,000 incidents, on SQLite and PostgreSQL.
//  1. Seed: a fresh database per store (temp SQLite file / new PostgreSQL schema) opened by the
//     product, then BENCH_INCIDENTS incidents with their events (bench/lib/seed-incidents.mjs,
//     through bench/reports/seed.mjs in its own process); timed.
//  2. Serve: the built API in its own process (ALERTA_ROLES=api) on that database.
//  3. Measure: from this process, one request at a time over a keep-alive connection, at least
//     BENCH_REQUESTS (200) requests per case after 20 unmeasured ones: p50 and p99 of the
//     round trip. Cases as admin, staff (a department's staff) and student (a seeded reporter
//     with a few hundred incidents): the board's first page for each sort, each filter
//     combination the board offers, `q` with a common word, a rare word and a word that
//     matches nothing, GET /api/stats with and without a period, one incident's history, a
//     preview with duplicates, and GET /api/incidents/:id — the floor every case is compared
//     to (ratio = case p99 / floor p99).
// Targets at 1M: every list and search p99 ≤ 50 ms, stats p99 ≤ 100 ms.
// Writes bench/results/scale-<timestamp>.json. Run alone: npm run bench -- scale.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { logHeadLock } from './log-head.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const WARMUP = 20;
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',');
const NOW = Date.now();
const targets = { listP99Ms: 50, statsP99Ms: 100 };
const DEMO_PASSWORD = { admin: 'demo-admin-2026', staff: 'demo-staff-2026', student: 'demo-estudiante-2026' };

const round = (n, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

function fork2(script, env, onMessage) {
  const proc = fork(path.join(root, script), [], {
    cwd: root,
    env: { ...process.env, ...env },
    execArgv: ['--max-old-space-size=8192'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  proc.on('message', onMessage);
  return proc;
}

const seed = (env) =>
  new Promise((resolve, reject) => {
    let result = null;
    const proc = fork2('bench/reports/seed.mjs', { ...env, BENCH_INCIDENTS: String(INCIDENTS), BENCH_NOW: String(NOW) }, (m) => (result = m.result));
    proc.on('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`seed exited ${code}`))));
  });

const serve = (env) =>
  new Promise((resolve, reject) => {
    const proc = fork2('bench/scale/server.mjs', env, (m) => m.type === 'ready' && resolve({ proc, base: `http://127.0.0.1:${m.port}` }));
    proc.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });

async function pgQuery(text, values) {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

function storeEnv(kind, dataDir, schema) {
  return kind === 'postgres' ? { DATA_DIR: dataDir, DATABASE_URL, DATABASE_SCHEMA: schema } : { DATA_DIR: dataDir, DATABASE_URL: '' };
}

async function api(base, method, url, token, body) {
  const response = await fetch(base + url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

const login = async (base, email, password) => (await api(base, 'POST', '/api/auth/login', null, { email, password })).accessToken;

/** p50/p99 of one case: `make(i)` gives the i-th request (method, url, body). */
async function measure(base, token, make) {
  const times = [];
  let items = null;
  for (let i = 0; i < WARMUP + REQUESTS; i++) {
    const { method = 'GET', url, body } = make(i);
    const start = performance.now();
    const answer = await api(base, method, url, token, body);
    const ms = performance.now() - start;
    if (i >= WARMUP) times.push(ms);
    if (i === 0) items = Array.isArray(answer.items) ? answer.items.length : Array.isArray(answer.possibleDuplicates) ? answer.possibleDuplicates.length : null;
  }
  times.sort((a, b) => a - b);
  return { p50: round(percentile(times, 50)), p99: round(percentile(times, 99)), n: times.length, firstPageItems: items };
}

const SORTS = ['newest', 'oldest', 'urgency', 'due', 'updated'];
const OPEN = 'status=pending&status=in_progress&status=escalated';

async function runCases(base, ids) {
  const tokens = {
    admin: await login(base, 'admin@utec.example', DEMO_PASSWORD.admin),
    staff: await login(base, 'mantenimiento@utec.example', DEMO_PASSWORD.staff),
    student: await login(base, ids.studentEmail, DEMO_PASSWORD.student),
  };
  // A rare word: a handful of incidents reported now through the API (the seeded texts are few
  // and every word in them is common).
  for (let i = 0; i < 5; i++) {
    await api(base, 'POST', '/api/incidents', tokens.student, { category: ids.category, description: `Extintor vencido en el pasillo ${i + 1}`, urgency: 'low', locationCode: ids.locationCode });
  }
  const cases = [];
  const add = async (kind, role, name, make) => {
    const result = await measure(base, tokens[role], make);
    cases.push({ kind, role, name, ...result });
    console.log(`  ${kind.padEnd(7)} ${role.padEnd(7)} ${name.padEnd(48)} p50 ${String(result.p50).padStart(7)} ms  p99 ${String(result.p99).padStart(7)} ms  (${result.firstPageItems ?? '-'} items)`);
  };
  const sample = ids.sample;
  await add('floor', 'admin', 'GET /api/incidents/:id', (i) => ({ url: `/api/incidents/${sample[i % sample.length]}` }));
  for (const role of ['admin', 'staff', 'student'])
    for (const sort of SORTS) await add('list', role, `board first page sort=${sort}`, () => ({ url: `/api/incidents?limit=50&sort=${sort}` }));
  const filters = [
    ['status=pending', 'status=pending'],
    ['open', OPEN],
    ['status=resolved', 'status=resolved'],
    ['urgency=critical', 'urgency=critical'],
    [`category=${ids.category}`, `category=${ids.category}`],
    ['departmentId', `departmentId=${ids.departmentId}`],
    ['open + urgency=critical', `${OPEN}&urgency=critical`],
    [`open + category=${ids.category}`, `${OPEN}&category=${ids.category}`],
    ['open + departmentId', `${OPEN}&departmentId=${ids.departmentId}`],
    ['open + urgency=high + category', `${OPEN}&urgency=high&category=${ids.category}`],
    ['status=rejected + urgency=low', 'status=rejected&urgency=low'],
    ['open + urgency=critical sort=due', `${OPEN}&urgency=critical&sort=due`],
    ['open + departmentId sort=urgency', `${OPEN}&departmentId=${ids.departmentId}&sort=urgency`],
  ];
  for (const role of ['admin', 'staff'])
    for (const [name, query] of filters) {
      if (role === 'staff' && name.includes('departmentId')) continue;
      await add('filter', role, name, () => ({ url: `/api/incidents?limit=50&${query}` }));
    }
  await add('filter', 'student', 'mine=true open', () => ({ url: `/api/incidents?limit=50&mine=true&${OPEN}` }));
  const words = { common: 'agua', rare: ids.rareWord, none: 'zqxjvw' };
  for (const role of ['admin', 'staff', 'student'])
    for (const [which, word] of Object.entries(words)) await add('search', role, `q (${which}: "${word}")`, () => ({ url: `/api/incidents?limit=50&q=${encodeURIComponent(word)}` }));
  await add('search', 'admin', 'q two words + open', () => ({ url: `/api/incidents?limit=50&q=${encodeURIComponent('fuga agua')}&${OPEN}` }));
  const from = new Date(NOW - 30 * 86_400_000).toISOString();
  const to = new Date(NOW).toISOString();
  for (const role of ['admin', 'staff', 'student']) {
    await add('stats', role, 'GET /api/stats', () => ({ url: '/api/stats' }));
    await add('stats', role, 'GET /api/stats?from&to (30 days)', () => ({ url: `/api/stats?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}` }));
  }
  await add('detail', 'admin', 'GET /api/incidents/:id/events', (i) => ({ url: `/api/incidents/${sample[i % sample.length]}/events` }));
  await add('detail', 'student', 'POST /api/incidents/preview', () => ({
    method: 'POST',
    url: '/api/incidents/preview',
    body: { category: ids.category, description: 'Hay una fuga de agua en el baño', urgency: 'medium', locationCode: ids.locationCode },
  }));
  const floor = cases[0].p99;
  for (const c of cases) {
    c.ratioToFloorP99 = round(c.p99 / floor, 1);
    c.meetsTarget = c.kind === 'stats' ? c.p99 <= targets.statsP99Ms : c.kind === 'list' || c.kind === 'filter' || c.kind === 'search' ? c.p99 <= targets.listP99Ms : null;
  }
  return cases;
}

/** Ids the cases need, read from the seeded database. */
async function pickIds(kind, dataDir, schema) {
  const q = async (text) => {
    if (kind === 'postgres') return pgQuery(text.replaceAll('{s}', `"${schema}".`));
    const SQLite = (await import('better-sqlite3')).default;
    const db = new SQLite(path.join(dataDir, 'alertautec.db'), { readonly: true });
    try {
      return db.prepare(text.replaceAll('{s}', '')).all();
    } finally {
      db.close();
    }
  };
  const sample = (await q(`select id from {s}incidents order by id desc limit 2000`)).map((r) => r.id).filter((_, i) => i % 10 === 0);
  const department = (await q(`select d.id from {s}departments d join {s}users u on u.department_id = d.id where u.email = 'mantenimiento@utec.example'`))[0];
  const category = (await q(`select code from {s}categories where department_id = '${department.id}' limit 1`))[0];
  const location = (await q(`select location_code from {s}incidents where location_code is not null order by id desc limit 1`))[0];
  const student = (await q(`select u.email, count(*) as n from {s}incidents i join {s}users u on u.id = i.reporter_id where u.email like 'seed-reporter-%' group by u.email order by n desc limit 1`))[0];
  return { sample, departmentId: department.id, category: category.code, locationCode: location.location_code, studentEmail: student.email, studentIncidents: Number(student.n), rareWord: 'extintor' };
}

const loadBefore = os.loadavg().map((n) => round(n));
const startedAt = Date.now();
const stores = {};
// Seeding a million incidents takes minutes per store: the stores are seeded side by side,
// then measured one after the other (nothing else of the bench runs while one is measured).
const prepared = STORES.map((kind) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `alerta-bench-scale-${kind}-`));
  const schema = `bench_scale_${process.pid}_${kind}`;
  return { kind, dataDir, schema, env: storeEnv(kind, dataDir, schema) };
});
try {
  console.log(`seeding ${INCIDENTS.toLocaleString('en')} incidents into ${STORES.join(' and ')}`);
  const seeds = await Promise.all(prepared.map(({ env }) => seed(env)));
  for (const [i, { kind, dataDir, schema, env }] of prepared.entries()) {
    const seeded = seeds[i];
    console.log(`${kind}: seeded ${seeded.incidents} incidents, ${seeded.events} events in ${round(seeded.seconds, 1)} s`);
    const ids = await pickIds(kind, dataDir, schema);
    const server = await serve(env);
    try {
      const cases = await runCases(server.base, ids);
      stores[kind] = {
        seed: { incidents: seeded.incidents, events: seeded.events, seconds: round(seeded.seconds, 1), incidentsPerSecond: Math.round(seeded.incidents / seeded.seconds), seededSideBySide: STORES.length > 1 },
        student: { incidents: ids.studentIncidents },
        floorP99Ms: cases[0].p99,
        worst: {
          listP99Ms: Math.max(...cases.filter((c) => ['list', 'filter', 'search'].includes(c.kind)).map((c) => c.p99)),
          statsP99Ms: Math.max(...cases.filter((c) => c.kind === 'stats').map((c) => c.p99)),
        },
        cases,
      };
      stores[kind].meetsTargets = stores[kind].worst.listP99Ms <= targets.listP99Ms && stores[kind].worst.statsP99Ms <= targets.statsP99Ms;
      console.log(`${kind}: worst list/search p99 ${stores[kind].worst.listP99Ms} ms, worst stats p99 ${stores[kind].worst.statsP99Ms} ms, floor p99 ${cases[0].p99} ms`);
    } finally {
      server.proc.removeAllListeners('exit');
      server.proc.kill('SIGINT');
      await new Promise((resolve) => server.proc.once('exit', resolve));
    }
  }
} finally {
  for (const { kind, dataDir, schema } of prepared) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (kind === 'postgres') await pgQuery(`drop schema if exists "${schema}" cascade`);
  }
}

let logHead = null;
if (STORES.includes('postgres')) {
  console.log('postgres: the per-tenant log-head lock with 32 concurrent writers');
  logHead = await logHeadLock();
}

const result = {
  benchmark: 'scale',
  at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  settings: {
    incidents: INCIDENTS,
    requestsPerCase: REQUESTS,
    warmupPerCase: WARMUP,
    targets,
    notes: [
      'One request at a time over keep-alive from the bench process to the built API (ALERTA_ROLES=api) in its own process; p50/p99 of the round trip after 20 unmeasured requests per case.',
      'Roles: admin (the whole tenant), staff (mantenimiento@utec.example, one department), student (the seeded reporter with the most incidents). Lists ask limit=50.',
      'floor = GET /api/incidents/:id as admin (one row by primary key); ratioToFloorP99 = case p99 / floor p99.',
      'logHeadLock (PostgreSQL): bench/scale/log-head.mjs — 32 writers, transactions shaped like a creation’s log work, with the per-tenant head row (one tenant, and spread over 8) against a sequence-numbered log with no head row; writes per second, median of 3 interleaved rounds.',
      'The machine is shared and has two cores: read the ratios.',
    ],
  },
  loadAverage: { before: loadBefore, after: os.loadavg().map((n) => round(n)) },
  elapsedSeconds: Math.round((Date.now() - startedAt) / 1000),
  stores,
  logHeadLock: logHead,
};
const file = path.join(root, 'bench/results', `scale-${result.at.replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
console.log(`wrote ${path.relative(root, file)}`);
