import { forbidden } from './errors.js';
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
