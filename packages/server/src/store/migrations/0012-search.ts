import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { migrationProgress } from '../migration-log.js';

// Indexed text search for `q` (docs/incidents.md, "Text search"). Both stores index the
// words of `incidents.search_text` (already folded: lower case, no accents, words separated
// by single spaces) so that a query word matches the start of a word, the same on both.
//
// SQLite: an FTS5 table, contentless (the text lives in `incidents` only) but keeping the
// incident's id; the `ascii` tokenizer splits on ASCII punctuation and spaces only and
// keeps every non-ASCII character, so on folded text its words are exactly the
// space-separated ones. It keeps the id rather than pointing at `incidents.rowid`, which
// VACUUM may renumber (the table has no INTEGER PRIMARY KEY). Triggers keep it in step with
// `incidents` in the writing transaction, whoever writes.
//
// PostgreSQL: a GIN index over the words as a tsvector, built without the text-search parser
// or any extension. Words are cut to 64 characters (a tsvector word may not exceed 2 KB). The
// expression must stay identical to POSTGRES_SEARCH_WORDS in incidents/search-condition.ts.

const BATCH_ROWS = 10_000;
const POSTGRES_WORDS = String.raw`array_to_tsvector(string_to_array(regexp_replace(search_text, '(\S{64})\S+', '\1', 'g'), ' '))`;

export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await upPostgres(db);
  else await upSqlite(db);
}

async function upPostgres(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from incidents`.execute(db);
  const total = Number(rows[0]?.n ?? 0);
  const started = Date.now();
  migrationProgress({ migration: '0012-search', incidents: total }, 'building the incident search index');
  // One statement: PostgreSQL builds an index in a single pass (writes to incidents wait for it).
  await sql`create index incidents_search on incidents using gin ((${sql.raw(POSTGRES_WORDS)}))`.execute(db);
  migrationProgress({ migration: '0012-search', incidents: total, ms: Date.now() - started }, 'incident search index built');
}

async function upSqlite(db: Kysely<unknown>): Promise<void> {
  await sql`create virtual table incidents_search using fts5(
    incident_id unindexed, words,
    content = '', contentless_delete = 1, contentless_unindexed = 1,
    tokenize = 'ascii', prefix = '2 3'
  )`.execute(db);
  await sql`create trigger incidents_search_insert after insert on incidents begin
    insert into incidents_search (incident_id, words) values (new.id, new.search_text);
  end`.execute(db);
  // Incidents are not deleted and their text does not change today; these keep the index
  // right if that ever happens (by a scan of the index: they are not for bulk use).
  await sql`create trigger incidents_search_update after update of search_text on incidents begin
    delete from incidents_search where incident_id = old.id;
    insert into incidents_search (incident_id, words) values (new.id, new.search_text);
  end`.execute(db);
  await sql`create trigger incidents_search_delete after delete on incidents begin
    delete from incidents_search where incident_id = old.id;
  end`.execute(db);

  // The rows already there, in rowid ranges, telling the log how far it got.
  const { rows } = await sql<{ first: number | null; last: number | null; n: number }>`select min(rowid) as first, max(rowid) as last, count(*) as n from incidents`.execute(db);
  const { first, last, n: total } = rows[0] ?? { first: null, last: null, n: 0 };
  const started = Date.now();
  migrationProgress({ migration: '0012-search', incidents: total }, 'building the incident search index');
  let done = 0;
  if (first !== null && last !== null) {
    for (let from = first; from <= last; from += BATCH_ROWS) {
      const result = await sql`insert into incidents_search (incident_id, words)
        select id, search_text from incidents where rowid >= ${from} and rowid < ${from + BATCH_ROWS}`.execute(db);
      done += Number(result.numAffectedRows ?? 0);
      migrationProgress({ migration: '0012-search', indexed: done, incidents: total }, 'indexing incidents for search');
    }
  }
  migrationProgress({ migration: '0012-search', incidents: done, ms: Date.now() - started }, 'incident search index built');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop index incidents_search`.execute(db);
    return;
  }
  for (const trigger of ['incidents_search_insert', 'incidents_search_update', 'incidents_search_delete']) {
    await sql`drop trigger ${sql.id(trigger)}`.execute(db);
  }
  await sql`drop table incidents_search`.execute(db);
}
