import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../src/http/json-body.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { createUser } from '../helpers/fixtures.js';
import { eventually, rawSocket } from '../helpers/realtime.js';

/** A client's mistake (a broken body, a hostile one, a hang-up) is a 4xx, changes nothing, and is no error in the log. */

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  err?: { message: string };
}

/** The server's log lines, kept in order; `next` waits for the first one that matches. */
function logCapture() {
  const lines: LogLine[] = [];
  const waiting = new Set<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }>();
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const text of chunk.toString().split('\n').filter(Boolean)) {
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        for (const waiter of waiting) {
          if (!waiter.match(line)) continue;
          waiting.delete(waiter);
          waiter.resolve(line);
        }
      }
      callback();
    },
  });
  const next = (match: (line: LogLine) => boolean) => new Promise<LogLine>((resolve) => waiting.add({ match, resolve }));
  return { stream, lines, next };
}

const deeplyNested = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);

let t: TestApp;
const log = logCapture();
let student: Awaited<ReturnType<typeof createUser>>;
let incidentId: string;
before(async () => {
  t = await startApp({ env: { LOG_LEVEL: 'info' }, logDestination: log.stream });
  student = await createUser(t, 'student');
  const created = await t.request('POST', '/api/incidents', {
    token: student.token,
    body: { category: 'infrastructure', description: 'Ventana rota en el aula', urgency: 'medium', locationText: 'Aula 301' },
  });
  assert.equal(created.status, 201, created.text);
  incidentId = created.body.id;
});
after(() => t.close());

function assertProblem(answer: { status: number; headers: Headers; body?: { code?: string }; text: string }, status: number, code: string) {
  assert.equal(answer.status, status, answer.text.slice(0, 300));
  assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(answer.body?.code, code, answer.text.slice(0, 300));
}

const errorLines = () => log.lines.filter((line) => line.level >= 50);

