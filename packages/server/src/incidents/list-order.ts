import { SORT_DESCENDING, STATUSES, openRank, sortKey, urgencyRank, type Incident, type IncidentSort, type SortKey, type Status, type Urgency } from '@alertautec/core';
import { PostgresAdapter, sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../store/executor.js';
import { decodeCursor } from '../store/pagination.js';
import type { Database, IncidentsTable } from '../store/schema.js';

/**
 * Keyset pagination for each incident order (core's `sortKey`, docs/incidents.md): the
 * columns that hold the key, in the order of the composite indexes of migration 0013, so
 * the database walks an index and never sorts the table.
 */
const KEY_COLUMNS = {
  newest: ['id'],
  oldest: ['id'],
  urgency: ['open_rank', 'urgency_rank', 'sla_due_at', 'id'],
  due: ['open_rank', 'sla_due_at', 'id'],
  updated: ['updated_at', 'id'],
} as const satisfies Record<IncidentSort, readonly (keyof IncidentsTable)[]>;

type KeyColumn = (typeof KEY_COLUMNS)[IncidentSort][number];

/** Key columns a filter fixes to one value (`open_rank` for "open", `urgency_rank` for one urgency). */
export type PinnedColumns = ReadonlySet<KeyColumn>;

/**
 * What a status and urgency filter fixes: a set of statuses all open (or all closed) fixes
 * `open_rank`, and when it is that whole side ("open" = pending, in_progress, escalated)
 * the status test itself is redundant; one urgency fixes `urgency_rank`. Newest and oldest
 * of one resolved, closed or rejected status are served by the (tenant, status, id) index
 * instead (history, not the open backlog), so nothing is pinned.
 */
export function pinnedBy(filter: { sort: IncidentSort; status?: readonly string[]; urgency?: readonly string[] }) {
  const statuses = (filter.status ?? []) as readonly Status[];
  const ranks = new Set(statuses.map(openRank));
  const rank = ranks.size === 1 ? [...ranks][0]! : undefined;
  const wholeSide = rank !== undefined && STATUSES.every((status) => openRank(status) !== rank || statuses.includes(status));
  const byStatusIndex = (filter.sort === 'newest' || filter.sort === 'oldest') && new Set(statuses).size === 1 && rank === 1 && !wholeSide;
  const openRankPin = byStatusIndex ? undefined : rank;
  const urgencyPin = filter.urgency?.length === 1 ? urgencyRank(filter.urgency[0] as Urgency) : undefined;
  const columns = new Set<KeyColumn>();
  if (openRankPin !== undefined) columns.add('open_rank');
  if (urgencyPin !== undefined) columns.add('urgency_rank');
  return { openRank: openRankPin, wholeSide: openRankPin !== undefined && wholeSide, urgencyRank: urgencyPin, columns: columns as PinnedColumns };
}

/** What the cursor after `incident` carries: the order's name and the row's key, so a cursor of another order is refused. */
export const cursorKey = (sort: IncidentSort, incident: Incident) => ({ s: sort, k: sortKey(sort, incident) });

/** The key a cursor carries, if it was issued for this order (otherwise 400 `invalid_cursor`). */
export function keyFromCursor(sort: IncidentSort, cursor: string | undefined): SortKey | undefined {
  const size = KEY_COLUMNS[sort].length;
  const isKey = (value: unknown): value is { s: IncidentSort; k: SortKey } => {
    if (typeof value !== 'object' || value === null) return false;
    const { s, k } = value as { s?: unknown; k?: unknown };
    return (
      s === sort &&
      Array.isArray(k) &&
      k.length === size &&
      k.every((part, i) => (i === size - 1 ? typeof part === 'string' && part.length <= 64 : Number.isSafeInteger(part)))
    );
  };
  return decodeCursor(cursor, isKey)?.k;
}

type FilterColumn = KeyColumn | 'status' | 'urgency' | 'category';
const TEXT_COLUMNS: ReadonlySet<FilterColumn> = new Set(['id', 'status', 'urgency', 'category']);

/**
 * How the list names the columns it filters and orders by. PostgreSQL's planner knows from
 * its statistics how many rows each condition leaves and picks the index: plain columns.
 * SQLite's (no statistics) prefers the index with the most equality columns, so two
 * conditions are written as expressions no index matches (`x || ''`, `x + 0`), which makes
 * them checks on the rows an index yields: a category (a share of the table) always, so a
 * category index never wins over the order's; and, for one reporter's incidents (`fewRows`:
 * a student, or `mine`), every filter and the order, so those few rows are read by the
 * reporter index and sorted rather than looked for along the tenant's order index.
 */
export function filterColumns(db: Db, fewRows: boolean): (column: FilterColumn) => RawBuilder<unknown> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return (column) => sql.ref(column);
  return (column) => {
    if (!fewRows && column !== 'category') return sql.ref(column);
    return TEXT_COLUMNS.has(column) ? sql`(${sql.ref(column)} || '')` : sql`(${sql.ref(column)} + 0)`;
  };
}

/**
 * Orders the query by `sort` and starts it after `after`. Pinned columns are left out of
 * both (every row shares their value), so an equality prefix plus the rest of the key is
 * exactly an index's column order and the row-value comparison is an index range.
 */
export function inOrder<O>(
  query: SelectQueryBuilder<Database, 'incidents', O>,
  sort: IncidentSort,
  after: SortKey | undefined,
  pinned: PinnedColumns,
  ref: (column: FilterColumn) => RawBuilder<unknown>,
): SelectQueryBuilder<Database, 'incidents', O> {
  const columns = KEY_COLUMNS[sort];
  const direction = SORT_DESCENDING[sort] ? 'desc' : 'asc';
  const free = columns.map((column, i) => ({ column, i })).filter(({ column }) => !pinned.has(column));
  let ordered = query;
  if (after) {
    const refs = sql.join(free.map(({ column }) => ref(column)));
    const values = sql.join(free.map(({ i }) => after[i]));
    ordered = ordered.where(sql<boolean>`(${refs}) ${sql.raw(direction === 'desc' ? '<' : '>')} (${values})`);
  }
  for (const { column } of free) ordered = ordered.orderBy(ref(column), direction);
  return ordered;
}
