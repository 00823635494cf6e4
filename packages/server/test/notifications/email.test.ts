import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { manualClock, startApp, type TestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { createUser } from '../helpers/fixtures.js';
import { report } from '../helpers/realtime.js';
import { waitFor } from '../helpers/wait.js';
import { outbox, setPreferences } from './helpers.js';
import { recipientOf, startSmtp, type TestSmtp } from './smtp.js';

const PUBLIC_URL = 'https://alertas.example.edu';
const HOST = 'alertas.example.edu';

// E-mail through a real SMTP server the test runs: one message per authority, in their
// language, with the link and the thread headers; nothing lost while the server is down and
// nothing doubled when it returns; a permanent refusal is dead at once and an admin retry sends it.
await describeEachDatabase('e-mail notifications over SMTP', (dialect) => {
  let smtp: TestSmtp;
  let t: TestApp;
  const clock = manualClock();
  let authorities: { id: string; email: string; token: string }[];
  let student: { token: string; email: string };

  before(async () => {
    smtp = await startSmtp();
    t = await startApp({ dialect, clock, env: { SMTP_URL: smtp.url, PUBLIC_URL, ACCESS_TOKEN_TTL_SECONDS: '86400' } });
    authorities = [await createUser(t, 'authority'), await createUser(t, 'authority')];
    await setPreferences(t, authorities[1]!.token, { language: 'en' });
    student = await createUser(t, 'student');
  });
  after(async () => {
    await t.close();
    await smtp.stop();
  });

  const mailsFor = (incidentId: string) => smtp.messages.filter((mail) => (mail.text ?? '').includes(`/incidents/${incidentId}`));

  describe('a critical incident', () => {
    it('puts exactly one e-mail per authority in its inbox, in their language, with the link and thread headers', async () => {
      const incident = await report(t, student.token, { urgency: 'critical' });
      await waitFor(async () => mailsFor(incident.id).length >= 2 || undefined, 10_000, 'two e-mails');
      const rows = await outbox(t, { incidentId: incident.id, channel: 'email' });
      await waitFor(async () => (await outbox(t, { incidentId: incident.id, channel: 'email' })).every((row) => row.status === 'sent') || undefined);
      const mails = mailsFor(incident.id);
      assert.deepEqual(mails.map(recipientOf).sort(), authorities.map((a) => a.email.toLowerCase()).sort());
      assert.equal(rows.length, 2, 'one outbox row per authority (the department has no contact address)');

      const spanish = mails.find((mail) => recipientOf(mail) === authorities[0]!.email.toLowerCase())!;
      const english = mails.find((mail) => recipientOf(mail) === authorities[1]!.email.toLowerCase())!;
      assert.match(spanish.subject ?? '', /Nuevo incidente de urgencia crítica/);
      assert.match(english.subject ?? '', /New critical urgency incident/);
      for (const mail of [spanish, english]) {
        assert.ok(mail.text?.includes(`${PUBLIC_URL}/incidents/${incident.id}`), 'plain text has the link');
        assert.ok(mail.html && mail.html.includes(`href="${PUBLIC_URL}/incidents/${incident.id}"`), 'HTML has the link');
        const row = rows.find((r) => r.to.toLowerCase() === recipientOf(mail));
        assert.equal(mail.messageId, `<${row.id}@${HOST}>`);
      }
    });

    it('threads a second e-mail about the same incident under the first (References / In-Reply-To)', async () => {
      const incident = await report(t, student.token, { urgency: 'critical' });
      await waitFor(async () => mailsFor(incident.id).length >= 2 || undefined, 10_000, 'the alerts');
      // The first authority escalates: the other authority is told, the escalator is not.
      const escalated = await t.request('PATCH', `/api/incidents/${incident.id}`, { token: authorities[0]!.token, body: { status: 'escalated' } });
      assert.equal(escalated.status, 200, escalated.text);
      const english = authorities[1]!.email.toLowerCase();
      await waitFor(async () => mailsFor(incident.id).filter((mail) => recipientOf(mail) === english).length >= 2 || undefined, 10_000, 'the escalation e-mail');
      const [first, second] = mailsFor(incident.id).filter((mail) => recipientOf(mail) === english);
      const root = `<incident-${incident.id}@${HOST}>`;
      assert.match(second!.subject ?? '', /Incident escalated/);
      assert.equal(second!.inReplyTo, root);
      assert.deepEqual([second!.references].flat(), [root]);
      assert.notEqual(second!.messageId, first!.messageId);
      assert.equal(mailsFor(incident.id).filter((mail) => recipientOf(mail) === authorities[0]!.email.toLowerCase()).length, 1, 'the escalating authority is not told of their own change');
    });
  });

  it('loses nothing while the SMTP server is down and sends each message once when it returns', async () => {
    await smtp.stop();
    const incident = await report(t, student.token, { urgency: 'critical' });
    const failed = await waitFor(async () => {
      const rows = await outbox(t, { incidentId: incident.id, channel: 'email' });
      return rows.length === 2 && rows.every((row) => row.status === 'failed') && rows;
    }, 10_000, 'both rows to fail');
    for (const row of failed) {
      assert.equal(row.attempts, 1);
      assert.ok(row.lastError, 'the failure is recorded');
    }
    await smtp.start();
    clock.advance(60_000); // past the first backoff (at most 30 s)
    await waitFor(async () => (await outbox(t, { incidentId: incident.id, channel: 'email' })).every((row) => row.status === 'sent') || undefined, 10_000, 'delivery');
    const copies = (row: { id: string }) => smtp.messages.filter((mail) => mail.messageId === `<${row.id}@${HOST}>`).length;
    assert.deepEqual(failed.map(copies), [1, 1], 'each message arrived once');
    // Hours later (past every backoff), none of them is sent again.
    clock.advance(3 * 60 * 60_000);
    await t.system.workers.jobs.runDue();
    assert.deepEqual(failed.map(copies), [1, 1]);
  });

  it('puts a permanently refused address in dead at once, and an admin retry delivers it', async () => {
    const refused = authorities[0]!.email.toLowerCase();
    smtp.rejecting.add(refused);
    const incident = await report(t, student.token, { urgency: 'critical' });
    const dead = await waitFor(async () => {
      const rows = await outbox(t, { incidentId: incident.id, channel: 'email' });
      const row = rows.find((r) => r.to.toLowerCase() === refused);
      return row?.status === 'dead' && row;
    }, 10_000, 'the refused row to be dead');
    assert.equal(dead.attempts, 1, 'dead at the first attempt');
    assert.match(dead.lastError, /550/);
    assert.equal(mailsFor(incident.id).filter((mail) => recipientOf(mail) === refused).length, 0);

    const admin = await t.adminToken();
    const notDead = (await outbox(t, { incidentId: incident.id, channel: 'inapp' }))[0];
    assert.equal((await t.request('POST', `/api/notifications/${notDead.id}/retry`, { token: admin })).status, 409, 'only dead or failed rows are retried');
    assert.equal((await t.request('POST', `/api/notifications/${dead.id}/retry`, { token: authorities[0]!.token })).status, 403);

    smtp.rejecting.delete(refused);
    const retried = await t.request('POST', `/api/notifications/${dead.id}/retry`, { token: admin });
    assert.equal(retried.status, 202, retried.text);
    await waitFor(async () => mailsFor(incident.id).some((mail) => recipientOf(mail) === refused) || undefined, 10_000, 'the retried e-mail');
    await waitFor(async () => (await outbox(t, { incidentId: incident.id, status: 'sent', channel: 'email' })).length === 2 || undefined, 10_000, 'both rows sent');
    const row = (await outbox(t, { incidentId: incident.id, channel: 'email' })).find((r) => r.to.toLowerCase() === refused);
    assert.equal(row.attempts, 2, 'the refused attempt and the retried one');
    assert.equal(mailsFor(incident.id).filter((mail) => recipientOf(mail) === refused).length, 1);
  });
});
