import assert from 'node:assert/strict';
import { newId } from '../../src/adapters.js';
import { createTenant } from '../../src/tenants/bootstrap.js';
import { usersRepository } from '../../src/users/repository.js';
import type { TestApp } from './app.js';

/** Creates a user of any role through the admin API and signs them in. */
export async function createUser(
  t: TestApp,
  role: 'student' | 'staff' | 'authority' | 'admin',
  options: { departmentId?: string; email?: string } = {},
) {
  const email = options.email ?? `${role}-${newId().slice(-12)}@test.example`;
  const password = `${role}-password-1`;
  const departmentId = options.departmentId ?? (role === 'staff' ? await firstDepartmentId(t) : undefined);
  const created = await t.request('POST', '/api/users', {
    token: await t.adminToken(),
    body: { email, password, name: `Test ${role}`, role, ...(departmentId ? { departmentId } : {}) },
  });
  if (created.status !== 201) throw new Error(`create ${role}: ${created.status} ${created.text}`);
  return { id: created.body.id as string, email, password, token: await t.login(email, password) };
}

export async function firstDepartmentId(t: TestApp): Promise<string> {
  const list = await t.request('GET', '/api/departments', { token: await t.adminToken() });
  return list.body.items[0].id as string;
}

/** A second tenant with its own admin, to prove tenants never see each other. */
export async function createOtherTenant(t: TestApp) {
  const tenantId = `other-${newId().slice(-8)}`;
  const { db } = t.system.store;
  await createTenant(db, t.system.clock, tenantId, 'Otra Universidad');
  const email = `admin@${tenantId}.example`;
  const password = 'other-admin-password';
  const now = t.system.clock.now();
  const { createPasswordHasher } = await import('../../src/auth/passwords.js');
  const hasher = await createPasswordHasher(10);
  await usersRepository.insert(db, {
    id: newId(),
    tenant_id: tenantId,
    email,
    name: 'Other Admin',
    password_hash: await hasher.hash(password),
    role: 'admin',
    department_id: null,
    disabled: 0,
    created_at: now,
    updated_at: now,
  });
  return { tenantId, email, password, token: await t.login(email, password) };
}

/** An incident as a test's data set lists it (what the report form sends). */
export interface IncidentSeed {
  category: string;
  urgency: 'low' | 'medium' | 'high' | 'critical';
  title: string;
  description: string;
  locationText?: string;
  locationCode?: string;
}

/** Reports `seed` through the API as the holder of `token`; the created incident. */
export async function reportSeed(t: TestApp, token: string, seed: IncidentSeed) {
  const created = await t.request('POST', '/api/incidents', {
    token,
    body: {
      category: seed.category,
      urgency: seed.urgency,
      title: seed.title,
      description: seed.description,
      ...(seed.locationText ? { locationText: seed.locationText } : {}),
      ...(seed.locationCode ? { locationCode: seed.locationCode } : {}),
    },
  });
  assert.equal(created.status, 201, created.text);
  return created.body;
}
