import { PostgresAdapter, sql, type Kysely } from 'kysely';

// SQLite only. FTS5 writes its pending terms out as a new segment at every savepoint, and
// the group commit (store/group-commit.ts) runs each write in a savepoint; with the insert
// trigger of 0012 every new incident cost a segment and its merges (170 µs of the 240 µs
// its insert took). Now the trigger only queues the incident's id here, and the group
// commit indexes the queue once per batch, after the batch's savepoints and before its
// COMMIT (store/search-queue.ts): same transaction, so the index is still exactly as
// committed, and one segment per batch. Writes outside the group commit (bulk loaders) stay
// queued until the next batch indexes them. Updates and deletes keep their direct triggers
// (incidents' text never changes and incidents are not deleted today).
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql`create table incidents_search_queue (incident_id text primary key) without rowid`.execute(db);
  await sql`drop trigger incidents_search_insert`.execute(db);
  await sql`create trigger incidents_search_insert after insert on incidents begin
    insert or ignore into incidents_search_queue (incident_id) values (new.id);
  end`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql`insert into incidents_search (incident_id, words)
    select q.incident_id, i.search_text from incidents_search_queue q join incidents i on i.id = q.incident_id`.execute(db);
  await sql`drop trigger incidents_search_insert`.execute(db);
  await sql`create trigger incidents_search_insert after insert on incidents begin
    insert into incidents_search (incident_id, words) values (new.id, new.search_text);
  end`.execute(db);
  await sql`drop table incidents_search_queue`.execute(db);
}
