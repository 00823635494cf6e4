import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DialectName, Store } from '../store/db.js';
import type { StoreFault } from '../store/faults.js';

/**
 * Whether this node should get traffic: not while requests would fail anyway for a reason
 * outside the process — the database unreachable, or no room left to write. A load balancer
 * then sends users to nodes that can serve them; the node itself stays up and turns ready
 * again by itself once the cause is gone (readiness is asked again and again, so each
 * check also looks for the way back).
 */
export type Readiness = { ready: true; store: DialectName } | { ready: false; reason: StoreFault; detail: string };

export interface ReadinessOptions {
  /** A database that takes longer than this to answer `select 1` counts as unreachable. */
  pingTimeoutMs: number;
  /** Less free space than this under DATA_DIR counts as full (SQLite pages, WAL, blobs). */
  minFreeBytes: number;
  /**
   * PostgreSQL's own disk cannot be probed from here: after a write failed there for lack
   * of space, the node stays not ready until a write succeeds or this long has passed, then
   * lets writes try again.
   */
  postgresFullHoldMs: number;
  now(): number;
}

export const DEFAULT_READINESS: ReadinessOptions = { pingTimeoutMs: 3_000, minFreeBytes: 64 * 1024, postgresFullHoldMs: 30_000, now: Date.now };

export async function checkReadiness(store: Store, options: ReadinessOptions = DEFAULT_READINESS): Promise<Readiness> {
  try {
    await withTimeout(store.ping(), options.pingTimeoutMs);
  } catch (error) {
    return { ready: false, reason: 'database_unavailable', detail: `The database does not answer: ${(error as Error).message}` };
  }
  const free = await freeBytes(store.dataDir);
  if (free !== null && free < options.minFreeBytes) {
    return { ready: false, reason: 'storage_full', detail: `Only ${free} bytes are free under the data directory.` };
  }
  const failed = store.health.writeFault;
  if (failed) {
    if (store.dialect === 'sqlite') {
      // The database file lives in DATA_DIR: if a file can be written there, so can it.
      if (await canWrite(store.dataDir, options.minFreeBytes)) store.health.writeFault = null;
    } else if (options.now() - failed.at >= options.postgresFullHoldMs) {
      store.health.writeFault = null;
    }
    if (store.health.writeFault) {
      return { ready: false, reason: failed.fault, detail: failed.fault === 'storage_full' ? 'Writes fail: no space left in the store.' : 'Writes fail: the disk refuses them.' };
    }
  }
  return { ready: true, store: store.dialect };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Bytes an unprivileged writer may still use on DATA_DIR's filesystem; null if unknown. */
async function freeBytes(dir: string): Promise<number | null> {
  try {
    const stats = await fs.statfs(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}

/** Writes (and syncs) a scratch file of `bytes` in `dir`, then removes it. */
async function canWrite(dir: string, bytes: number): Promise<boolean> {
  const probe = path.join(dir, `.readiness-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const file = await fs.open(probe, 'wx', 0o600);
    try {
      await file.write(Buffer.alloc(bytes));
      await file.sync();
    } finally {
      await file.close();
    }
    return true;
  } catch {
    return false;
  } finally {
    await fs.rm(probe, { force: true });
  }
}
