import type { Kysely } from 'kysely';

// Messages other services publish to realtime audiences, kept briefly so every node can
// fetch one by the id its NOTIFY carries.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('realtime_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('realtime_messages_at').on('realtime_messages').column('at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('realtime_messages').execute();
}
