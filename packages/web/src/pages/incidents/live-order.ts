import { DEFAULT_INCIDENT_SORT, compareIncidents, type IncidentSort } from '@alertautec/core';
import type { Incident } from '../../api/types.js';

const sortable = (incident: Incident) => ({
  id: incident.id,
  status: incident.status,
  urgency: incident.urgency,
  slaDueAt: Date.parse(incident.slaDueAt),
  updatedAt: Date.parse(incident.updatedAt),
});

/**
 * Puts a row that arrived or changed live where the server's order puts it (core's
 * `compareIncidents`, the same order the server pages through). While more pages remain, a
 * row that sorts after the last loaded one is left out: "load more" reaches it there (the
 * cursor is the last loaded row), so it is never shown twice nor out of order.
 */
export function placeInOrder(rows: readonly Incident[], incident: Incident, sort: IncidentSort | undefined, hasMore: boolean): Incident[] {
  const compare = compareIncidents(sort ?? DEFAULT_INCIDENT_SORT);
  const row = sortable(incident);
  const others = rows.filter((other) => other.id !== incident.id);
  const last = others.at(-1);
  if (hasMore && last && compare(row, sortable(last)) > 0) return others;
  const index = others.findIndex((other) => compare(row, sortable(other)) < 0);
  return index < 0 ? [...others, incident] : [...others.slice(0, index), incident, ...others.slice(index)];
}
