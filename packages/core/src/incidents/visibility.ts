import type { Role, UserActor } from '../roles.js';
import type { Incident } from './model.js';

/**
 * Who sees which incidents, as a filter the store can apply and as a predicate:
 * authorities and admins see the whole tenant, staff their department's, students
 * what they reported or follow (they said "it affects me too", POST /api/incidents/:id/affected).
 * The `reporter` scope therefore covers the incidents a student reported and those they follow.
 */
export type IncidentScope =
  | { kind: 'tenant'; tenantId: string }
  | { kind: 'department'; tenantId: string; departmentId: string | null }
  | { kind: 'reporter'; tenantId: string; reporterId: string };

/** How far each role sees. */
const REACH: Record<Role, IncidentScope['kind']> = { admin: 'tenant', authority: 'tenant', staff: 'department', student: 'reporter' };

/** Sees every incident of the tenant (authorities and admins). */
export const seesWholeTenant = (actor: Pick<UserActor, 'role'>): boolean => REACH[actor.role] === 'tenant';
/** Sees the incidents of the department it belongs to (staff). */
export const seesDepartment = (actor: Pick<UserActor, 'role'>): boolean => REACH[actor.role] === 'department';
/** Sees only the incidents it reported or follows (students). */
export const seesOwnReports = (actor: Pick<UserActor, 'role'>): boolean => REACH[actor.role] === 'reporter';

export function incidentScope(actor: UserActor): IncidentScope {
  switch (REACH[actor.role]) {
    case 'tenant':
      return { kind: 'tenant', tenantId: actor.tenantId };
    case 'department':
      return { kind: 'department', tenantId: actor.tenantId, departmentId: actor.departmentId };
    case 'reporter':
      return { kind: 'reporter', tenantId: actor.tenantId, reporterId: actor.userId };
  }
}

/**
 * Who follows an incident, when the caller knows: a student sees an incident they follow as
 * they see one they reported (its public view), without the reporter's rights over it.
 */
export interface Followers {
  followerIds?: readonly string[];
}

export function canSeeIncident(actor: UserActor, incident: Pick<Incident, 'tenantId' | 'departmentId' | 'reporterId'> & Followers): boolean {
  if (incident.tenantId !== actor.tenantId) return false;
  const scope = incidentScope(actor);
  switch (scope.kind) {
    case 'tenant':
      return true;
    case 'department':
      return scope.departmentId !== null && incident.departmentId === scope.departmentId;
    case 'reporter':
      return incident.reporterId === scope.reporterId || (incident.followerIds?.includes(scope.reporterId) ?? false);
  }
}

/** Internal comments are for the people working the incident, never for students. */
export const canSeeInternal = (actor: UserActor): boolean => actor.role !== 'student';

/** Anonymous reports hide who reported them from everyone but admins. */
export const seesAnonymousReporters = (actor: Pick<UserActor, 'role'>): boolean => actor.role === 'admin';

export const canSeeReporter = (actor: UserActor, incident: Pick<Incident, 'anonymous'>): boolean =>
  !incident.anonymous || seesAnonymousReporters(actor);

/** Those who work incidents see who reported one by name (students see no one's name). */
export const canSeeReporterName = (actor: UserActor, incident: Pick<Incident, 'anonymous'>): boolean =>
  actor.role !== 'student' && canSeeReporter(actor, incident);
