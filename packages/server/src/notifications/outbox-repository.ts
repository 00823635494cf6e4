import type { Db } from '../store/executor.js';
import type { NotificationsTable } from '../store/schema.js';

/**
 * The notification outbox. A row moves:
 *   pending ──send──► sent
 *      │  ├──re-check──► skipped (opted out, disabled, moot, channel off)
 *      │  ├──temporary failure──► failed (retry at next_attempt_at) ──► … ──► dead (out of attempts)
 *      │  └──permanent failure──► dead
 *      └ quiet hours: stays pending, next_attempt_at = their end
 *   dead / failed ──admin retry──► pending
 * Every change made by a delivery checks `delivery_token`: each reschedule (retry, quiet
 * hours, admin retry) hands the row to one new job and stale jobs find nothing to do.
 */
export type NotificationRow = NotificationsTable;
export type NotificationStatus = 'pending' | 'sent' | 'skipped' | 'failed' | 'dead';

export interface OutboxFilter {
  status?: NotificationStatus;
  channel?: string;
  incidentId?: string;
  beforeId?: string;
  limit: number;
}

const held = (db: Db, id: string, token: string) =>
  db.updateTable('notifications').where('id', '=', id).where('delivery_token', '=', token).where('status', 'in', ['pending', 'failed']);

export const outboxRepository = {
  /** Inserts unless (tenant, event, kind, channel, recipient) already has a row; true when it was written. */
  insertOnce: async (db: Db, row: NotificationRow): Promise<boolean> => {
    const inserted = await db
      .insertInto('notifications')
      .values(row)
      .onConflict((oc) => oc.columns(['tenant_id', 'event_seq', 'kind', 'channel', 'recipient_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  },

  find: (db: Db, id: string) => db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst(),

  findInTenant: (db: Db, tenantId: string, id: string) =>
    db.selectFrom('notifications').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst(),

  sent: async (db: Db, id: string, token: string, providerId: string | null, now: number) =>
    updatedOne(
      await held(db, id, token)
        .set((eb) => ({ status: 'sent', attempts: eb('attempts', '+', 1), provider_id: providerId, last_error: null, next_attempt_at: null, sent_at: now, updated_at: now }))
        .executeTakeFirst(),
    ),

  skipped: async (db: Db, id: string, token: string, reason: string, now: number) =>
    updatedOne(await held(db, id, token).set({ status: 'skipped', skip_reason: reason, next_attempt_at: null, updated_at: now }).executeTakeFirst()),

  /** A failed attempt: `failed` with a new token and retry time, or `dead` when retryAt is null. */
  failed: async (db: Db, id: string, token: string, error: string, next: { token: string; at: number } | null, now: number) =>
    updatedOne(
      await held(db, id, token)
        .set((eb) => ({
          status: next ? 'failed' : 'dead',
          attempts: eb('attempts', '+', 1),
          last_error: error,
          delivery_token: next?.token ?? token,
          next_attempt_at: next?.at ?? null,
          updated_at: now,
        }))
        .executeTakeFirst(),
    ),

  /** Hands the row to a later job (quiet hours) without counting an attempt. */
  postponed: async (db: Db, id: string, token: string, next: { token: string; at: number }, now: number) =>
    updatedOne(await held(db, id, token).set({ delivery_token: next.token, next_attempt_at: next.at, updated_at: now }).executeTakeFirst()),

  /** An admin's retry of a dead or failed row: pending again, with a fresh round of attempts. */
  requeue: async (db: Db, tenantId: string, id: string, token: string, attemptsPerRound: number, now: number) =>
    updatedOne(
      await db
        .updateTable('notifications')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', 'in', ['dead', 'failed'])
        .set((eb) => ({
          status: 'pending',
          delivery_token: token,
          max_attempts: eb('attempts', '+', attemptsPerRound),
          next_attempt_at: now,
          skip_reason: null,
          updated_at: now,
        }))
        .executeTakeFirst(),
    ),

  /** The outbox as admins see it, newest first. */
  list: (db: Db, tenantId: string, filter: OutboxFilter) => {
    let query = db.selectFrom('notifications').selectAll().where('tenant_id', '=', tenantId);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.channel) query = query.where('channel', '=', filter.channel);
    if (filter.incidentId) query = query.where('incident_id', '=', filter.incidentId);
    if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
    return query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  },

  /** One person's in-app notifications, newest first (skipped ones were never theirs to see). */
  listInApp: (db: Db, tenantId: string, userId: string, query: { beforeId?: string; limit: number }) => {
    let select = inApp(db, tenantId, userId).selectAll();
    if (query.beforeId) select = select.where('id', '<', query.beforeId);
    return select.orderBy('id', 'desc').limit(query.limit + 1).execute();
  },

  unreadCount: async (db: Db, tenantId: string, userId: string) => {
    const row = await inApp(db, tenantId, userId)
      .where('read_at', 'is', null)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  markRead: (db: Db, tenantId: string, userId: string, ids: readonly string[] | 'all', now: number) => {
    let update = db
      .updateTable('notifications')
      .set({ read_at: now })
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .where('channel', '=', 'inapp')
      .where('read_at', 'is', null);
    if (ids !== 'all') update = update.where('id', 'in', ids);
    return update.execute();
  },
};

const inApp = (db: Db, tenantId: string, userId: string) =>
  db
    .selectFrom('notifications')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('channel', '=', 'inapp')
    .where('status', '!=', 'skipped');

const updatedOne = (result: { numUpdatedRows: bigint }) => Number(result.numUpdatedRows) === 1;
