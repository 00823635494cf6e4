import type { Kysely } from 'kysely';

// Reports (docs/reports.md): one row per report, global, per department or (later, from the
// event log) per incident, with the job that writes it. Plus the indexes the report's
// aggregations range over: incidents of a tenant, or of one department, by creation time.
// Portable DDL for SQLite and PostgreSQL.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('department_id', 'text')
    .addColumn('incident_id', 'text')
    .addColumn('period_from', 'bigint')
    .addColumn('period_to', 'bigint')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('created_by', 'text')
    .addColumn('error', 'text')
    .addColumn('job_id', 'text')
    .execute();
  // Lists: newest first, per tenant, optionally per kind or department.
  await db.schema.createIndex('reports_tenant').on('reports').columns(['tenant_id', 'id']).execute();
  await db.schema.createIndex('reports_department').on('reports').columns(['tenant_id', 'department_id', 'id']).execute();
  // Two reports never share a blob (one would overwrite the other).
  await db.schema.createIndex('reports_key').on('reports').columns(['tenant_id', 'key']).unique().execute();

  await db.schema.createIndex('incidents_tenant_created').on('incidents').columns(['tenant_id', 'created_at']).execute();
  await db.schema.createIndex('incidents_department_created').on('incidents').columns(['tenant_id', 'department_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('incidents_department_created').execute();
  await db.schema.dropIndex('incidents_tenant_created').execute();
  await db.schema.dropTable('reports').execute();
}
