import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { RealtimeClient, type SocketFactory } from '@alertautec/client';
import type { IncidentEvent, PublishedEvent } from '@alertautec/core';
import WebSocket from 'ws';
import { POSTGRES_URL, tempDir } from '../helpers/databases.js';
import { eventually } from '../helpers/realtime.js';

/**
 * §3/§4 several nodes: two real server processes on one PostgreSQL schema and one data
 * directory (so they share signing keys). An event committed through node A reaches a
 * client connected to node B (LISTEN/NOTIFY wakes B, the log is the truth).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const schema = `rt2_${randomBytes(5).toString('hex')}`;
const dataDir = tempDir('alertautec-two-nodes-');
const ADMIN = { email: 'admin@twonodes.example', password: 'two-nodes-admin-1' };
const children: ChildProcess[] = [];
const output: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startNode(name: string): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: POSTGRES_URL,
      DATABASE_SCHEMA: schema,
      LOG_LEVEL: 'warn',
      PASSWORD_HASH_COST: '10',
      ALERTA_DEMO: '1',
      ALERTA_ADMIN_EMAIL: ADMIN.email,
      ALERTA_ADMIN_PASSWORD: ADMIN.password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  child.stdout!.on('data', (data: Buffer) => output.push(`[${name}] ${data.toString()}`));
  child.stderr!.on('data', (data: Buffer) => output.push(`[${name}] ${data.toString()}`));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`node ${name} exited with ${child.exitCode}:\n${output.join('')}`);
    const ready = await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
    if (ready) return url;
    if (Date.now() - started > 30_000) throw new Error(`node ${name} did not become ready:\n${output.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function call(url: string, method: string, route: string, token: string | undefined, body?: unknown) {
  const response = await fetch(url + route, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
}

async function login(url: string, email: string, password: string): Promise<string> {
  const answer = await call(url, 'POST', '/api/auth/login', undefined, { email, password });
  assert.equal(answer.status, 200, answer.text);
  return answer.body.accessToken as string;
}

let nodeA: string;
let nodeB: string;
before(async () => {
  // One after the other: the first creates the schema and the signing keys.
  nodeA = await startNode('A');
  nodeB = await startNode('B');
});
after(async () => {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('two nodes on PostgreSQL', () => {
  it('delivers an event committed through node A, and an event published through A, to a client of node B', async () => {
    const admin = await login(nodeA, ADMIN.email, ADMIN.password);
    // A token from A works on B: shared keys.
    const adminOnB = await login(nodeB, ADMIN.email, ADMIN.password);
    const created = await call(nodeA, 'POST', '/api/users', admin, { email: 'alumno@twonodes.example', password: 'student-password-1', name: 'Alumno', role: 'student' });
    assert.equal(created.status, 201, created.text);
    const student = await login(nodeA, 'alumno@twonodes.example', 'student-password-1');

    const events: IncidentEvent[] = [];
    const published: PublishedEvent[] = [];
    const onB = new RealtimeClient({ url: `${nodeB.replace('http', 'ws')}/ws`, token: () => adminOnB, WebSocket: WebSocket as unknown as SocketFactory });
    onB.on('event', (event) => events.push(event));
    onB.on('published', (event) => published.push(event));
    const subscription = onB.subscribe({});
    onB.connect();
    // The student's own client on B (no subscription needed for published events).
    const studentOnB = new RealtimeClient({ url: `${nodeB.replace('http', 'ws')}/ws`, token: () => student, WebSocket: WebSocket as unknown as SocketFactory });
    const studentEvents: IncidentEvent[] = [];
    const studentPublished: PublishedEvent[] = [];
    studentOnB.on('event', (event) => studentEvents.push(event));
    studentOnB.on('published', (event) => studentPublished.push(event));
    const studentSub = studentOnB.subscribe({});
    studentOnB.connect();
    await eventually(() => subscription.cursor !== undefined && studentSub.cursor !== undefined, 10_000, 'Subscribed on B');

    const incident = await call(nodeA, 'POST', '/api/incidents', student, { category: 'infrastructure', description: 'Fuga en el nodo A', urgency: 'high', locationText: 'Pabellón A' });
    assert.equal(incident.status, 201, incident.text);
    const comment = await call(nodeA, 'POST', `/api/incidents/${incident.body.id}/comments`, admin, { text: 'solo personal', internal: true });
    assert.equal(comment.status, 201, comment.text);
    const moved = await call(nodeA, 'PATCH', `/api/incidents/${incident.body.id}`, admin, { status: 'in_progress' });
    assert.equal(moved.status, 200, moved.text);

    await eventually(() => events.length >= 3, 10_000, 'the events on B');
    assert.deepEqual(
      events.map((e) => [e.type, e.id]),
      [
        ['IncidentCreated', incident.body.id],
        ['CommentAdded', incident.body.id],
        ['IncidentStatusChanged', incident.body.id],
      ],
    );
    assert.deepEqual(events.map((e) => e.seq), [events[0]!.seq, events[0]!.seq + 1, events[0]!.seq + 2]);
    // The student on B: own incident, without the internal comment.
    await eventually(() => studentEvents.length >= 2, 10_000, "the student's events on B");
    assert.deepEqual(studentEvents.map((e) => e.type), ['IncidentCreated', 'IncidentStatusChanged']);

    const sent = await call(nodeA, 'POST', '/api/realtime/events', admin, { type: 'campus.notice', audience: { roles: ['student'] }, data: { hello: 'B' } });
    assert.equal(sent.status, 202, sent.text);
    const everyone = await call(nodeA, 'POST', '/api/realtime/events', admin, { type: 'campus.all', audience: { all: true }, data: { big: 'z'.repeat(20_000) } });
    assert.equal(everyone.status, 202, everyone.text);
    await eventually(() => published.some((e) => e.type === 'campus.all'), 10_000, 'the published event on B');
    assert.deepEqual(published.map((e) => e.type), ['campus.all'], 'the admin is not in the student audience');
    assert.equal((published[0]!.data as { big: string }).big.length, 20_000);
    await eventually(() => studentPublished.length >= 2, 10_000, "the student's published events on B");
    assert.deepEqual(studentPublished.map((e) => [e.type, e.type === 'campus.notice' ? e.data : null]), [['campus.notice', { hello: 'B' }], ['campus.all', null]]);
    studentOnB.close();
    onB.close();
  });
});
