import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { DEFAULT_CATEGORIES, DEFAULT_DEPARTMENTS, DEMO_ACCOUNTS, DEMO_LOCATIONS } from '@alertautec/core';
import { sql } from 'kysely';
import { newId, systemClock } from '../../src/adapters.js';
import { createPasswordHasher, type PasswordHasher } from '../../src/auth/passwords.js';
import { categoriesRepository, departmentsRepository, locationsRepository } from '../../src/catalog/repository.js';
import { migrations } from '../../src/store/migrations/index.js';
import { migrate, type Store } from '../../src/store/db.js';
import { bootstrap, DEFAULT_TENANT_ID, type BootstrapOptions } from '../../src/tenants/bootstrap.js';
import { usersRepository } from '../../src/users/repository.js';
import { countRun, createTestDatabase, describeEachDatabase, openTestStore, type TestDatabase } from '../helpers/databases.js';

const ADMIN = { email: 'Root@Campus.Example', password: 'root-password-1' };

async function countRows(store: Store, table: 'tenants' | 'users' | 'departments' | 'categories' | 'locations') {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

await describeEachDatabase('migrations and bootstrap', (dialect) => {
  let passwords: PasswordHasher;
  const opened: { store: Store; database: TestDatabase }[] = [];
  const databases: TestDatabase[] = [];

  async function fresh() {
    const database = await createTestDatabase(dialect);
    databases.push(database);
    const store = await openTestStore(database);
    opened.push({ store, database });
    return { database, store };
  }
  async function reopen(database: TestDatabase) {
    const store = await openTestStore(database);
    opened.push({ store, database });
    return store;
  }
  const run = (store: Store, options: Partial<BootstrapOptions> = {}) =>
    bootstrap(
      { db: store.db, clock: systemClock, passwords },
      { adminEmail: ADMIN.email, adminPassword: ADMIN.password, demo: true, ...options },
    );

  before(async () => {
    passwords = await createPasswordHasher(10);
  });
  after(async () => {
    for (const { store } of opened) await store.close().catch(() => undefined);
    for (const database of databases) await database.drop();
  });

  it('opening the same database twice is idempotent (migrations run once)', async () => {
    countRun(dialect);
    const { database, store } = await fresh();
    const second = await reopen(database);
    await migrate(second.db, database.schema);
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(second.db);
    assert.deepEqual(
      applied.rows.map((row) => row.name),
      Object.keys(migrations).sort(),
    );
    assert.equal(await countRows(store, 'tenants'), 0);
  });

  it('opening the same database concurrently is safe', async () => {
    countRun(dialect);
    const database = await createTestDatabase(dialect);
    databases.push(database);
    const stores = await Promise.all([openTestStore(database), openTestStore(database)]);
    for (const store of stores) opened.push({ store, database });
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(stores[0].db);
    assert.equal(applied.rows.length, Object.keys(migrations).length);
  });

  it('bootstraps a fresh database: one tenant, default catalog, admin, demo campus', async () => {
    countRun(dialect);
    const { store } = await fresh();
    const result = await run(store);
    assert.equal(result.tenantId, DEFAULT_TENANT_ID);
    assert.deepEqual(
      result.demoAccounts.map((account) => account.email).sort(),
      DEMO_ACCOUNTS.map((account) => account.email).sort(),
    );
    assert.equal(await countRows(store, 'tenants'), 1);
    assert.equal(await countRows(store, 'categories'), 6);
    assert.equal(DEFAULT_CATEGORIES.length, 6);
    assert.equal(await countRows(store, 'departments'), DEFAULT_DEPARTMENTS.length);
    assert.equal(await countRows(store, 'locations'), DEMO_LOCATIONS.length);
    assert.equal(await countRows(store, 'users'), DEMO_ACCOUNTS.length + 1);
    const admin = await usersRepository.findByEmail(store.db, 'root@campus.example');
    assert.equal(admin?.role, 'admin');
    assert.equal(admin?.tenant_id, DEFAULT_TENANT_ID);
    assert.ok(admin && (await passwords.verify(ADMIN.password, admin.password_hash)));
    // Every category routes to a department of the same tenant.
    const departments = new Set((await departmentsRepository.list(store.db, DEFAULT_TENANT_ID)).map((row) => row.id));
    for (const category of await categoriesRepository.list(store.db, DEFAULT_TENANT_ID)) {
      assert.ok(departments.has(category.department_id), `${category.code} routes to a known department`);
    }
    // Staff demo accounts belong to their department.
    for (const account of DEMO_ACCOUNTS.filter((a) => a.role === 'staff')) {
      const row = await usersRepository.findByEmail(store.db, account.email);
      assert.ok(row?.department_id && departments.has(row.department_id), `${account.email} has a department`);
    }
  });

  it('bootstrap twice is idempotent', async () => {
    countRun(dialect);
    const { store } = await fresh();
    await run(store);
    const admin = await usersRepository.findByEmail(store.db, 'root@campus.example');
    const before = await Promise.all((['tenants', 'users', 'departments', 'categories', 'locations'] as const).map((t) => countRows(store, t)));
    const second = await run(store);
    const afterCounts = await Promise.all((['tenants', 'users', 'departments', 'categories', 'locations'] as const).map((t) => countRows(store, t)));
    assert.deepEqual(afterCounts, before);
    assert.deepEqual(afterCounts.slice(0, 1), [1]);
    assert.equal(afterCounts[3], 6);
    assert.equal(second.demoAccounts.length, DEMO_ACCOUNTS.length);
    assert.deepEqual(await usersRepository.findByEmail(store.db, 'root@campus.example'), admin, 'the admin is untouched');
  });

  it('bootstrap run concurrently over two stores of the same database creates exactly one default tenant', async () => {
    countRun(dialect);
    const { database, store } = await fresh();
    const other = await reopen(database);
    const results = await Promise.all([run(store), run(other)]);
    assert.deepEqual(
      results.map((result) => result.tenantId),
      [DEFAULT_TENANT_ID, DEFAULT_TENANT_ID],
    );
    assert.equal(await countRows(store, 'tenants'), 1);
    assert.equal(await countRows(store, 'categories'), 6);
    assert.equal(await countRows(store, 'departments'), DEFAULT_DEPARTMENTS.length);
    assert.equal(await countRows(store, 'locations'), DEMO_LOCATIONS.length);
    assert.equal(await countRows(store, 'users'), DEMO_ACCOUNTS.length + 1);
    for (const result of results) assert.equal(result.demoAccounts.length, DEMO_ACCOUNTS.length);
  });

  it('ensureAdmin promotes an existing non-admin account and never changes its password', async () => {
    countRun(dialect);
    const { store } = await fresh();
    await run(store, { adminEmail: null, adminPassword: null, demo: false });
    const now = Date.now();
    const id = newId();
    const originalHash = await passwords.hash('the-users-own-password');
    await usersRepository.insert(store.db, {
      id,
      tenant_id: DEFAULT_TENANT_ID,
      email: 'root@campus.example',
      name: 'Was a student',
      password_hash: originalHash,
      role: 'student',
      department_id: null,
      disabled: 1,
      created_at: now,
      updated_at: now,
    });
    await run(store, { demo: false });
    await run(store, { demo: false });
    const promoted = await usersRepository.findById(store.db, DEFAULT_TENANT_ID, id);
    assert.equal(promoted?.role, 'admin');
    assert.equal(promoted?.disabled, 0);
    assert.equal(promoted?.password_hash, originalHash);
    assert.equal(promoted?.name, 'Was a student');
    assert.equal(await countRows(store, 'users'), 1, 'no second account');
  });

  it('does not seed demo data when the database already has its own locations', async () => {
    countRun(dialect);
    const { store } = await fresh();
    const first = await run(store, { demo: false });
    const now = Date.now();
    await locationsRepository.insert(store.db, {
      tenant_id: first.tenantId,
      code: 'OWN-1',
      name: 'Our own hall',
      building: 'Main',
      floor: '1',
      lat: null,
      lng: null,
      created_at: now,
      updated_at: now,
    });
    const result = await run(store, { demo: true });
    assert.deepEqual(result.demoAccounts, []);
    assert.equal(await countRows(store, 'locations'), 1);
    assert.equal(await countRows(store, 'users'), 1, 'only the configured admin');
    for (const account of DEMO_ACCOUNTS) assert.equal(await usersRepository.findByEmail(store.db, account.email), undefined);
  });

  it('without demo and without an admin, only the tenant and its catalog exist', async () => {
    countRun(dialect);
    const { store } = await fresh();
    const result = await run(store, { adminEmail: null, adminPassword: null, demo: false });
    assert.deepEqual(result.demoAccounts, []);
    assert.equal(await countRows(store, 'tenants'), 1);
    assert.equal(await countRows(store, 'users'), 0);
    assert.equal(await countRows(store, 'locations'), 0);
  });
});
