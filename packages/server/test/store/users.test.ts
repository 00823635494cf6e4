import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { newId } from '../../src/adapters.js';
import { departmentsRepository } from '../../src/catalog/repository.js';
import type { Store } from '../../src/store/db.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../src/store/executor.js';
import { decodeCursor, encodeCursor, isString, pageOf } from '../../src/store/pagination.js';
import { tenantsRepository } from '../../src/tenants/repository.js';
import { usersRepository, type UserRow } from '../../src/users/repository.js';
import { countRun, createTestDatabase, describeEachDatabase, openTestStore, rejection, type TestDatabase } from '../helpers/databases.js';

// A time past 2^31 (and past 2^32 seconds' worth of ms) to prove bigint columns round-trip as numbers.
const T0 = 1_767_225_600_123;

function userRow(tenantId: string, overrides: Partial<UserRow> = {}): UserRow {
  const id = newId();
  return {
    id,
    tenant_id: tenantId,
    email: `u-${id.slice(-12)}@store.example`,
    name: 'Store User',
    password_hash: 'scrypt$10$8$1$salt$hash',
    role: 'student',
    department_id: null,
    disabled: 0,
    created_at: T0,
    updated_at: T0,
    ...overrides,
  };
}

await describeEachDatabase('users repository', (dialect) => {
  let database: TestDatabase;
  let store: Store;
  const A = 'tenant-a';
  const B = 'tenant-b';
  let departmentA: string;

  before(async () => {
    database = await createTestDatabase(dialect);
    store = await openTestStore(database);
    await tenantsRepository.insert(store.db, { id: A, name: 'A', created_at: T0 });
    await tenantsRepository.insert(store.db, { id: B, name: 'B', created_at: T0 + 1 });
    departmentA = newId();
    await departmentsRepository.insert(store.db, {
      id: departmentA,
      tenant_id: A,
      name: 'Dept A',
      email: null,
      phone: null,
      created_at: T0,
      updated_at: T0,
    });
  });
  after(async () => {
    await store.close();
    await database.drop();
  });

  it('inserts and finds a user by id and e-mail, times as JS numbers', async () => {
    countRun(dialect);
    const row = userRow(A, { role: 'staff', department_id: departmentA });
    await usersRepository.insert(store.db, row);
    const byId = await usersRepository.findById(store.db, A, row.id);
    assert.deepEqual(byId, row);
    assert.equal(typeof byId?.created_at, 'number');
    assert.equal(byId?.created_at, T0);
    assert.deepEqual(await usersRepository.findByEmail(store.db, row.email), row);
    assert.equal(await usersRepository.findByEmail(store.db, 'nobody@store.example'), undefined);
  });

  it('updates a user within its tenant only', async () => {
    countRun(dialect);
    const row = userRow(A);
    await usersRepository.insert(store.db, row);
    await usersRepository.update(store.db, B, row.id, { name: 'Hijacked' });
    assert.equal((await usersRepository.findById(store.db, A, row.id))?.name, 'Store User');
    await usersRepository.update(store.db, A, row.id, { name: 'Renamed', disabled: 1, updated_at: T0 + 5 });
    const updated = await usersRepository.findById(store.db, A, row.id);
    assert.equal(updated?.name, 'Renamed');
    assert.equal(updated?.disabled, 1);
    assert.equal(updated?.updated_at, T0 + 5);
  });

  it('never shows a row of tenant B through tenant A', async () => {
    countRun(dialect);
    const other = userRow(B);
    await usersRepository.insert(store.db, other);
    assert.equal(await usersRepository.findById(store.db, A, other.id), undefined);
    const listed = await usersRepository.list(store.db, A, { limit: 200 });
    assert.ok(listed.every((row) => row.tenant_id === A));
    assert.ok(!listed.some((row) => row.id === other.id));
    assert.ok((await usersRepository.list(store.db, B, { limit: 200 })).some((row) => row.id === other.id));
  });

  it('counts active admins per tenant', async () => {
    countRun(dialect);
    const before = await usersRepository.countActiveAdmins(store.db, A);
    await usersRepository.insert(store.db, userRow(A, { role: 'admin' }));
    await usersRepository.insert(store.db, userRow(A, { role: 'admin', disabled: 1 }));
    await usersRepository.insert(store.db, userRow(B, { role: 'admin' }));
    const count = await usersRepository.countActiveAdmins(store.db, A);
    assert.equal(typeof count, 'number');
    assert.equal(count, before + 1);
  });

  it('reports a duplicate e-mail as a unique violation (even across tenants)', async () => {
    countRun(dialect);
    const row = userRow(A);
    await usersRepository.insert(store.db, row);
    const error = await rejection(usersRepository.insert(store.db, userRow(B, { email: row.email })));
    assert.ok(isUniqueViolation(error), `unique violation expected, got ${String(error)}`);
    assert.ok(!isForeignKeyViolation(error));
    const duplicateId = await rejection(usersRepository.insert(store.db, userRow(A, { id: row.id })));
    assert.ok(isUniqueViolation(duplicateId), `primary key violation expected, got ${String(duplicateId)}`);
  });

  it('enforces foreign keys to tenants and departments', async () => {
    countRun(dialect);
    const noTenant = await rejection(usersRepository.insert(store.db, userRow('no-such-tenant')));
    assert.ok(isForeignKeyViolation(noTenant), `foreign key violation expected, got ${String(noTenant)}`);
    assert.ok(!isUniqueViolation(noTenant));
    const noDepartment = await rejection(usersRepository.insert(store.db, userRow(A, { department_id: 'no-such-department' })));
    assert.ok(isForeignKeyViolation(noDepartment), `foreign key violation expected, got ${String(noDepartment)}`);
  });

  it('pages through users newest first with opaque cursors, filtered by role', async () => {
    countRun(dialect);
    const tenant = `page-${newId().slice(-8)}`;
    await tenantsRepository.insert(store.db, { id: tenant, name: 'Paging', created_at: T0 });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const row = userRow(tenant, { role: i % 2 === 0 ? 'student' : 'authority' });
      await usersRepository.insert(store.db, row);
      ids.push(row.id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const rows = await usersRepository.list(store.db, tenant, { limit: 3, afterId: decodeCursor(cursor, isString) });
      const page = pageOf(rows, 3, (row) => row.id, (row) => row.id);
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      pages += 1;
      if (page.nextCursor) assert.match(page.nextCursor, /^[A-Za-z0-9_-]+$/);
    } while (cursor && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...ids].reverse());

    const authorities = await usersRepository.list(store.db, tenant, { limit: 50, role: 'authority' });
    assert.deepEqual(
      authorities.map((row) => row.id),
      ids.filter((_, i) => i % 2 === 1).reverse(),
    );
    const exact = pageOf(await usersRepository.list(store.db, tenant, { limit: 7 }), 7, (row) => row.id, (row) => row.id);
    assert.equal(exact.items.length, 7);
    assert.equal(exact.nextCursor, null);
  });

  it('refuses cursors it did not issue', () => {
    countRun(dialect);
    assert.equal(decodeCursor(encodeCursor('abc'), isString), 'abc');
    for (const bad of ['%%%', encodeCursor(42), encodeCursor('x'.repeat(200)), 'bm90IGpzb24']) {
      assert.throws(() => decodeCursor(bad, isString), (error: Error & { code?: string }) => error.code === 'invalid_cursor');
    }
  });
});
