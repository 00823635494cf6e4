import type { Db } from '../store/executor.js';
import type { EndedSessionsTable } from '../store/schema.js';

export type EndedSessionRow = EndedSessionsTable;

export const endedSessionRepository = {
  /** Idempotent: ending a session twice keeps the first record. */
  insert: (db: Db, row: EndedSessionRow) =>
    db.insertInto('ended_sessions').values(row).onConflict((conflict) => conflict.column('id').doNothing()).execute(),

  isEnded: async (db: Db, id: string) =>
    (await db.selectFrom('ended_sessions').select('id').where('id', '=', id).executeTakeFirst()) !== undefined,

  deleteExpired: (db: Db, before: number) => db.deleteFrom('ended_sessions').where('expires_at', '<', before).execute(),
};
