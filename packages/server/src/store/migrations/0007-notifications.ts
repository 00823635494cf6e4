import { sql, type Kysely } from 'kysely';

// Notifications: the outbox (one row per event, recipient and channel; in-app rows are the
// in-app notifications), the admins' rule switches, people's preferences, and the dev
// mailbox. Portable DDL for SQLite and PostgreSQL; see docs/notifications.md.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('event_seq', 'bigint', (c) => c.notNull())
    .addColumn('incident_id', 'text')
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient_key', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('critical', 'integer', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('html', 'text')
    .addColumn('attributes', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('delivery_token', 'text', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('skip_reason', 'text')
    .addColumn('provider_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('read_at', 'bigint')
    .execute();
  // The notifier's idempotence: a batch read again writes nothing new.
  await db.schema.createIndex('notifications_once').unique().on('notifications').columns(['tenant_id', 'event_seq', 'channel', 'recipient_key']).execute();
  await db.schema.createIndex('notifications_tenant_id').on('notifications').columns(['tenant_id', 'id']).execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['tenant_id', 'user_id', 'channel', 'id']).execute();
  await db.schema.createIndex('notifications_incident').on('notifications').columns(['tenant_id', 'incident_id']).execute();

  await db.schema
    .createTable('notification_rules')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_rules_pk', ['tenant_id', 'id'])
    .execute();

  await db.schema
    .createTable('notification_preferences')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('email_enabled', 'integer', (c) => c.notNull())
    .addColumn('sms_enabled', 'integer', (c) => c.notNull())
    .addColumn('quiet_from', 'text')
    .addColumn('quiet_to', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('dev_mailbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notification_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('html', 'text')
    .addColumn('in_reply_to', 'text')
    .addColumn('references_header', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // A deployment that already has a log starts notifying from now: its history is not news.
  // The notifier's cursor is set at each tenant's head; tenants created later start at 0,
  // so nothing that happens after this migration is ever left out, however long workers are down.
  await sql`insert into consumer_cursors (consumer, tenant_id, seq, updated_at) select 'notifier', tenant_id, seq, 0 from log_heads`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['dev_mailbox', 'notification_preferences', 'notification_rules', 'notifications']) {
    await db.schema.dropTable(table).execute();
  }
}
