// Child process: one global report over the seeded database, one way, timed, with the peak
// resident set size it took (VmHWM reset after opening the system and a GC).
//   node measure.mjs real      the product's path: POST /api/reports' service call, then the
//                              report.generate job run by a runtime that knows only it (as the
//                              CLI's `report global` does): SQL aggregations, JSON and streamed
//                              CSV into the blob store (files under DATA_DIR/blobs).
//   node measure.mjs baseline  the original design's DAG task `generar_reporte_global`: read
//                              every incident row into memory (one SELECT of the tenant's
//                              rows, as a table scan returns a list) and count in JavaScript;
//                              here it counts everything the product's report holds (same
//                              sections, so both do the same work for the reader), then writes
//                              the JSON and a CSV beside it.
import fs from 'node:fs';
import path from 'node:path';
import { onDemandRuntime } from '@alertautec/server';
import { openBenchSystem, resetPeakRss, rss } from './system.mjs';

const variant = process.argv[2];
const system = await openBenchSystem();
const tenantId = system.boot.tenantId;
const timeZone = system.config.timeZone;
const actor = { kind: 'operator', tenantId };
const OPEN = new Set(['pending', 'in_progress', 'escalated']);
const QUARTER_HOUR = 15 * 60_000;
const phases = {};

async function real() {
  const created = await system.services.reports.create(actor, { kind: 'global' });
  phases.created = performance.now();
  const runtime = onDemandRuntime(system, system.services.reports.jobs.filter((job) => job.kind === 'report.generate'));
  // One round claims and starts the job; stop() waits for it to finish.
  await runtime.tick();
  phases.ticked = performance.now();
  await runtime.stop();
  phases.stopped = performance.now();
  const report = await system.services.reports.get(actor, created.id);
  if (report.status !== 'succeeded') throw new Error(`report ${created.id} ${report.status}: ${report.error ?? ''}`);
  return { id: created.id, key: report.key };
}

/** The campus day (YYYY-MM-DD) of an instant, computed once per quarter hour. */
const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
const dayCache = new Map();
function campusDayOf(ms) {
  const q = Math.floor(ms / QUARTER_HOUR);
  let day = dayCache.get(q);
  if (day === undefined) dayCache.set(q, (day = dayFormat.format(new Date(q * QUARTER_HOUR))));
  return day;
}

