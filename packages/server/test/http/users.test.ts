import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN, startApp, type TestApp, type TestResponse } from '../helpers/app.js';
import { createOtherTenant, createUser, firstDepartmentId } from '../helpers/fixtures.js';

const PASSWORD = 'a-good-password-1';
let counter = 0;
const uniqueEmail = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}@test.example`;

function assertProblem(response: TestResponse, status: number, code?: string) {
  assert.equal(response.status, status, response.text);
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(response.body.status, status);
  assert.equal(typeof response.body.title, 'string');
  assert.equal(typeof response.body.detail, 'string');
  assert.equal(typeof response.body.type, 'string');
  if (code) assert.equal(response.body.code, code, response.text);
}

function assertNoPasswordHash(response: TestResponse) {
  assert.doesNotMatch(response.text, /password_?hash/i);
  assert.doesNotMatch(response.text, /scrypt|\$argon|\$2[aby]\$/);
  assert.doesNotMatch(response.text, new RegExp(PASSWORD));
}

async function listAll(t: TestApp, token: string, query = ''): Promise<{ id: string; [k: string]: unknown }[]> {
  const response = await t.request('GET', `/api/users?limit=200${query}`, { token });
  assert.equal(response.status, 200, response.text);
  assert.equal(response.body.nextCursor, null);
  return response.body.items;
}

describe('users admin API', () => {
  let t: TestApp;
  let admin: string;
  let departmentId: string;
  let otherDepartmentId: string;
  before(async () => {
    t = await startApp();
    admin = await t.adminToken();
    departmentId = await firstDepartmentId(t);
    const departments = await t.request('GET', '/api/departments', { token: admin });
    otherDepartmentId = departments.body.items[1].id;
    assert.notEqual(departmentId, otherDepartmentId);
  });
  after(() => t.close());

  const create = (body: Record<string, unknown>, token = admin) => t.request('POST', '/api/users', { token, body });

  describe('creating users', () => {
    it('creates a staff account in a department', async () => {
      const email = uniqueEmail('Staff');
      const response = await create({ email: email.toUpperCase(), password: PASSWORD, name: ' Sofía Staff ', role: 'staff', departmentId });
      assert.equal(response.status, 201, response.text);
      const user = response.body;
      assert.match(user.id, /^[A-Za-z0-9_-]+$/);
      assert.equal(user.email, email.toLowerCase());
      assert.equal(user.name, 'Sofía Staff');
      assert.equal(user.role, 'staff');
      assert.equal(user.departmentId, departmentId);
      assert.equal(user.tenantId, 'default');
      assert.equal(user.disabled, false);
      assert.ok(!Number.isNaN(Date.parse(user.createdAt)));
      assert.equal(user.createdAt, user.updatedAt);
      assert.deepEqual(Object.keys(user).sort(), ['createdAt', 'departmentId', 'disabled', 'email', 'id', 'loginLockedUntil', 'name', 'role', 'tenantId', 'updatedAt']);
      assertNoPasswordHash(response);
      // The new account can sign in and is who the admin said.
      const token = await t.login(email, PASSWORD);
      const me = await t.request('GET', '/api/auth/me', { token });
      assert.equal(me.body.role, 'staff');
      assert.equal(me.body.departmentId, departmentId);
    });

    it('refuses staff without a department, pointing at /departmentId', async () => {
      for (const body of [
        { email: uniqueEmail('s'), password: PASSWORD, name: 'No Dept', role: 'staff' },
        { email: uniqueEmail('s'), password: PASSWORD, name: 'No Dept', role: 'staff', departmentId: null },
      ]) {
        const response = await create(body);
        assertProblem(response, 400);
        assert.ok(response.body.errors.some((e: { path: string }) => e.path === '/departmentId'), response.text);
      }
    });

    it('refuses an unknown department with unknown_department', async () => {
      const response = await create({ email: uniqueEmail('s'), password: PASSWORD, name: 'Ghost', role: 'staff', departmentId: 'no-such-department' });
      assertProblem(response, 400, 'unknown_department');
      assert.equal(response.body.errors[0].path, '/departmentId');
    });

    it('creates authority (with no department) and admin accounts', async () => {
      const authority = await create({ email: uniqueEmail('auth'), password: PASSWORD, name: 'Autoridad', role: 'authority' });
      assert.equal(authority.status, 201, authority.text);
      assert.equal(authority.body.role, 'authority');
      assert.equal(authority.body.departmentId, null);
      const other = await create({ email: uniqueEmail('adm'), password: PASSWORD, name: 'Otro Admin', role: 'admin' });
      assert.equal(other.status, 201, other.text);
      assert.equal(other.body.role, 'admin');
    });

    it('creates students without a department and refuses one with a department', async () => {
      const student = await create({ email: uniqueEmail('stu'), password: PASSWORD, name: 'Estudiante', role: 'student' });
      assert.equal(student.status, 201, student.text);
      assert.equal(student.body.departmentId, null);
      const withDepartment = await create({ email: uniqueEmail('stu'), password: PASSWORD, name: 'Estudiante', role: 'student', departmentId });
      assertProblem(withDepartment, 400);
      assert.equal(withDepartment.body.errors[0].path, '/departmentId');
    });

    it('refuses a duplicate e-mail (whatever its case) with 409 email_taken', async () => {
      const email = uniqueEmail('dup');
      assert.equal((await create({ email, password: PASSWORD, name: 'Uno', role: 'student' })).status, 201);
      assertProblem(await create({ email: email.toUpperCase(), password: PASSWORD, name: 'Dos', role: 'student' }), 409, 'email_taken');
      assertProblem(await create({ email: ADMIN.email, password: PASSWORD, name: 'Tres', role: 'student' }), 409, 'email_taken');
    });

    it('validates the body', async () => {
      const base = { email: uniqueEmail('v'), password: PASSWORD, name: 'Valid', role: 'student' };
      const cases: [Record<string, unknown>, string][] = [
        [{ ...base, email: 'not-an-email' }, '/email'],
        [{ ...base, password: 'short' }, '/password'],
        [{ ...base, role: 'superuser' }, '/role'],
        [{ ...base, name: '' }, '/name'],
        [{ ...base, name: 'evil\u202Ename' }, '/name'],
        [{ ...base, name: 'two\nlines' }, '/name'],
        [{ ...base, isAdmin: true }, '/isAdmin'],
        [{ email: base.email, password: PASSWORD, name: 'x' }, '/role'],
      ];
      for (const [body, path] of cases) {
        const response = await create(body);
        assertProblem(response, 400, 'validation_failed');
        assert.ok(
          response.body.errors.some((e: { path: string }) => e.path === path),
          `${JSON.stringify(body)} → ${response.text}`,
        );
      }
      // None of them was created.
      const all = await listAll(t, admin);
      assert.ok(!all.some((u) => u.email === base.email));
    });
  });

  describe('listing users', () => {
    let created: string[];
    before(async () => {
      created = [];
      for (let i = 0; i < 7; i++) {
        const role = i % 2 === 0 ? 'staff' : 'student';
        const response = await create({
          email: uniqueEmail(`list${i}`),
          password: PASSWORD,
          name: `Lista ${i}`,
          role,
          ...(role === 'staff' ? { departmentId: i === 4 ? otherDepartmentId : departmentId } : {}),
        });
        assert.equal(response.status, 201, response.text);
        created.push(response.body.id);
      }
    });

    it('lists newest first, without password hashes', async () => {
      const response = await t.request('GET', '/api/users', { token: admin });
      assert.equal(response.status, 200);
      assertNoPasswordHash(response);
      const ids = response.body.items.map((u: { id: string }) => u.id);
      assert.deepEqual(ids.slice(0, 7), [...created].reverse());
      const times = response.body.items.map((u: { createdAt: string }) => Date.parse(u.createdAt));
      for (let i = 1; i < times.length; i++) assert.ok(times[i - 1] >= times[i], 'createdAt never increases');
      assert.ok(response.body.items.some((u: { email: string }) => u.email === ADMIN.email));
      assert.ok(response.body.items.every((u: { tenantId: string }) => u.tenantId === 'default'));
    });

    it('pages with ?limit and cursors, visiting every user exactly once', async () => {
      const all = await listAll(t, admin);
      assert.ok(all.length >= 9);
      for (const limit of [1, 2, 3, all.length - 1, all.length]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const query: string = `/api/users?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const page: TestResponse = await t.request('GET', query, { token: admin });
          assert.equal(page.status, 200, page.text);
          assert.ok(page.body.items.length <= limit);
          if (page.body.nextCursor !== null) assert.equal(page.body.items.length, limit);
          seen.push(...page.body.items.map((u: { id: string }) => u.id));
          cursor = page.body.nextCursor;
          assert.ok(++pages <= all.length + 1, 'paging terminates');
        } while (cursor);
        assert.deepEqual(seen, all.map((u) => u.id), `limit ${limit}`);
        assert.equal(new Set(seen).size, seen.length);
        assert.equal(pages, Math.ceil(all.length / limit), `limit ${limit}: no empty trailing page`);
      }
    });

    it('defaults to 50 per page', async () => {
      const response = await t.request('GET', '/api/users', { token: admin });
      const all = await listAll(t, admin);
      assert.equal(response.body.items.length, Math.min(50, all.length));
    });

    it('filters by role and by department, also across pages', async () => {
      const staff = await listAll(t, admin, '&role=staff');
      assert.ok(staff.length >= 4);
      assert.ok(staff.every((u) => u.role === 'staff'));
      const students = await listAll(t, admin, '&role=student');
      assert.ok(students.length >= 3);
      assert.ok(students.every((u) => u.role === 'student' && u.departmentId === null));
      const inOther = await listAll(t, admin, `&departmentId=${otherDepartmentId}`);
      assert.deepEqual(inOther.map((u) => u.id), [created[4]]);
      const inFirst = await listAll(t, admin, `&departmentId=${departmentId}&role=staff`);
      assert.ok(inFirst.every((u) => u.departmentId === departmentId && u.role === 'staff'));
      assert.ok(inFirst.some((u) => u.id === created[0]));
      assert.ok(!inFirst.some((u) => u.id === created[4]));

      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: TestResponse = await t.request('GET', `/api/users?role=staff&limit=1${cursor ? `&cursor=${cursor}` : ''}`, { token: admin });
        assert.equal(page.status, 200);
        paged.push(...page.body.items.map((u: { id: string }) => u.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      assert.deepEqual(paged, staff.map((u) => u.id));

      assert.deepEqual(await listAll(t, admin, '&departmentId=no-such-department'), []);
    });

    it('refuses bad cursors with invalid_cursor', async () => {
      for (const cursor of ['not-a-cursor!!', 'e30', Buffer.from('123').toString('base64url'), Buffer.from('{"id":"x"}').toString('base64url')]) {
        const response = await t.request('GET', `/api/users?cursor=${encodeURIComponent(cursor)}`, { token: admin });
        assertProblem(response, 400, 'invalid_cursor');
        assert.equal(response.body.errors[0].path, '/cursor');
      }
    });

    it('refuses limits outside 1..200 and unknown roles', async () => {
      for (const query of ['limit=0', 'limit=201', 'limit=abc', 'limit=-1', 'limit=2.5', 'role=root']) {
        const response = await t.request('GET', `/api/users?${query}`, { token: admin });
        assertProblem(response, 400, 'validation_failed');
      }
      assert.equal((await t.request('GET', '/api/users?limit=200', { token: admin })).status, 200);
      assert.equal((await t.request('GET', '/api/users?limit=1', { token: admin })).body.items.length, 1);
    });
  });

  describe('changing users', () => {
    const patch = (id: string, body: unknown, token = admin) => t.request('PATCH', `/api/users/${id}`, { token, body });

    it('changes name, department and role, and the change sticks', async () => {
      const user = await createUser(t, 'staff', { departmentId });
      const renamed = await patch(user.id, { name: '  Nuevo Nombre ' });
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal(renamed.body.name, 'Nuevo Nombre');
      assert.equal(renamed.body.role, 'staff');
      assert.equal(renamed.body.departmentId, departmentId);
      assertNoPasswordHash(renamed);

      const moved = await patch(user.id, { departmentId: otherDepartmentId });
      assert.equal(moved.status, 200, moved.text);
      assert.equal(moved.body.departmentId, otherDepartmentId);
      assert.equal(moved.body.name, 'Nuevo Nombre');

      const promoted = await patch(user.id, { role: 'authority' });
      assert.equal(promoted.status, 200, promoted.text);
      assert.equal(promoted.body.role, 'authority');
      assert.ok(Date.parse(promoted.body.updatedAt) >= Date.parse(promoted.body.createdAt));

      // The stored row agrees, and the user's own view follows at once (same token).
      const listed = (await listAll(t, admin)).find((u) => u.id === user.id);
      assert.equal(listed?.role, 'authority');
      assert.equal(listed?.name, 'Nuevo Nombre');
      const me = await t.request('GET', '/api/auth/me', { token: user.token });
      assert.equal(me.body.role, 'authority');
    });

    it('keeps the staff rule: a department is needed, students have none', async () => {
      const student = await createUser(t, 'student');
      const toStaff = await patch(student.id, { role: 'staff' });
      assertProblem(toStaff, 400, 'department_required');
      assert.equal(toStaff.body.errors[0].path, '/departmentId');
      const studentWithDepartment = await patch(student.id, { departmentId });
      assertProblem(studentWithDepartment, 400, 'department_not_allowed');
      const ok = await patch(student.id, { role: 'staff', departmentId });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.departmentId, departmentId);

      const staff = await createUser(t, 'staff', { departmentId });
      assertProblem(await patch(staff.id, { departmentId: null }), 400, 'department_required');
      assertProblem(await patch(staff.id, { departmentId: 'missing-dept' }), 400, 'unknown_department');
      const demoted = await patch(staff.id, { role: 'student' });
      assert.equal(demoted.status, 200, demoted.text);
      assert.equal(demoted.body.departmentId, null, 'a student leaves their department');
    });

    it('refuses an empty or unknown patch and unknown ids', async () => {
      const user = await createUser(t, 'student');
      const empty = await patch(user.id, {});
      assertProblem(empty, 400, 'validation_failed');
      assertProblem(await patch(user.id, { email: 'x@test.example' }), 400, 'validation_failed');
      assertProblem(await patch(user.id, { disabled: 'yes' }), 400, 'validation_failed');
      assertProblem(await patch(user.id, { role: 'root' }), 400, 'validation_failed');
      assertProblem(await patch('0190aaaa-0000-7000-8000-000000000000', { name: 'Nadie' }), 404, 'not_found');
    });

    it('disabling revokes refresh tokens and stops the access token at once', async () => {
      const user = await createUser(t, 'staff', { departmentId });
      const session = await t.request('POST', '/api/auth/login', { body: { email: user.email, password: user.password } });
      assert.equal(session.status, 200);
      assert.equal((await t.request('GET', '/api/auth/me', { token: session.body.accessToken })).status, 200);

      const disabled = await patch(user.id, { disabled: true });
      assert.equal(disabled.status, 200, disabled.text);
      assert.equal(disabled.body.disabled, true);

      assertProblem(await t.request('POST', '/api/auth/refresh', { body: { refreshToken: session.body.refreshToken } }), 401);
      assertProblem(await t.request('GET', '/api/auth/me', { token: session.body.accessToken }), 401);
      assertProblem(await t.request('GET', '/api/categories', { token: user.token }), 401);
      const login = await t.request('POST', '/api/auth/login', { body: { email: user.email, password: user.password } });
      assert.notEqual(login.status, 200);
      const tokens = await t.system.store.db.selectFrom('refresh_tokens').selectAll().where('user_id', '=', user.id).execute();
      assert.ok(tokens.length >= 2);
      assert.ok(tokens.every((row) => row.revoked_at !== null || row.used_at !== null), 'every refresh token is revoked');

      // Enabling again lets them sign in; the revoked refresh token stays dead.
      const enabled = await patch(user.id, { disabled: false });
      assert.equal(enabled.body.disabled, false);
      const again = await t.login(user.email, user.password);
      assert.equal((await t.request('GET', '/api/auth/me', { token: again })).status, 200);
      assertProblem(await t.request('POST', '/api/auth/refresh', { body: { refreshToken: session.body.refreshToken } }), 401);
    });
  });

  describe('who may manage users', () => {
    it('answers 401 without a token', async () => {
      assertProblem(await t.request('GET', '/api/users'), 401);
      assertProblem(await t.request('POST', '/api/users', { body: { email: uniqueEmail('x'), password: PASSWORD, name: 'X', role: 'admin' } }), 401);
      assertProblem(await t.request('PATCH', '/api/users/abc', { body: { name: 'X' } }), 401);
    });

    for (const role of ['student', 'staff', 'authority'] as const) {
      it(`answers 403 to ${role} on every users route`, async () => {
        const caller = await createUser(t, role);
        const victim = await createUser(t, 'student');
        assertProblem(await t.request('GET', '/api/users', { token: caller.token }), 403, 'forbidden');
        assertProblem(await t.request('GET', `/api/users?role=admin`, { token: caller.token }), 403, 'forbidden');
        const email = uniqueEmail('escalate');
        assertProblem(
          await t.request('POST', '/api/users', { token: caller.token, body: { email, password: PASSWORD, name: 'Escalate', role: 'admin' } }),
          403,
          'forbidden',
        );
        assertProblem(await t.request('PATCH', `/api/users/${caller.id}`, { token: caller.token, body: { role: 'admin' } }), 403, 'forbidden');
        assertProblem(await t.request('PATCH', `/api/users/${victim.id}`, { token: caller.token, body: { disabled: true } }), 403, 'forbidden');
        // Nothing happened.
        const all = await listAll(t, admin);
        assert.equal(all.find((u) => u.id === caller.id)?.role, role);
        assert.equal(all.find((u) => u.id === victim.id)?.disabled, false);
        assert.ok(!all.some((u) => u.email === email));
      });
    }
  });

  describe('tenants', () => {
    it("another tenant's admin never sees or changes our users", async () => {
      const ours = await createUser(t, 'staff', { departmentId });
      const other = await createOtherTenant(t);
      const theirList = await t.request('GET', '/api/users?limit=200', { token: other.token });
      assert.equal(theirList.status, 200);
      assert.ok(theirList.body.items.length >= 1);
      assert.ok(theirList.body.items.every((u: { tenantId: string }) => u.tenantId === other.tenantId));
      const ourIds = new Set((await listAll(t, admin)).map((u) => u.id));
      assert.ok(!theirList.body.items.some((u: { id: string }) => ourIds.has(u.id)));

      assertProblem(await t.request('PATCH', `/api/users/${ours.id}`, { token: other.token, body: { disabled: true } }), 404, 'not_found');
      assertProblem(await t.request('PATCH', `/api/users/${ours.id}`, { token: other.token, body: { role: 'student' } }), 404, 'not_found');
      assert.equal((await t.request('GET', '/api/auth/me', { token: ours.token })).status, 200, 'still active');

      // Nor can they hire into our departments.
      const hire = await t.request('POST', '/api/users', {
        token: other.token,
        body: { email: uniqueEmail('cross'), password: PASSWORD, name: 'Cross', role: 'staff', departmentId },
      });
      assertProblem(hire, 400, 'unknown_department');
      // Nor can our admin filter into theirs.
      const theirAdminId = theirList.body.items[0].id;
      assertProblem(await t.request('PATCH', `/api/users/${theirAdminId}`, { token: admin, body: { name: 'Hijacked' } }), 404);
    });
  });
});

// The last active admin, and admins changing themselves: admin-safety.test.ts (both databases).
