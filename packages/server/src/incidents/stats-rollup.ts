import { sql, type AliasedRawBuilder, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Incident, Status, Urgency } from '@alertautec/core';
import type { Db } from '../store/executor.js';
import type { Database, IncidentStatsTable } from '../store/schema.js';
import { prepared } from '../store/prepared.js';
import { BLOCK_DAYS, DAY_MS } from './stats-period.js';

/**
 * The incident counters behind GET /api/stats (docs/incidents.md "Statistics"): per
 * tenant, time bucket, department and category, how many incidents are in each status and
 * urgency, how many were acknowledged and resolved and after how long, how many wait for
 * acknowledgement and how many were acknowledged after their SLA due time. Every incident
 * write changes them in its own transaction (`record`), so a sum of counters always equals
 * a count of the incidents. Buckets go by creation time, which never changes.
 */

export type Counters = Omit<IncidentStatsTable, 'tenant_id' | 'span_days' | 'bucket' | 'department_id' | 'category'>;
/** Counters of one (department, category) pair; department '' is none. */
export type CountersRow = Counters & { department_id: string; category: string };

const STATUS_COLUMN: Record<Status, keyof Counters> = {
  pending: 'status_pending',
  in_progress: 'status_in_progress',
  escalated: 'status_escalated',
  resolved: 'status_resolved',
  closed: 'status_closed',
  rejected: 'status_rejected',
};
const URGENCY_COLUMN: Record<Urgency, keyof Counters> = {
  low: 'urgency_low',
  medium: 'urgency_medium',
  high: 'urgency_high',
  critical: 'urgency_critical',
};
export const STATUS_COLUMNS = Object.entries(STATUS_COLUMN) as [Status, keyof Counters][];
export const URGENCY_COLUMNS = Object.entries(URGENCY_COLUMN) as [Urgency, keyof Counters][];

export const COUNTER_NAMES = [
  'incidents',
  ...Object.values(STATUS_COLUMN),
  ...Object.values(URGENCY_COLUMN),
  'acknowledged',
  'acknowledge_ms',
  'resolved',
  'resolve_ms',
  'unacknowledged',
  'late_acknowledged',
] as const satisfies readonly (keyof Counters)[];

/** The spans kept: all time, UTC days, blocks of days (stats-period.ts). */
const SPANS = [0, 1, BLOCK_DAYS] as const;

/** What of an incident the counters look at. */
export type Counted = Pick<Incident, 'tenantId' | 'createdAt' | 'departmentId' | 'category' | 'status' | 'urgency' | 'acknowledgedAt' | 'resolvedAt' | 'slaDueAt'>;

export const zeroCounters = (): Counters => Object.fromEntries(COUNTER_NAMES.map((name) => [name, 0])) as unknown as Counters;

/** One incident's share of the counters. */
function countersOf(incident: Counted): Counters {
  const counters = zeroCounters();
  counters.incidents = 1;
  const status = STATUS_COLUMN[incident.status];
  if (status) counters[status] = 1;
  const urgency = URGENCY_COLUMN[incident.urgency];
  if (urgency) counters[urgency] = 1;
  if (incident.acknowledgedAt === null) counters.unacknowledged = 1;
  else {
    counters.acknowledged = 1;
    counters.acknowledge_ms = incident.acknowledgedAt - incident.createdAt;
    if (incident.acknowledgedAt > incident.slaDueAt) counters.late_acknowledged = 1;
  }
  if (incident.resolvedAt !== null) {
    counters.resolved = 1;
    counters.resolve_ms = incident.resolvedAt - incident.createdAt;
  }
  return counters;
}

/** Adds `from` × `sign` into `into`. */
export function addCounters(into: Counters, from: Counters, sign = 1): void {
  for (const name of COUNTER_NAMES) into[name] += sign * from[name];
}

const PRIMARY_KEY = ['tenant_id', 'span_days', 'bucket', 'department_id', 'category'] as const;

/** Each counter summed over the rows a query selects, as numbers. */
const summedCounters = COUNTER_NAMES.map((name) => sql<number | string>`sum(${sql.ref(name)})`.as(name));

