import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { newId } from '../../src/adapters.js';
import {
  categoriesRepository,
  departmentsRepository,
  locationsRepository,
  type DepartmentRow,
  type LocationRow,
} from '../../src/catalog/repository.js';
import type { Store } from '../../src/store/db.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../src/store/executor.js';
import { tenantsRepository } from '../../src/tenants/repository.js';
import { countRun, createTestDatabase, describeEachDatabase, openTestStore, rejection, type TestDatabase } from '../helpers/databases.js';

const T0 = 1_767_225_600_789;

await describeEachDatabase('catalog and tenants repositories', (dialect) => {
  let database: TestDatabase;
  let store: Store;
  const A = 'tenant-a';
  const B = 'tenant-b';

  const department = (tenant: string, overrides: Partial<DepartmentRow> = {}): DepartmentRow => ({
    id: newId(),
    tenant_id: tenant,
    name: `Dept ${newId().slice(-10)}`,
    email: 'dept@store.example',
    phone: '+51 1 000 0000',
    created_at: T0,
    updated_at: T0,
    ...overrides,
  });
  const location = (tenant: string, overrides: Partial<LocationRow> = {}): LocationRow => ({
    tenant_id: tenant,
    code: `L-${newId().slice(-8)}`,
    name: 'Aula',
    building: 'Torre A',
    floor: '3',
    lat: -12.135_271_8,
    lng: -77.022_087_3,
    created_at: T0,
    updated_at: T0,
    ...overrides,
  });

  before(async () => {
    database = await createTestDatabase(dialect);
    store = await openTestStore(database);
    await tenantsRepository.insert(store.db, { id: A, name: 'A', created_at: T0 });
    await tenantsRepository.insert(store.db, { id: B, name: 'B', created_at: T0 + 1 });
  });
  after(async () => {
    await store.close();
    await database.drop();
  });

  it('tenants: insert, find by id, the default is the first created, duplicate id is a unique violation', async () => {
    countRun(dialect);
    assert.deepEqual(await tenantsRepository.findById(store.db, A), { id: A, name: 'A', created_at: T0 });
    assert.equal(typeof (await tenantsRepository.findById(store.db, B))?.created_at, 'number');
    assert.equal(await tenantsRepository.findById(store.db, 'nope'), undefined);
    assert.equal((await tenantsRepository.findDefault(store.db))?.id, A);
    const duplicate = await rejection(tenantsRepository.insert(store.db, { id: A, name: 'again', created_at: T0 }));
    assert.ok(isUniqueViolation(duplicate), `unique violation expected, got ${String(duplicate)}`);
  });

  it('departments: insert, find, update, list by name, tenant-scoped', async () => {
    countRun(dialect);
    const mine = department(A, { name: 'Zeta' });
    const alpha = department(A, { name: 'Alfa', email: null, phone: null });
    const theirs = department(B);
    for (const row of [mine, alpha, theirs]) await departmentsRepository.insert(store.db, row);
    assert.deepEqual(await departmentsRepository.findById(store.db, A, mine.id), mine);
    assert.equal(await departmentsRepository.findById(store.db, A, theirs.id), undefined);
    await departmentsRepository.update(store.db, B, mine.id, { name: 'Hijacked' });
    await departmentsRepository.update(store.db, A, mine.id, { phone: null, updated_at: T0 + 9 });
    const updated = await departmentsRepository.findById(store.db, A, mine.id);
    assert.equal(updated?.name, 'Zeta');
    assert.equal(updated?.phone, null);
    assert.equal(updated?.updated_at, T0 + 9);
    const names = (await departmentsRepository.list(store.db, A)).map((row) => row.name);
    assert.ok(!names.includes(theirs.name));
    assert.deepEqual(names, [...names].sort());
  });

  it('departments: name unique per tenant only', async () => {
    countRun(dialect);
    const row = department(A);
    await departmentsRepository.insert(store.db, row);
    await departmentsRepository.insert(store.db, department(B, { name: row.name }));
    const duplicate = await rejection(departmentsRepository.insert(store.db, department(A, { name: row.name })));
    assert.ok(isUniqueViolation(duplicate), `unique violation expected, got ${String(duplicate)}`);
    const renamed = department(A);
    await departmentsRepository.insert(store.db, renamed);
    const clash = await rejection(departmentsRepository.update(store.db, A, renamed.id, { name: row.name }));
    assert.ok(isUniqueViolation(clash), `unique violation expected, got ${String(clash)}`);
    const orphan = await rejection(departmentsRepository.insert(store.db, department('no-such-tenant')));
    assert.ok(isForeignKeyViolation(orphan), `foreign key violation expected, got ${String(orphan)}`);
  });

  it('categories: insert, find, update, list by code, tenant-scoped, keys and foreign keys enforced', async () => {
    countRun(dialect);
    const deptA = department(A);
    const deptA2 = department(A);
    const deptB = department(B);
    for (const row of [deptA, deptA2, deptB]) await departmentsRepository.insert(store.db, row);
    const base = { name: 'Agua', created_at: T0, updated_at: T0 };
    await categoriesRepository.insert(store.db, { ...base, tenant_id: A, code: 'water', department_id: deptA.id });
    await categoriesRepository.insert(store.db, { ...base, tenant_id: A, code: 'air', department_id: deptA.id });
    // The same code in another tenant is another category.
    await categoriesRepository.insert(store.db, { ...base, tenant_id: B, code: 'water', name: 'B water', department_id: deptB.id });
    assert.equal((await categoriesRepository.findByCode(store.db, A, 'water'))?.name, 'Agua');
    assert.equal((await categoriesRepository.findByCode(store.db, B, 'water'))?.name, 'B water');
    assert.equal(await categoriesRepository.findByCode(store.db, A, 'nope'), undefined);
    await categoriesRepository.update(store.db, A, 'water', { department_id: deptA2.id, updated_at: T0 + 3 });
    const moved = await categoriesRepository.findByCode(store.db, A, 'water');
    assert.equal(moved?.department_id, deptA2.id);
    assert.equal(moved?.updated_at, T0 + 3);
    assert.equal((await categoriesRepository.findByCode(store.db, B, 'water'))?.department_id, deptB.id);
    assert.deepEqual(
      (await categoriesRepository.list(store.db, A)).map((row) => row.code),
      ['air', 'water'],
    );
    const duplicate = await rejection(
      categoriesRepository.insert(store.db, { ...base, tenant_id: A, code: 'air', department_id: deptA.id }),
    );
    assert.ok(isUniqueViolation(duplicate), `unique violation expected, got ${String(duplicate)}`);
    const orphan = await rejection(
      categoriesRepository.insert(store.db, { ...base, tenant_id: A, code: 'orphan', department_id: 'no-such-department' }),
    );
    assert.ok(isForeignKeyViolation(orphan), `foreign key violation expected, got ${String(orphan)}`);
    const badMove = await rejection(categoriesRepository.update(store.db, A, 'air', { department_id: 'no-such-department' }));
    assert.ok(isForeignKeyViolation(badMove), `foreign key violation expected, got ${String(badMove)}`);
  });

  it('locations: insert, find, update, delete, count, coordinates as numbers, tenant-scoped', async () => {
    countRun(dialect);
    const tenant = `loc-${newId().slice(-8)}`;
    await tenantsRepository.insert(store.db, { id: tenant, name: 'Locations', created_at: T0 });
    const a1 = location(tenant, { code: 'A-101', building: 'Torre A' });
    const b1 = location(tenant, { code: 'B-101', building: 'Torre B', lat: null, lng: null });
    const a2 = location(tenant, { code: 'A-001', building: 'Torre A' });
    for (const row of [a1, b1, a2]) await locationsRepository.insert(store.db, row);
    await locationsRepository.insert(store.db, location(B, { code: 'A-101' }));
    const found = await locationsRepository.findByCode(store.db, tenant, 'A-101');
    assert.deepEqual(found, a1);
    assert.equal(typeof found?.lat, 'number');
    assert.equal((await locationsRepository.findByCode(store.db, tenant, 'B-101'))?.lat, null);
    assert.deepEqual(
      (await locationsRepository.list(store.db, tenant)).map((row) => row.code),
      ['A-001', 'A-101', 'B-101'],
    );
    assert.equal(await locationsRepository.count(store.db, tenant), 3);
    await locationsRepository.update(store.db, tenant, 'A-101', { floor: 'PB', updated_at: T0 + 1 });
    assert.equal((await locationsRepository.findByCode(store.db, tenant, 'A-101'))?.floor, 'PB');
    assert.equal((await locationsRepository.findByCode(store.db, B, 'A-101'))?.floor, '3');
    assert.equal(await locationsRepository.delete(store.db, A, 'A-101'), false, 'no such code in tenant A');
    assert.equal(await locationsRepository.delete(store.db, tenant, 'A-101'), true);
    assert.equal(await locationsRepository.delete(store.db, tenant, 'A-101'), false);
    assert.equal(await locationsRepository.count(store.db, tenant), 2);
    assert.ok(await locationsRepository.findByCode(store.db, B, 'A-101'), 'the other tenant keeps its location');
    const duplicate = await rejection(locationsRepository.insert(store.db, location(tenant, { code: 'B-101' })));
    assert.ok(isUniqueViolation(duplicate), `unique violation expected, got ${String(duplicate)}`);
    const orphan = await rejection(locationsRepository.insert(store.db, location('no-such-tenant')));
    assert.ok(isForeignKeyViolation(orphan), `foreign key violation expected, got ${String(orphan)}`);
  });
});
