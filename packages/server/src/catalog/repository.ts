import type { Db } from '../store/executor.js';
import type { CategoriesTable, DepartmentsTable, LocationsTable } from '../store/schema.js';

export type DepartmentRow = DepartmentsTable;
export type CategoryRow = CategoriesTable;
export type LocationRow = LocationsTable;

type Patch<Row, Key extends keyof Row> = Partial<Omit<Row, Key | 'tenant_id' | 'created_at'>>;

export const departmentsRepository = {
  insert: (db: Db, row: DepartmentRow) => db.insertInto('departments').values(row).execute(),
  list: (db: Db, tenantId: string) => db.selectFrom('departments').selectAll().where('tenant_id', '=', tenantId).orderBy('name').execute(),
  findById: (db: Db, tenantId: string, id: string) =>
    db.selectFrom('departments').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst(),
  update: (db: Db, tenantId: string, id: string, patch: Patch<DepartmentRow, 'id'>) =>
    db.updateTable('departments').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute(),
};

export const categoriesRepository = {
  insert: (db: Db, row: CategoryRow) => db.insertInto('categories').values(row).execute(),
  list: (db: Db, tenantId: string) => db.selectFrom('categories').selectAll().where('tenant_id', '=', tenantId).orderBy('code').execute(),
  findByCode: (db: Db, tenantId: string, code: string) =>
    db.selectFrom('categories').selectAll().where('tenant_id', '=', tenantId).where('code', '=', code).executeTakeFirst(),
  update: (db: Db, tenantId: string, code: string, patch: Patch<CategoryRow, 'code'>) =>
    db.updateTable('categories').set(patch).where('tenant_id', '=', tenantId).where('code', '=', code).execute(),
};

export const locationsRepository = {
  insert: (db: Db, row: LocationRow) => db.insertInto('locations').values(row).execute(),
  list: (db: Db, tenantId: string) =>
    db.selectFrom('locations').selectAll().where('tenant_id', '=', tenantId).orderBy('building').orderBy('code').execute(),
  findByCode: (db: Db, tenantId: string, code: string) =>
    db.selectFrom('locations').selectAll().where('tenant_id', '=', tenantId).where('code', '=', code).executeTakeFirst(),
  update: (db: Db, tenantId: string, code: string, patch: Patch<LocationRow, 'code'>) =>
    db.updateTable('locations').set(patch).where('tenant_id', '=', tenantId).where('code', '=', code).execute(),
  delete: async (db: Db, tenantId: string, code: string) => {
    const result = await db.deleteFrom('locations').where('tenant_id', '=', tenantId).where('code', '=', code).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  },
  count: async (db: Db, tenantId: string) => {
    const row = await db
      .selectFrom('locations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },
};
