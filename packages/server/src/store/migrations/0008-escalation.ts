import type { Kysely } from 'kysely';

// SLA escalation (docs/escalation.md): the sweep's index over pending incidents by due
// time, each tenant's escalation policy, and where each escalated incident stands in it.
// Portable DDL for SQLite and PostgreSQL.
export async function up(db: Kysely<unknown>): Promise<void> {
  // The sweep asks "pending and due by now" across tenants: a range scan of this index,
  // however many incidents were ever resolved.
  await db.schema.createIndex('incidents_status_due').on('incidents').columns(['status', 'sla_due_at']).execute();

  await db.schema
    .createTable('escalation_policies')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema
    .createTable('incident_escalations')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('next_at', 'bigint')
    .addColumn('escalated_version', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_escalations_pk', ['tenant_id', 'incident_id'])
    .execute();
  await db.schema.createIndex('incident_escalations_next').on('incident_escalations').columns(['next_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('incident_escalations').execute();
  await db.schema.dropTable('escalation_policies').execute();
  await db.schema.dropIndex('incidents_status_due').execute();
}
