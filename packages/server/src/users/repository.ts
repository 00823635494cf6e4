import type { Db } from '../store/executor.js';
import type { UsersTable } from '../store/schema.js';

export type UserRow = UsersTable;

export interface UserListFilter {
  limit: number;
  afterId?: string;
  role?: string;
  departmentId?: string;
}

export const usersRepository = {
  insert: (db: Db, row: UserRow) => db.insertInto('users').values(row).execute(),

  findByEmail: (db: Db, email: string) => db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst(),

  findById: (db: Db, tenantId: string, id: string) =>
    db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst(),

  /** Newest first; `afterId` continues after the last id of the previous page. */
  list: (db: Db, tenantId: string, filter: UserListFilter) => {
    let query = db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId);
    if (filter.afterId) query = query.where('id', '<', filter.afterId);
    if (filter.role) query = query.where('role', '=', filter.role);
    if (filter.departmentId) query = query.where('department_id', '=', filter.departmentId);
    return query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  },

  update: (db: Db, tenantId: string, id: string, patch: Partial<Omit<UserRow, 'id' | 'tenant_id'>>) =>
    db.updateTable('users').set(patch).where('tenant_id', '=', tenantId).where('id', '=', id).execute(),

  countActiveAdmins: async (db: Db, tenantId: string, exceptId?: string) => {
    let query = db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('role', '=', 'admin')
      .where('disabled', '=', 0);
    if (exceptId) query = query.where('id', '!=', exceptId);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /**
   * Takes the tenant's row lock for the rest of the transaction, so changes that must see
   * each other (two admins stepping down at once) run one after the other. SQLite runs
   * transactions one at a time anyway; on PostgreSQL this is a row lock.
   */
  lockTenant: (db: Db, tenantId: string) =>
    db.updateTable('tenants').set((eb) => ({ name: eb.ref('name') })).where('id', '=', tenantId).execute(),

};
