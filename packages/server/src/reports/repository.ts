import { sql, type SelectQueryBuilder } from 'kysely';
import { OPEN_STATUSES } from '@alertautec/core';
import type { Db } from '../store/executor.js';
import type { Database, ReportsTable } from '../store/schema.js';
import { QUARTER_HOUR_MS } from './campus-time.js';

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

const num = (value: number | string | null | undefined) => (value === null || value === undefined ? 0 : Number(value));

/**
 * The report's numbers, every one computed by the database (GROUP BY, avg, sum over CASE),
 * over the indexes (tenant_id, created_at) and (tenant_id, department_id, created_at): memory
 * holds groups, never incidents. Times stay epoch ms; the caller turns them into days.
 */
export const reportAggregates = {
  /** Incidents per value of each column. */
  counts: async (db: Db, scope: ReportScope) => {
    const columns = ['status', 'category', 'urgency', 'department_id'] as const;
    const groups = await Promise.all(
      columns.map((column) =>
        scoped(db, scope)
          .select([column, (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy(column)
          .orderBy(column)
          .execute()
          .then((rows) => Object.fromEntries(rows.map((row) => [String(row[column] ?? 'unassigned'), Number(row.n)]))),
      ),
    );
    return { byStatus: groups[0]!, byCategory: groups[1]!, byUrgency: groups[2]!, byDepartment: groups[3]! };
  },

  /** Totals, MTTA and MTTR (ms), SLA breaches, and the open backlog by age, as of `now`. */
  totals: async (db: Db, scope: ReportScope, now: number) => {
    const open = sql<boolean>`status in (${sql.join(OPEN_STATUSES)})`;
    const backlog = BACKLOG_BUCKETS.map((bucket, i) => {
      const olderThan = i === 0 ? null : now - BACKLOG_BUCKETS[i - 1]!.upToMs!;
      const newerThan = bucket.upToMs === null ? null : now - bucket.upToMs;
      const conditions = [open];
      if (newerThan !== null) conditions.push(sql<boolean>`created_at > ${newerThan}`);
      if (olderThan !== null) conditions.push(sql<boolean>`created_at <= ${olderThan}`);
      return sql<number | string>`sum(case when ${sql.join(conditions, sql` and `)} then 1 else 0 end)`.as(`backlog_${i}`);
    });
    const row = await scoped(db, scope)
      .select([
        (eb) => eb.fn.countAll<number | string>().as('incidents'),
        sql<number | string>`sum(case when ${open} then 1 else 0 end)`.as('open'),
        sql<number | string | null>`avg(acknowledged_at - created_at)`.as('mtta'),
        sql<number | string | null>`avg(resolved_at - created_at)`.as('mttr'),
        sql<number | string>`sum(case when (acknowledged_at is null and sla_due_at < ${now}) or acknowledged_at > sla_due_at then 1 else 0 end)`.as('breaches'),
        ...backlog,
      ])
      .executeTakeFirstOrThrow();
    const record = row as unknown as Record<string, number | string | null>;
    return {
      incidents: num(row.incidents),
      open: num(row.open),
      mttaMs: row.mtta === null ? null : Number(row.mtta),
      mttrMs: row.mttr === null ? null : Number(row.mttr),
      slaBreaches: num(row.breaches),
      backlog: Object.fromEntries(BACKLOG_BUCKETS.map((bucket, i) => [bucket.name, num(record[`backlog_${i}`])])) as Record<(typeof BACKLOG_BUCKETS)[number]['name'], number>,
    };
  },

  /**
   * Incidents per quarter hour of `column` (created_at or resolved_at): integer division of
   * epoch ms, the same on SQLite and PostgreSQL; the caller maps quarter hours to campus days.
   */
  quarterHours: async (db: Db, scope: ReportScope, column: 'created_at' | 'resolved_at') => {
    const quarter = sql<number | string>`${sql.ref(column)} / ${sql.lit(QUARTER_HOUR_MS)}`;
    const rows = await scoped(db, scope)
      .where(column, 'is not', null)
      .select([quarter.as('q'), (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy(quarter)
      .orderBy(quarter)
      .execute();
    return rows.map((row) => ({ at: Number(row.q) * QUARTER_HOUR_MS, count: Number(row.n) }));
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
    const saved = await db
      .insertInto('reports')
      .values(row)
      .onConflict((oc) => oc.columns(['tenant_id', 'key']).doUpdateSet({ status: 'queued', job_id: row.job_id, error: null, started_at: null, finished_at: null }))
      .returning('id')
      .executeTakeFirstOrThrow();
    return saved.id;
  },

  findByKey: (db: Db, tenantId: string, key: string) =>
    db.selectFrom('reports').selectAll().where('tenant_id', '=', tenantId).where('key', '=', key).executeTakeFirst(),

  update: (db: Db, id: string, changes: Partial<Pick<ReportRow, 'status' | 'started_at' | 'finished_at' | 'error'>>) =>
    db.updateTable('reports').set(changes).where('id', '=', id).execute(),
};
