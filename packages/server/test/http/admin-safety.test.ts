import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Actor } from '@alertautec/core';
import { describeEachDatabase } from '../helpers/databases.js';
import { ADMIN, startApp, type TestApp, type TestResponse } from '../helpers/app.js';
import { createUser, firstDepartmentId } from '../helpers/fixtures.js';

/**
 * Admin safety (issue 14, item 3): role and department change in one step, checked
 * together; an admin never disables or demotes themself; the tenant never loses its last
 * active admin, even when two admins step on each other at the same moment.
 */
function assertProblem(response: TestResponse, status: number, code: string) {
  assert.equal(response.status, status, response.text);
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(response.body.code, code, response.text);
  assert.equal(response.body.type, `urn:alertautec:problem:${code}`);
  assert.equal(typeof response.body.detail, 'string');
}

const userActor = (userId: string): Actor => ({ kind: 'user', userId, tenantId: 'default', role: 'admin', departmentId: null });

await describeEachDatabase('admin safety', (dialect) => {
  let t: TestApp;
  let admin: string;
  let me: { id: string; name: string };
  let departmentId: string;
  const patch = (id: string, body: unknown, token = admin) => t.request('PATCH', `/api/users/${id}`, { token, body });
  const activeAdmins = async () =>
    (await t.system.store.db.selectFrom('users').select('id').where('tenant_id', '=', 'default').where('role', '=', 'admin').where('disabled', '=', 0).execute()).map((row) => row.id);
  /** Leaves exactly these admins active (the others disabled), straight in the store. */
  const onlyActiveAdmins = async (...ids: string[]) => {
    for (const id of await activeAdmins()) if (!ids.includes(id)) await t.system.store.db.updateTable('users').set({ disabled: 1 }).where('id', '=', id).execute();
    for (const id of ids) await t.system.store.db.updateTable('users').set({ role: 'admin', disabled: 0 }).where('id', '=', id).execute();
  };

  before(async () => {
    t = await startApp({ dialect, env: { PASSWORD_HASH_COST: '10' } });
    admin = await t.adminToken();
    me = (await t.request('GET', '/api/auth/me', { token: admin })).body;
    departmentId = await firstDepartmentId(t);
  });
  after(() => t.close());

  it('moves a student to staff in one step, and refuses a department that does not fit the role with its own code', async () => {
    const student = await createUser(t, 'student');
    assertProblem(await patch(student.id, { role: 'staff' }), 400, 'department_required');
    assertProblem(await patch(student.id, { departmentId }), 400, 'department_not_allowed');
    assertProblem(await patch(student.id, { role: 'staff', departmentId: 'no-such-department' }), 400, 'unknown_department');
    const staff = await patch(student.id, { role: 'staff', departmentId });
    assert.equal(staff.status, 200, staff.text);
    assert.deepEqual([staff.body.role, staff.body.departmentId], ['staff', departmentId]);
    // And back: a student leaves the department; naming one is refused.
    assertProblem(await patch(student.id, { role: 'student', departmentId }), 400, 'department_not_allowed');
    const back = await patch(student.id, { role: 'student' });
    assert.deepEqual([back.status, back.body.role, back.body.departmentId], [200, 'student', null]);
    // Authorities may keep a department or have none.
    const authority = await patch(student.id, { role: 'authority', departmentId });
    assert.deepEqual([authority.status, authority.body.departmentId], [200, departmentId]);
    const stored = await t.request('GET', `/api/users/${student.id}`, { token: admin });
    assert.deepEqual([stored.body.role, stored.body.departmentId], ['authority', departmentId]);
  });

  it('refuses an admin disabling or demoting themself with 403 cannot_modify_self, even with other admins around', async () => {
    const other = await createUser(t, 'admin');
    for (const body of [{ disabled: true }, { role: 'authority' }, { role: 'staff', departmentId }, { role: 'student' }, { role: 'student', name: 'Otra' }]) {
      assertProblem(await patch(me.id, body), 403, 'cannot_modify_self');
    }
    // Nothing of the refused changes stuck, and the admin still works.
    const stored = await t.request('GET', `/api/users/${me.id}`, { token: admin });
    assert.deepEqual([stored.body.role, stored.body.disabled, stored.body.name], ['admin', false, me.name]);
    assert.equal((await t.request('GET', '/api/users', { token: admin })).status, 200);
    // What takes no power away is fine: a name, a department, staying enabled and admin.
    const renamed = await patch(me.id, { name: 'Jefa de Sistemas', departmentId, disabled: false, role: 'admin' });
    assert.equal(renamed.status, 200, renamed.text);
    assert.deepEqual([renamed.body.name, renamed.body.departmentId], ['Jefa de Sistemas', departmentId]);
    assert.equal((await patch(me.id, { departmentId: null })).status, 200);
    // The other admin may do it to them (and back).
    const demoted = await patch(me.id, { role: 'authority' }, other.token);
    assert.equal(demoted.status, 200, demoted.text);
    assertProblem(await t.request('GET', '/api/users', { token: admin }), 403, 'forbidden');
    assert.equal((await patch(me.id, { role: 'admin' }, other.token)).status, 200);
    assert.equal((await patch(other.id, { disabled: true })).status, 200);
  });

  it('refuses demoting or disabling the last active admin with 409 last_admin; a disabled admin does not count', async () => {
    const second = await createUser(t, 'admin');
    await onlyActiveAdmins(me.id);
    const operator: Actor = { kind: 'operator', tenantId: 'default' };
    const users = t.system.services.users;
    for (const change of [{ disabled: true }, { role: 'authority' as const }, { role: 'student' as const }]) {
      await assert.rejects(users.update(operator, me.id, change), (error: { code?: string }) => error.code === 'last_admin');
    }
    assert.deepEqual(await activeAdmins(), [me.id]);
    // Enabling the second admin makes the change possible.
    assert.equal((await patch(second.id, { disabled: false })).status, 200);
    const stepped = await users.update(operator, me.id, { role: 'authority' });
    assert.equal(stepped.role, 'authority');
    assert.deepEqual(await activeAdmins(), [second.id]);
    await onlyActiveAdmins(me.id);
  });

  it('two admins demoting or disabling each other at the same moment leave one admin standing', async () => {
    const users = t.system.services.users;
    const changes = [{ disabled: true }, { role: 'authority' as const }, { role: 'student' as const }];
    for (const [round, change] of changes.entries()) {
      await onlyActiveAdmins(me.id); // the test's admin creates the two
      const a = await createUser(t, 'admin');
      const b = await createUser(t, 'admin');
      await onlyActiveAdmins(a.id, b.id);
      const results = await Promise.allSettled([users.update(userActor(a.id), b.id, change), users.update(userActor(b.id), a.id, change)]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected'], `round ${round}`);
      const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(rejected?.reason.code, 'last_admin', `round ${round}`);
      assert.equal((await activeAdmins()).length, 1, `round ${round}: one active admin remains`);
    }
    await onlyActiveAdmins(me.id);
    assert.equal((await t.request('GET', '/api/auth/me', { token: await t.login(ADMIN.email, ADMIN.password) })).body.role, 'admin');
  });
});
