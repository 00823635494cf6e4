import { eventForViewer, toIso, type Incident, type IncidentEvent, type UserActor } from '@alertautec/core';
import type { IncidentView } from '@alertautec/core/schemas';
import type { LoggedEvent } from '../events/log.js';
import { presentIncident } from '../incidents/presenter.js';

/**
 * A department incident report's content: the incident and its whole history as the
 * department's staff see them through the API — internal comments included (the readers are
 * staff), the reporter of an anonymous incident hidden (only admins see it, and one file
 * serves every reader). See docs/reports.md.
 */
export interface IncidentReportContent {
  id: string;
  kind: 'incident';
  tenantId: string;
  departmentId: string;
  departmentName: string | null;
  generatedAt: string;
  timeZone: string;
  /** The event that routed the incident to the department: its creation, or an assignment. */
  assignment: { seq: number; type: 'IncidentCreated' | 'DepartmentAssigned'; at: string; actorId: string | null; previousDepartmentId: string | null };
  incident: IncidentView;
  /** Every event of the incident up to the report, oldest first. */
  history: IncidentEvent[];
}

export interface IncidentContentInput {
  reportId: string;
  departmentId: string;
  departmentName: string | null;
  incident: Incident;
  /** The incident's log (eventLog.forIncident). */
  events: readonly LoggedEvent[];
  /** The routing event's seq. */
  seq: number;
  now: number;
  timeZone: string;
}

export function incidentReportContent(input: IncidentContentInput): IncidentReportContent {
  const { incident } = input;
  // The reader the content is shaped for: staff of the department.
  const reader: UserActor = { kind: 'user', userId: '', tenantId: incident.tenantId, role: 'staff', departmentId: input.departmentId };
  const history = input.events.map(({ event, internal }) => eventForViewer(reader, event, internal, incident)).filter((event): event is IncidentEvent => event !== null);
  const routing = history.find((event) => event.seq === input.seq);
  return {
    id: input.reportId,
    kind: 'incident',
    tenantId: incident.tenantId,
    departmentId: input.departmentId,
    departmentName: input.departmentName,
    generatedAt: toIso(input.now),
    timeZone: input.timeZone,
    assignment: {
      seq: input.seq,
      type: routing?.type === 'DepartmentAssigned' ? 'DepartmentAssigned' : 'IncidentCreated',
      at: routing?.at ?? toIso(incident.createdAt),
      actorId: routing?.actorId ?? null,
      previousDepartmentId: routing?.type === 'DepartmentAssigned' ? routing.previousDepartmentId : null,
    },
    incident: presentIncident(incident, reader),
    history,
  };
}
