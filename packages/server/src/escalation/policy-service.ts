import { assertCan, assertValidEscalationPolicy, validationError, type Actor, type EscalationPolicy } from '@alertautec/core';
import type { Clock } from '../adapters.js';
import type { Db } from '../store/executor.js';
import type { Write } from '../store/group-commit.js';
import { usersRepository } from '../users/repository.js';
import { escalationPolicyRepository } from './policy-repository.js';

export interface EscalationPolicyDeps {
  db: Db;
  write: Write;
  clock: Clock;
}

export type EscalationPolicyService = ReturnType<typeof createEscalationPolicyService>;

/** GET/PUT /api/escalation-policy: admins read and replace their tenant's policy. */
export function createEscalationPolicyService({ db, write, clock }: EscalationPolicyDeps) {
  const actorId = (actor: Actor) => (actor.kind === 'user' ? actor.userId : null);

  return {
    async get(actor: Actor): Promise<EscalationPolicy> {
      assertCan(actor, 'escalation:manage');
      return escalationPolicyRepository.get(db, actor.tenantId);
    },

    /** Replaces the policy; escalations under way follow it from their next level on. */
    async put(actor: Actor, policy: EscalationPolicy): Promise<EscalationPolicy> {
      assertCan(actor, 'escalation:manage');
      assertValidEscalationPolicy(policy);
      const unknown: { path: string; message: string }[] = [];
      for (const [index, level] of policy.levels.entries()) {
        for (const [at, userId] of (level.notify.userIds ?? []).entries()) {
          if (!(await usersRepository.findById(db, actor.tenantId, userId))) unknown.push({ path: `/levels/${index}/notify/userIds/${at}`, message: 'unknown user' });
        }
      }
      if (unknown.length > 0) throw validationError('The policy names users that do not exist.', unknown, 'unknown_user');
      await write((trx) => escalationPolicyRepository.put(trx, actor.tenantId, policy, clock.now(), actorId(actor)));
      return policy;
    },
  };
}
