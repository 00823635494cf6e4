// Query plans of every incident list (each board filter combination × each order × each
// role's scope, first page and a page after a cursor) and of the other per-incident reads
// (history, attachments, preview's duplicates, realtime resume near the retention limit) on a
// seeded table, through the repositories' own queries: SQLite `EXPLAIN QUERY PLAN`,
// PostgreSQL `EXPLAIN`. A plan fails when it scans the incidents or events table or sorts it.
//
//   node --conditions=source --import tsx bench/list-plans/explain.mjs            # SQLite
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test DATABASE_SCHEMA=plans_bench \
//     node --conditions=source --import tsx bench/list-plans/explain.mjs          # PostgreSQL
// BENCH_INCIDENTS (default 100,000). Writes bench/results/list-plans-<dialect>-<time>.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OPEN_STATUSES, INCIDENT_SORTS, DUPLICATE_WINDOW_MS, sortKey } from '@alertautec/core';
import { CompiledQuery } from 'kysely';
import { seedIncidents } from '../lib/seed-incidents.mjs';
import { openBenchSystem } from '../reports/system.mjs';
import { incidentsRepository } from '../../packages/server/src/incidents/repository.ts';
import { attachmentsRepository } from '../../packages/server/src/incidents/attachments-repository.ts';
import { eventLog } from '../../packages/server/src/events/log.ts';

const incidents = Number(process.env.BENCH_INCIDENTS ?? 100_000);
if (!process.env.DATABASE_URL) process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'alertautec-plans-'));
const system = await openBenchSystem();
const { store } = system;
const { db, dialect } = store;
const tenantId = system.boot?.tenantId ?? 'default';

const seededAt = performance.now();
const seeded = await seedIncidents({ store, tenantId, incidents, now: Date.parse('2026-11-30T12:00:00Z') });
console.log(`${dialect}: seeded ${incidents} incidents in ${((performance.now() - seededAt) / 1000).toFixed(1)} s`);

/** Runs `read` against a handle that records the statements it sends; returns them compiled. */
async function statementsOf(read) {
  const seen = [];
  const plugin = { transformQuery: (args) => (seen.push(args), args.node), transformResult: async (args) => args.result };
  const result = await read(db.withPlugin(plugin));
  // A prepared statement (store/prepared.ts) is compiled once with marker values: explain it with the real ones below.
  const statements = seen.map((args) => db.getExecutor().compileQuery(args.node, args.queryId));
  return { result, statements: statements.filter((compiled) => !compiled.parameters.some((value) => typeof value === 'string' && value.includes('\u0000'))) };
}

async function planOf(compiled) {
  if (dialect === 'sqlite') {
    const { rows } = await db.executeQuery(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]));
    return rows.map((row) => row.detail);
  }
  const { rows } = await db.executeQuery(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]));
  return rows.map((row) => row['QUERY PLAN']);
}

/** What is wrong with a plan: a full scan of a big table, or a sort of what an index should have ordered. */
function faultsOf(plan) {
  const faults = [];
  for (const line of plan) {
    if (/^SCAN (incidents|incident_events)\b(?! USING (COVERING )?INDEX)/.test(line)) faults.push(`full scan: ${line}`);
    if (/Seq Scan on (incidents|incident_events)\b/.test(line)) faults.push(`full scan: ${line.trim()}`);
    if (/USE TEMP B-TREE FOR (ORDER BY|RIGHT PART OF ORDER BY)/.test(line) || /^\s*(->\s*)?(Incremental )?Sort\b/.test(line)) faults.push(`sort: ${line.trim()}`);
  }
  return faults;
}

async function timed(read, runs = 3) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await read(db);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return Number(times[Math.floor(runs / 2)].toFixed(2));
}

// The seeded tenant's shapes: a busy department, a category of it, a reporter with reports.
const busiest = await db.selectFrom('incidents').select(['department_id', 'category', 'reporter_id']).where('tenant_id', '=', tenantId).limit(1).executeTakeFirstOrThrow();
const departmentId = busiest.department_id;
const category = busiest.category;
const reporterId = busiest.reporter_id;

const STATUS = { any: undefined, open: [...OPEN_STATUSES], pending: ['pending'], escalated: ['escalated'], resolved: ['resolved'], rejected: ['rejected'], done: ['resolved', 'closed', 'rejected'] };
const URGENCY = { any: undefined, critical: ['critical'], lowOrMedium: ['low', 'medium'] };
const SCOPES = {
  admin: { kind: 'tenant', tenantId },
  staff: { kind: 'department', tenantId, departmentId },
  student: { kind: 'reporter', tenantId, reporterId },
};

