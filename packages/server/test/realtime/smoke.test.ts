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
  const subscription = live.client.subscribe({});
  // Subscribed (the server registered it) is what the event needs, not a pause.
  await eventually(() => live.states.includes('live') && subscription.cursor !== undefined, 5_000, 'live and subscribed');
  const created = await t.request('POST', '/api/incidents', { token: student.token, body: { category: 'infrastructure', description: 'Fuga', urgency: 'high', locationCode: 'A-P3' } });
  assert.equal(created.status, 201);
  const event = await eventually(() => live.events.find((e) => e.id === created.body.id), 5000, 'IncidentCreated');
  assert.equal(event.type, 'IncidentCreated');

  // The gateway's metrics saw it: the connection, its subscription, the frame sent, and the
  // fan-out and commit-to-send timings of the event.
  const metrics = (await t.request('GET', '/metrics')).text;
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? Number.NaN);
  assert.equal(value('alertautec_ws_connections'), 1);
  assert.equal(value('alertautec_ws_subscriptions'), 1);
  assert.ok(value('alertautec_ws_events_sent_total') >= 1, 'events sent');
  assert.ok(value('alertautec_ws_fanout_seconds_count') >= 1, 'fan-out timed');
  assert.ok(value('alertautec_ws_commit_to_send_seconds_count') >= 1, 'commit-to-send timed');
  assert.equal(value('alertautec_ws_slow_readers_dropped_total'), 0);
  live.close();
});
