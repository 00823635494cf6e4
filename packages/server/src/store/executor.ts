import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A database handle or a transaction: repository functions accept either. */
export type Db = Kysely<Database>;

/** SQLite and PostgreSQL both report unique violations; this tells them apart from other errors. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: string };
  return e?.code === '23503' || e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
