import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { DEMO_ACCOUNTS } from '@alertautec/core';
import pg from 'pg';
import WebSocket from 'ws';
import { POSTGRES_URL, postgresUnavailable, tempDir } from '../helpers/databases.js';
import { spawnServer, startTcpProxy, type ServerProcess, type TcpProxy } from '../helpers/process.js';
import { eventually } from '../helpers/realtime.js';

/**
 * Losing PostgreSQL (its backends terminated, as a restart, failover, idle_session_timeout
 * or a pooler would; then the database unreachable for a while) degrades the server, never
 * kills it: requests answer 503 `database_unavailable`, /readyz goes red, and once the
 * database is back everything recovers without losing anything acknowledged.
 */
const schema = `dbloss_${randomBytes(5).toString('hex')}`;
const dataDir = tempDir('alertautec-dbloss-');
const ADMIN = { email: 'admin@dbloss.example', password: 'db-loss-admin-1' };
const student = DEMO_ACCOUNTS.find((account) => account.role === 'student')!;
let server: ServerProcess | undefined;
let proxy: TcpProxy | undefined;
/** What a failing test leaves open (sockets, clients), closed in after(). */
const leftovers: (() => unknown)[] = [];

after(async () => {
  for (const close of leftovers) await Promise.resolve(close()).catch(() => undefined);
  await server?.stop();
  await proxy?.stop();
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function login(target: ServerProcess, email: string, password: string): Promise<string> {
  const answer = await target.request('POST', '/api/auth/login', { body: { email, password } });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.accessToken as string;
}

/** The 503 a request gets while the database is away: retryable, with a stable code. */
function assertUnavailable(answer: { status: number; headers: Headers; body: { code?: string } }, what: string) {
  assert.equal(answer.status, 503, `${what}: ${JSON.stringify(answer.body)}`);
  assert.equal(answer.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.equal(answer.body.code, 'database_unavailable');
  assert.ok(Number(answer.headers.get('retry-after')) >= 1, 'Retry-After says when to try again');
}

const why = await postgresUnavailable();
describe('losing PostgreSQL', { skip: why && process.env.REQUIRE_POSTGRES !== '1' ? why : false }, () => {
  it('keeps the process alive, answers 503 while the database is away, and recovers without losing anything', async () => {
    assert.equal(why, null, why ?? '');
    const target = new URL(POSTGRES_URL);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(POSTGRES_URL);
    viaProxy.port = String(proxy.port);
    server = await spawnServer({
      DATA_DIR: dataDir,
      DATABASE_URL: viaProxy.toString(),
      DATABASE_SCHEMA: schema,
      ALERTA_DEMO: '1',
      ALERTA_ADMIN_EMAIL: ADMIN.email,
      ALERTA_ADMIN_PASSWORD: ADMIN.password,
    });
    const running = server;
    await running.ready();
    const admin = await login(running, ADMIN.email, ADMIN.password);
    const reporter = await login(running, student.email, student.password);
    // Signed in but never used: the server has nothing of this account cached.
    const authority = DEMO_ACCOUNTS.find((account) => account.role === 'authority')!;
    const unused = await login(running, authority.email, authority.password);

    // An admin's socket, subscribed to everything before any trouble starts.
    const ws = new WebSocket(`${running.url.replace('http', 'ws')}/ws?token=${encodeURIComponent(admin)}`);
    leftovers.push(() => ws.terminate());
    const frames: { type: string; id?: string }[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as { type: string; id?: string }));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(JSON.stringify({ action: 'subscribeIncidents', filters: {} }));
    await eventually(() => frames.some((frame) => frame.type === 'Subscribed'), 10_000, 'Subscribed');

    const acknowledged: string[] = [];
    const answers: { status: number; code?: string; retryAfter: string | null }[] = [];
    let n = 0;
    const create = async () => {
      const answer = await running.request('POST', '/api/incidents', {
        token: reporter,
        body: { category: 'infrastructure', description: `Fuga de agua número ${++n}`, urgency: 'medium', locationText: 'Pabellón A' },
      });
      answers.push({ status: answer.status, code: answer.body?.code, retryAfter: answer.headers.get('retry-after') });
      if (answer.status === 201) acknowledged.push(answer.body.id as string);
      return answer;
    };

    // 1. Clients keep creating incidents while the server's backends are terminated, again
    //    and again. The server's connections are the ones named after its schema.
    const dba = new pg.Client({ connectionString: POSTGRES_URL });
    await dba.connect();
    leftovers.push(() => dba.end());
    let creating = true;
    leftovers.push(() => (creating = false));
    const workers = Array.from({ length: 4 }, async () => {
      while (creating) await create();
    });
    let terminated = 0;
    for (let round = 0; round < 6; round += 1) {
      const before = answers.length;
      await eventually(() => answers.length > before + 2, 20_000, 'requests answered between terminations');
      const { rows } = await dba.query<{ terminated: boolean }>(
        'select pg_terminate_backend(pid) as terminated from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()',
        [`alertautec:${schema}`],
      );
      terminated += rows.filter((row) => row.terminated).length;
    }
    const afterTerminations = answers.length;
    await eventually(() => answers.length > afterTerminations + 4, 20_000, 'requests answered after the terminations');
    creating = false;
    await Promise.all(workers);
    assert.ok(terminated >= 6, `terminated ${terminated} backends of the server`);
    assert.ok(running.alive(), `the server survived the terminations:\n${running.output()}`);
    for (const answer of answers) {
      assert.ok(
        answer.status === 201 || (answer.status === 503 && answer.code === 'database_unavailable' && Number(answer.retryAfter) >= 1),
        `every answer is 201, or a retryable 503: ${JSON.stringify(answer)}`,
      );
    }

    // 2. The database becomes unreachable: every connection cut, new ones refused.
    await proxy.stop();
    assertUnavailable(await create(), 'create while the database is away');
    assertUnavailable(await create(), 'a second create while the database is away');
    const notReady = await running.request('GET', '/readyz');
    assert.equal(notReady.status, 503);
    assert.equal(notReady.body.code, 'not_ready');
    assert.equal(notReady.body.reason, 'database_unavailable');
    assert.equal((await running.request('GET', '/healthz')).status, 200, 'the process itself is alive');
    // A WebSocket that needs the database to be let in gets a retryable 503 too, not a dropped socket.
    const refused = await new Promise<{ status: number; retryAfter?: string; body: string }>((resolve, reject) => {
      const attempt = new WebSocket(`${running.url.replace('http', 'ws')}/ws?token=${encodeURIComponent(unused)}`);
      attempt.on('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] as string | undefined, body }));
      });
      attempt.on('open', () => reject(new Error('the upgrade was accepted while the database was away')));
      attempt.on('error', () => undefined);
    });
    assert.equal(refused.status, 503, refused.body);
    assert.equal((JSON.parse(refused.body) as { code: string }).code, 'database_unavailable');
    assert.equal(refused.retryAfter, '5');
    assert.ok(running.alive(), `the server survived the outage:\n${running.output()}`);

    // 3. The database comes back: ready again, writes succeed, and the socket subscribed
    //    before the outage gets what is committed now (and everything acknowledged before).
    await proxy.start();
    await running.ready(20_000);
    const afterwards = await create();
    assert.equal(afterwards.status, 201, JSON.stringify(afterwards.body));
    const delivered = () => new Set(frames.filter((frame) => frame.type === 'IncidentCreated').map((frame) => frame.id));
    await eventually(() => delivered().has(afterwards.body.id), 15_000, 'the event committed after recovery on the old socket');
    await eventually(() => acknowledged.every((id) => delivered().has(id)), 15_000, 'every acknowledged incident on the socket');
    assert.equal(ws.readyState, WebSocket.OPEN, 'the socket stayed open through the outage');
    ws.close();

    // Nothing acknowledged was lost.
    const stored = new Set<string>();
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page = await running.request('GET', `/api/incidents?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: admin });
      assert.equal(page.status, 200, JSON.stringify(page.body));
      for (const item of page.body.items as { id: string }[]) stored.add(item.id);
      cursor = page.body.nextCursor as string | null;
    }
    for (const id of acknowledged) assert.ok(stored.has(id), `incident ${id} answered 201 and exists`);
    assert.ok(acknowledged.length > 4, `${acknowledged.length} incidents were created`);
  });
});
