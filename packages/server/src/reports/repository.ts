import { sql, type SelectQueryBuilder } from 'kysely';
import { OPEN_STATUSES } from '@alertautec/core';
import type { Db } from '../store/executor.js';
import { prepared } from '../store/prepared.js';
import type { Database, ReportsTable } from '../store/schema.js';
import type { CampusDay } from './campus-time.js';

export type ReportRow = ReportsTable;

/** Which incidents a report covers: a tenant's, or one department's, created in [from, to). */
export interface ReportScope {
  tenantId: string;
  departmentId?: string | null;
  from?: number | null;
  to?: number | null;
}

/** Open incidents by how long they have waited, at the report's time. */
export const BACKLOG_BUCKETS = [
  { name: 'under1h', upToMs: 3_600_000 },
  { name: 'from1hTo24h', upToMs: 86_400_000 },
  { name: 'from1dTo7d', upToMs: 7 * 86_400_000 },
  { name: 'from7dTo30d', upToMs: 30 * 86_400_000 },
  { name: 'over30d', upToMs: null },
] as const;

function scoped(db: Db, scope: ReportScope): SelectQueryBuilder<Database, 'incidents', object> {
  let query = db.selectFrom('incidents').where('tenant_id', '=', scope.tenantId);
  if (scope.departmentId) query = query.where('department_id', '=', scope.departmentId);
  if (scope.from !== undefined && scope.from !== null) query = query.where('created_at', '>=', scope.from);
  if (scope.to !== undefined && scope.to !== null) query = query.where('created_at', '<', scope.to);
  return query;
}

const num = (value: number | string | bigint | null | undefined) => (value === null || value === undefined ? 0 : Number(value));

/** Days asked about per statement (three parameters each, well under either database's limit). */
const DAYS_PER_QUERY = 1000;

/**
 * What a report counts beyond the statistics counters (incidents/stats.ts), each answered by
 * an index range, never by a scan of the tenant's incidents: docs/reports.md "Performance".
 */
export const reportAggregates = {
  /**
   * Open incidents in scope created in the last 30 days, per backlog bucket but the last
   * (`over30d` is the open count minus these): one range of (tenant_id, created_at).
   */
  recentOpenByAge: async (db: Db, scope: ReportScope, now: number) => {
    const recent = BACKLOG_BUCKETS.slice(0, -1);
    const oldest = now - recent.at(-1)!.upToMs!;
    const columns = recent.map((bucket, i) => {
      const olderThan = i === 0 ? null : now - recent[i - 1]!.upToMs!;
      const condition = olderThan === null ? sql<boolean>`created_at > ${now - bucket.upToMs!}` : sql<boolean>`created_at > ${now - bucket.upToMs!} and created_at <= ${olderThan}`;
      return sql<number | string | null>`sum(case when ${condition} then 1 else 0 end)`.as(`bucket_${i}`);
    });
    const row = await scoped(db, scope)
      .where('created_at', '>', oldest)
      .where('status', 'in', OPEN_STATUSES)
      .select(columns)
      .executeTakeFirstOrThrow();
    const record = row as unknown as Record<string, number | string | null>;
    return Object.fromEntries(recent.map((bucket, i) => [bucket.name, num(record[`bucket_${i}`])])) as Record<(typeof recent)[number]['name'], number>;
  },

  /**
   * Per campus day: incidents in scope created that day, and incidents in scope resolved that
   * day. Each day is two counts over index ranges (incidents_tenant_created or
   * incidents_department_created; the partial incidents_resolved or
   * incidents_department_resolved of migration 0018), so the cost follows the days and the
   * incidents in them, with no sort of the whole period.
   */
  dailyCounts: async (db: Db, scope: ReportScope, days: readonly CampusDay[]) => {
    const counts = new Map<string, { created: number; resolved: number }>();
    const inScope = (alias: string) => {
      const conditions = [sql<boolean>`${sql.ref(`${alias}.tenant_id`)} = ${scope.tenantId}`];
      if (scope.departmentId) conditions.push(sql<boolean>`${sql.ref(`${alias}.department_id`)} = ${scope.departmentId}`);
      if (scope.from !== undefined && scope.from !== null) conditions.push(sql<boolean>`${sql.ref(`${alias}.created_at`)} >= ${scope.from}`);
      if (scope.to !== undefined && scope.to !== null) conditions.push(sql<boolean>`${sql.ref(`${alias}.created_at`)} < ${scope.to}`);
      return sql.join(conditions, sql` and `);
    };
    for (let i = 0; i < days.length; i += DAYS_PER_QUERY) {
      const chunk = days.slice(i, i + DAYS_PER_QUERY);
      const values = sql.join(chunk.map((day) => sql`(${day.date}, cast(${day.start} as bigint), cast(${day.end} as bigint))`));
      const { rows } = await sql<{ date: string; created: number | string; resolved: number | string }>`
        with days (date, start_at, end_at) as (values ${values})
        select date,
          (select count(*) from incidents c where ${inScope('c')} and c.created_at >= days.start_at and c.created_at < days.end_at) as created,
          (select count(*) from incidents r where ${inScope('r')} and r.resolved_at >= days.start_at and r.resolved_at < days.end_at) as resolved
        from days`.execute(db);
      for (const row of rows) counts.set(row.date, { created: num(row.created), resolved: num(row.resolved) });
    }
    return counts;
  },

  /** The first incident's creation time in scope (the start of an open-ended period). */
  firstCreatedAt: async (db: Db, scope: ReportScope) => {
    const row = await scoped(db, scope)
      .select((eb) => eb.fn.min('created_at').as('first'))
      .executeTakeFirst();
    return row?.first === null || row?.first === undefined ? null : Number(row.first);
  },

  /** Names for the codes and ids in the counts. */
  names: async (db: Db, tenantId: string) => {
    const [categories, departments] = await Promise.all([
      db.selectFrom('categories').select(['code', 'name']).where('tenant_id', '=', tenantId).execute(),
      db.selectFrom('departments').select(['id', 'name']).where('tenant_id', '=', tenantId).execute(),
    ]);
    return {
      categories: Object.fromEntries(categories.map((row) => [row.code, row.name])),
      departments: Object.fromEntries(departments.map((row) => [row.id, row.name])),
    };
  },
};

