import { toIso, toIsoOrNull } from '@alertautec/core';
import type { Me, User } from '@alertautec/core/schemas';
import type { UserRow } from './repository.js';

export const presentMe = (row: UserRow): Me => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role as Me['role'],
  departmentId: row.department_id,
  tenantId: row.tenant_id,
});

/** `loginLockedUntil`: when the account's sign-in lock ends, if it is locked now. */
export const presentUser = (row: UserRow, loginLockedUntil: number | null): User => ({
  ...presentMe(row),
  disabled: row.disabled === 1,
  createdAt: toIso(row.created_at),
  updatedAt: toIso(row.updated_at),
  loginLockedUntil: toIsoOrNull(loginLockedUntil),
});
