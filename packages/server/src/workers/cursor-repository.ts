import type { DialectName } from '../store/db.js';
import type { Db } from '../store/executor.js';
import { prepared } from '../store/prepared.js';

/**
 * consumer_cursors: one row per (consumer, tenant) holding the consumer's position in that
 * tenant's log and its lease. The lease token fences writers: every cursor move checks
 * the token, so a process that lost the lease cannot move the cursor (or commit what its
 * handler wrote in the same transaction).
 */
export interface Lease {
  token: string;
  expiresAt: number;
}

// The two statements of every consumer batch, built once (see store/prepared.ts).
type HeldKey = { consumer: string; tenantId: string; token: string };
const heldPositionSelect = (db: Db, v: HeldKey) =>
  db.selectFrom('consumer_cursors').select('seq').where('consumer', '=', v.consumer).where('tenant_id', '=', v.tenantId).where('lease_token', '=', v.token);
const HELD_KEY = ['consumer', 'tenantId', 'token'] as const;
const heldPositionQuery = prepared(heldPositionSelect, HELD_KEY);
const heldPositionLockingQuery = prepared((db, v: HeldKey) => heldPositionSelect(db, v).forUpdate(), HELD_KEY);
const advanceQuery = prepared(
  (db, v: { seq: number; expiresAt: number; now: number } & HeldKey) =>
    db
      .updateTable('consumer_cursors')
      .set({ seq: v.seq, lease_expires_at: v.expiresAt, updated_at: v.now })
      .where('consumer', '=', v.consumer)
      .where('tenant_id', '=', v.tenantId)
      .where('lease_token', '=', v.token),
  ['seq', 'expiresAt', 'now', 'consumer', 'tenantId', 'token'],
);

export const cursorRepository = {
  /** Creates the cursor row at `seq` unless it exists (two processes may race: one wins). */
  ensure: async (db: Db, consumer: string, tenantId: string, seq: number, now: number) => {
    await db
      .insertInto('consumer_cursors')
      .values({ consumer, tenant_id: tenantId, seq, lease_owner: null, lease_token: null, lease_expires_at: null, updated_at: now })
      .onConflict((oc) => oc.columns(['consumer', 'tenant_id']).doNothing())
      .execute();
  },

  /**
   * Takes the lease if it is free, expired, or already ours (`token` then renews it). One
   * statement: on PostgreSQL a racing taker re-checks the condition after the winner
   * commits and finds the lease held.
   */
  acquire: async (db: Db, consumer: string, tenantId: string, owner: string, token: string, now: number, leaseMs: number) => {
    const result = await db
      .updateTable('consumer_cursors')
      .set({ lease_owner: owner, lease_token: token, lease_expires_at: now + leaseMs, updated_at: now })
      .where('consumer', '=', consumer)
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb.or([eb('lease_token', '=', token), eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /**
   * The cursor, if `token` still holds the lease. On PostgreSQL the row stays locked until
   * the transaction ends, so nobody can take the lease over in the middle of a batch.
   */
  heldPosition: async (trx: Db, dialect: DialectName, consumer: string, tenantId: string, token: string) => {
    const query = dialect === 'postgres' ? heldPositionLockingQuery : heldPositionQuery;
    const row = (await query<{ seq: number | string }>(trx, { consumer, tenantId, token })).rows[0];
    return row ? Number(row.seq) : null;
  },

  /** Moves the cursor forward and renews the lease; false if the lease is no longer ours. */
  advance: async (trx: Db, consumer: string, tenantId: string, token: string, seq: number, now: number, leaseMs: number) => {
    const result = await advanceQuery(trx, { seq, expiresAt: now + leaseMs, now, consumer, tenantId, token });
    return Number(result.numAffectedRows) === 1;
  },

  /** Gives the lease up (on stop), so another process takes over without waiting for expiry. */
  release: async (db: Db, consumer: string, tenantId: string, token: string, now: number) => {
    await db
      .updateTable('consumer_cursors')
      .set({ lease_owner: null, lease_token: null, lease_expires_at: null, updated_at: now })
      .where('consumer', '=', consumer)
      .where('tenant_id', '=', tenantId)
      .where('lease_token', '=', token)
      .execute();
  },

  find: (db: Db, consumer: string, tenantId: string) =>
    db.selectFrom('consumer_cursors').selectAll().where('consumer', '=', consumer).where('tenant_id', '=', tenantId).executeTakeFirst(),

  /** head − cursor for each (consumer, tenant) row; a tenant with no events yet has head 0. */
  lags: async (db: Db, consumers: readonly string[]) => {
    if (consumers.length === 0) return [];
    const rows = await db
      .selectFrom('consumer_cursors as c')
      .leftJoin('log_heads as h', 'h.tenant_id', 'c.tenant_id')
      .select(['c.consumer', 'c.tenant_id', 'c.seq', 'h.seq as head'])
      .where('c.consumer', 'in', consumers)
      .execute();
    return rows.map((row) => ({ consumer: row.consumer, tenantId: row.tenant_id, lag: Math.max(0, Number(row.head ?? 0) - Number(row.seq)) }));
  },
};

export const tenantIds = async (db: Db): Promise<string[]> =>
  (await db.selectFrom('tenants').select('id').orderBy('id').execute()).map((row) => row.id);
