import { OPEN_STATUSES, toIso, type IncidentScope } from '@alertautec/core';
import { incidentStats } from '../incidents/stats.js';
import type { Db } from '../store/executor.js';
import { campusDay, campusDaysBetween } from './campus-time.js';
import type { CsvCell } from './csv.js';
import { reportAggregates, type ReportScope } from './repository.js';

/**
 * A report's content: aggregates only (no per-incident rows), so nothing about any reporter
 * appears and every reader of the report may see all of it. See docs/reports.md.
 */
export interface ReportContent {
  id: string;
  kind: string;
  tenantId: string;
  departmentId: string | null;
  generatedAt: string;
  timeZone: string;
  /** Incidents created in [from, to); null: open-ended. */
  period: { from: string | null; to: string | null };
  totals: { incidents: number; open: number; slaBreaches: number };
  byStatus: Record<string, number>;
  byCategory: Record<string, number>;
  byUrgency: Record<string, number>;
  byDepartment: Record<string, number>;
  mttaSeconds: number | null;
  mttrSeconds: number | null;
  slaBreaches: number;
  backlogByAge: Record<string, number>;
  /** Per campus day of the period: incidents created that day, and of those, resolved that day. */
  daily: { date: string; created: number; resolved: number }[];
  names: { categories: Record<string, string>; departments: Record<string, string> };
}

export interface ComputeInput {
  id: string;
  kind: string;
  scope: ReportScope;
  now: number;
  timeZone: string;
  /** Called after each query, for the job's progress. */
  step?: (done: number, total: number) => Promise<void>;
}

export const CONTENT_STEPS = 3;

/** Keys in order, so the JSON and the CSV list them the same way every time. */
const byKey = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const sum = (counts: Record<string, number>, keys?: readonly string[]) =>
  (keys ?? Object.keys(counts)).reduce((total, key) => total + (counts[key] ?? 0), 0);

export async function computeReport(db: Db, input: ComputeInput): Promise<ReportContent> {
  const { scope, now, timeZone } = input;
  const step = input.step ?? (async () => undefined);
  const period = { from: scope.from ?? null, to: scope.to ?? null };
  // Counts, MTTA, MTTR and SLA breaches: the statistics counters every incident write keeps.
  const incidentScope: IncidentScope = scope.departmentId
    ? { kind: 'department', tenantId: scope.tenantId, departmentId: scope.departmentId }
    : { kind: 'tenant', tenantId: scope.tenantId };
  const stats = await incidentStats(db, incidentScope, period, now);
  const incidents = sum(stats.byStatus);
  const open = sum(stats.byStatus, OPEN_STATUSES);
  await step(1, CONTENT_STEPS);
  const recent = await reportAggregates.recentOpenByAge(db, scope, now);
  const backlogByAge = { ...recent, over30d: open - sum(recent) };
  await step(2, CONTENT_STEPS);

  // Every day of the period, empty ones included, from its start (or the first incident) to
  // its end (or now); and after its end, the days on which its incidents were resolved.
  let daily: ReportContent['daily'] = [];
  const firstAt = scope.from ?? (await reportAggregates.firstCreatedAt(db, scope));
  if (firstAt !== null) {
    const last = campusDay(Math.max(firstAt, (scope.to ?? now) - 1), timeZone);
    const days = campusDaysBetween(firstAt, Math.max(firstAt, scope.to ?? now, now) - 1, timeZone);
    const counts = await reportAggregates.dailyCounts(db, scope, days);
    daily = days
      .map(({ date }) => ({ date, ...(counts.get(date) ?? { created: 0, resolved: 0 }) }))
      .filter((day) => day.date <= last || day.created > 0 || day.resolved > 0);
  }
  await step(3, CONTENT_STEPS);
  const names = await reportAggregates.names(db, scope.tenantId);

  return {
    id: input.id,
    kind: input.kind,
    tenantId: scope.tenantId,
    departmentId: scope.departmentId ?? null,
    generatedAt: toIso(now),
    timeZone,
    period: { from: scope.from == null ? null : toIso(scope.from), to: scope.to == null ? null : toIso(scope.to) },
    totals: { incidents, open, slaBreaches: stats.slaBreaches },
    byStatus: byKey(stats.byStatus),
    byCategory: byKey(stats.byCategory),
    byUrgency: byKey(stats.byUrgency),
    byDepartment: byKey(stats.byDepartment),
    mttaSeconds: stats.mttaSeconds,
    mttrSeconds: stats.mttrSeconds,
    slaBreaches: stats.slaBreaches,
    backlogByAge,
    daily,
    names,
  };
}

/**
 * The same content as CSV records (`section,key,label,value`, one fact per record), so one
 * table holds every section and any spreadsheet can pivot it.
 */
export function* reportCsvRows(content: ReportContent): Generator<CsvCell[]> {
  yield ['section', 'key', 'label', 'value'];
  yield ['report', 'id', null, content.id];
  yield ['report', 'kind', null, content.kind];
  yield ['report', 'department', content.departmentId ? (content.names.departments[content.departmentId] ?? null) : null, content.departmentId];
  yield ['report', 'generatedAt', null, content.generatedAt];
  yield ['report', 'from', null, content.period.from];
  yield ['report', 'to', null, content.period.to];
  yield ['report', 'timeZone', null, content.timeZone];
  yield ['total', 'incidents', null, content.totals.incidents];
  yield ['total', 'open', null, content.totals.open];
  yield ['total', 'slaBreaches', null, content.slaBreaches];
  yield ['total', 'mttaSeconds', null, content.mttaSeconds];
  yield ['total', 'mttrSeconds', null, content.mttrSeconds];
  for (const [key, n] of Object.entries(content.byStatus)) yield ['status', key, null, n];
  for (const [key, n] of Object.entries(content.byCategory)) yield ['category', key, content.names.categories[key] ?? null, n];
  for (const [key, n] of Object.entries(content.byUrgency)) yield ['urgency', key, null, n];
  for (const [key, n] of Object.entries(content.byDepartment)) yield ['department', key, content.names.departments[key] ?? null, n];
  for (const [key, n] of Object.entries(content.backlogByAge)) yield ['backlog', key, null, n];
  for (const day of content.daily) {
    yield ['daily', day.date, 'created', day.created];
    yield ['daily', day.date, 'resolved', day.resolved];
  }
}
