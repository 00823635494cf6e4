/**
 * Faults of what the server stores into, told apart from its own bugs: they are passing
 * (a database restarting, a disk filling up), so requests hit by them get a retryable
 * 503 rather than a 500, and readiness reports them.
 *
 * - `database_unavailable`: the database cannot be reached or dropped the connection
 *   (PostgreSQL restarting, failing over, terminating backends; network down).
 * - `storage_full`: no space left: SQLite's SQLITE_FULL, PostgreSQL's disk_full (53100),
 *   the filesystem's ENOSPC or EDQUOT (attachments).
 * - `storage_unavailable`: the disk refuses otherwise (SQLite's SQLITE_IOERR family, EIO,
 *   EROFS); SQLite also reports some out-of-space cases this way.
 */
export type StoreFault = 'database_unavailable' | 'storage_full' | 'storage_unavailable';

/** Seconds a client should wait before retrying, per fault. */
export const RETRY_AFTER_SECONDS: Record<StoreFault, number> = {
  database_unavailable: 5,
  storage_full: 30,
  storage_unavailable: 30,
};

// SQLSTATE classes 08 (connection exception) and 57P0x (operator intervention: admin or
// crash shutdown, cannot connect now, database dropped), and 53xxx resources other than disk
// (out of memory, too many connections).
const PG_UNAVAILABLE = /^(08...|57P0[1-4]|53[0-9A-Z]{3})$/;
// Node's socket errors while connecting to or talking with the database.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// node-postgres reports a dropped or unobtainable connection with messages only.
const PG_CONNECTION_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable)/;

function faultOf(error: { code?: unknown; message?: unknown }): StoreFault | null {
  const code = typeof error.code === 'string' ? error.code : '';
  if (code === 'SQLITE_FULL' || code === '53100' || code === 'ENOSPC' || code === 'EDQUOT') return 'storage_full';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO' || code === 'EROFS') return 'storage_unavailable';
  if (PG_UNAVAILABLE.test(code) || NETWORK_CODES.has(code)) return 'database_unavailable';
  if (!code && typeof error.message === 'string' && PG_CONNECTION_MESSAGES.test(error.message)) return 'database_unavailable';
  return null;
}

/** The store fault behind an error (looking through `cause` and AggregateError), or null. */
export function storeFault(error: unknown, depth = 0): StoreFault | null {
  if (!error || typeof error !== 'object' || depth > 3) return null;
  const fault = faultOf(error as { code?: unknown; message?: unknown });
  if (fault) return fault;
  // A connection refused on a host with several addresses (localhost: ::1 and 127.0.0.1).
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = storeFault(inner, depth + 1);
      if (found) return found;
    }
  }
  return storeFault((error as { cause?: unknown }).cause, depth + 1);
}
