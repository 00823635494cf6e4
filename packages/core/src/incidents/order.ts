import { OPEN_STATUSES, URGENCIES, type Status, type Urgency } from './model.js';

/**
 * How an incident list can be ordered (CONTRACT §3 `sort`). Each order is total: ties are
 * broken by id, so a keyset cursor (the last row's key) pages through it without gaps or
 * repeats. The server walks an index in this order; the web board uses the same comparison
 * to place rows that arrive live.
 */
export const INCIDENT_SORTS = ['newest', 'oldest', 'urgency', 'due', 'updated'] as const;
export type IncidentSort = (typeof INCIDENT_SORTS)[number];
export const DEFAULT_INCIDENT_SORT: IncidentSort = 'newest';

/** 0 for critical up to 3 for low: ascending rank is most urgent first. */
export const urgencyRank = (urgency: Urgency): number => URGENCIES.length - 1 - URGENCIES.indexOf(urgency);

/** 0 while the incident needs work, 1 once it is resolved, closed or rejected: ascending puts open ones first. */
export const openRank = (status: Status): number => (OPEN_STATUSES.includes(status) ? 0 : 1);

export interface SortableIncident {
  id: string;
  status: Status;
  urgency: Urgency;
  /** Epoch milliseconds. */
  slaDueAt: number;
  updatedAt: number;
}

export type SortKey = readonly (number | string)[];

/**
 * The key an order compares, most significant first; `descending` says which way it runs.
 * - newest / oldest: the id (ids are time-ordered).
 * - urgency: open first, then critical → low, then the nearest SLA due time, then the id.
 * - due: open first by the nearest SLA due time; resolved, closed and rejected incidents come
 *   after every open one (their due time no longer matters, but they stay reachable).
 * - updated: the most recently updated first.
 */
export function sortKey(sort: IncidentSort, incident: SortableIncident): SortKey {
  switch (sort) {
    case 'newest':
    case 'oldest':
      return [incident.id];
    case 'urgency':
      return [openRank(incident.status), urgencyRank(incident.urgency), incident.slaDueAt, incident.id];
    case 'due':
      return [openRank(incident.status), incident.slaDueAt, incident.id];
    case 'updated':
      return [incident.updatedAt, incident.id];
  }
}

export const SORT_DESCENDING: Record<IncidentSort, boolean> = { newest: true, oldest: false, urgency: false, due: false, updated: true };

const compareKeys = (a: SortKey, b: SortKey): number => {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return 0;
};

/** Negative when `a` comes before `b` in this order. */
export const compareIncidents =
  (sort: IncidentSort) =>
  (a: SortableIncident, b: SortableIncident): number =>
    compareKeys(sortKey(sort, a), sortKey(sort, b)) * (SORT_DESCENDING[sort] ? -1 : 1);
