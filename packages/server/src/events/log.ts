import { stampedEvent, type IncidentEvent, type NewEvent } from '@alertautec/core';
import { sql } from 'kysely';
import type { Db } from '../store/executor.js';
import { prepared } from '../store/prepared.js';
import type { IncidentEventsTable } from '../store/schema.js';

/**
 * The incident event log: the transactional outbox every consumer reads by cursor.
 *
 * `seq` comes from a per-tenant counter row that each append increments inside the
 * writer's transaction. The row lock is held until commit, so appends of one tenant are
 * serialized and seq order is commit order, on PostgreSQL with concurrent writers too: a
 * reader that has seen seq n can never later find an n-1 committing behind it. The cost is
 * that a tenant's writes queue on that row, which is short (one update, one insert).
 * Callers append last in their transaction to keep the lock short and the order of locks
 * the same everywhere.
 */
export type EventRow = IncidentEventsTable;

export interface LoggedEvent {
  event: IncidentEvent;
  internal: boolean;
  incidentId: string;
}

// The two statements of every append, built once (see store/prepared.ts).
const incrementHeadQuery = prepared(
  (db, v: { tenantId: string }) =>
    db
      .updateTable('log_heads')
      .set((eb) => ({ seq: eb('seq', '+', sql.lit(1)) }))
      .where('tenant_id', '=', v.tenantId)
      .returning('seq'),
  ['tenantId'],
);
const EVENT_COLUMNS = ['tenant_id', 'seq', 'incident_id', 'type', 'at', 'actor_id', 'internal', 'payload'] as const;
const insertEventQuery = prepared(
  (db, v: EventRow) => db.insertInto('incident_events').values(v),
  EVENT_COLUMNS,
);

// Every consumer batch starts with this read (see store/prepared.ts).
const readAfterQuery = prepared(
  (db, v: { tenantId: string; afterSeq: number; limit: number }) =>
    db.selectFrom('incident_events').selectAll().where('tenant_id', '=', v.tenantId).where('seq', '>', v.afterSeq).orderBy('seq').limit(v.limit),
  ['tenantId', 'afterSeq', 'limit'],
);

const incrementHead = async (trx: Db, tenantId: string) =>
  (await incrementHeadQuery<{ seq: number }>(trx, { tenantId })).rows[0];

export async function appendEvent(trx: Db, tenantId: string, event: NewEvent, at: number): Promise<number> {
  let head = await incrementHead(trx, tenantId);
  if (!head) {
    // The tenant's first event: create its counter (once, even when two writers race).
    await trx.insertInto('log_heads').values({ tenant_id: tenantId, seq: 0 }).onConflict((oc) => oc.column('tenant_id').doNothing()).execute();
    head = await incrementHead(trx, tenantId);
  }
  const seq = Number(head!.seq);
  await insertEventQuery(trx, {
    tenant_id: tenantId,
    seq,
    incident_id: event.incidentId,
    type: event.type,
    at,
    actor_id: event.actorId,
    internal: event.internal ? 1 : 0,
    payload: JSON.stringify(event.payload),
  });
  return seq;
}

/** A row of incident_events as readers see it: the event, stamped as the contract shapes it. */
export function toLoggedEvent(row: EventRow): LoggedEvent {
  const appended = {
    type: row.type as NewEvent['type'],
    incidentId: row.incident_id,
    actorId: row.actor_id,
    payload: JSON.parse(row.payload) as NewEvent['payload'],
  };
  return { event: stampedEvent(appended, Number(row.seq), Number(row.at)), internal: row.internal === 1, incidentId: row.incident_id };
}

export const eventLog = {
  /** Events after `afterSeq`, in seq order: how consumers tail the log. */
  readAfter: async (db: Db, tenantId: string, afterSeq: number, limit: number) =>
    (await readAfterQuery<EventRow>(db, { tenantId, afterSeq, limit })).rows.map(toLoggedEvent),

  forIncident: async (db: Db, tenantId: string, incidentId: string) =>
    (
      await db
        .selectFrom('incident_events')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('incident_id', '=', incidentId)
        .orderBy('seq')
        .execute()
    ).map(toLoggedEvent),

  head: async (db: Db, tenantId: string) => {
    const row = await db.selectFrom('log_heads').select('seq').where('tenant_id', '=', tenantId).executeTakeFirst();
    return row ? Number(row.seq) : 0;
  },
};
