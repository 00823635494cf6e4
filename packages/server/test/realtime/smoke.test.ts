import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startApp, type TestApp } from '../helpers/app.js';
import { createUser } from '../helpers/fixtures.js';
import { connectClient, eventually } from '../helpers/realtime.js';

let t: TestApp;
before(async () => {
  t = await startApp({ env: { ALERTA_DEMO: '1' } });
});
after(() => t.close());

it('delivers an incident created over HTTP to a subscribed authority, live', async () => {
  const authority = await createUser(t, 'authority');
  const student = await createUser(t, 'student');
  const live = connectClient(t, authority.token);
  live.client.subscribe({});
  await eventually(() => live.states.includes('live'));
  await new Promise((r) => setTimeout(r, 100));
  const created = await t.request('POST', '/api/incidents', { token: student.token, body: { category: 'infrastructure', description: 'Fuga', urgency: 'high', locationCode: 'A-P3' } });
  assert.equal(created.status, 201);
  const event = await eventually(() => live.events.find((e) => e.id === created.body.id), 5000, 'IncidentCreated');
  assert.equal(event.type, 'IncidentCreated');
  live.close();
});
