import { DEFAULT_ESCALATION_POLICY, type EscalationPolicy } from '@alertautec/core';
import type { Db } from '../store/executor.js';

/**
 * Each tenant's escalation policy, stored as JSON (validated by the API on the way in).
 * A tenant that never set one gets DEFAULT_ESCALATION_POLICY. The notifier reads it too
 * (with recipientsForLevel from core) to know whom a level > 1 names.
 */
export const escalationPolicyRepository = {
  get: async (db: Db, tenantId: string): Promise<EscalationPolicy> => {
    const row = await db.selectFrom('escalation_policies').select('policy').where('tenant_id', '=', tenantId).executeTakeFirst();
    return row ? (JSON.parse(row.policy) as EscalationPolicy) : structuredClone(DEFAULT_ESCALATION_POLICY);
  },

  put: async (db: Db, tenantId: string, policy: EscalationPolicy, now: number, updatedBy: string | null) => {
    const values = { policy: JSON.stringify(policy), updated_at: now, updated_by: updatedBy };
    await db
      .insertInto('escalation_policies')
      .values({ tenant_id: tenantId, ...values })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
      .execute();
  },
};
