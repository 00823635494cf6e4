import { sql } from 'kysely';
import { OPEN_STATUSES, openRank, urgencyRank, type Incident, type IncidentScope, type IncidentSort, type SortKey, type Status, type Urgency } from '@alertautec/core';
import type { Db } from '../store/executor.js';
import { prepared } from '../store/prepared.js';
import type { IncidentsTable } from '../store/schema.js';
import { filterColumns, inOrder, pinnedBy } from './list-order.js';
import { matchesSearch } from './search-condition.js';
import { incidentStatsRollup } from './stats-rollup.js';

export type IncidentRow = IncidentsTable;

export const fromRow = (row: IncidentRow): Incident => ({
  id: row.id,
  tenantId: row.tenant_id,
  category: row.category,
  title: row.title,
  description: row.description,
  urgency: row.urgency as Urgency,
  status: row.status as Status,
  locationCode: row.location_code,
  locationText: row.location_text,
  lat: row.lat,
  lng: row.lng,
  departmentId: row.department_id,
  reporterId: row.reporter_id,
  anonymous: row.anonymous === 1,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
  acknowledgedAt: row.acknowledged_at === null ? null : Number(row.acknowledged_at),
  resolvedAt: row.resolved_at === null ? null : Number(row.resolved_at),
  slaDueAt: Number(row.sla_due_at),
  affectedCount: Number(row.affected_count),
  version: row.version,
});

export const toRow = (incident: Incident, searchText: string): IncidentRow => ({
  id: incident.id,
  tenant_id: incident.tenantId,
  category: incident.category,
  title: incident.title,
  description: incident.description,
  urgency: incident.urgency,
  status: incident.status,
  location_code: incident.locationCode,
  location_text: incident.locationText,
  lat: incident.lat,
  lng: incident.lng,
  department_id: incident.departmentId,
  reporter_id: incident.reporterId,
  anonymous: incident.anonymous ? 1 : 0,
  created_at: incident.createdAt,
  updated_at: incident.updatedAt,
  acknowledged_at: incident.acknowledgedAt,
  resolved_at: incident.resolvedAt,
  sla_due_at: incident.slaDueAt,
  version: incident.version,
  search_text: searchText,
  open_rank: openRank(incident.status),
  urgency_rank: urgencyRank(incident.urgency),
  affected_count: incident.affectedCount,
});

