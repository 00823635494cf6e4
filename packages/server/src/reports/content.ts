import { toIso } from '@alertautec/core';
import type { Db } from '../store/executor.js';
import { campusDay, campusDaysInOrder, nextDay } from './campus-time.js';
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

export const CONTENT_STEPS = 5;

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms) / 1000);

export async function computeReport(db: Db, input: ComputeInput): Promise<ReportContent> {
  const { scope, now, timeZone } = input;
  const step = input.step ?? (async () => undefined);
  const counts = await reportAggregates.counts(db, scope);
  await step(1, CONTENT_STEPS);
  const totals = await reportAggregates.totals(db, scope, now);
  await step(2, CONTENT_STEPS);
  const created = await reportAggregates.quarterHours(db, scope, 'created_at');
  const resolved = await reportAggregates.quarterHours(db, scope, 'resolved_at');
  await step(3, CONTENT_STEPS);
  const names = await reportAggregates.names(db, scope.tenantId);

  const days = new Map<string, { created: number; resolved: number }>();
  const dayOf = (date: string) => {
    let entry = days.get(date);
    if (!entry) days.set(date, (entry = { created: 0, resolved: 0 }));
    return entry;
  };
  // Quarter hours come in ascending order: one time-zone lookup per day, not per quarter hour.
  const createdDay = campusDaysInOrder(timeZone);
  const resolvedDay = campusDaysInOrder(timeZone);
  for (const bucket of created) dayOf(createdDay(bucket.at)).created += bucket.count;
  for (const bucket of resolved) dayOf(resolvedDay(bucket.at)).resolved += bucket.count;
  // Every day of the period, empty ones included, from its start (or the first incident) to its end (or now).
  const firstAt = scope.from ?? created[0]?.at ?? null;
  if (firstAt !== null) {
    const last = campusDay(Math.max(firstAt, (scope.to ?? now) - 1), timeZone);
    for (let day = campusDay(firstAt, timeZone); day <= last; day = nextDay(day)) dayOf(day);
  }
  const daily = [...days.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([date, n]) => ({ date, ...n }));

  return {
    id: input.id,
    kind: input.kind,
    tenantId: scope.tenantId,
    departmentId: scope.departmentId ?? null,
    generatedAt: toIso(now),
    timeZone,
    period: { from: scope.from == null ? null : toIso(scope.from), to: scope.to == null ? null : toIso(scope.to) },
    totals: { incidents: totals.incidents, open: totals.open, slaBreaches: totals.slaBreaches },
    ...counts,
    mttaSeconds: seconds(totals.mttaMs),
    mttrSeconds: seconds(totals.mttrMs),
    slaBreaches: totals.slaBreaches,
    backlogByAge: totals.backlog,
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
