import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../src/errors.js';
import { assertCan, can, roleNeedsDepartment, type Permission } from '../src/policy.js';
import { API_KEY_SCOPES, ROLES, type Actor, type ApiKeyScope, type Role } from '../src/roles.js';

const PERMISSIONS: Permission[] = ['users:manage', 'catalog:manage', 'apiKeys:manage', 'realtime:publish'];

const user = (role: Role): Actor => ({ kind: 'user', userId: `u-${role}`, tenantId: 't1', role, departmentId: role === 'staff' ? 'd1' : null });
const key = (...scopes: ApiKeyScope[]): Actor => ({ kind: 'apiKey', keyId: 'k1', tenantId: 't1', scopes });

describe('permission policy: roles', () => {
  it('gives the admin every permission', () => {
    for (const permission of PERMISSIONS) {
      assert.equal(can(user('admin'), permission), true, permission);
      assert.doesNotThrow(() => assertCan(user('admin'), permission));
    }
  });

  for (const role of ['student', 'staff', 'authority'] as const) {
    it(`gives ${role} none of the administrative permissions`, () => {
      for (const permission of PERMISSIONS) {
        assert.equal(can(user(role), permission), false, `${role} ${permission}`);
        assert.throws(
          () => assertCan(user(role), permission),
          (error: unknown) => error instanceof DomainError && error.kind === 'forbidden' && error.code === 'forbidden',
        );
      }
    });
  }

  it('knows every role', () => {
    assert.deepEqual([...ROLES].sort(), ['admin', 'authority', 'staff', 'student']);
  });
});

describe('permission policy: API keys', () => {
  it('lets a realtime:publish key publish and nothing else', () => {
    const actor = key('realtime:publish');
    assert.equal(can(actor, 'realtime:publish'), true);
    assert.doesNotThrow(() => assertCan(actor, 'realtime:publish'));
    for (const permission of ['users:manage', 'catalog:manage', 'apiKeys:manage'] as const) {
      assert.equal(can(actor, permission), false, permission);
      assert.throws(() => assertCan(actor, permission), DomainError);
    }
  });

  it('gives an auth:introspect key no managing or publishing permission', () => {
    for (const permission of PERMISSIONS) assert.equal(can(key('auth:introspect'), permission), false, permission);
  });

  it('gives a key without scopes nothing, and a key with both scopes only publishing', () => {
    for (const permission of PERMISSIONS) assert.equal(can(key(), permission), false, permission);
    const both = key(...API_KEY_SCOPES);
    assert.deepEqual(
      PERMISSIONS.filter((permission) => can(both, permission)),
      ['realtime:publish'],
    );
  });

  it('lets a metrics:read key read metrics and nothing else; of the people, only an admin may', () => {
    assert.equal(can(key('metrics:read'), 'metrics:read'), true);
    for (const permission of PERMISSIONS) assert.equal(can(key('metrics:read'), permission), false, permission);
    assert.equal(can(key('realtime:publish', 'auth:introspect'), 'metrics:read'), false);
    assert.deepEqual(
      ROLES.filter((role) => can(user(role), 'metrics:read')),
      ['admin'],
    );
  });
});

describe('policy helpers', () => {
  it('only staff need a department', () => {
    assert.deepEqual(
      ROLES.filter((role) => roleNeedsDepartment(role)),
      ['staff'],
    );
  });

});