/** A counter row read back: PostgreSQL answers sums as numeric text. */
function countersRow(row: Record<string, unknown>): CountersRow {
  const counters = Object.fromEntries(COUNTER_NAMES.map((name) => [name, Number(row[name] ?? 0)])) as unknown as Counters;
  return { ...counters, department_id: String(row.department_id), category: String(row.category) };
}

const counts = (condition: RawBuilder<unknown>) => sql<number | string>`sum(case when ${condition} then 1 else 0 end)`;

/** Each counter computed from incidents rows (a recount), in COUNTER_NAMES' shape. */
const countedFromIncidents: AliasedRawBuilder<number | string, keyof Counters>[] = [
  sql<number | string>`count(*)`.as('incidents'),
  ...STATUS_COLUMNS.map(([status, column]) => counts(sql`status = ${sql.lit(status)}`).as(column)),
  ...URGENCY_COLUMNS.map(([urgency, column]) => counts(sql`urgency = ${sql.lit(urgency)}`).as(column)),
  counts(sql`acknowledged_at is not null`).as('acknowledged'),
  sql<number | string>`sum(case when acknowledged_at is null then 0 else acknowledged_at - created_at end)`.as('acknowledge_ms'),
  counts(sql`resolved_at is not null`).as('resolved'),
  sql<number | string>`sum(case when resolved_at is null then 0 else resolved_at - created_at end)`.as('resolve_ms'),
  counts(sql`acknowledged_at is null`).as('unacknowledged'),
  counts(sql`acknowledged_at > sla_due_at`).as('late_acknowledged'),
];

/** Which incidents to count directly: a tenant's, narrowed to a department or reporter and a creation period. */
export interface IncidentsFilter {
  tenantId: string;
  departmentId?: string;
  reporterId?: string;
  from?: number | null;
  to?: number | null;
}

function filtered<O>(query: SelectQueryBuilder<Database, 'incidents', O>, filter: IncidentsFilter) {
  let q = query.where('tenant_id', '=', filter.tenantId);
  if (filter.departmentId !== undefined) q = q.where('department_id', '=', filter.departmentId);
  if (filter.reporterId !== undefined) q = q.where('reporter_id', '=', filter.reporterId);
  // A reporter's incidents are few (index incidents_reporter): the period only narrows them,
  // written as an expression so that no planner walks the tenant's period instead.
  const created = filter.reporterId === undefined ? sql<number>`created_at` : sql<number>`created_at + 0`;
  if (filter.from !== undefined && filter.from !== null) q = q.where(created, '>=', filter.from);
  if (filter.to !== undefined && filter.to !== null) q = q.where(created, '<', filter.to);
  return q;
}

const STATS_COLUMNS = [...PRIMARY_KEY, ...COUNTER_NAMES] as const;

/**
 * The upsert of `rows` counter rows, built once per row count (every incident write runs
 * one: store/prepared.ts); parameters are named `<column><row index>`.
 */
const upserts = new Map<number, (db: Db, rows: readonly IncidentStatsTable[]) => Promise<unknown>>();
function upsertCounters(count: number) {
  let upsert = upserts.get(count);
  if (!upsert) {
    const names = Array.from({ length: count }, (_, i) => STATS_COLUMNS.map((column) => `${column}${i}`));
    const run = prepared<Record<string, unknown>>(
      (db, values) =>
        db
          .insertInto('incident_stats')
          .values(names.map((row) => Object.fromEntries(STATS_COLUMNS.map((column, k) => [column, values[row[k]!]])) as unknown as IncidentStatsTable))
          .onConflict((oc) =>
            oc.columns(PRIMARY_KEY).doUpdateSet((eb) =>
              Object.fromEntries(COUNTER_NAMES.map((name) => [name, eb(eb.ref(`incident_stats.${name}`), '+', eb.ref(`excluded.${name}`))])),
            ),
          ),
      names.flat(),
    );
    upsert = (db, rows) => {
      const values: Record<string, unknown> = {};
      rows.forEach((row, i) => STATS_COLUMNS.forEach((column, k) => (values[names[i]![k]!] = row[column])));
      return run(db, values);
    };
    upserts.set(count, upsert);
  }
  return upsert;
}

