import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startApp, type TestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { createUser } from '../helpers/fixtures.js';
import { report } from '../helpers/realtime.js';
import { waitFor } from '../helpers/wait.js';
import { manualClock, testRuntime } from '../workers/helpers.js';
import { eventLog } from '../../src/events/log.js';
import { createSystem, type System } from '../../src/system.js';
import { enqueue, type ConsumerDefinition, type JobDefinition } from '../../src/workers/index.js';
import { recipientOf, startSmtp, type TestSmtp } from './smtp.js';

// The notifier's writes commit with its cursor: a batch that fails half-way leaves nothing,
// a batch read again adds nothing, and two processes on one database send each message once.
await describeEachDatabase('notifier crashes and replays', (dialect) => {
  let t: TestApp;
  const clock = manualClock(Date.now());

  before(async () => {
    // No workers in the app: the test runs the notifier in a runtime it drives by hand.
    t = await startApp({ dialect, clock, env: { ALERTA_ROLES: 'api,realtime', ACCESS_TOKEN_TTL_SECONDS: '86400' } });
  });
  after(() => t.close());

  it('writes each outbox row and delivery job once when a batch fails after its writes and when a batch is read again', async () => {
    const { store } = t.system;
    const notifier = t.system.workers.consumers.get('notifier')!.definition;
    const delivery = t.system.workers.definitions.find((job) => job.kind === 'notification.deliver')!;
    await createUser(t, 'authority');
    await createUser(t, 'authority');
    const student = await createUser(t, 'student');
    const incidents = [await report(t, student.token, { urgency: 'critical' }), await report(t, student.token, { urgency: 'critical' }), await report(t, student.token, { urgency: 'high' })];

    let crashes = 0;
    const flaky: ConsumerDefinition = {
      ...notifier,
      async handler(trx, events, context) {
        await notifier.handler(trx, events, context);
        if (crashes++ === 0) throw new Error('the process died after writing half a batch');
      },
    };
    const { runtime } = testRuntime(store, clock, { consumers: [flaky], jobs: [delivery as JobDefinition<never>] });
    const rows = () => store.db.selectFrom('notifications').selectAll().execute();
    const jobs = () => store.db.selectFrom('jobs').selectAll().where('kind', '=', 'notification.deliver').execute();

    await runtime.tick();
    assert.equal(crashes, 1);
    assert.equal((await rows()).length, 0, 'the failed batch left no rows');
    assert.equal((await jobs()).length, 0, 'and no jobs');

    clock.advance(2_000); // past the consumer's retry backoff
    await runtime.tick();
    const written = await rows();
    // 3 incidents × 2 authorities × (email, in-app); departments have no contact address.
    assert.equal(written.length, 12);
    assert.equal(new Set(written.map((row) => `${row.event_seq}|${row.channel}|${row.recipient_key}`)).size, 12);
    assert.deepEqual(new Set(written.map((row) => row.incident_id)), new Set(incidents.map((incident) => incident.id)));
    assert.equal((await jobs()).length, 12, 'one delivery job per row');

    // The same batch read again (a commit whose answer was lost): nothing new.
    const tenantId = written[0]!.tenant_id;
    const events = await eventLog.readAfter(store.db, tenantId, 0, 100);
    await store.write((trx) => notifier.handler(trx, events.filter(({ event }) => notifier.eventTypes!.includes(event.type)), { tenantId, enqueue }));
    assert.equal((await rows()).length, 12);
    assert.equal((await jobs()).length, 12);

    await runtime.jobs.runDue();
    const mailbox = await store.db.selectFrom('dev_mailbox').selectAll().execute();
    assert.equal(mailbox.length, 6, 'each e-mail row delivered once');
    assert.equal((await rows()).filter((row) => row.status === 'sent').length, 12);
    await runtime.stop();
  });
});

await describeEachDatabase('two processes on one database', (dialect) => {
  let smtp: TestSmtp;
  let t: TestApp;
  let second: System;
  const clock = manualClock(Date.now());

  before(async () => {
    smtp = await startSmtp();
    t = await startApp({ dialect, clock, env: { SMTP_URL: smtp.url } });
    // A second process on the same database runs workers too: they share the notifier's
    // lease and the delivery jobs.
    second = await createSystem(t.config, { clock, databaseSchema: t.database.schema });
    second.start(['workers']);
  });
  after(async () => {
    await second.close();
    await t.close();
    await smtp.stop();
  });

  it('sends each message once however the work is split', async () => {
    const authorities = [await createUser(t, 'authority'), await createUser(t, 'authority'), await createUser(t, 'authority')];
    const student = await createUser(t, 'student');
    const incidents = await Promise.all(Array.from({ length: 5 }, () => report(t, student.token, { urgency: 'critical' })));
    const expected = incidents.length * authorities.length;
    const rows = await waitFor(async () => {
      const all = await t.system.store.db.selectFrom('notifications').selectAll().where('channel', '=', 'email').execute();
      return all.length === expected && all.every((row) => row.status === 'sent') && all;
    }, 15_000, 'every e-mail sent');
    for (const row of rows) {
      const copies = smtp.messages.filter((mail) => mail.messageId === `<${row.id}@localhost>`);
      assert.equal(copies.length, 1, `row ${row.id} arrived ${copies.length} times`);
      assert.equal(recipientOf(copies[0]!), row.to_address.toLowerCase());
    }
    assert.equal(smtp.messages.length, expected);
  });
});
