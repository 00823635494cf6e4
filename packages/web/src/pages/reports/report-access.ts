import { can, ROLES } from '@alertautec/core';
import type { Role, User } from '../../api/types.js';

/**
 * What the signed-in person may do with reports, as the core permission policy says:
 * `all` (admins, authorities: every report, global or any department's), `department`
 * (staff: their own department's), or `none` (students, and staff without a department).
 */
export type ReportReach = { kind: 'all' } | { kind: 'department'; departmentId: string } | { kind: 'none' };

const asActor = (role: Role, departmentId: string | null) => ({ kind: 'user' as const, userId: '', tenantId: '', role, departmentId });

export function reportReach(user: Pick<User, 'role' | 'departmentId'>): ReportReach {
  const actor = asActor(user.role, user.departmentId);
  if (can(actor, 'reports:all')) return { kind: 'all' };
  if (can(actor, 'reports:department') && user.departmentId) return { kind: 'department', departmentId: user.departmentId };
  return { kind: 'none' };
}

/** The roles that get the Reports entry in the navigation. */
export const REPORT_ROLES: readonly Role[] = ROLES.filter((role) => can(asActor(role, null), 'reports:all') || can(asActor(role, null), 'reports:department'));