export const incidentStatsRollup = {
  /**
   * Moves the counters from `before` to `after` (a creation has no `before`), in the caller's
   * transaction: one upsert of at most six rows (three spans, two departments or categories).
   */
  async record(db: Db, before: Counted | null, after: Counted | null): Promise<void> {
    const rows = new Map<string, IncidentStatsTable>();
    const add = (incident: Counted, sign: number) => {
      const counters = countersOf(incident);
      const department = incident.departmentId ?? '';
      for (const span of SPANS) {
        const bucket = span === 0 ? 0 : Math.floor(incident.createdAt / (span * DAY_MS));
        const key = `${span}\u0000${bucket}\u0000${department}\u0000${incident.category}`;
        let row = rows.get(key);
        if (!row) {
          row = { tenant_id: incident.tenantId, span_days: span, bucket, department_id: department, category: incident.category, ...zeroCounters() };
          rows.set(key, row);
        }
        addCounters(row, counters, sign);
      }
    };
    if (before) add(before, -1);
    if (after) add(after, 1);
    // In key order: two writers upserting the same rows lock them in the same order (no deadlock).
    const changed = [...rows.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, row]) => row)
      .filter((row) => COUNTER_NAMES.some((name) => row[name] !== 0));
    if (changed.length === 0) return;
    await upsertCounters(changed.length)(db, changed);
  },

  /** Counters summed per (department, category) over buckets [from, to) of one span (null: open). */
  async sumBuckets(db: Db, tenantId: string, departmentId: string | undefined, spanDays: number, from: number | null, to: number | null): Promise<CountersRow[]> {
    let query = db
      .selectFrom('incident_stats')
      .select(['department_id', 'category', ...summedCounters])
      .where('tenant_id', '=', tenantId)
      .where('span_days', '=', spanDays);
    if (from !== null) query = query.where('bucket', '>=', from);
    if (to !== null) query = query.where('bucket', '<', to);
    if (departmentId !== undefined) query = query.where('department_id', '=', departmentId);
    const rows = await query.groupBy(['department_id', 'category']).execute();
    return rows.map((row) => countersRow(row));
  },

  /**
   * The same counters counted from the incidents themselves, per (department, category): for
   * the partial days at a period's ends and for a student's own reports (index on reporter).
   */
  async countIncidents(db: Db, filter: IncidentsFilter): Promise<CountersRow[]> {
    const department = sql<string>`coalesce(department_id, '')`;
    const rows = await filtered(db.selectFrom('incidents').select([department.as('department_id'), 'category']), filter)
      .select(countedFromIncidents)
      .groupBy([department, 'category'])
      .execute();
    return rows.map((row) => countersRow(row));
  },

  /**
   * Incidents not acknowledged whose SLA due time is still ahead (`sla_due_at >= now`): the
   * counters know how many wait, and these are the waiting ones not yet breached. Served by
   * the partial index incidents_unacknowledged_due; bounded by the SLA window, not history.
   */
  async waitingNotYetDue(db: Db, filter: IncidentsFilter, now: number): Promise<number> {
    let query = db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('tenant_id', '=', filter.tenantId)
      .where('acknowledged_at', 'is', null)
      .where('sla_due_at', '>=', now);
    // The other conditions only narrow what the partial index found: written as expressions
    // (`|| ''`, `+ 0`) so that no planner walks a department's or a period's incidents instead.
    if (filter.departmentId !== undefined) query = query.where(sql<string>`department_id || ''`, '=', filter.departmentId);
    if (filter.reporterId !== undefined) query = query.where(sql<string>`reporter_id || ''`, '=', filter.reporterId);
    if (filter.from !== undefined && filter.from !== null) query = query.where(sql<number>`created_at + 0`, '>=', filter.from);
    if (filter.to !== undefined && filter.to !== null) query = query.where(sql<number>`created_at + 0`, '<', filter.to);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.n);
  },
};
