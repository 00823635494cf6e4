import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createSystem, type System } from '../../src/system.js';
import { ADMIN, manualClock, startApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, openTestStore, postgresUnavailable, type TestDatabase } from '../helpers/databases.js';
import { createUser } from '../helpers/fixtures.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';
import { T0, escalations, reportCritical, waitForEscalations } from './helpers.js';

/**
 * Several processes on one PostgreSQL: whoever checks an incident, and however many check
 * it at once, it is escalated once and each policy level fires once (conditional updates in
 * one transaction, no lock held in memory).
 */
const REQUIRE_POSTGRES = process.env.REQUIRE_POSTGRES === '1';
const unavailable = await postgresUnavailable();
const SLA_MS = 6_000;

describe('SLA escalation, two systems racing on one PostgreSQL', { skip: unavailable && !REQUIRE_POSTGRES ? unavailable : false }, () => {
  let t: TestApp;
  let other: System;
  const clock = manualClock(T0);

  before(async () => {
    if (unavailable) assert.fail(unavailable);
    t = await startApp({ dialect: 'postgres', clock, env: { SLA_CRITICAL_MINUTES: '0.1' } });
    other = await createSystem(t.config, { clock, databaseSchema: t.database.schema });
    other.start();
  });
  after(async () => {
    await other?.close();
    await t?.close();
  });

  it('twenty overdue incidents checked by both systems at once (sweeps, checks, both runtimes): one event each, per level', async () => {
    const student = await createUser(t, 'student');
    const put = await t.request('PUT', '/api/escalation-policy', {
      token: await t.adminToken(),
      body: { levels: [{ afterMinutes: 1, notify: { roles: ['authority'] }, channels: ['email'] }], repeat: 1 },
    });
    assert.equal(put.status, 200, put.text);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await reportCritical(t, student.token)).id);
    const tenantId = t.system.boot.tenantId;

    const race = async () => {
      const outcomes = await Promise.all(
        [t.system, other].flatMap((system) => [
          system.services.escalation.sweep(),
          ...ids.map((incidentId) => system.services.escalation.check({ tenantId, incidentId })),
          system.workers.tick(),
        ]),
      );
      return outcomes;
    };

    clock.advance(SLA_MS);
    await race();
    for (const id of ids) {
      const found = await waitForEscalations(t.system, id, 1);
      assert.deepEqual(found.map((event) => event.level), [1], id);
    }
    clock.advance(60_000);
    await race();
    for (const id of ids) await waitForEscalations(t.system, id, 2);
    // Whatever is still queued has run: nothing more appears.
    await Promise.all([t.system.workers.tick(), other.workers.tick(), t.system.services.escalation.sweep(), other.services.escalation.sweep()]);
    await Promise.all([t.system.workers.jobs.idle(), other.workers.jobs.idle()]);
    for (const id of ids) assert.deepEqual((await escalations(t.system, id)).map((event) => event.level), [1, 2], id);
  });
});

describe('SLA escalation, two server processes on one PostgreSQL', { skip: unavailable && !REQUIRE_POSTGRES ? unavailable : false }, () => {
  let database: TestDatabase;
  let servers: ServerProcess[] = [];

  before(async () => {
    if (unavailable) assert.fail(unavailable);
    database = await createTestDatabase('postgres');
    await (await openTestStore(database)).close(); // migrated once, before the servers start
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database?.drop();
    fs.rmSync(database.dataDir, { recursive: true, force: true });
  });

  it('a critical incident left pending past a 6-second SLA: one IncidentEscalated, whichever process runs it, and one alert per authority', async () => {
    const env = {
      DATABASE_URL: database.databaseUrl!,
      DATABASE_SCHEMA: database.schema!,
      DATA_DIR: database.dataDir,
      SLA_CRITICAL_MINUTES: '0.1',
      ALERTA_DEMO: '0',
      ALERTA_ADMIN_EMAIL: ADMIN.email,
      ALERTA_ADMIN_PASSWORD: ADMIN.password,
    };
    servers = await Promise.all([spawnServer(env), spawnServer(env)]);
    await Promise.all(servers.map((server) => server.ready()));
    const [first, second] = servers as [ServerProcess, ServerProcess];
    const login = await first.request('POST', '/api/auth/login', { body: ADMIN });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    const token = login.body.accessToken as string;
    const authorities: string[] = [];
    for (const name of ['uno', 'dos']) {
      const email = `autoridad-${name}@race.example`;
      const user = await first.request('POST', '/api/users', { token, body: { email, password: 'authority-password', name: `Autoridad ${name}`, role: 'authority' } });
      assert.equal(user.status, 201, JSON.stringify(user.body));
      authorities.push(email);
    }
    const created = await first.request('POST', '/api/incidents', {
      token,
      body: { category: 'infrastructure', description: 'Cables sueltos en el pasillo', urgency: 'critical', locationText: 'Pabellón C' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));

    const history = async () => (await second.request('GET', `/api/incidents/${created.body.id}/events`, { token })).body.items as { type: string; reason?: string; level?: number }[];
    const escalated = await waitFor(async () => {
      const items = await history();
      return items.some((event) => event.type === 'IncidentEscalated') && items;
    }, 20_000, 'the escalation');
    // The wake-up job has finished on whichever node claimed it; then the history is final.
    const store = await openTestStore(database);
    try {
      await waitFor(async () => {
        const job = await store.db.selectFrom('jobs').select('state').where('kind', '=', 'escalation.check').where('dedupe_key', 'like', `%/${created.body.id}#1`).executeTakeFirst();
        return job?.state === 'succeeded';
      }, 10_000, 'the check job to finish');
    } finally {
      await store.close();
    }
    const events = (await history()).filter((event) => event.type === 'IncidentEscalated');
    assert.ok(escalated.length > 0);
    assert.deepEqual(events.map((event) => [event.reason, event.level]), [['sla_breach', 1]]);
    assert.equal((await first.request('GET', `/api/incidents/${created.body.id}`, { token })).body.status, 'escalated');

    // One escalation alert per authority and channel, whichever node's notifier wrote it (the
    // reporter, here the admin, is told too, as the reporter of any incident is).
    const adminId = (await first.request('GET', '/api/auth/me', { token })).body.id as string;
    const alerts = await waitFor(async () => {
      const answer = await second.request('GET', `/api/notifications?incidentId=${created.body.id}&limit=200`, { token });
      const rows = (answer.body.items as { to: string; channel: string; subject: string; status: string }[]).filter(
        (row) => /escalado/.test(row.subject) && row.to !== ADMIN.email && row.to !== adminId,
      );
      return rows.length >= authorities.length * 2 && rows.every((row) => row.status === 'sent') && rows;
    }, 20_000, 'the escalation alerts');
    for (const channel of ['email', 'inapp']) {
      const to = alerts.filter((row) => row.channel === channel).map((row) => row.to);
      assert.equal(to.length, authorities.length, `${channel}: ${to.join(', ')}`);
      assert.equal(new Set(to).size, authorities.length);
    }
    assert.deepEqual(new Set(alerts.filter((row) => row.channel === 'email').map((row) => row.to)), new Set(authorities));
  });
});