async function baseline() {
  const now = system.clock.now();
  // The whole table, in memory.
  const rows = await system.store.db.selectFrom('incidents').selectAll().where('tenant_id', '=', tenantId).execute();
  const byStatus = {};
  const byCategory = {};
  const byUrgency = {};
  const byDepartment = {};
  const backlog = { under1h: 0, from1hTo24h: 0, from1dTo7d: 0, from7dTo30d: 0, over30d: 0 };
  const daily = new Map();
  let open = 0;
  let breaches = 0;
  let ackSum = 0;
  let ackCount = 0;
  let resolveSum = 0;
  let resolveCount = 0;
  const dayOf = (date) => {
    let entry = daily.get(date);
    if (!entry) daily.set(date, (entry = { created: 0, resolved: 0 }));
    return entry;
  };
  for (const row of rows) {
    byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
    byCategory[row.category] = (byCategory[row.category] ?? 0) + 1;
    byUrgency[row.urgency] = (byUrgency[row.urgency] ?? 0) + 1;
    const department = row.department_id ?? 'unassigned';
    byDepartment[department] = (byDepartment[department] ?? 0) + 1;
    const createdAt = Number(row.created_at);
    const acknowledgedAt = row.acknowledged_at === null ? null : Number(row.acknowledged_at);
    const resolvedAt = row.resolved_at === null ? null : Number(row.resolved_at);
    const slaDueAt = Number(row.sla_due_at);
    if (acknowledgedAt !== null) {
      ackSum += acknowledgedAt - createdAt;
      ackCount++;
    }
    if (resolvedAt !== null) {
      resolveSum += resolvedAt - createdAt;
      resolveCount++;
    }
    if ((acknowledgedAt === null && slaDueAt < now) || (acknowledgedAt !== null && acknowledgedAt > slaDueAt)) breaches++;
    if (OPEN.has(row.status)) {
      open++;
      const age = now - createdAt;
      if (age < 3_600_000) backlog.under1h++;
      else if (age < 86_400_000) backlog.from1hTo24h++;
      else if (age < 7 * 86_400_000) backlog.from1dTo7d++;
      else if (age < 30 * 86_400_000) backlog.from7dTo30d++;
      else backlog.over30d++;
    }
    dayOf(campusDayOf(createdAt)).created++;
    if (resolvedAt !== null) dayOf(campusDayOf(resolvedAt)).resolved++;
  }
  const content = {
    generatedAt: new Date(now).toISOString(),
    totals: { incidents: rows.length, open, slaBreaches: breaches },
    byStatus,
    byCategory,
    byUrgency,
    byDepartment,
    mttaSeconds: ackCount === 0 ? null : Math.round(ackSum / ackCount) / 1000,
    mttrSeconds: resolveCount === 0 ? null : Math.round(resolveSum / resolveCount) / 1000,
    slaBreaches: breaches,
    backlogByAge: backlog,
    daily: [...daily.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, n]) => ({ date, ...n })),
  };
  const dir = path.join(system.config.dataDir, 'blobs', 'reports', 'baseline');
  fs.mkdirSync(dir, { recursive: true });
  const key = path.join(dir, `reporte_${Date.now()}`);
  fs.writeFileSync(`${key}.json`, JSON.stringify(content, null, 2));
  const lines = ['\uFEFFsection,key,value'];
  for (const [section, counts] of [['status', byStatus], ['category', byCategory], ['urgency', byUrgency], ['department', byDepartment], ['backlog', backlog]]) {
    for (const [name, n] of Object.entries(counts)) lines.push(`${section},${name},${n}`);
  }
  for (const day of content.daily) lines.push(`daily-created,${day.date},${day.created}`, `daily-resolved,${day.date},${day.resolved}`);
  fs.writeFileSync(`${key}.csv`, lines.join('\r\n') + '\r\n');
  return { content };
}

/** What both ways must agree on (the parts that do not move with the clock). */
const summary = (content) => ({
  incidents: content.totals.incidents,
  open: content.totals.open,
  byStatus: sorted(content.byStatus),
  byCategory: sorted(content.byCategory),
  byUrgency: sorted(content.byUrgency),
  byDepartment: sorted(content.byDepartment),
  mttaSeconds: content.mttaSeconds,
  mttrSeconds: content.mttrSeconds,
  dailyDays: content.daily.length,
  dailyCreated: content.daily.reduce((sum, day) => sum + day.created, 0),
  dailyResolved: content.daily.reduce((sum, day) => sum + day.resolved, 0),
});
const sorted = (record) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));

globalThis.gc?.();
const before = rss();
resetPeakRss();
const startedAt = performance.now();
const outcome = variant === 'real' ? await real() : variant === 'baseline' ? await baseline() : null;
if (!outcome) throw new Error(`unknown variant ${variant}`);
const ms = performance.now() - startedAt;
const after = rss();
let content = outcome.content;
if (variant === 'real') {
  const stream = (await system.services.reports.content(actor, outcome.id, 'json')).stream;
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  content = JSON.parse(Buffer.concat(chunks).toString('utf8'));
}
await system.close();
process.send({
  type: 'measured',
  result: { variant, ms: Math.round(ms), phasesMs: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v - startedAt)])), rssBeforeMiB: mib(before.now), peakRssMiB: mib(after.peak), rssGrowthMiB: mib(after.peak - before.now), check: summary(content) },
});

function mib(bytes) {
  return Math.round((bytes / 2 ** 20) * 10) / 10;
}
