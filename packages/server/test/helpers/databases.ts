import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { openStore, type DialectName, type Store } from '../../src/store/db.js';

/**
 * The store contract runs on both databases, the way Kysely's own tests loop over dialects.
 * PostgreSQL comes from TEST_DATABASE_URL (default: the local server, database `test`);
 * each store gets its own schema, dropped afterwards. When PostgreSQL is unreachable the
 * PostgreSQL half is skipped with the reason, unless REQUIRE_POSTGRES=1 makes that a failure.
 */
export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REQUIRE_POSTGRES = process.env.REQUIRE_POSTGRES === '1';

let reachable: Promise<string | null> | undefined;

/** null when PostgreSQL answers; otherwise why not. */
export function postgresUnavailable(): Promise<string | null> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return null;
    } catch (error) {
      return `PostgreSQL unreachable at ${POSTGRES_URL}: ${(error as Error).message}`;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

export interface TestDatabase {
  dialect: DialectName;
  /** The DATABASE_URL for a system (null for SQLite). */
  databaseUrl: string | null;
  /** The PostgreSQL schema (undefined for SQLite). */
  schema?: string;
  dataDir: string;
  drop(): Promise<void>;
}

export function tempDir(prefix = 'alertautec-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const dataDir = tempDir();
  if (dialect === 'sqlite') {
    return { dialect, databaseUrl: null, dataDir, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  return {
    dialect,
    databaseUrl: POSTGRES_URL,
    schema,
    dataDir,
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function openTestStore(database: TestDatabase): Promise<Store> {
  return openStore({ databaseUrl: database.databaseUrl, dataDir: database.dataDir, schema: database.schema });
}

const counts: Record<DialectName, number> = { sqlite: 0, postgres: 0 };

/** Counts a test as run on a dialect, for the summary line. */
export function countRun(dialect: DialectName) {
  counts[dialect] += 1;
}

export function runCounts() {
  return { ...counts };
}

/**
 * Declares the same suite for SQLite and for PostgreSQL. The PostgreSQL suite is skipped
 * (with the reason) when the server is unreachable, or fails when REQUIRE_POSTGRES=1.
 */
export async function describeEachDatabase(name: string, suite: (dialect: DialectName) => void) {
  const why = await postgresUnavailable();
  describe(`${name} [sqlite]`, () => suite('sqlite'));
  if (why && REQUIRE_POSTGRES) {
    describe(`${name} [postgres]`, () => {
      it('runs on PostgreSQL (REQUIRE_POSTGRES=1)', () => assert.fail(why));
    });
  } else if (why) {
    describe(`${name} [postgres]`, { skip: why }, () => suite('postgres'));
  } else {
    describe(`${name} [postgres]`, () => suite('postgres'));
  }
}

/** The error a statement fails with (asserting that it fails): for checking driver codes. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the statement to fail');
}