describe('JSON nesting depth', () => {
  it('is measured in one pass, ignoring brackets inside strings', () => {
    assert.equal(nestsDeeperThan(deeplyNested(64), 64), false);
    assert.equal(nestsDeeperThan(deeplyNested(65), 64), true);
    assert.equal(nestsDeeperThan('{"a":{"b":[{"c":[]}]}}', 5), false);
    assert.equal(nestsDeeperThan('{"a":{"b":[{"c":[]}]}}', 4), true);
    assert.equal(nestsDeeperThan(JSON.stringify({ text: '[[[[{{{{"\\"[[[[' }), 1), false);
    // A million levels: no recursion, so no stack to run out of.
    assert.equal(nestsDeeperThan(deeplyNested(1_000_000), MAX_JSON_DEPTH), true);
  });

  it('refuses data nested 4,500 arrays deep on the publish API with 400 json_too_deep, and publishes nothing', async () => {
    const admin = await t.adminToken();
    const listener = await rawSocket(t, student.token);
    const errorsBefore = errorLines().length;
    const deep = await t.request('POST', '/api/realtime/events', {
      token: admin,
      raw: `{"type":"app.deep","audience":{"all":true},"data":${deeplyNested(4500)}}`,
      headers: { 'content-type': 'application/json' },
    });
    assertProblem(deep, 400, 'json_too_deep');
    // The most a request may nest still passes: the top-level object plus 63 arrays.
    const deepest = await t.request('POST', '/api/realtime/events', {
      token: admin,
      raw: `{"type":"app.deepest","audience":{"all":true},"data":${deeplyNested(MAX_JSON_DEPTH - 1)}}`,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(deepest.status, 202, deepest.text);
    await eventually(() => listener.messages.some((m) => (m as { type: string }).type === 'app.deepest'), 5_000, 'the allowed event');
    assert.ok(!listener.messages.some((m) => (m as { type: string }).type === 'app.deep'), 'the refused event was delivered');
    assert.deepEqual(errorLines().slice(errorsBefore), []);
    listener.ws.close();
  });

  it('applies to every JSON body, and keeps refusing prototype poisoning', async () => {
    const listed = await t.request('GET', '/api/incidents', { token: student.token });
    const deep = await t.request('POST', '/api/incidents', {
      token: student.token,
      raw: `{"category":"infrastructure","urgency":"medium","locationText":"Aula 301","description":"Ventana rota","extra":${deeplyNested(100)}}`,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    assertProblem(deep, 400, 'json_too_deep');
    const poisoned = await t.request('POST', '/api/auth/login', {
      raw: '{"email":"a@b.example","password":"x","__proto__":{"admin":true}}',
      headers: { 'content-type': 'application/json' },
    });
    assertProblem(poisoned, 400, 'malformed_json');
    const listedAfter = await t.request('GET', '/api/incidents', { token: student.token });
    assert.deepEqual(listedAfter.body.items.map((i: { id: string }) => i.id), listed.body.items.map((i: { id: string }) => i.id));
  });
});

// ---- Uploads ----

const BOUNDARY = 'alertautec-test-boundary';
const partHead = Buffer.from(
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="foto.png"\r\nContent-Type: image/png\r\n\r\n`,
);
const pngStart = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Buffer.alloc(2000, 7)]);

/** Every file in the blob store but the reports, which the workers write on their own schedule. */
function blobFiles(): string[] {
  const root = path.join(t.config.dataDir, 'blobs');
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile() && !path.relative(root, entry.parentPath).split(path.sep).includes('reports'))
    .map((entry) => entry.name);
}

async function attachmentState() {
  const rows = await t.system.store.db.selectFrom('attachments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const events = await t.request('GET', `/api/incidents/${incidentId}/events`, { token: student.token });
  assert.equal(events.status, 200, events.text);
  return {
    rows: Number(rows.n),
    added: (events.body.items as { type: string }[]).filter((event) => event.type === 'AttachmentAdded').length,
    blobs: blobFiles(),
  };
}

describe('broken uploads', () => {
  it('answers a multipart body cut off mid-file with 400 malformed_multipart, storing nothing', async () => {
    const stored = await attachmentState();
    const errorsBefore = errorLines().length;
    // The whole body arrives (Content-Length matches), but the closing boundary never does.
    const answer = await t.request('POST', `/api/incidents/${incidentId}/attachments`, {
      token: student.token,
      raw: Buffer.concat([partHead, pngStart]),
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    });
    assertProblem(answer, 400, 'malformed_multipart');
    assert.deepEqual(await attachmentState(), stored);
    assert.deepEqual(errorLines().slice(errorsBefore), []);
  });

  it('logs a client that hangs up mid-upload at info, not as an error, and stores nothing', async () => {
    const stored = await attachmentState();
    const reqId = 'hang-up-mid-upload';
    const arrived = log.next((line) => line.reqId === reqId && line.msg === 'incoming request');
    const outcome = log.next((line) => line.reqId === reqId && line.msg !== 'incoming request');
    const socket = net.connect(Number(new URL(t.url).port), '127.0.0.1');
    socket.on('error', () => {});
    socket.write(
      [
        `POST /api/incidents/${incidentId}/attachments HTTP/1.1`,
        'Host: localhost',
        `Authorization: Bearer ${student.token}`,
        `X-Request-Id: ${reqId}`,
        `Content-Type: multipart/form-data; boundary=${BOUNDARY}`,
        'Content-Length: 1000000',
        '',
        '',
      ].join('\r\n'),
    );
    socket.write(Buffer.concat([partHead, pngStart]));
    await arrived;
    socket.destroy();
    const line = await outcome;
    assert.equal(line.msg, 'client closed the connection mid-request');
    assert.equal(line.level, 30, 'info');
    assert.deepEqual(log.lines.filter((l) => l.reqId === reqId && l.level >= 50), []);
    assert.deepEqual(await attachmentState(), stored);
  });
});
