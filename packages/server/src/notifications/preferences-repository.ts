import { DEFAULT_PREFERENCES, type Language, type NotificationPreferences } from '@alertautec/core';
import type { Db } from '../store/executor.js';
import type { NotificationPreferencesTable } from '../store/schema.js';

/** People's notification preferences; a person without a row has the defaults. */
export const fromPreferencesRow = (row: NotificationPreferencesTable | undefined): NotificationPreferences =>
  row
    ? {
        language: row.language as Language,
        phone: row.phone,
        channels: { email: row.email_enabled === 1, sms: row.sms_enabled === 1 },
        quietHours: row.quiet_from && row.quiet_to ? { from: row.quiet_from, to: row.quiet_to } : null,
      }
    : { ...DEFAULT_PREFERENCES, channels: { ...DEFAULT_PREFERENCES.channels } };

export const preferencesRepository = {
  find: (db: Db, tenantId: string, userId: string) =>
    db.selectFrom('notification_preferences').selectAll().where('tenant_id', '=', tenantId).where('user_id', '=', userId).executeTakeFirst(),

  /** Several people's rows at once (the notifier reads a whole group). */
  forUsers: async (db: Db, tenantId: string, userIds: readonly string[]) => {
    if (userIds.length === 0) return new Map<string, NotificationPreferencesTable>();
    const rows = await db.selectFrom('notification_preferences').selectAll().where('tenant_id', '=', tenantId).where('user_id', 'in', userIds).execute();
    return new Map(rows.map((row) => [row.user_id, row]));
  },

  save: (db: Db, tenantId: string, userId: string, preferences: NotificationPreferences, now: number) => {
    const values = {
      language: preferences.language,
      phone: preferences.phone,
      email_enabled: preferences.channels.email ? 1 : 0,
      sms_enabled: preferences.channels.sms ? 1 : 0,
      quiet_from: preferences.quietHours?.from ?? null,
      quiet_to: preferences.quietHours?.to ?? null,
      updated_at: now,
    };
    return db
      .insertInto('notification_preferences')
      .values({ user_id: userId, tenant_id: tenantId, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .execute();
  },
};
