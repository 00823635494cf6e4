import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { DEMO_ACCOUNTS } from '@alertautec/core';
import pg from 'pg';
import { POSTGRES_URL, postgresUnavailable, tempDir } from '../helpers/databases.js';
import { spawnServer as spawnServerProcess, type ServerProcess } from '../helpers/process.js';

const ADMIN = { email: 'root@process.example', password: 'process-admin-password' };

interface Server extends ServerProcess {
  dataDir: string;
}

const children = new Set<ChildProcess>();
const dirs: string[] = [];

/**
 * The real server as users run it: `node … src/main.ts` in a child process, configured by
 * its environment only (development unless told otherwise, info logs, the production hash
 * cost, a bootstrap admin), talked to over HTTP and stopped with signals.
 */
async function spawnServer(env: Record<string, string>, options: { dataDir?: string } = {}): Promise<Server> {
  const dataDir = options.dataDir ?? tempDir('alertautec-process-');
  dirs.push(dataDir);
  const server = await spawnServerProcess({
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    PASSWORD_HASH_COST: '12',
    ALERTA_ADMIN_EMAIL: ADMIN.email,
    ALERTA_ADMIN_PASSWORD: ADMIN.password,
    ...env,
  });
  children.add(server.child);
  void server.exited.then(() => children.delete(server.child));
  return { ...server, dataDir };
}

/** Resolves once the server listens (its start-up log line). */
async function started(server: Server) {
  await server.waitForOutput(/AlertaUTEC listening on/);
  return server;
}

async function login(server: Server, email: string, password: string): Promise<string> {
  const response = await server.request('POST', '/api/auth/login', { body: { email, password } });
  assert.equal(response.status, 200, `login ${email}: ${JSON.stringify(response.body)}`);
  return response.body.accessToken as string;
}

after(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the server process', () => {
  it('starts, prints the demo accounts, and the bootstrap admin creates a department and a staff user', async () => {
    const server = await started(await spawnServer({ ALERTA_DEMO: '1' }));
    try {
      await server.waitForOutput(/Demo campus accounts/);
      for (const account of DEMO_ACCOUNTS) assert.ok(server.output().includes(account.email), `the banner lists ${account.email}`);
      assert.match(server.output(), /"store":"sqlite"/);
      assert.equal((await server.request('GET', '/healthz')).status, 200);
      const ready = await server.request('GET', '/readyz');
      assert.equal(ready.status, 200);
      assert.equal(ready.body.store, 'sqlite');

      const token = await login(server, ADMIN.email, ADMIN.password);
      const me = await server.request('GET', '/api/auth/me', { token });
      assert.equal(me.body.role, 'admin');
      const department = await server.request('POST', '/api/departments', {
        token,
        body: { name: 'Laboratorios', email: 'labs@process.example' },
      });
      assert.equal(department.status, 201, JSON.stringify(department.body));
      const staff = await server.request('POST', '/api/users', {
        token,
        body: { email: 'lab.staff@process.example', password: 'lab-staff-password', name: 'Lucía Laboratorio', role: 'staff', departmentId: department.body.id },
      });
      assert.equal(staff.status, 201, JSON.stringify(staff.body));
      assert.equal(staff.body.departmentId, department.body.id);

      const departments = await server.request('GET', '/api/departments', { token });
      assert.ok(departments.body.items.some((d: { id: string; name: string }) => d.id === department.body.id && d.name === 'Laboratorios'));
      const users = await server.request('GET', '/api/users?role=staff', { token });
      assert.ok(users.body.items.some((u: { email: string; role: string }) => u.email === 'lab.staff@process.example' && u.role === 'staff'));
      // The new account works, and a demo account too.
      const staffToken = await login(server, 'lab.staff@process.example', 'lab-staff-password');
      assert.equal((await server.request('GET', '/api/auth/me', { token: staffToken })).body.departmentId, department.body.id);
      await login(server, DEMO_ACCOUNTS[0]!.email, DEMO_ACCOUNTS[0]!.password);
    } finally {
      await server.stop();
    }
  });

  it('shuts down gracefully on SIGTERM: the in-flight request is answered, exit 0, WAL checkpointed', async () => {
    const server = await started(await spawnServer({ ALERTA_DEMO: '0' }));
    const body = Buffer.from(JSON.stringify({ email: ADMIN.email, password: ADMIN.password }));
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(
        { host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/auth/login', headers: { 'content-type': 'application/json', 'content-length': body.length } },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        },
      );
      request.on('error', reject);
      request.write(body.subarray(0, 10));
      // Only once the server has the first half is the request in flight.
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => request.end(body.subarray(10)), 300);
      }, 200);
    });
    const response = await answer;
    const answeredAt = Date.now();
    assert.equal(response.status, 200, response.body);
    assert.ok(JSON.parse(response.body).accessToken);
    const { code, signal } = await server.exited;
    // A client keeping its connection alive does not hold the exit until keep-alive expires.
    assert.ok(Date.now() - answeredAt < 3000, `exited ${Date.now() - answeredAt} ms after answering`);
    assert.equal(signal, null);
    assert.equal(code, 0, server.output());
    assert.match(server.output(), /shutting down/);
    assert.match(server.output(), /shut down cleanly/);
    const wal = path.join(server.dataDir, 'alertautec.db-wal');
    assert.ok(!fs.existsSync(wal) || fs.statSync(wal).size === 0, 'the WAL was checkpointed');
    assert.ok(fs.statSync(path.join(server.dataDir, 'alertautec.db')).size > 0);
  });

  it('refuses new connections once shutting down, and a second signal does not break the exit', async () => {
    const server = await started(await spawnServer({ ALERTA_DEMO: '0' }));
    server.child.kill('SIGTERM');
    server.child.kill('SIGINT');
    const { code, signal } = await server.exited;
    assert.equal(code, 0, `exit ${code}, signal ${signal}:\n${server.output()}`);
    await assert.rejects(fetch(`${server.url}/healthz`));
  });

  it('in production without ALERTA_DEMO it starts without demo accounts', async () => {
    const server = await started(await spawnServer({ NODE_ENV: 'production' }));
    try {
      assert.doesNotMatch(server.output(), /Demo campus accounts/);
      for (const account of DEMO_ACCOUNTS) assert.ok(!server.output().includes(account.email));
      const demo = await server.request('POST', '/api/auth/login', { body: { email: DEMO_ACCOUNTS[0]!.email, password: DEMO_ACCOUNTS[0]!.password } });
      assert.equal(demo.status, 401);
      const token = await login(server, ADMIN.email, ADMIN.password);
      const locations = await server.request('GET', '/api/locations', { token });
      assert.deepEqual(locations.body.items, []);
      assert.equal((await server.request('GET', '/api/dev/mailbox', { token })).status, 404);
    } finally {
      await server.stop();
    }
  });

  it('two processes starting at once on the same data directory both come up over one campus', async () => {
    const dataDir = tempDir('alertautec-process-');
    const servers = await Promise.all([spawnServer({ ALERTA_DEMO: '1' }, { dataDir }), spawnServer({ ALERTA_DEMO: '1' }, { dataDir })]);
    try {
      await Promise.all(servers.map(started));
      for (const server of servers) {
        const token = await login(server, ADMIN.email, ADMIN.password);
        const categories = await server.request('GET', '/api/categories', { token });
        assert.equal(categories.body.items.length, 6);
        const users = await server.request('GET', '/api/users?limit=200', { token });
        assert.equal(users.body.items.length, DEMO_ACCOUNTS.length + 1);
      }
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
  });
});

