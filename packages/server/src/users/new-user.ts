import { cleanText, conflict, normalizeEmail, type Role } from '@alertautec/core';
import { newId, type Clock } from '../adapters.js';
import { isUniqueViolation, type Db } from '../store/executor.js';
import { usersRepository, type UserRow } from './repository.js';

/** What storing an account needs of password hashing (auth/passwords.ts provides it). */
export interface PasswordHashing {
  hash(password: string): Promise<string>;
}

export interface NewUser {
  tenantId: string;
  email: string;
  name: string;
  password: string;
  role: Role;
  departmentId: string | null;
}

/** Stores an account as every path creates one; an e-mail in use is `409 email_taken`. */
export async function insertNewUser(deps: { db: Db; clock: Clock; passwords: PasswordHashing }, user: NewUser): Promise<UserRow> {
  const now = deps.clock.now();
  const row: UserRow = {
    id: newId(),
    tenant_id: user.tenantId,
    email: normalizeEmail(user.email),
    name: cleanText(user.name),
    password_hash: await deps.passwords.hash(user.password),
    role: user.role,
    department_id: user.departmentId,
    disabled: 0,
    created_at: now,
    updated_at: now,
  };
  try {
    await usersRepository.insert(deps.db, row);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('An account with this e-mail already exists.', 'email_taken');
    throw error;
  }
  return row;
}
