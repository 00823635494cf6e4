import assert from 'node:assert/strict';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrations } from '../../src/store/migrations/index.js';
import type { Database } from '../../src/store/schema.js';
import type { TestDatabase } from './databases.js';

/**
 * A database migrated up to (not including) `migration`, the way a deployment that predates
 * it has one; opening a store on it afterwards runs the rest. Close the handle first.
 */
export async function migratedUpToBefore(database: TestDatabase, migration: string): Promise<Kysely<Database>> {
  let db: Kysely<Database>;
  if (database.dialect === 'sqlite') {
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(path.join(database.dataDir, 'alertautec.db')) }) });
  } else {
    const pool = new pg.Pool({ connectionString: database.databaseUrl!, options: `-c search_path=${database.schema}`, max: 2 });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    await sql`create schema ${sql.id(database.schema!)}`.execute(db);
  }
  const earlier = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < migration));
  const migrator = new Migrator({ db, provider: { getMigrations: async () => earlier }, ...(database.schema ? { migrationTableSchema: database.schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  assert.ifError(error);
  assert.equal(results?.filter((result) => result.status === 'Success').length, Object.keys(earlier).length);
  return db;
}

/** The columns `table` has in this database now (earlier migrations may not have added them all). */
export async function columnsOf(db: Kysely<Database>, database: TestDatabase, table: string): Promise<Set<string>> {
  const found = (await db.introspection.getTables()).find((t) => t.name === table && (database.schema === undefined || t.schema === database.schema))!;
  return new Set(found.columns.map((column) => column.name));
}
