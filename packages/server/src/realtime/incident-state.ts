import type { Followers, Incident, IncidentEvent } from '@alertautec/core';
import { followersRepository } from '../incidents/followers-repository.js';
import { incidentsRepository } from '../incidents/repository.js';
import type { Db } from '../store/executor.js';

/**
 * The incident as one event left it, for deciding who receives that event: the current
 * row, with the fields the event itself carries (status, department, …) taking precedence.
 */
export type IncidentState = Pick<Incident, 'id' | 'tenantId' | 'status' | 'urgency' | 'category' | 'departmentId' | 'reporterId' | 'anonymous'> &
  Required<Followers>;

/** The incidents of a batch of events, each with the students who follow it now. */
export async function loadIncidents(db: Db, tenantId: string, ids: readonly string[]): Promise<Map<string, Incident & Required<Followers>>> {
  if (ids.length === 0) return new Map();
  const unique = [...new Set(ids)];
  const [incidents, followers] = await Promise.all([incidentsRepository.findMany(db, tenantId, unique), followersRepository.ofIncidents(db, tenantId, unique)]);
  return new Map(incidents.map((incident) => [incident.id, { ...incident, followerIds: followers.get(incident.id) ?? [] }]));
}

export function stateAsOf(incident: Incident & Required<Followers>, event: IncidentEvent): IncidentState {
  const state: IncidentState = { ...incident };
  switch (event.type) {
    case 'IncidentCreated':
      // The department is the current one: after a reassignment, a replayed creation goes
      // to those who may see the incident now, as HTTP would answer them.
      return { ...state, status: event.status, urgency: event.urgency, category: event.category };
    case 'IncidentStatusChanged':
    case 'IncidentEscalated':
      return { ...state, status: event.status };
    case 'DepartmentAssigned':
      return { ...state, departmentId: event.departmentId };
    default:
      return state;
  }
}
