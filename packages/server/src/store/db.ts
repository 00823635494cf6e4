import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteAdapter, SqliteDialect, sql, type DialectAdapter, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index.js';
import { isUniqueViolation } from './executor.js';
import { eachOwnTransaction, groupCommit, type Write } from './group-commit.js';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Runs a write transaction (grouped with concurrent ones on SQLite; see group-commit.ts). */
  write: Write;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** `postgres://…`; null selects the embedded SQLite file. */
  databaseUrl: string | null;
  /** Where the SQLite file lives (`alertautec.db`). */
  dataDir: string;
  /** PostgreSQL schema to use (created if missing); tests isolate runs with it. */
  schema?: string;
  poolSize?: number;
}

// bigint (int8) columns hold epoch milliseconds and counts: well inside 2^53.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

/**
 * Kysely assumes one SQLite connection and takes no migration lock. Two processes starting
 * on the same file would both run the DDL; BEGIN IMMEDIATE (waiting up to busy_timeout)
 * makes them take turns, and the second then finds nothing pending.
 */
class LockingSqliteAdapter extends SqliteAdapter {
  override async acquireMigrationLock(db: Kysely<unknown>): Promise<void> {
    await sql`begin immediate`.execute(db);
  }
  override async releaseMigrationLock(db: Kysely<unknown>): Promise<void> {
    await sql`commit`.execute(db);
  }
}

class LockingSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new LockingSqliteAdapter();
  }
}

/**
 * Kysely prepares every query anew, and preparing costs more than running most of ours.
 * The same SQL text gets the same prepared statement back (queries are parameterised, so
 * the set of texts is small and fixed).
 */
function withStatementCache(database: SQLite.Database): SQLite.Database {
  const statements = new Map<string, SQLite.Statement>();
  return new Proxy(database, {
    get(target, property) {
      if (property === 'prepare') {
        return (source: string) => {
          let statement = statements.get(source);
          if (!statement) {
            statement = target.prepare(source);
            if (statements.size < 1000) statements.set(source, statement);
          }
          return statement;
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * One connection per SQLite file per process, shared by every store opened on it.
 * better-sqlite3 is synchronous: a second connection in the same process waiting on the
 * first one's write lock (busy_timeout) would block the very thread that must release it.
 */
const sqliteFiles = new Map<string, { db: Kysely<Database>; refs: number }>();

function openSqlite(dataDir: string): { db: Kysely<Database>; release(): Promise<void> } {
  fs.mkdirSync(dataDir, { recursive: true });
  const filename = path.resolve(dataDir, 'alertautec.db');
  let shared = sqliteFiles.get(filename);
  if (!shared) {
    const file = new SQLite(filename);
    file.pragma('journal_mode = WAL');
    // FULL: a commit is on disk before anyone is told it happened (group commit shares the sync).
    file.pragma('synchronous = FULL');
    file.pragma('foreign_keys = ON');
    file.pragma('busy_timeout = 5000');
    shared = { db: new Kysely<Database>({ dialect: new LockingSqliteDialect({ database: withStatementCache(file) }) }), refs: 0 };
    sqliteFiles.set(filename, shared);
  }
  shared.refs += 1;
  const entry = shared;
  let released = false;
  return {
    db: entry.db,
    release: async () => {
      if (released) return;
      released = true;
      entry.refs -= 1;
      if (entry.refs > 0) return;
      sqliteFiles.delete(filename);
      await entry.db.destroy();
    },
  };
}

function openPostgres(url: string, schema: string | undefined, poolSize: number): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: pgTypes,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const dialect: DialectName = options.databaseUrl ? 'postgres' : 'sqlite';
  if (options.schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new Error('Invalid schema name');
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  if (options.databaseUrl) {
    db = openPostgres(options.databaseUrl, options.schema, options.poolSize ?? 10);
    close = () => db.destroy();
  } else {
    const file = openSqlite(options.dataDir);
    db = file.db;
    close = file.release;
  }
  try {
    if (dialect === 'postgres' && options.schema) {
      // `if not exists` still races on PostgreSQL: two creators may both get 23505.
      await sql`create schema if not exists ${sql.id(options.schema)}`.execute(db).catch((error: unknown) => {
        if (!isUniqueViolation(error)) throw error;
      });
    }
    if (dialect === 'postgres') {
      const schema = await currentSchema(db);
      // Kysely's migration lock is taken only after it has looked at the catalog, and that
      // look fails while another process is creating tables: processes starting together
      // take turns on a session advisory lock first, on one connection.
      await db.connection().execute(async (connection) => {
        await sql`select pg_advisory_lock(hashtext(${`alertautec_migrations:${schema}`}))`.execute(connection);
        try {
          await migrate(connection, schema);
        } finally {
          await sql`select pg_advisory_unlock(hashtext(${`alertautec_migrations:${schema}`}))`.execute(connection);
        }
      });
    } else {
      await migrate(db);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    db,
    dialect,
    write: dialect === 'sqlite' ? groupCommit(db) : eachOwnTransaction(db),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close,
  };
}

/** The schema unqualified tables land in (the first existing one on the search_path). */
async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('PostgreSQL has no current schema: no schema on the search_path exists');
  return schema;
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Brings the schema up to date. On PostgreSQL, `migrationSchema` pins Kysely's bookkeeping
 * tables to the schema the tables live in: without it Kysely takes a `kysely_migration`
 * table in any other schema of the database for its own and never creates one here.
 */
export async function migrate(db: Kysely<Database>, migrationSchema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider, ...(migrationSchema ? { migrationTableSchema: migrationSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}
