import type { Db } from '../store/executor.js';
import type { ApiKeysTable } from '../store/schema.js';

export type ApiKeyRow = ApiKeysTable;

export const apiKeysRepository = {
  insert: (db: Db, row: ApiKeyRow) => db.insertInto('api_keys').values(row).execute(),

  findByHash: (db: Db, keyHash: string) => db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst(),

  list: (db: Db, tenantId: string) =>
    db.selectFrom('api_keys').selectAll().where('tenant_id', '=', tenantId).orderBy('id', 'desc').execute(),

  revoke: async (db: Db, tenantId: string, id: string, at: number) => {
    const result = await db
      .updateTable('api_keys')
      .set({ revoked_at: at })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  findById: (db: Db, tenantId: string, id: string) =>
    db.selectFrom('api_keys').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst(),

  touch: (db: Db, id: string, at: number) => db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute(),
};