const results = [];
async function check(name, read, { sorted = true, small = false } = {}) {
  const { result, statements } = await statementsOf(read);
  for (const compiled of statements) {
    const plan = await planOf(compiled);
    // A reporter's own incidents are few: sorting them is bounded by one student's reports, not the table.
    const faults = faultsOf(plan).filter((fault) => !(small && fault.startsWith('sort:')) && (sorted || !fault.startsWith('sort:')));
    results.push({ name, plan, faults, ms: await timed(read) });
  }
  return result;
}

for (const [scopeName, scope] of Object.entries(SCOPES)) {
  for (const sort of INCIDENT_SORTS) {
    for (const [statusName, status] of Object.entries(STATUS)) {
      for (const [urgencyName, urgency] of Object.entries(URGENCY)) {
        for (const withCategory of [false, true]) {
          for (const withDepartment of scope.kind === 'tenant' ? [false, true] : [false]) {
            for (const mine of scope.kind === 'tenant' ? [false, true] : [false]) {
              if (mine && (withDepartment || withCategory)) continue;
              const filter = {
                limit: 50,
                sort,
                status,
                urgency,
                ...(withCategory ? { category } : {}),
                ...(withDepartment ? { departmentId } : {}),
                ...(mine ? { reporterId } : {}),
              };
              const name = `${scopeName} sort=${sort} status=${statusName} urgency=${urgencyName}${withCategory ? ' category' : ''}${withDepartment ? ' department' : ''}${mine ? ' mine' : ''}`;
              const small = scope.kind === 'reporter' || mine;
              const rows = await check(`${name} page 1`, (handle) => incidentsRepository.list(handle, scope, filter), { small });
              const last = rows.at(Math.min(rows.length, 50) - 1);
              if (last) await check(`${name} page 2`, (handle) => incidentsRepository.list(handle, scope, { ...filter, after: sortKey(sort, last) }), { small });
            }
          }
        }
      }
    }
  }
}

// Item 4: the other reads.
const sample = await db.selectFrom('incidents').select(['id', 'category']).where('tenant_id', '=', tenantId).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
await check('history (events of one incident)', (handle) => eventLog.forIncident(handle, tenantId, sample.id));
await check('attachments of one incident (count)', (handle) => attachmentsRepository.countFor(handle, tenantId, sample.id));
await check('one attachment', (handle) => attachmentsRepository.find(handle, tenantId, sample.id, 'missing'));
await check('preview: open incidents of a category in the duplicate window', (handle) =>
  incidentsRepository.openOfCategorySince(handle, tenantId, sample.category, Date.parse('2026-11-30T12:00:00Z') - DUPLICATE_WINDOW_MS),
);
const head = await eventLog.head(db, tenantId);
const retention = system.config.realtimeRetention.maxEvents;
const since = Math.max(0, head - retention + 1);
// eventLog.readAfter is a prepared statement: the same query, built here to be explained.
await check('realtime resume: events after since (near the retention limit)', (handle) =>
  handle.selectFrom('incident_events').selectAll().where('tenant_id', '=', tenantId).where('seq', '>', since).orderBy('seq').limit(500).execute(),
);
const batch = await eventLog.readAfter(db, tenantId, since, 500);
await check('realtime resume: the incidents of a replayed batch', (handle) => incidentsRepository.findMany(handle, tenantId, [...new Set(batch.map((logged) => logged.incidentId))]));
await check('department exists (departments/:id/incidents)', (handle) => handle.selectFrom('departments').selectAll().where('tenant_id', '=', tenantId).where('id', '=', departmentId).execute());

const failing = results.filter((entry) => entry.faults.length > 0);
const times = results.map((entry) => entry.ms).sort((a, b) => a - b);
const summary = {
  dialect,
  incidents,
  seedSeconds: seeded.seconds ?? null,
  statements: results.length,
  failing: failing.length,
  msP50: times[Math.floor(times.length / 2)],
  msP99: times[Math.floor(times.length * 0.99)],
  msMax: times.at(-1),
  slowest: [...results].sort((a, b) => b.ms - a.ms).slice(0, 8).map((entry) => ({ name: entry.name, ms: entry.ms, plan: entry.plan })),
};
console.log(JSON.stringify(summary, null, 2));
for (const entry of failing.slice(0, 40)) console.log(`FAIL ${entry.name}\n  ${entry.faults.join('\n  ')}`);
const out = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'results', `list-plans-${dialect}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
fs.writeFileSync(out, JSON.stringify({ summary, results }, null, 1));
console.log(`wrote ${out}`);
await system.close();
if (dialect === 'postgres' && process.env.DATABASE_SCHEMA) {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query(`drop schema if exists ${process.env.DATABASE_SCHEMA} cascade`);
  await client.end();
}
