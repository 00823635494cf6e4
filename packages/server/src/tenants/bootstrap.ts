import {
  DEFAULT_CATEGORIES,
  DEFAULT_DEPARTMENTS,
  DEMO_ACCOUNTS,
  DEMO_DEPARTMENT_PHONES,
  DEMO_LOCATIONS,
  normalizeEmail,
  isAdminRole,
  isDomainError,
  roleNeedsDepartment,
  type DemoAccount,
  type Role,
} from '@alertautec/core';
import { newId, type Clock } from '../adapters.js';
import { categoriesRepository, departmentsRepository, locationsRepository } from '../catalog/repository.js';
import { isUniqueViolation, type Db } from '../store/executor.js';
import { insertNewUser, type PasswordHashing } from '../users/new-user.js';
import { usersRepository } from '../users/repository.js';
import { tenantsRepository } from './repository.js';

/**
 * First start: the default tenant with its default catalog, the configured admin, and the
 * demo campus. Every step is idempotent, and safe when several processes start at once.
 */
export const DEFAULT_TENANT_ID = 'default';

export interface BootstrapDeps {
  db: Db;
  clock: Clock;
  passwords: PasswordHashing;
}

export interface BootstrapOptions {
  adminEmail: string | null;
  adminPassword: string | null;
  demo: boolean;
}

export interface BootstrapResult {
  tenantId: string;
  /** The demo accounts present in the database, for the start-up banner. */
  demoAccounts: DemoAccount[];
}

/** Creates a tenant with the default departments and categories. */
export async function createTenant(db: Db, clock: Clock, id: string, name: string): Promise<void> {
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    await tenantsRepository.insert(trx, { id, name, created_at: now });
    const departmentIds = new Map<string, string>();
    for (const department of DEFAULT_DEPARTMENTS) {
      const departmentId = newId();
      departmentIds.set(department.key, departmentId);
      await departmentsRepository.insert(trx, {
        id: departmentId,
        tenant_id: id,
        name: department.name,
        email: department.email,
        phone: department.phone,
        created_at: now,
        updated_at: now,
      });
    }
    for (const category of DEFAULT_CATEGORIES) {
      await categoriesRepository.insert(trx, {
        tenant_id: id,
        code: category.code,
        name: category.name,
        department_id: departmentIds.get(category.departmentKey)!,
        created_at: now,
        updated_at: now,
      });
    }
  });
}

async function ensureDefaultTenant(db: Db, clock: Clock): Promise<string> {
  const existing = await tenantsRepository.findDefault(db);
  if (existing) return existing.id;
  try {
    await createTenant(db, clock, DEFAULT_TENANT_ID, 'Campus');
  } catch (error) {
    if (!isUniqueViolation(error)) throw error; // another process created it first
  }
  return DEFAULT_TENANT_ID;
}

async function ensureAdmin(deps: BootstrapDeps, tenantId: string, email: string, password: string) {
  const { db, clock } = deps;
  const normalized = normalizeEmail(email);
  const existing = await usersRepository.findByEmail(db, normalized);
  const now = clock.now();
  if (existing) {
    // Idempotent: the account keeps its password (it may have been changed since), but is
    // an enabled admin again.
    if (!isAdminRole(existing.role as Role) || existing.disabled) {
      await usersRepository.update(db, existing.tenant_id, existing.id, { role: 'admin', disabled: 0, department_id: null, updated_at: now });
    }
    return;
  }
  await insertUser(deps, tenantId, { email: normalized, password, name: 'Administrador', role: 'admin', departmentId: null });
}

/** Creates an account unless one with its e-mail exists (another process may race us). */
async function insertUser(
  deps: BootstrapDeps,
  tenantId: string,
  user: { email: string; password: string; name: string; role: Role; departmentId: string | null },
) {
  try {
    await insertNewUser(deps, { ...user, tenantId });
  } catch (error) {
    if (!(isDomainError(error) && error.code === 'email_taken')) throw error;
  }
}

async function seedDemo(deps: BootstrapDeps, tenantId: string): Promise<void> {
  const { db, clock } = deps;
  // Accounts before locations: `bootstrap` takes "locations but no demo admin" for a campus
  // of the database's own, so a concurrent start must never observe the locations first.
  const departments = await departmentsRepository.list(db, tenantId);
  const departmentByKey = new Map(
    DEFAULT_DEPARTMENTS.map((d) => [d.key, departments.find((row) => row.name === d.name)?.id ?? null] as const),
  );
  // The demo departments get phone numbers (shown to reporters); a number set since is kept.
  for (const [key, phone] of Object.entries(DEMO_DEPARTMENT_PHONES)) {
    const row = departments.find((department) => department.id === departmentByKey.get(key));
    if (row && row.phone === null) await departmentsRepository.update(db, tenantId, row.id, { phone, updated_at: clock.now() });
  }
  for (const account of DEMO_ACCOUNTS) {
    if (await usersRepository.findByEmail(db, account.email)) continue;
    const departmentId = account.departmentKey ? (departmentByKey.get(account.departmentKey) ?? null) : null;
    if (roleNeedsDepartment(account.role) && !departmentId) continue; // its department was renamed or removed
    await insertUser(deps, tenantId, { ...account, departmentId });
  }
  if ((await locationsRepository.count(db, tenantId)) === 0) {
    const now = clock.now();
    try {
      await db.transaction().execute(async (trx) => {
        for (const location of DEMO_LOCATIONS) {
          await locationsRepository.insert(trx, { tenant_id: tenantId, ...location, created_at: now, updated_at: now });
        }
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
}

export async function bootstrap(deps: BootstrapDeps, options: BootstrapOptions): Promise<BootstrapResult> {
  const tenantId = await ensureDefaultTenant(deps.db, deps.clock);
  if (options.adminEmail && options.adminPassword) {
    await ensureAdmin(deps, tenantId, options.adminEmail, options.adminPassword);
  }
  if (!options.demo) return { tenantId, demoAccounts: [] };
  // Demo data goes only into a database that has no campus of its own yet.
  const hasOwnCampus =
    (await locationsRepository.count(deps.db, tenantId)) > 0 && !(await usersRepository.findByEmail(deps.db, DEMO_ACCOUNTS[0]!.email));
  if (!hasOwnCampus) await seedDemo(deps, tenantId);
  const present = [];
  for (const account of DEMO_ACCOUNTS) {
    if (await usersRepository.findByEmail(deps.db, account.email)) present.push(account);
  }
  return { tenantId, demoAccounts: present };
}