export interface IncidentFilter {
  limit: number;
  sort: IncidentSort;
  /** The key of the last row already seen (from the cursor). */
  after?: SortKey;
  status?: readonly string[];
  urgency?: readonly string[];
  category?: string;
  departmentId?: string;
  reporterId?: string;
  /** Folded search words; each must begin a word of the incident's search text (search-condition.ts). */
  words?: readonly string[];
  /** Raw text that must appear as is (case aside) in the title, description or location. */
  literals?: readonly string[];
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

function scoped(db: Db, scope: IncidentScope) {
  let query = db.selectFrom('incidents').where('tenant_id', '=', scope.tenantId);
  if (scope.kind === 'department') {
    // Staff without a department see nothing rather than everything unassigned.
    query = scope.departmentId === null ? query.where(sql<boolean>`1 = 0`) : query.where('department_id', '=', scope.departmentId);
  }
  // A student's scope: what they reported or follow ("it affects me too", incident_followers).
  // Written as one id set (each half served by its own index) rather than `reporter = ? OR id
  // IN (…)`, which SQLite can only answer by reading the whole tenant.
  if (scope.kind === 'reporter') {
    query = query.where((eb) =>
      eb(
        'id',
        'in',
        eb
          .selectFrom('incidents as reported')
          .select('reported.id')
          .where('reported.tenant_id', '=', scope.tenantId)
          .where('reported.reporter_id', '=', scope.reporterId)
          .unionAll(eb.selectFrom('incident_followers').select('incident_id as id').where('tenant_id', '=', scope.tenantId).where('user_id', '=', scope.reporterId)),
      ),
    );
  }
  return query;
}

const INCIDENT_COLUMNS = [
  'id', 'tenant_id', 'category', 'title', 'description', 'urgency', 'status', 'location_code', 'location_text', 'lat', 'lng',
  'department_id', 'reporter_id', 'anonymous', 'created_at', 'updated_at', 'acknowledged_at', 'resolved_at', 'sla_due_at',
  'version', 'search_text', 'open_rank', 'urgency_rank', 'affected_count',
] as const satisfies readonly (keyof IncidentRow)[];
// Reporting is the hot write path: its insert is built once (see store/prepared.ts).
const insertIncident = prepared((db, row: IncidentRow) => db.insertInto('incidents').values(row), INCIDENT_COLUMNS);

export const incidentsRepository = {
  /** Inserts a new incident and counts it (stats-rollup.ts), in the caller's transaction. */
  insert: async (db: Db, row: IncidentRow) => {
    await insertIncident(db, row);
    await incidentStatsRollup.record(db, null, fromRow(row));
  },

  findById: async (db: Db, tenantId: string, id: string) => {
    const row = await db.selectFrom('incidents').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : undefined;
  },

  /** The incidents of these ids that exist in the tenant, in no particular order. */
  findMany: async (db: Db, tenantId: string, ids: readonly string[]) =>
    (await db.selectFrom('incidents').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', ids).execute()).map(fromRow),

  /**
   * Writes a changed incident if nobody else changed it since `previous` was read; false when
   * the version moved. Moves the stats counters from `previous` to `incident` in the same
   * transaction (the version proves the stored row was `previous`).
   */
  updateIfVersion: async (db: Db, incident: Incident, previous: Incident) => {
    const result = await db
      .updateTable('incidents')
      .set({
        status: incident.status,
        open_rank: openRank(incident.status),
        department_id: incident.departmentId,
        updated_at: incident.updatedAt,
        acknowledged_at: incident.acknowledgedAt,
        resolved_at: incident.resolvedAt,
        version: incident.version,
      })
      .where('tenant_id', '=', incident.tenantId)
      .where('id', '=', incident.id)
      .where('version', '=', previous.version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await incidentStatsRollup.record(db, previous, incident);
    return true;
  },

  /** In `filter.sort`'s order (list-order.ts), within what the scope may see. */
  list: async (db: Db, scope: IncidentScope, filter: IncidentFilter) => {
    let query = scoped(db, scope).selectAll();
    const pinned = pinnedBy(filter);
    const ref = filterColumns(db, scope.kind === 'reporter' || filter.reporterId !== undefined);
    // Statuses on one side of open/closed fix open_rank, which leads the order indexes.
    if (pinned.openRank !== undefined) query = query.where(ref('open_rank'), '=', pinned.openRank);
    if (filter.status?.length && !pinned.wholeSide) query = query.where(ref('status'), 'in', filter.status);
    if (pinned.urgencyRank !== undefined) query = query.where(ref('urgency_rank'), '=', pinned.urgencyRank);
    else if (filter.urgency?.length) query = query.where(ref('urgency'), 'in', filter.urgency);
    if (filter.category) query = query.where(ref('category'), '=', filter.category);
    if (filter.departmentId) query = query.where('department_id', '=', filter.departmentId);
    if (filter.reporterId) query = query.where('reporter_id', '=', filter.reporterId);
    if (filter.words?.length) query = query.where(await matchesSearch(db, filter.words));
    for (const literal of filter.literals ?? []) {
      const pattern = `%${escapeLike(literal)}%`;
      query = query.where(
        sql<boolean>`(lower(title) like lower(${pattern}) escape '\\' or lower(description) like lower(${pattern}) escape '\\' or lower(coalesce(location_text, '')) like lower(${pattern}) escape '\\' or lower(coalesce(location_code, '')) like lower(${pattern}) escape '\\')`,
      );
    }
    return (await inOrder(query, filter.sort, filter.after, pinned.columns, ref).limit(filter.limit + 1).execute()).map(fromRow);
  },

  /** Open incidents of a category reported since `since`: candidates for duplicates. */
  openOfCategorySince: async (db: Db, tenantId: string, category: string, since: number) =>
    (
      await db
        .selectFrom('incidents')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('category', '=', category)
        .where('created_at', '>=', since)
        .where('status', 'in', OPEN_STATUSES)
        .orderBy('created_at', 'desc')
        .limit(500)
        .execute()
    ).map(fromRow),
};

/** How long an Idempotency-Key answers with its first incident. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export const idempotencyRepository = {
  find: (db: Db, userId: string, key: string) =>
    db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', key).executeTakeFirst(),
  insert: (db: Db, row: { user_id: string; key: string; tenant_id: string; request_hash: string; incident_id: string; created_at: number }) =>
    db.insertInto('idempotency_keys').values(row).execute(),
  /** Forgets the key only if it is older than `before`: a live key is never replaced. */
  removeExpired: (db: Db, userId: string, key: string, before: number) =>
    db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).where('created_at', '<', before).execute(),
  /** Housekeeping: keys past their window answer nothing any more. */
  removeOlderThan: (db: Db, before: number) => db.deleteFrom('idempotency_keys').where('created_at', '<', before).execute(),
};
