import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { DEFAULT_ESCALATION_POLICY } from '@alertautec/core';
import { startApp, type TestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { createOtherTenant, createUser } from '../helpers/fixtures.js';

/** GET/PUT /api/escalation-policy (CONTRACT §3 Notifications): admins only, validated, per tenant. */
await describeEachDatabase('escalation policy API', (dialect) => {
  let t: TestApp;
  let admin: string;

  before(async () => {
    t = await startApp({ dialect });
    admin = await t.adminToken();
  });
  after(() => t.close());

  const get = (token: string) => t.request('GET', '/api/escalation-policy', { token });
  const put = (token: string, body: unknown) => t.request('PUT', '/api/escalation-policy', { token, body });

  it('answers the default until an admin replaces it; the replacement is what GET answers after', async () => {
    const first = await get(admin);
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.body, DEFAULT_ESCALATION_POLICY);

    const authority = await createUser(t, 'authority');
    const policy = {
      levels: [
        { afterMinutes: 0.5, notify: { roles: ['authority', 'admin'] }, channels: ['email', 'sms'] },
        { afterMinutes: 30, notify: { userIds: [authority.id], departmentContact: true }, channels: ['sns'] },
      ],
      repeat: 3,
    };
    const saved = await put(admin, policy);
    assert.equal(saved.status, 200, saved.text);
    assert.deepEqual(saved.body, policy);
    assert.deepEqual((await get(admin)).body, policy);

    // Another tenant still has the default.
    const other = await createOtherTenant(t);
    assert.deepEqual((await get(other.token)).body, DEFAULT_ESCALATION_POLICY);
  });

  it('refuses bad policies with 400 and a stable code, and changes nothing', async () => {
    const before = (await get(admin)).body;
    const level = { afterMinutes: 5, notify: { roles: ['authority'] }, channels: ['email'] };
    const bad: [unknown, string][] = [
      [{ levels: [], repeat: 1 }, 'validation_failed'],
      [{ levels: [level] }, 'validation_failed'],
      [{ levels: [level], repeat: 0 }, 'validation_failed'],
      [{ levels: [{ ...level, afterMinutes: 0 }], repeat: 1 }, 'validation_failed'],
      [{ levels: [{ ...level, afterMinutes: -1 }], repeat: 1 }, 'validation_failed'],
      [{ levels: [{ ...level, channels: [] }], repeat: 1 }, 'validation_failed'],
      [{ levels: [{ ...level, channels: ['fax'] }], repeat: 1 }, 'validation_failed'],
      [{ levels: [{ ...level, channels: ['email', 'email'] }], repeat: 1 }, 'validation_failed'],
      [{ levels: [{ ...level, notify: { roles: ['student'] } }], repeat: 1 }, 'validation_failed'],
      [{ levels: [{ ...level, notify: {} }], repeat: 1 }, 'validation_failed'],
      [{ levels: [{ ...level, notify: { roles: [], departmentContact: false } }], repeat: 1 }, 'validation_failed'],
      [{ levels: [{ ...level, extra: true }], repeat: 1 }, 'validation_failed'],
      [{ levels: [{ ...level, notify: { userIds: ['nobody-here'] } }], repeat: 1 }, 'unknown_user'],
    ];
    for (const [body, code] of bad) {
      const answer = await put(admin, body);
      assert.equal(answer.status, 400, `${JSON.stringify(body)}: ${answer.text}`);
      assert.match(answer.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal(answer.body.code, code, JSON.stringify(body));
    }
    const empty = await put(admin, { levels: [{ ...level, notify: {} }], repeat: 1 });
    assert.equal(empty.body.errors[0].path, '/levels/0/notify');
    assert.deepEqual((await get(admin)).body, before);
  });

  it('is for admins only: 403 for authorities, staff and students, 401 without a token', async () => {
    const body = { levels: [{ afterMinutes: 5, notify: { roles: ['authority'] }, channels: ['email'] }], repeat: 1 };
    for (const role of ['authority', 'staff', 'student'] as const) {
      const user = await createUser(t, role);
      assert.equal((await get(user.token)).status, 403, role);
      assert.equal((await put(user.token, body)).status, 403, role);
    }
    assert.equal((await t.request('GET', '/api/escalation-policy')).status, 401);
    assert.equal((await t.request('PUT', '/api/escalation-policy', { body })).status, 401);
  });
});
