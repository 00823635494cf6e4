import { sql, type Kysely } from 'kysely';

// The reports' daily series counts, for each campus day, the incidents resolved that day
// (reports/repository.ts `dailyCounts`): a range of resolution times per day, of the tenant
// or of one department, with the creation time beside it for a report's period. Partial
// indexes: only resolved incidents are in them, so creating an incident never writes them.
// Portable DDL for SQLite and PostgreSQL.
export async function up(db: Kysely<unknown>): Promise<void> {
  const resolved = sql.ref('resolved_at');
  await db.schema.createIndex('incidents_resolved').on('incidents').columns(['tenant_id', 'resolved_at', 'created_at']).where(resolved, 'is not', null).execute();
  await db.schema
    .createIndex('incidents_department_resolved')
    .on('incidents')
    .columns(['tenant_id', 'department_id', 'resolved_at', 'created_at'])
    .where(resolved, 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('incidents_department_resolved').execute();
  await db.schema.dropIndex('incidents_resolved').execute();
}
