import { CompiledQuery } from 'kysely';
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
export interface WriteOptions {
  /**
   * Background work that may wait a little (a log consumer's batch): on SQLite it rides in
   * the next batch someone else starts, or starts one itself after PATIENCE_MS, so it costs
   * no COMMIT (and no fsync on the event loop) of its own while requests are writing.
   */
  patient?: boolean;
}
export type Write = <T>(unit: WriteUnit<T>, options?: WriteOptions) => Promise<T>;

/** How long a patient write waits for a batch to join before it starts one. */
export const PATIENCE_MS = 50;

const MAX_BATCH = 128;
// BEGIN IMMEDIATE: a batch is a writer from its first statement. Begun as a reader (SQLite's
// default), its first write would have to upgrade it, which SQLite refuses at once
// (SQLITE_BUSY_SNAPSHOT, no busy wait) when another process has committed since.
const BEGIN = CompiledQuery.raw('begin immediate');
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');
const SAVEPOINT = CompiledQuery.raw('savepoint unit');
const RELEASE = CompiledQuery.raw('release unit');
const ROLLBACK_TO = CompiledQuery.raw('rollback to unit');

interface Pending {
  unit: WriteUnit<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** One unit in its savepoint: its value, or its error with its writes rolled back. */
async function runUnit(trx: Db, unit: WriteUnit<unknown>): Promise<{ ok: boolean; value: unknown }> {
  await trx.executeQuery(SAVEPOINT);
  try {
    const value = await unit(trx);
    await trx.executeQuery(RELEASE);
    return { ok: true, value };
  } catch (error) {
    // SQLite ends the whole transaction itself when a statement fails for lack of space
    // (SQLITE_FULL) or an I/O error: the batch fails with that error, not with the missing
    // savepoint's.
    await trx.executeQuery(ROLLBACK_TO).catch(() => Promise.reject(error as Error));
    await trx.executeQuery(RELEASE);
    return { ok: false, value: error };
  }
}

/**
 * `beforeCommit` runs once per batch after every unit, outside their savepoints, in the
 * batch's transaction (store/search-queue.ts: what must not be written once per savepoint).
 */
export function groupCommit(db: Db, beforeCommit?: (trx: Db) => Promise<void>): Write {
  let queue: Pending[] = [];
  let running = false;
  let patience: ReturnType<typeof setTimeout> | null = null;

  async function flush() {
    running = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      const outcomes: { ok: boolean; value: unknown }[] = [];
      try {
        await db.connection().execute(async (trx) => {
          await trx.executeQuery(BEGIN);
          try {
            for (const pending of batch) outcomes.push(await runUnit(trx, pending.unit));
            await beforeCommit?.(trx);
            await trx.executeQuery(COMMIT);
          } catch (error) {
            // Nothing to roll back if SQLite already ended the transaction (a full disk).
            await trx.executeQuery(ROLLBACK).catch(() => undefined);
            throw error;
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

  function start() {
    if (patience) clearTimeout(patience);
    patience = null;
    if (running || queue.length === 0) return;
    running = true;
    // Let the requests already in flight join this batch before it starts.
    setImmediate(() => void flush());
  }

  return <T>(unit: WriteUnit<T>, options?: WriteOptions) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ unit, resolve: resolve as (value: unknown) => void, reject });
      if (!options?.patient) start();
      else if (!running && !patience) patience = setTimeout(start, PATIENCE_MS);
    });
}

export const eachOwnTransaction =
  (db: Db): Write =>
  (unit) =>
    db.transaction().execute(unit);
