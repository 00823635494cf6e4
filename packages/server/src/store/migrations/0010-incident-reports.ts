import { sql, type Kysely } from 'kysely';

// Department incident reports (docs/reports.md): the report job notifies the department through
// the outbox about the same event the notifier already wrote a `department_assigned` row for,
// to the same people on the same channels. The outbox's idempotence key therefore names the
// message's kind too. Every existing row is unique on the narrower key, so it stays valid on
// the wider one. Plus: incident reports are looked up by incident, and the new
// `reports.incidents` consumer starts at each tenant's head (a deployment's past assignments
// are not news); tenants created later start at 0. Portable DDL for SQLite and PostgreSQL.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('notifications_once').execute();
  await db.schema.createIndex('notifications_once').unique().on('notifications').columns(['tenant_id', 'event_seq', 'kind', 'channel', 'recipient_key']).execute();
  await db.schema.createIndex('reports_incident').on('reports').columns(['tenant_id', 'incident_id']).execute();
  await sql`insert into consumer_cursors (consumer, tenant_id, seq, updated_at) select 'reports.incidents', tenant_id, seq, 0 from log_heads`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from consumer_cursors where consumer = 'reports.incidents'`.execute(db);
  await db.schema.dropIndex('reports_incident').execute();
  await db.schema.dropIndex('notifications_once').execute();
  await db.schema.createIndex('notifications_once').unique().on('notifications').columns(['tenant_id', 'event_seq', 'channel', 'recipient_key']).execute();
}