const pgWhy = await postgresUnavailable();
describe(
  'the server process on PostgreSQL',
  { skip: pgWhy && process.env.REQUIRE_POSTGRES !== '1' ? pgWhy : false },
  () => {
    // The server has no schema setting, so it gets a database of its own, dropped afterwards.
    const database = `alertautec_process_${randomBytes(5).toString('hex')}`;
    const admin = () => new pg.Client({ connectionString: POSTGRES_URL });
    after(async () => {
      const client = admin();
      await client.connect();
      await client.query(`drop database if exists ${database} with (force)`);
      await client.end();
    });

    it('starts with DATABASE_URL and /readyz says postgres', async () => {
      assert.equal(pgWhy, null, pgWhy ?? '');
      const client = admin();
      await client.connect();
      await client.query(`create database ${database}`);
      await client.end();
      const url = new URL(POSTGRES_URL);
      url.pathname = `/${database}`;
      const server = await started(await spawnServer({ ALERTA_DEMO: '1', DATABASE_URL: url.toString() }));
      try {
        const ready = await server.request('GET', '/readyz');
        assert.equal(ready.status, 200);
        assert.equal(ready.body.store, 'postgres');
        assert.match(server.output(), /"store":"postgres"/);
        const token = await login(server, ADMIN.email, ADMIN.password);
        const department = await server.request('POST', '/api/departments', { token, body: { name: 'Laboratorios PG' } });
        assert.equal(department.status, 201);
        await login(server, DEMO_ACCOUNTS[0]!.email, DEMO_ACCOUNTS[0]!.password);
      } finally {
        await server.stop();
      }
      assert.equal((await server.exited).code, 0, server.output());
      assert.ok(!fs.existsSync(path.join(server.dataDir, 'alertautec.db')), 'no SQLite file when PostgreSQL is configured');
    });
  },
);
