import type { NewEvent } from '../incidents/events.js';
import { toIso } from '../time.js';
import type { Incident } from '../incidents/model.js';

/**
 * The system's escalation of a pending incident whose SLA ran out: null unless it is still
 * pending and due. The system acts (actorId null). As the contract has it, the first move
 * out of pending sets acknowledgedAt, this one too; whether a person has acted since is
 * told by the incident's version instead (see awaitsAcknowledgement).
 */
export function escalateOnSlaBreach(incident: Incident, now: number): { next: Incident; event: NewEvent<'IncidentEscalated'> } | null {
  if (incident.status !== 'pending' || incident.slaDueAt > now) return null;
  const next: Incident = { ...incident, status: 'escalated', updatedAt: now, acknowledgedAt: incident.acknowledgedAt ?? now, version: incident.version + 1 };
  return {
    next,
    event: {
      type: 'IncidentEscalated',
      incidentId: incident.id,
      actorId: null,
      internal: false,
      payload: { reason: 'sla_breach', slaDueAt: toIso(incident.slaDueAt), level: 1, status: 'escalated', previousStatus: 'pending', updatedBy: null, updatedAt: toIso(now) },
    },
  };
}

/**
 * A policy level after the breach: an event without a status change (the incident stays
 * escalated), so the notifier alerts the level's recipients and the timeline shows it.
 */
export const escalationLevelEvent = (incident: Incident, level: number, now: number): NewEvent<'IncidentEscalated'> => ({
  type: 'IncidentEscalated',
  incidentId: incident.id,
  actorId: null,
  internal: false,
  payload: { reason: 'sla_breach', slaDueAt: toIso(incident.slaDueAt), level, status: 'escalated', previousStatus: 'escalated', updatedBy: null, updatedAt: toIso(now) },
});

/**
 * Whether policy levels may still fire: nobody has moved the incident since the system
 * escalated it (policy levels leave it as it is; any person's move changes its version).
 */
export const awaitsAcknowledgement = (incident: Pick<Incident, 'status' | 'version'>, escalatedVersion: number): boolean =>
  incident.status === 'escalated' && incident.version === escalatedVersion;
