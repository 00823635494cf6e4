import { sql, type Kysely } from 'kysely';

// Workers: durable log-consumer cursors (with their leases) and the job table. Portable DDL
// for SQLite and PostgreSQL; see docs/workers.md for how the rows move.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('consumer_cursors')
    .addColumn('consumer', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_token', 'text')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('consumer_cursors_pk', ['consumer', 'tenant_id'])
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text')
    .addColumn('tenant_id', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_token', 'text')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('progress_done', 'bigint')
    .addColumn('progress_total', 'bigint')
    .execute();
  // NULL dedupe keys never conflict (both databases), so jobs without a key are all kept.
  await db.schema.createIndex('jobs_kind_dedupe_key').unique().on('jobs').columns(['kind', 'dedupe_key']).execute();
  // What a claim reads: the due queue in run order, and (rarely) running jobs whose lease
  // expired. Partial indexes keep a claim one index step however long the queue is.
  await sql`create index jobs_due on jobs (run_at, id) where state in ('queued', 'failed')`.execute(db);
  await sql`create index jobs_running_lease on jobs (lease_expires_at) where state = 'running'`.execute(db);
  await db.schema.createIndex('jobs_kind_id').on('jobs').columns(['kind', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('jobs').execute();
  await db.schema.dropTable('consumer_cursors').execute();
}
