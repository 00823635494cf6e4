import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteAdapter, SqliteDialect, sql, type DialectAdapter, type Driver, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index.js';
import { isUniqueViolation, type Db } from './executor.js';
import { storeFault, type StoreFault } from './faults.js';
import { withMigrationLog, type MigrationLog } from './migration-log.js';
import { eachOwnTransaction, groupCommit, type Write } from './group-commit.js';
import { indexQueuedSearch } from './search-queue.js';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Runs a write transaction (grouped with concurrent ones on SQLite; see group-commit.ts). */
  write: Write;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** Where the SQLite file (and, whatever the database, the blobs) live. */
  dataDir: string;
  /** What the last write learned about the storage; readiness reads it. */
  health: StoreHealth;
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
  /**
   * Told when an idle PostgreSQL connection breaks (the server restarted or terminated
   * it). The pool has already dropped it and opens a new one when next needed; without a
   * listener node-postgres would crash the process.
   */
  onConnectionError?: (error: unknown) => void;
  /** Told how a long migration (building an index over existing rows) is getting on. */
  log?: MigrationLog;
}

export interface StoreHealth {
  /**
   * Set when a write failed for lack of space (or a refusing disk), cleared by the next
   * write that succeeds. `at` is when (ms since the epoch).
   */
  writeFault: { fault: Exclude<StoreFault, 'database_unavailable'>; at: number } | null;
}

/**
 * The application_name the server's PostgreSQL connections carry (pool, LISTEN, NOTIFY),
 * so operators (and tests) can tell them apart in pg_stat_activity. A DATABASE_URL that
 * sets application_name itself wins.
 */
export function postgresApplicationName(schema: string | null | undefined): string {
  return schema ? `alertautec:${schema}` : 'alertautec';
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
  constructor(private readonly file: SQLite.Database) {
    super({ database: file });
  }

  override createAdapter(): DialectAdapter {
    return new LockingSqliteAdapter();
  }

  /**
   * SQLite rolls a transaction back by itself when a write fails for lack of space
   * (SQLITE_FULL) or an I/O error; Kysely's ROLLBACK after that would fail with "no
   * transaction is active" and that error would replace the one that says what happened.
   */
  override createDriver(): Driver {
    const driver = super.createDriver();
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.rollbackTransaction = async (connection) => {
      if (this.file.inTransaction) await rollback(connection);
    };
    return driver;
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
    shared = { db: new Kysely<Database>({ dialect: new LockingSqliteDialect(withStatementCache(file)) }), refs: 0 };
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

function openPostgres(url: string, schema: string | undefined, poolSize: number, onConnectionError: (error: unknown) => void): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: pgTypes,
    application_name: postgresApplicationName(schema),
    // A database that does not answer fails requests (503) instead of holding them.
    connectionTimeoutMillis: 10_000,
    // Notices a peer that vanished without closing (a failover, a dropped network path).
    keepAlive: true,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', onConnectionError);
  // A connection lent out (to a request, a transaction) that breaks rejects its query, which
  // answers the request; node-postgres then also emits 'error' on the client, and only idle
  // clients have the pool's listener: without this one that event would crash the process.
  // The pool discards the broken client when it is released.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const dialect: DialectName = options.databaseUrl ? 'postgres' : 'sqlite';
  if (options.schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new Error('Invalid schema name');
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  if (options.databaseUrl) {
    db = openPostgres(options.databaseUrl, options.schema, options.poolSize ?? 10, options.onConnectionError ?? (() => undefined));
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
      const migrateLocked = () =>
        db.connection().execute(async (connection) => {
          await sql`select pg_advisory_lock(hashtext(${`alertautec_migrations:${schema}`}))`.execute(connection);
          try {
            await migrate(connection, schema, options.log);
          } finally {
            await sql`select pg_advisory_unlock(hashtext(${`alertautec_migrations:${schema}`}))`.execute(connection);
          }
        });
      // Seen rarely under load, on a schema created a moment before: a migration's statement
      // fails as if the schema or a column just created did not exist (3F000, 42703, 42P01).
      // The cause is not understood yet; migrations are transactional, so one more try is safe.
      for (let attempt = 1; ; attempt++) {
        try {
          await migrateLocked();
          break;
        } catch (error) {
          if (attempt >= 3 || !isMissingObject(error)) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
        }
      }
    } else {
      await migrate(db, undefined, options.log);
      await refreshPlannerStatistics(db);
    }
  } catch (error) {
    await close();
    throw error;
  }
  const health: StoreHealth = { writeFault: null };
  return {
    db,
    dialect,
    write: watchedWrites(dialect === 'sqlite' ? groupCommit(db, indexQueuedSearch) : eachOwnTransaction(db), health),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    dataDir: options.dataDir,
    health,
    close,
  };
}

/** Writes that keep `health` up to date: a failure for lack of space sets it, a success clears it. */
function watchedWrites(write: Write, health: StoreHealth): Write {
  return async (unit, options) => {
    try {
      const value = await write(unit, options);
      health.writeFault = null;
      return value;
    } catch (error) {
      const fault = storeFault(error);
      if (fault === 'storage_full' || fault === 'storage_unavailable') health.writeFault = { fault, at: Date.now() };
      throw error;
    }
  };
}

/** A PostgreSQL "does not exist" (schema, column, table), looking through `cause`. */
function isMissingObject(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === '3F000' || code === '42703' || code === '42P01') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
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
/**
 * SQLite plans from the statistics ANALYZE leaves in sqlite_stat1; without them it may walk
 * a sort's index through a whole tenant where a selective filter's index reads a few rows
 * (a rare search word sorted by urgency: ~40 ms at 200k incidents, ~2 ms with statistics).
 * `PRAGMA optimize` (re)analyzes only the tables whose statistics are missing or stale, each
 * with a bounded sample (analysis_limit), so it is cheap at start-up and on the hourly
 * housekeeping run. PostgreSQL's autovacuum does this on its own.
 */
export async function refreshPlannerStatistics(db: Db): Promise<void> {
  await sql`pragma analysis_limit = 1000`.execute(db);
  await sql`pragma optimize = 0x10002`.execute(db);
}

export async function migrate(db: Kysely<Database>, migrationSchema?: string, log?: MigrationLog): Promise<void> {
  const migrator = new Migrator({ db, provider, ...(migrationSchema ? { migrationTableSchema: migrationSchema } : {}) });
  const { error, results } = await withMigrationLog(log, () => migrator.migrateToLatest());
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}
