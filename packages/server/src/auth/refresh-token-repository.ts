import type { Db } from '../store/executor.js';
import type { RefreshTokensTable } from '../store/schema.js';

export type RefreshTokenRow = RefreshTokensTable;

export const refreshTokenRepository = {
  insert: (db: Db, row: RefreshTokenRow) => db.insertInto('refresh_tokens').values(row).execute(),

  findByHash: (db: Db, tokenHash: string) =>
    db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst(),

  /**
   * Marks a token used, atomically: true only for the one caller that rotated it, so two
   * racing refreshes of the same token cannot both succeed.
   */
  markUsed: async (db: Db, id: string, at: number) => {
    const result = await db
      .updateTable('refresh_tokens')
      .set({ used_at: at })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  /**
   * Whether a token family still stands: it has tokens and none was revoked. Revocation is
   * always family-wide, so one revoked row means the family is over, even if a refresh
   * racing the logout added an unrevoked row after it.
   */
  isFamilyOpen: async (db: Db, familyId: string, userId: string) => {
    const row = await db
      .selectFrom('refresh_tokens')
      .select((eb) => [eb.fn.countAll<number | string>().as('tokens'), eb.fn.count<number | string>('revoked_at').as('revoked')])
      .where('family_id', '=', familyId)
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.tokens) > 0 && Number(row.revoked) === 0;
  },

  revokeFamily: (db: Db, familyId: string, at: number) =>
    db.updateTable('refresh_tokens').set({ revoked_at: at }).where('family_id', '=', familyId).where('revoked_at', 'is', null).execute(),

  revokeAllForUser: (db: Db, userId: string, at: number) =>
    db.updateTable('refresh_tokens').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute(),

  deleteExpired: (db: Db, before: number) => db.deleteFrom('refresh_tokens').where('expires_at', '<', before).execute(),
};
