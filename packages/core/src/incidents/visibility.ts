import type { UserActor } from '../roles.js';
import type { Incident } from './model.js';

/**
 * Who sees which incidents, as a filter the store can apply and as a predicate:
 * authorities and admins see the whole tenant, staff their department's, students
 * what they reported.
 */
export type IncidentScope =
  | { kind: 'tenant'; tenantId: string }
  | { kind: 'department'; tenantId: string; departmentId: string | null }
  | { kind: 'reporter'; tenantId: string; reporterId: string };

export function incidentScope(actor: UserActor): IncidentScope {
  switch (actor.role) {
    case 'admin':
    case 'authority':
      return { kind: 'tenant', tenantId: actor.tenantId };
    case 'staff':
      return { kind: 'department', tenantId: actor.tenantId, departmentId: actor.departmentId };
    case 'student':
      return { kind: 'reporter', tenantId: actor.tenantId, reporterId: actor.userId };
  }
}

export function canSeeIncident(actor: UserActor, incident: Pick<Incident, 'tenantId' | 'departmentId' | 'reporterId'>): boolean {
  if (incident.tenantId !== actor.tenantId) return false;
  const scope = incidentScope(actor);
  switch (scope.kind) {
    case 'tenant':
      return true;
    case 'department':
      return scope.departmentId !== null && incident.departmentId === scope.departmentId;
    case 'reporter':
      return incident.reporterId === scope.reporterId;
  }
}

/** Internal comments are for the people working the incident, never for students. */
export const canSeeInternal = (actor: UserActor): boolean => actor.role !== 'student';

/** Anonymous reports hide who reported them from everyone but admins. */
export const canSeeReporter = (actor: UserActor, incident: Pick<Incident, 'anonymous'>): boolean =>
  !incident.anonymous || actor.role === 'admin';
