import type { Role, UserActor } from '../roles.js';
import { toIso } from '../time.js';
import type { Incident, Status, Urgency } from './model.js';
import { canSeeInternal, canSeeReporter, seesAnonymousReporters } from './visibility.js';

/**
 * The event catalogue: every change to an incident is one of these, appended to the log
 * in the same transaction as the change. Shared by the server, the SDK and the web app.
 */
export interface IncidentEventPayloads {
  IncidentCreated: {
    reporterId: string | null;
    category: string;
    title: string;
    locationCode: string | null;
    locationText: string | null;
    urgency: Urgency;
    status: Status;
    departmentId: string | null;
    createdAt: string;
  };
  IncidentStatusChanged: { status: Status; previousStatus: Status; updatedBy: string | null; updatedAt: string; note?: string; actorRole?: Role };
  CommentAdded: { commentId: string; text: string; internal: boolean; authorId: string | null; actorRole?: Role };
  DepartmentAssigned: { departmentId: string | null; previousDepartmentId: string | null };
  AttachmentAdded: { attachmentId: string; filename: string; contentType: string; size: number };
  IncidentEscalated: {
    reason: 'sla_breach' | 'manual';
    slaDueAt: string;
    /** 1 for the first escalation (manual or SLA breach), +1 for each escalation-policy level after it. */
    level: number;
    status: 'escalated';
    previousStatus: Status;
    updatedBy: string | null;
    updatedAt: string;
    note?: string;
    actorRole?: Role;
  };
  /** A student said "it affects me too"; who (the actor) is shown only to those who see internal comments. */
  IncidentAffected: { affectedCount: number };
}

export type IncidentEventType = keyof IncidentEventPayloads;
export const INCIDENT_EVENT_TYPES: readonly IncidentEventType[] = [
  'IncidentCreated',
  'IncidentStatusChanged',
  'CommentAdded',
  'DepartmentAssigned',
  'AttachmentAdded',
  'IncidentEscalated',
  'IncidentAffected',
];

export type IncidentEvent = {
  [K in IncidentEventType]: { seq: number; type: K; id: string; at: string; actorId: string | null } & IncidentEventPayloads[K];
}[IncidentEventType];

/** An event about to be appended: the log assigns `seq` and `at`. */
export interface NewEvent<K extends IncidentEventType = IncidentEventType> {
  type: K;
  incidentId: string;
  actorId: string | null;
  payload: IncidentEventPayloads[K];
  /** Internal comments are hidden from students. */
  internal: boolean;
}

/** The event as the log holds it: what was appended, stamped with its seq and the time of its append. */
export function stampedEvent(appended: Pick<NewEvent, 'type' | 'incidentId' | 'actorId' | 'payload'>, seq: number, at: number): IncidentEvent {
  return { seq, type: appended.type, id: appended.incidentId, at: toIso(at), actorId: appended.actorId, ...appended.payload } as IncidentEvent;
}

export function incidentCreatedEvent(incident: Incident): NewEvent<'IncidentCreated'> {
  return {
    type: 'IncidentCreated',
    incidentId: incident.id,
    actorId: incident.reporterId,
    internal: false,
    payload: {
      reporterId: incident.reporterId,
      category: incident.category,
      title: incident.title,
      locationCode: incident.locationCode,
      locationText: incident.locationText,
      urgency: incident.urgency,
      status: incident.status,
      departmentId: incident.departmentId,
      createdAt: toIso(incident.createdAt),
    },
  };
}

/** A status change; a move to `escalated` is recorded as IncidentEscalated. */
export function statusChangeEvent(
  before: Incident,
  after: Incident,
  actorId: string | null,
  note: string | undefined,
  reason: 'sla_breach' | 'manual' = 'manual',
): NewEvent<'IncidentStatusChanged'> | NewEvent<'IncidentEscalated'> {
  const common = {
    previousStatus: before.status,
    updatedBy: actorId,
    updatedAt: toIso(after.updatedAt),
    ...(note !== undefined ? { note } : {}),
  };
  if (after.status === 'escalated') {
    return {
      type: 'IncidentEscalated',
      incidentId: after.id,
      actorId,
      internal: false,
      payload: { reason, slaDueAt: toIso(after.slaDueAt), level: 1, status: 'escalated', ...common },
    };
  }
  return { type: 'IncidentStatusChanged', incidentId: after.id, actorId, internal: false, payload: { status: after.status, ...common } };
}

export const commentAddedEvent = (incidentId: string, commentId: string, authorId: string, text: string, internal: boolean): NewEvent<'CommentAdded'> => ({
  type: 'CommentAdded',
  incidentId,
  actorId: authorId,
  internal,
  payload: { commentId, text, internal, authorId },
});

export const departmentAssignedEvent = (
  incidentId: string,
  actorId: string,
  departmentId: string | null,
  previousDepartmentId: string | null,
): NewEvent<'DepartmentAssigned'> => ({
  type: 'DepartmentAssigned',
  incidentId,
  actorId,
  internal: false,
  payload: { departmentId, previousDepartmentId },
});

export const attachmentAddedEvent = (
  incidentId: string,
  actorId: string,
  attachment: { id: string; filename: string; contentType: string; size: number },
): NewEvent<'AttachmentAdded'> => ({
  type: 'AttachmentAdded',
  incidentId,
  actorId,
  internal: false,
  payload: { attachmentId: attachment.id, filename: attachment.filename, contentType: attachment.contentType, size: attachment.size },
});

export const incidentAffectedEvent = (incidentId: string, actorId: string, affectedCount: number): NewEvent<'IncidentAffected'> => ({
  type: 'IncidentAffected',
  incidentId,
  actorId,
  internal: false,
  payload: { affectedCount },
});

/**
 * Records the role the person acted in (what a reporter is shown of who answered: "staff",
 * never a name or an e-mail). Written with the event, so history keeps the role of the
 * moment even if the person's role changes later. Absent on the system's own events.
 */
export const actedAs = <E extends NewEvent<'IncidentStatusChanged'> | NewEvent<'IncidentEscalated'> | NewEvent<'CommentAdded'>>(event: E, role: Role): E => ({
  ...event,
  payload: { ...event.payload, actorRole: role },
});

const PERSON_FIELDS = ['actorId', 'reporterId', 'updatedBy', 'authorId'] as const;

/**
 * Viewers with the same key are shown every event alike (eventForViewer asks nothing else
 * of them), so one rendering of an event can serve them all.
 */
export const eventViewKey = (viewer: UserActor): string =>
  `${canSeeInternal(viewer) ? 'internal' : 'public'}|${seesAnonymousReporters(viewer) ? 'reporter' : 'anonymous'}`;

/**
 * Shapes one logged event for one viewer: null when they may not see it (internal
 * comments for students), and the reporter's identity hidden on anonymous incidents.
 */
export function eventForViewer(
  viewer: UserActor,
  event: IncidentEvent,
  internal: boolean,
  incident: Pick<Incident, 'anonymous' | 'reporterId'>,
): IncidentEvent | null {
  if (internal && !canSeeInternal(viewer)) return null;
  // Who joined an incident is not for students (only its count is).
  if (event.type === 'IncidentAffected' && !canSeeInternal(viewer)) event = { ...event, actorId: null };
  if (canSeeReporter(viewer, incident)) return event;
  const redacted: Record<string, unknown> = { ...event };
  for (const field of PERSON_FIELDS) {
    if (field in redacted && redacted[field] === incident.reporterId) redacted[field] = null;
  }
  return redacted as IncidentEvent;
}
