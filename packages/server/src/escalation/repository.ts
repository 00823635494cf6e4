import type { Db } from '../store/executor.js';
import type { IncidentEscalationsTable } from '../store/schema.js';

export type IncidentEscalationRow = IncidentEscalationsTable;

/** A (tenant, incident) pair the sweep found due. */
export interface DueIncident {
  tenantId: string;
  incidentId: string;
}

/**
 * Where each incident the system escalated stands in its tenant's policy (level reached,
 * next level due at), and the sweep's two questions. Moving a level forward is a
 * conditional update on the level it read, so two processes cannot both fire one level.
 */
export const incidentEscalationsRepository = {
  find: (db: Db, tenantId: string, incidentId: string) =>
    db.selectFrom('incident_escalations').selectAll().where('tenant_id', '=', tenantId).where('incident_id', '=', incidentId).executeTakeFirst(),

  /** Level 1 reached (the SLA breach); an earlier row for the incident is replaced. */
  start: async (db: Db, row: IncidentEscalationRow) => {
    await db
      .insertInto('incident_escalations')
      .values(row)
      .onConflict((oc) => oc.columns(['tenant_id', 'incident_id']).doUpdateSet({ level: row.level, next_at: row.next_at, started_at: row.started_at, updated_at: row.updated_at }))
      .execute();
  },

  /** Moves from `fromLevel` to `level`; false when another process moved it first. */
  advance: async (db: Db, key: DueIncident, fromLevel: number, level: number, nextAt: number | null, now: number) => {
    const result = await db
      .updateTable('incident_escalations')
      .set({ level, next_at: nextAt, updated_at: now })
      .where('tenant_id', '=', key.tenantId)
      .where('incident_id', '=', key.incidentId)
      .where('level', '=', fromLevel)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /** No more levels for this incident (acknowledged, closed, or the policy ran out). */
  finish: async (db: Db, key: DueIncident, now: number) => {
    await db
      .updateTable('incident_escalations')
      .set({ next_at: null, updated_at: now })
      .where('tenant_id', '=', key.tenantId)
      .where('incident_id', '=', key.incidentId)
      .execute();
  },

  /** Pending incidents whose SLA ran out by `now`, oldest due first (index incidents_status_due). */
  overdue: async (db: Db, now: number, limit: number): Promise<DueIncident[]> =>
    (
      await db
        .selectFrom('incidents')
        .select(['tenant_id', 'id'])
        .where('status', '=', 'pending')
        .where('sla_due_at', '<=', now)
        .orderBy('sla_due_at')
        .limit(limit)
        .execute()
    ).map((row) => ({ tenantId: row.tenant_id, incidentId: row.id })),

  /** Escalations whose next level is due by `now` (index incident_escalations_next). */
  levelsDue: async (db: Db, now: number, limit: number): Promise<DueIncident[]> =>
    (
      await db
        .selectFrom('incident_escalations')
        .select(['tenant_id', 'incident_id'])
        .where('next_at', '<=', now)
        .orderBy('next_at')
        .limit(limit)
        .execute()
    ).map((row) => ({ tenantId: row.tenant_id, incidentId: row.incident_id })),
};
