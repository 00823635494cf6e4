import type { Db } from '../store/executor.js';

/**
 * Students who follow an incident because it affects them too (docs/incidents.md
 * "It affects me too"). One row per (tenant, incident, student); the incident's
 * affected_count moves with the inserts, in the same transaction.
 */
export const followersRepository = {
  /** Adds the follower; false when they already followed (nothing written). */
  follow: async (db: Db, row: { tenant_id: string; incident_id: string; user_id: string; created_at: number }): Promise<boolean> => {
    const result = await db
      .insertInto('incident_followers')
      .values(row)
      .onConflict((oc) => oc.columns(['tenant_id', 'incident_id', 'user_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  },

  /** Counts one more affected person; the new count. */
  countOneMore: async (db: Db, tenantId: string, incidentId: string): Promise<number> => {
    await db
      .updateTable('incidents')
      .set((eb) => ({ affected_count: eb('affected_count', '+', 1) }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', incidentId)
      .execute();
    const row = await db.selectFrom('incidents').select('affected_count').where('tenant_id', '=', tenantId).where('id', '=', incidentId).executeTakeFirstOrThrow();
    return Number(row.affected_count);
  },

  follows: async (db: Db, tenantId: string, incidentId: string, userId: string): Promise<boolean> =>
    (await db
      .selectFrom('incident_followers')
      .select('user_id')
      .where('tenant_id', '=', tenantId)
      .where('incident_id', '=', incidentId)
      .where('user_id', '=', userId)
      .executeTakeFirst()) !== undefined,

  /** The followers of each of these incidents (incidents without any are absent). */
  ofIncidents: async (db: Db, tenantId: string, incidentIds: readonly string[]): Promise<Map<string, string[]>> => {
    const followers = new Map<string, string[]>();
    if (incidentIds.length === 0) return followers;
    const rows = await db
      .selectFrom('incident_followers')
      .select(['incident_id', 'user_id'])
      .where('tenant_id', '=', tenantId)
      .where('incident_id', 'in', incidentIds)
      .orderBy('user_id')
      .execute();
    for (const row of rows) {
      const list = followers.get(row.incident_id);
      if (list) list.push(row.user_id);
      else followers.set(row.incident_id, [row.user_id]);
    }
    return followers;
  },
};
