import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { DEMO_ACCOUNTS } from '@alertautec/core';
import { tempDir } from '../helpers/databases.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';
import { startSmtp, type TestSmtp } from '../notifications/smtp.js';

/**
 * A server killed with SIGKILL while it is sending e-mail: the messages it had not got
 * accepted are sent by the next process, each exactly once, and none is lost.
 */
const student = DEMO_ACCOUNTS.find((account) => account.role === 'student')!;
const admin = DEMO_ACCOUNTS.find((account) => account.role === 'admin')!;
const authority = DEMO_ACCOUNTS.find((account) => account.role === 'authority')!;

const servers: ServerProcess[] = [];
const dirs: string[] = [];
let smtp: TestSmtp | undefined;

after(async () => {
  for (const server of servers) server.child.kill('SIGKILL');
  await smtp?.stop();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function login(server: ServerProcess, email: string, password: string): Promise<string> {
  const answer = await server.request('POST', '/api/auth/login', { body: { email, password } });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.accessToken as string;
}

describe('e-mail across a killed process', () => {
  it('what was pending when the process died is delivered by the next one, once each', async () => {
    smtp = await startSmtp();
    smtp.holding = true; // the first process gets no message accepted: it dies mid-send
    const DATA_DIR = tempDir('alertautec-notify-crash-');
    dirs.push(DATA_DIR);
    const env = { DATA_DIR, ALERTA_DEMO: '1', SMTP_URL: smtp.url, WORKER_LEASE_SECONDS: '2' };

    const first = await spawnServer(env);
    servers.push(first);
    await first.ready();
    const token = await login(first, student.email, student.password);
    const created: string[] = [];
    for (let i = 0; i < 6; i++) {
      const answer = await first.request('POST', '/api/incidents', {
        token,
        body: { category: 'health', description: `Desmayo en el patio número ${i + 1}`, urgency: 'critical', locationText: 'Patio central' },
      });
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      created.push(answer.body.id as string);
    }
    await waitFor(async () => smtp!.held.length > 0, 20_000, 'the first process to be sending');
    first.child.kill('SIGKILL');
    await new Promise((resolve) => (first.alive() ? first.child.once('exit', resolve) : resolve(undefined)));
    smtp.holding = false;

    const second = await spawnServer(env);
    servers.push(second);
    await second.ready();
    const adminToken = await login(second, admin.email, admin.password);
    const rows = await waitFor(async () => {
      const answer = await second.request('GET', '/api/notifications?channel=email&limit=200', { token: adminToken });
      const items = answer.body.items as { id: string; status: string; incidentId: string; to: string }[];
      return items.length === created.length && items.every((row) => row.status === 'sent') && items;
    }, 30_000, 'every e-mail row sent by the second process');

    // One e-mail per incident (one authority; the demo departments have no address), each accepted once.
    assert.deepEqual(new Set(rows.map((row) => row.incidentId)), new Set(created));
    assert.ok(rows.every((row) => row.to === authority.email));
    const messageIds = smtp.messages.map((mail) => mail.messageId);
    assert.equal(messageIds.length, created.length, `accepted: ${messageIds.join(', ')}`);
    assert.equal(new Set(messageIds).size, created.length, 'no message accepted twice');
    for (const row of rows) assert.ok(messageIds.some((id) => id?.startsWith(`<${row.id}@`)), `row ${row.id} was delivered`);
    assert.ok(smtp.held.length > 0, 'the first process really was in the middle of sending');
  });
});
