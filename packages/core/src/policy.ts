import { forbidden, validationError } from './errors.js';
import type { Actor, ApiKeyScope, Role } from './roles.js';

/**
 * The permission policy: the one place that decides who may do what. Hosts ask it;
 * they never compare roles themselves.
 */
export type Permission =
  | 'users:manage'
  | 'catalog:manage'
  | 'apiKeys:manage'
  | 'realtime:publish'
  | 'incidents:assign'
  | 'auth:introspect'
  | 'metrics:read'
  | 'jobs:manage'
  | 'escalation:manage'
  | 'notifications:manage'
  /** Every report of the tenant: list, read, create (global or any department's). */
  | 'reports:all'
  /** The reports of the caller's own department: list, read, create. */
  | 'reports:department';

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  student: [],
  staff: ['reports:department'],
  authority: ['reports:all'],
  admin: ['users:manage', 'catalog:manage', 'apiKeys:manage', 'realtime:publish', 'incidents:assign', 'auth:introspect', 'metrics:read', 'jobs:manage', 'escalation:manage', 'notifications:manage', 'reports:all'],
};

const SCOPE_PERMISSIONS: Record<ApiKeyScope, readonly Permission[]> = {
  'realtime:publish': ['realtime:publish'],
  'auth:introspect': ['auth:introspect'],
  'metrics:read': ['metrics:read'],
};

export function can(actor: Actor, permission: Permission): boolean {
  if (actor.kind === 'user') return ROLE_PERMISSIONS[actor.role].includes(permission);
  if (actor.kind === 'operator') return ROLE_PERMISSIONS.admin.includes(permission);
  return actor.scopes.some((scope) => SCOPE_PERMISSIONS[scope].includes(permission));
}

export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw forbidden();
}

/** Staff act for a department, so a staff account without one is incomplete. */
export function roleNeedsDepartment(role: Role): boolean {
  return role === 'staff';
}

/** Students act for themselves: only the other roles may belong to a department. */
export function roleMayHaveDepartment(role: Role): boolean {
  return role !== 'student';
}

/** The role that runs a tenant; a tenant always keeps one active account with it. */
export function isAdminRole(role: Role): boolean {
  return role === 'admin';
}

/** What decides an account's powers: its role and whether it is disabled. */
export interface AccountStanding {
  role: Role;
  disabled: boolean;
}

/** Whether a change takes admin powers away from an account that had them (demoted, or disabled). */
export function losesAdminPowers(before: AccountStanding, after: AccountStanding): boolean {
  return isAdminRole(before.role) && !before.disabled && (!isAdminRole(after.role) || after.disabled);
}

/**
 * An admin never takes their own admin powers away (disabling or demoting themself): one slip
 * would lock them out, so another admin must do it. `403 cannot_modify_self`.
 */
export function assertNotLockingOutSelf(actor: Actor, userId: string, before: AccountStanding, after: AccountStanding): void {
  if (actor.kind === 'user' && actor.userId === userId && losesAdminPowers(before, after)) {
    throw forbidden('You cannot disable your own account or change your own role; ask another admin.', 'cannot_modify_self');
  }
}

/**
 * A role and a department are checked together: staff need one (`400 department_required`),
 * students may not have one (`400 department_not_allowed`); authorities and admins may.
 */
export function assertDepartmentFitsRole(role: Role, departmentId: string | null): void {
  if (roleNeedsDepartment(role) && !departmentId) {
    throw validationError('Staff accounts need a department.', [{ path: '/departmentId', message: 'is required for staff' }], 'department_required');
  }
  if (!roleMayHaveDepartment(role) && departmentId) {
    throw validationError('Students do not belong to a department.', [{ path: '/departmentId', message: 'must be null for students' }], 'department_not_allowed');
  }
}
