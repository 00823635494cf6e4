import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { manualClock, startApp, type TestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { createUser } from '../helpers/fixtures.js';
import { connectClient, eventually } from '../helpers/realtime.js';
import { T0, escalations, reportCritical, waitForCheck, waitForEscalations } from './helpers.js';

/**
 * Issue 11 item 5: a pending incident still unacknowledged at its slaDueAt is escalated by
 * the system, once; the escalation policy's levels follow while nobody acknowledges it.
 * The SLA is short (SLA_CRITICAL_MINUTES=0.1: 6 s) and the clock is held by the test: the
 * running workers act when the test moves it, and "nothing happened" is proved by running
 * the check and the sweep with the clock past the due time.
 */
const SLA_MS = 6_000;

await describeEachDatabase('SLA escalation', (dialect) => {
  let t: TestApp;
  let student: { token: string };
  let authority: { token: string; id: string };
  const clock = manualClock(T0);

  before(async () => {
    t = await startApp({ dialect, clock, env: { SLA_CRITICAL_MINUTES: '0.1', ACCESS_TOKEN_TTL_SECONDS: '86400' } });
    student = await createUser(t, 'student');
    authority = await createUser(t, 'authority');
  });
  after(() => t.close());

  const escalation = () => t.system.services.escalation;
  const key = (incidentId: string) => ({ tenantId: t.system.boot.tenantId, incidentId });
  const move = async (id: string, status: string) => {
    const moved = await t.request('PATCH', `/api/incidents/${id}`, { token: authority.token, body: { status } });
    assert.equal(moved.status, 200, moved.text);
    return moved.body;
  };
  /**
   * Everything the workers could do now, run to the end: the incident's check, a sweep (which
   * may act on other tests' incidents), a round of the runtime. The caller then looks at the log.
   */
  const runEverything = async (incidentId: string) => {
    assert.equal(await escalation().check(key(incidentId)), 'none');
    await escalation().sweep();
    await t.system.workers.tick();
    await t.system.workers.jobs.idle(); // what the round started has finished
  };

  it('a pending incident past its SLA is escalated once by the system: IncidentEscalated {sla_breach, level 1}', async () => {
    const incident = await reportCritical(t, student.token);
    assert.equal(Date.parse(incident.slaDueAt), clock.now() + SLA_MS);
    // The wake-up was enqueued with the incident, for its due time.
    const job = await t.system.store.db.selectFrom('jobs').selectAll().where('dedupe_key', '=', `${t.system.boot.tenantId}/${incident.id}#1`).executeTakeFirstOrThrow();
    assert.equal(job.kind, 'escalation.check');
    assert.equal(Number(job.run_at), Date.parse(incident.slaDueAt));

    // A millisecond before the due time nothing escalates.
    clock.advance(SLA_MS - 1);
    await runEverything(incident.id);
    assert.deepEqual(await escalations(t.system, incident.id), []);

    clock.advance(1);
    const [event] = await waitForEscalations(t.system, incident.id, 1);
    await runEverything(incident.id);
    const all = await escalations(t.system, incident.id);
    assert.equal(all.length, 1, JSON.stringify(all));
    assert.equal(event!.reason, 'sla_breach');
    assert.equal(event!.level, 1);
    assert.equal(event!.slaDueAt, incident.slaDueAt);
    assert.equal(event!.status, 'escalated');
    assert.equal(event!.previousStatus, 'pending');
    assert.equal(event!.actorId, null);
    assert.equal(event!.updatedBy, null);

    const now = await t.request('GET', `/api/incidents/${incident.id}`, { token: authority.token });
    assert.equal(now.body.status, 'escalated');
    assert.equal(now.body.version, incident.version + 1);
    // The first move out of pending sets acknowledgedAt (the contract), the system's too; a
    // person's later move keeps it.
    const escalatedAt = now.body.updatedAt;
    assert.equal(now.body.acknowledgedAt, escalatedAt);
    clock.advance(1_000);
    const taken = await move(incident.id, 'in_progress');
    assert.equal(taken.acknowledgedAt, escalatedAt);
  });

  it('an incident acknowledged before its due time is never escalated', async () => {
    const incident = await reportCritical(t, student.token);
    clock.advance(1_000);
    await move(incident.id, 'in_progress');
    clock.advance(SLA_MS + 60_000);
    await waitForCheck(t.system, incident.id, 1); // the wake-up ran, and decided nothing was due
    await runEverything(incident.id);
    assert.deepEqual(await escalations(t.system, incident.id), []);
    assert.equal((await t.request('GET', `/api/incidents/${incident.id}`, { token: authority.token })).body.status, 'in_progress');
  });

  it('realtime subscribers receive the escalation', async () => {
    const client = connectClient(t, authority.token);
    try {
      const subscription = client.client.subscribe({});
      await eventually(() => client.states.includes('live') && subscription.cursor !== undefined, 5_000, 'live and subscribed');
      const incident = await reportCritical(t, student.token);
      await eventually(() => client.events.some((event) => event.type === 'IncidentCreated' && event.id === incident.id), 5_000, 'IncidentCreated');
      clock.advance(SLA_MS);
      const event = await eventually(
        () => client.events.find((e) => e.type === 'IncidentEscalated' && e.id === incident.id),
        10_000,
        'IncidentEscalated over the socket',
      );
      assert.equal(event.type === 'IncidentEscalated' && event.reason, 'sla_breach');
      assert.equal(event.type === 'IncidentEscalated' && event.level, 1);
    } finally {
      client.close();
    }
  });

  it('policy levels: each fires afterMinutes after the previous, the list runs `repeat` times, then stops', async () => {
    const admin = await t.adminToken();
    const policy = {
      levels: [
        { afterMinutes: 1, notify: { roles: ['authority'] }, channels: ['email'] },
        { afterMinutes: 2, notify: { departmentContact: true, userIds: [authority.id] }, channels: ['sms', 'inapp'] },
      ],
      repeat: 2,
    };
    assert.equal((await t.request('PUT', '/api/escalation-policy', { token: admin, body: policy })).status, 200);

    const incident = await reportCritical(t, student.token);
    clock.advance(SLA_MS);
    await waitForEscalations(t.system, incident.id, 1);
    const breachAt = clock.now();

    // Level 2 is due one minute after the breach, not before.
    clock.advance(60_000 - 1);
    await runEverything(incident.id);
    assert.equal((await escalations(t.system, incident.id)).length, 1);
    clock.advance(1);
    await waitForEscalations(t.system, incident.id, 2);
    clock.advance(120_000); // level 3: the second policy level, two minutes later
    await waitForEscalations(t.system, incident.id, 3);
    clock.advance(60_000); // level 4: the list again
    await waitForEscalations(t.system, incident.id, 4);
    clock.advance(120_000);
    await waitForEscalations(t.system, incident.id, 5);

    // 1 + 2 levels × 2 repeats = 5: nothing more, however long nobody acknowledges.
    clock.advance(3_600_000);
    await runEverything(incident.id);
    const all = await escalations(t.system, incident.id);
    assert.deepEqual(all.map((event) => event.level), [1, 2, 3, 4, 5]);
    assert.deepEqual(all.map((event) => Date.parse(event.at) - breachAt), [0, 60_000, 180_000, 240_000, 360_000]);
    assert.ok(all.slice(1).every((event) => event.reason === 'sla_breach' && event.previousStatus === 'escalated' && event.status === 'escalated' && event.actorId === null));
    // Levels change no status: the incident is where the breach left it.
    const now = await t.request('GET', `/api/incidents/${incident.id}`, { token: authority.token });
    assert.equal(now.body.status, 'escalated');
    assert.equal(now.body.version, incident.version + 1);
  });

  it('acknowledging (a move to in_progress) stops the policy', async () => {
    // The policy of the previous test: level 2 one minute after the breach.
    const incident = await reportCritical(t, student.token);
    clock.advance(SLA_MS);
    await waitForEscalations(t.system, incident.id, 1);
    clock.advance(30_000);
    await move(incident.id, 'in_progress');
    clock.advance(60_000);
    await waitForCheck(t.system, incident.id, 2); // level 2's wake-up ran and found it acknowledged
    await runEverything(incident.id);
    assert.deepEqual((await escalations(t.system, incident.id)).map((event) => event.level), [1]);
    const standing = await t.system.store.db.selectFrom('incident_escalations').selectAll().where('incident_id', '=', incident.id).executeTakeFirstOrThrow();
    assert.equal(standing.level, 1);
    assert.equal(standing.next_at, null);

    // Escalated again by hand, it is a manual level 1, and acknowledged: no policy levels follow.
    await move(incident.id, 'escalated');
    clock.advance(3_600_000);
    await runEverything(incident.id);
    assert.deepEqual((await escalations(t.system, incident.id)).map((event) => [event.reason, event.level]), [['sla_breach', 1], ['manual', 1]]);
  });
});