export interface ReportListFilter {
  kind?: string;
  departmentId?: string;
  incidentId?: string;
  beforeId?: string;
  limit: number;
}

const REPORT_COLUMNS = [
  'id', 'tenant_id', 'kind', 'status', 'department_id', 'incident_id', 'period_from', 'period_to', 'key',
  'created_at', 'started_at', 'finished_at', 'created_by', 'error', 'job_id',
] as const satisfies readonly (keyof ReportRow)[];

// One per incident routed to a department (the reports.incidents consumer): built once (store/prepared.ts).
// On a key already there, the row is queued again with the new row's job (its status,
// error and times are those of a new row: queued, none, none).
const upsertIncidentReport = prepared(
  (db, row: ReportRow) =>
    db
      .insertInto('reports')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'key']).doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          job_id: eb.ref('excluded.job_id'),
          error: eb.ref('excluded.error'),
          started_at: eb.ref('excluded.started_at'),
          finished_at: eb.ref('excluded.finished_at'),
        })),
      )
      .returning('id'),
  REPORT_COLUMNS,
);

export const reportsRepository = {
  /** Inserts the row unless its key is taken in the tenant; false then (the caller picks another key). */
  insert: async (db: Db, row: ReportRow): Promise<boolean> => {
    const inserted = await db
      .insertInto('reports')
      .values(row)
      .onConflict((oc) => oc.columns(['tenant_id', 'key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  },

  find: (db: Db, tenantId: string, id: string) =>
    db.selectFrom('reports').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst(),

  findById: (db: Db, id: string) => db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst(),

  /** Newest first (ids are time-ordered UUIDv7). */
  list: (db: Db, tenantId: string, filter: ReportListFilter) => {
    let query = db.selectFrom('reports').selectAll().where('tenant_id', '=', tenantId);
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    if (filter.departmentId) query = query.where('department_id', '=', filter.departmentId);
    if (filter.incidentId) query = query.where('incident_id', '=', filter.incidentId);
    if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
    return query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  },

  /**
   * A department incident report's row, queued for `jobId`: inserted, or (its key already has
   * one: the incident came back to the department) queued again in place. Returns its id.
   */
  upsertIncidentReport: async (db: Db, row: ReportRow): Promise<string> => {
    const { rows } = await upsertIncidentReport<{ id: string }>(db, row);
    return rows[0]!.id;
  },

  findByKey: (db: Db, tenantId: string, key: string) =>
    db.selectFrom('reports').selectAll().where('tenant_id', '=', tenantId).where('key', '=', key).executeTakeFirst(),

  update: (db: Db, id: string, changes: Partial<Pick<ReportRow, 'status' | 'started_at' | 'finished_at' | 'error'>>) =>
    db.updateTable('reports').set(changes).where('id', '=', id).execute(),
};
