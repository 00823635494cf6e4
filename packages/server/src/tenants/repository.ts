import type { Db } from '../store/executor.js';
import type { TenantsTable } from '../store/schema.js';

export const tenantsRepository = {
  insert: (db: Db, row: TenantsTable) => db.insertInto('tenants').values(row).execute(),
  /** The first tenant created: where self-registered students land. */
  findDefault: (db: Db) => db.selectFrom('tenants').selectAll().orderBy('created_at').orderBy('id').limit(1).executeTakeFirst(),
  findById: (db: Db, id: string) => db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst(),
};
