import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_ESCALATION_POLICY,
  FIRST_ESCALATION_RECIPIENTS,
  lastEscalationLevel,
  nextEscalationAt,
  policyLevelFor,
  recipientsForLevel,
  type EscalationPolicy,
} from '../src/index.js';

const policy: EscalationPolicy = {
  levels: [
    { afterMinutes: 5, notify: { roles: ['authority'] }, channels: ['email'] },
    { afterMinutes: 0.5, notify: { userIds: ['u1'], departmentContact: true }, channels: ['sms', 'inapp'] },
  ],
  repeat: 2,
};

describe('escalation policy', () => {
  it('level 1 is the breach itself: every authority, whatever the policy', () => {
    assert.deepEqual(recipientsForLevel(policy, 1), FIRST_ESCALATION_RECIPIENTS);
    assert.deepEqual(recipientsForLevel(DEFAULT_ESCALATION_POLICY, 1), FIRST_ESCALATION_RECIPIENTS);
  });

  it('levels 2.. walk the list `repeat` times, with every field filled in; past the end there is none', () => {
    assert.equal(lastEscalationLevel(policy), 5);
    assert.deepEqual(recipientsForLevel(policy, 2), { roles: ['authority'], userIds: [], departmentContact: false, channels: ['email'] });
    assert.deepEqual(recipientsForLevel(policy, 3), { roles: [], userIds: ['u1'], departmentContact: true, channels: ['sms', 'inapp'] });
    assert.deepEqual(recipientsForLevel(policy, 4), recipientsForLevel(policy, 2));
    assert.deepEqual(recipientsForLevel(policy, 5), recipientsForLevel(policy, 3));
    for (const level of [0, 6, 2.5, -1]) assert.equal(recipientsForLevel(policy, level), null, String(level));
    assert.equal(policyLevelFor(DEFAULT_ESCALATION_POLICY, 3), null);
  });

  it('the next level is due afterMinutes after the one that fired; none after the last', () => {
    assert.equal(nextEscalationAt(policy, 1, 1_000), 1_000 + 5 * 60_000);
    assert.equal(nextEscalationAt(policy, 2, 1_000), 1_000 + 30_000);
    assert.equal(nextEscalationAt(policy, 4, 1_000), 1_000 + 30_000);
    assert.equal(nextEscalationAt(policy, 5, 1_000), null);
    assert.equal(nextEscalationAt(DEFAULT_ESCALATION_POLICY, 1, 0), 15 * 60_000);
  });
});
