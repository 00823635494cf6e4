import type { Kysely } from 'kysely';

// "It affects me too" (POST /api/incidents/:id/affected, docs/incidents.md): who follows
// which incident, and how many people an incident affects (its reporter counts, hence the
// default 1, which also fits every incident stored before this migration). Portable DDL
// for SQLite and PostgreSQL.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('incident_followers')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_followers_pk', ['tenant_id', 'incident_id', 'user_id'])
    .execute();
  // A student's list: the incidents they follow.
  await db.schema.createIndex('incident_followers_user').on('incident_followers').columns(['tenant_id', 'user_id']).execute();
  await db.schema.alterTable('incidents').addColumn('affected_count', 'integer', (c) => c.notNull().defaultTo(1)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('incidents').dropColumn('affected_count').execute();
  await db.schema.dropTable('incident_followers').execute();
}
