import { sql } from 'kysely';
import type { Db } from './executor.js';

/**
 * Group commit for SQLite: write transactions that arrive together run one after another
 * inside a single BEGIN … COMMIT, each in its own savepoint. A failing unit rolls back
 * only its savepoint; every caller is answered after the shared COMMIT, so nothing is
 * acknowledged before it is durable. SQLite has one writer anyway; what this saves is a
 * commit (and its WAL pages) per request. On PostgreSQL each unit is its own transaction.
 *
 * A unit must use only the handle it is given: the connection is busy for the batch.
 */
export type WriteUnit<T> = (trx: Db) => Promise<T>;
export type Write = <T>(unit: WriteUnit<T>) => Promise<T>;

const MAX_BATCH = 128;

interface Pending {
  unit: WriteUnit<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export function groupCommit(db: Db): Write {
  let queue: Pending[] = [];
  let running = false;

  async function flush() {
    running = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      const outcomes: { ok: boolean; value: unknown }[] = [];
      try {
        await db.transaction().execute(async (trx) => {
          for (const pending of batch) {
            await sql`savepoint unit`.execute(trx);
            try {
              outcomes.push({ ok: true, value: await pending.unit(trx) });
              await sql`release unit`.execute(trx);
            } catch (error) {
              // SQLite ends the whole transaction itself when a statement fails for lack of
              // space (SQLITE_FULL) or an I/O error: the batch fails with that error, not
              // with the missing savepoint's.
              await sql`rollback to unit`.execute(trx).catch(() => Promise.reject(error as Error));
              await sql`release unit`.execute(trx);
              outcomes.push({ ok: false, value: error });
            }
          }
        });
      } catch (error) {
        for (const pending of batch) pending.reject(error);
        continue;
      }
      batch.forEach((pending, i) => (outcomes[i]!.ok ? pending.resolve(outcomes[i]!.value) : pending.reject(outcomes[i]!.value)));
    }
    running = false;
  }

  return <T>(unit: WriteUnit<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ unit, resolve: resolve as (value: unknown) => void, reject });
      // Let the requests already in flight join this batch before it starts.
      if (!running) {
        running = true;
        setImmediate(() => void flush());
      }
    });
}

export const eachOwnTransaction =
  (db: Db): Write =>
  (unit) =>
    db.transaction().execute(unit);
