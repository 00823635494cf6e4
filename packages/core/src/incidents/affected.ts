import { conflict, forbidden } from '../errors.js';
import type { UserActor } from '../roles.js';
import { OPEN_STATUSES, type Incident } from './model.js';

/**
 * "It affects me too": a student who finds, among a preview's possible duplicates, the
 * problem they were about to report joins it instead of filing a new one. They then follow
 * it (see its public view, get its notifications) and its affected count goes up by one.
 *
 * Any open incident of the student's tenant may be joined: the preview shows open incidents
 * of the tenant without regard to who reported them, so any of them may have been offered.
 */
export const mayJoinAsAffected = (actor: Pick<UserActor, 'role'>): boolean => actor.role === 'student';

/**
 * What joining an incident does for this student, after the caller found the incident in
 * their tenant (404 otherwise): `403` for other roles, `409 incident_not_open` once the
 * incident is resolved, closed or rejected. Its reporter already counts: `'reporter'`
 * (nothing changes); otherwise `'follow'`.
 */
export function joinAsAffected(actor: UserActor, incident: Pick<Incident, 'status' | 'reporterId'>): 'reporter' | 'follow' {
  if (!mayJoinAsAffected(actor)) throw forbidden('Only students say that an incident affects them too.');
  if (!OPEN_STATUSES.includes(incident.status)) throw conflict('The incident is no longer open; report the problem anew if it persists.', 'incident_not_open');
  return incident.reporterId === actor.userId ? 'reporter' : 'follow';
}
