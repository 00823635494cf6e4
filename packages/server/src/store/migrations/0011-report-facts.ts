import type { Kysely } from 'kysely';

// The global report's aggregations (reports/repository.ts) read, of every incident of a
// tenant, only its creation time, status, urgency and the acknowledged, resolved and SLA
// due times. One index holding exactly those, after (tenant_id, created_at) so a period
// [from, to) is a range of it, lets the totals, the urgency counts and both daily series be
// index-only scans (a tenth of the table's bytes: no titles, descriptions or search text)
// instead of scans of the table: bench/reports, docs/reports.md "Performance". Portable DDL
// for SQLite and PostgreSQL.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('incidents_report_facts')
    .on('incidents')
    .columns(['tenant_id', 'created_at', 'status', 'urgency', 'acknowledged_at', 'resolved_at', 'sla_due_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('incidents_report_facts').execute();
}
