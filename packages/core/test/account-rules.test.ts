import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../src/errors.js';
import { assertDepartmentFitsRole, assertNotLockingOutSelf, losesAdminPowers } from '../src/policy.js';
import { ROLES, type Actor, type Role } from '../src/roles.js';

const admin = (userId: string): Actor => ({ kind: 'user', userId, tenantId: 't1', role: 'admin', departmentId: null });
const standing = (role: Role, disabled = false) => ({ role, disabled });
const refusedWith = (code: string) => (error: unknown) => error instanceof DomainError && error.code === code;

describe('account rules: admin powers', () => {
  it('an account loses admin powers exactly when an active admin is demoted or disabled', () => {
    for (const role of ROLES) {
      assert.equal(losesAdminPowers(standing('admin'), standing(role)), role !== 'admin', role);
      assert.equal(losesAdminPowers(standing('admin', true), standing(role)), false, `a disabled admin has none to lose (${role})`);
      assert.equal(losesAdminPowers(standing(role), standing(role, true)), role === 'admin', `disabling a ${role}`);
    }
    assert.equal(losesAdminPowers(standing('staff'), standing('admin')), false);
  });

  it('refuses an admin taking their own powers away (403 cannot_modify_self), and nobody else', () => {
    assert.throws(() => assertNotLockingOutSelf(admin('a'), 'a', standing('admin'), standing('admin', true)), refusedWith('cannot_modify_self'));
    assert.throws(() => assertNotLockingOutSelf(admin('a'), 'a', standing('admin'), standing('authority')), refusedWith('cannot_modify_self'));
    assert.throws(
      () => assertNotLockingOutSelf(admin('a'), 'a', standing('admin'), standing('student')),
      (error: unknown) => error instanceof DomainError && error.kind === 'forbidden',
    );
    assert.doesNotThrow(() => assertNotLockingOutSelf(admin('a'), 'a', standing('admin'), standing('admin')));
    assert.doesNotThrow(() => assertNotLockingOutSelf(admin('a'), 'b', standing('admin'), standing('student', true)));
    assert.doesNotThrow(() => assertNotLockingOutSelf({ kind: 'operator', tenantId: 't1' }, 'a', standing('admin'), standing('student')));
  });
});

describe('account rules: role and department together', () => {
  it('staff need a department, students refuse one, authorities and admins take either', () => {
    assert.throws(() => assertDepartmentFitsRole('staff', null), refusedWith('department_required'));
    assert.throws(() => assertDepartmentFitsRole('student', 'd1'), refusedWith('department_not_allowed'));
    for (const role of ['staff', 'authority', 'admin'] as const) assert.doesNotThrow(() => assertDepartmentFitsRole(role, 'd1'), role);
    for (const role of ['student', 'authority', 'admin'] as const) assert.doesNotThrow(() => assertDepartmentFitsRole(role, null), role);
  });
});
