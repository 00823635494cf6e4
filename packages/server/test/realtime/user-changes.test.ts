import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startApp, type TestApp } from '../helpers/app.js';
import { createUser } from '../helpers/fixtures.js';
import { connectClient, eventually, rawSocket } from '../helpers/realtime.js';

/**
 * Open connections follow changes to their user at once, not when the token expires: a
 * staff member moved to another department hears that department's incidents and no
 * longer the old one's; a disabled account's connections close with 4001.
 */
let t: TestApp;
let departments: { infrastructure: string; security: string };

before(async () => {
  t = await startApp({ env: { PASSWORD_HASH_COST: '10', LOGIN_RATE_LIMIT: '1000' } });
  const categories = await t.request('GET', '/api/categories', { token: await t.adminToken() });
  const byCode = new Map((categories.body.items as { code: string; departmentId: string }[]).map((c) => [c.code, c.departmentId]));
  departments = { infrastructure: byCode.get('infrastructure')!, security: byCode.get('security')! };
});
after(() => t.close());

const report = (token: string, category: string, description: string) =>
  t.request('POST', '/api/incidents', { token, body: { category, description, urgency: 'high', locationText: 'Patio central' } });

it('a staff member moved to another department hears the new one’s incidents, not the old one’s', async () => {
  const staff = await createUser(t, 'staff', { departmentId: departments.infrastructure });
  const student = await createUser(t, 'student');
  const live = connectClient(t, staff.token);
  live.client.subscribe({});
  await eventually(() => live.states.includes('live') && live.client.state === 'live', 5_000, 'live');

  const before = await report(student.token, 'infrastructure', 'Caño roto antes del cambio');
  await eventually(() => live.events.some((event) => event.id === before.body.id), 5_000, 'the first report');

  const moved = await t.request('PATCH', `/api/users/${staff.id}`, { token: await t.adminToken(), body: { departmentId: departments.security } });
  assert.equal(moved.status, 200, moved.text);
  const infrastructure = await report(student.token, 'infrastructure', 'Caño roto después del cambio');
  const security = await report(student.token, 'security', 'Puerta forzada después del cambio');
  await eventually(() => live.events.some((event) => event.id === security.body.id), 5_000, 'the new department’s report');
  assert.ok(!live.events.some((event) => event.id === infrastructure.body.id), 'the old department’s report is not delivered');
  live.close();
});

it('a disabled account’s connections close with 4001', async () => {
  const staff = await createUser(t, 'staff', { departmentId: departments.infrastructure });
  const socket = await rawSocket(t, staff.token);
  const disabled = await t.request('PATCH', `/api/users/${staff.id}`, { token: await t.adminToken(), body: { disabled: true } });
  assert.equal(disabled.status, 200, disabled.text);
  const closed = await socket.closed;
  assert.equal(closed.code, 4001);
});
