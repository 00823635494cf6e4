import { DEFAULT_RULES, NOTIFICATION_CHANNELS, type NotificationChannel, type RuleId, type RuleState } from '@alertautec/core';
import type { Db } from '../store/executor.js';

/**
 * The admins' switches for the notification rules. The rules themselves are code (core);
 * a tenant's rows are written on first use with each rule's defaults (so a tenant created
 * any time gets them), and only `enabled` and `channels` change afterwards.
 */
const defaults = (tenantId: string, now: number) =>
  DEFAULT_RULES.map((rule) => ({ tenant_id: tenantId, id: rule.id, enabled: 1, channels: JSON.stringify(rule.channels), updated_at: now }));

const parseChannels = (raw: string): NotificationChannel[] =>
  (JSON.parse(raw) as string[]).filter((name): name is NotificationChannel => (NOTIFICATION_CHANNELS as readonly string[]).includes(name));

export const rulesRepository = {
  /** The tenant's switches, in the order of DEFAULT_RULES; seeds missing ones first. */
  async states(db: Db, tenantId: string, now: number): Promise<RuleState[]> {
    let rows = await db.selectFrom('notification_rules').selectAll().where('tenant_id', '=', tenantId).execute();
    if (rows.length < DEFAULT_RULES.length) {
      await db
        .insertInto('notification_rules')
        .values(defaults(tenantId, now))
        .onConflict((oc) => oc.columns(['tenant_id', 'id']).doNothing())
        .execute();
      rows = await db.selectFrom('notification_rules').selectAll().where('tenant_id', '=', tenantId).execute();
    }
    const byId = new Map(rows.map((row) => [row.id, row]));
    return DEFAULT_RULES.map((rule) => {
      const row = byId.get(rule.id);
      return { id: rule.id, enabled: row ? row.enabled === 1 : true, channels: row ? parseChannels(row.channels) : [...rule.channels] };
    });
  },

  update: (db: Db, tenantId: string, id: RuleId, patch: { enabled?: boolean; channels?: readonly NotificationChannel[] }, now: number) =>
    db
      .updateTable('notification_rules')
      .set({
        ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
        ...(patch.channels !== undefined ? { channels: JSON.stringify(patch.channels) } : {}),
        updated_at: now,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute(),
};
