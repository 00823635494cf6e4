import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startApp, type TestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { png, uploadAttachment } from '../helpers/files.js';
import { createOtherTenant, createUser, firstDepartmentId } from '../helpers/fixtures.js';

// ---- Minimal but valid files, built by hand ----

/** SOI, a JFIF APP0 segment, EOI. */
const jpeg = () =>
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);

/** A RIFF container holding a (blank) lossy VP8 frame. */
function webp(): Buffer {
  const frame = Buffer.alloc(14);
  const vp8 = Buffer.concat([Buffer.from('VP8 '), Buffer.from([frame.length, 0, 0, 0]), frame]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(4 + vp8.length);
  return Buffer.concat([Buffer.from('RIFF'), size, Buffer.from('WEBP'), vp8]);
}

const pdf = () => Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
const html = () => Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
const polyglot = () => Buffer.concat([png(), Buffer.from('<html><script>alert(document.cookie)</script></html>')]);

// ---- HTTP helpers ----

function upload(t: TestApp, token: string, incidentId: string, bytes: Buffer, filename: string, options: { field?: string; type?: string } = {}) {
  return uploadAttachment(t.url, token, incidentId, bytes, filename, options);
}

async function download(t: TestApp, token: string, incidentId: string, attachmentId: string) {
  const response = await fetch(`${t.url}/api/incidents/${incidentId}/attachments/${attachmentId}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

function assertProblem(answer: { status: number; headers: Headers; body?: { code?: string }; text?: string }, status: number, code?: string) {
  assert.equal(answer.status, status, answer.text);
  assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/);
  if (code) assert.equal(answer.body?.code, code, answer.text);
}

/** Every file under DATA_DIR/blobs, relative to it, but the reports the scheduled jobs write. */
function blobFiles(t: TestApp): string[] {
  const root = path.join(t.config.dataDir, 'blobs');
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name)))
    .filter((file) => !file.startsWith(`reports${path.sep}`));
}

const attachmentRows = async (t: TestApp, incidentId?: string) => {
  let query = t.system.store.db.selectFrom('attachments').select((eb) => eb.fn.countAll().as('n'));
  if (incidentId) query = query.where('incident_id', '=', incidentId);
  return Number((await query.executeTakeFirstOrThrow()).n);
};

async function attachmentEvents(t: TestApp, incidentId: string) {
  const events = await t.request('GET', `/api/incidents/${incidentId}/events`, { token: await t.adminToken() });
  assert.equal(events.status, 200, events.text);
  return (events.body.items as { type: string; [key: string]: unknown }[]).filter((event) => event.type === 'AttachmentAdded');
}

async function report(t: TestApp, token: string, category = 'infrastructure'): Promise<string> {
  const created = await t.request('POST', '/api/incidents', {
    token,
    body: { category, description: 'Ventana rota en el aula', urgency: 'medium', locationText: 'Aula 301' },
  });
  assert.equal(created.status, 201, created.text);
  return created.body.id as string;
}

describe('attachments', () => {
  let t: TestApp;
  let student: Awaited<ReturnType<typeof createUser>>;
  before(async () => {
    t = await startApp();
    student = await createUser(t, 'student');
  });
  after(() => t.close());

  it('accepts JPEG, PNG, WebP and PDF judged by their bytes, and serves them back intact', async () => {
    const id = await report(t, student.token);
    const files: [Buffer, string, string, string, string][] = [
      [jpeg(), 'foto.jpg', 'image/jpeg', 'foto.jpg', 'inline'],
      [png(), 'captura.png', 'image/png', 'captura.png', 'inline'],
      [webp(), 'imagen.webp', 'image/webp', 'imagen.webp', 'inline'],
      [pdf(), 'informe.pdf', 'application/pdf', 'informe.pdf', 'attachment'],
    ];
    for (const [bytes, filename, contentType, storedName, disposition] of files) {
      // The declared type is a lie on purpose: only the bytes count.
      const added = await upload(t, student.token, id, bytes, filename, { type: 'text/html' });
      assert.equal(added.status, 201, added.text);
      assert.deepEqual(Object.keys(added.body).sort(), ['contentType', 'filename', 'id', 'size']);
      assert.equal(added.body.contentType, contentType);
      assert.equal(added.body.filename, storedName);
      assert.equal(added.body.size, bytes.length);

      const got = await download(t, student.token, id, added.body.id);
      assert.equal(got.status, 200);
      assert.deepEqual(got.bytes, bytes);
      assert.equal(got.headers.get('content-type'), contentType);
      assert.equal(got.headers.get('content-length'), String(bytes.length));
      assert.equal(got.headers.get('content-disposition'), `${disposition}; filename="${storedName}"; filename*=UTF-8''${storedName}`);
      assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
      assert.match(got.headers.get('content-security-policy') ?? '', /sandbox/);
    }
    assert.equal(await attachmentRows(t, id), 4);
  });

  it('logs one AttachmentAdded event per upload, with the contract’s payload', async () => {
    const id = await report(t, student.token);
    const first = await upload(t, student.token, id, png(), 'a.png');
    const second = await upload(t, student.token, id, pdf(), 'b.pdf');
    const events = await attachmentEvents(t, id);
    assert.equal(events.length, 2);
    for (const [event, added] of [
      [events[0]!, first.body],
      [events[1]!, second.body],
    ]) {
      assert.equal(event.attachmentId, added.id);
      assert.equal(event.filename, added.filename);
      assert.equal(event.contentType, added.contentType);
      assert.equal(event.size, added.size);
      assert.equal(event.actorId, student.id);
      assert.equal(event.id, id);
    }
  });

  it('corrects a spoofed extension to what the bytes are', async () => {
    const id = await report(t, student.token);
    const added = await upload(t, student.token, id, png(), 'x.pdf', { type: 'application/pdf' });
    assert.equal(added.status, 201, added.text);
    assert.equal(added.body.contentType, 'image/png');
    assert.equal(added.body.filename, 'x.png');
    const got = await download(t, student.token, id, added.body.id);
    assert.equal(got.headers.get('content-type'), 'image/png');
    assert.match(got.headers.get('content-disposition') ?? '', /filename\*=UTF-8''x\.png$/);

    const noName = await upload(t, student.token, id, jpeg(), '.jpg');
    assert.equal(noName.status, 201, noName.text);
    assert.equal(noName.body.filename, 'adjunto.jpg');
  });

  it('refuses other types with 415, whatever they are named, and keeps nothing', async () => {
    const id = await report(t, student.token);
    const before = blobFiles(t).length;
    const refused: [Buffer, string][] = [
      [html(), 'photo.jpg'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'dibujo.png'],
      [Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 'animado.gif'],
      [Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), 'informe.pdf'],
      [Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), html()]), 'casi.png'],
      [Buffer.from('just some text'), 'nota.txt'],
    ];
    for (const [bytes, filename] of refused) {
      assertProblem(await upload(t, student.token, id, bytes, filename, { type: 'image/jpeg' }), 415, 'unsupported_file_type');
    }
    assert.equal(await attachmentRows(t, id), 0);
    assert.equal(blobFiles(t).length, before);
    assert.equal((await attachmentEvents(t, id)).length, 0);
  });

  it('serves a PNG/HTML polyglot only as image/png, sandboxed and never sniffed', async () => {
    const id = await report(t, student.token);
    const added = await upload(t, student.token, id, polyglot(), 'trampa.html', { type: 'text/html' });
    assert.equal(added.status, 201, added.text);
    assert.equal(added.body.contentType, 'image/png');
    assert.equal(added.body.filename, 'trampa.png');
    const got = await download(t, student.token, id, added.body.id);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'image/png');
    assert.doesNotMatch(got.headers.get('content-type') ?? '', /html/);
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    const csp = got.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /\bsandbox\b/);
    assert.deepEqual(got.bytes, polyglot());
  });

  it('refuses an empty file with 400 empty_file', async () => {
    const id = await report(t, student.token);
    const before = blobFiles(t).length;
    assertProblem(await upload(t, student.token, id, Buffer.alloc(0), 'vacio.png'), 400, 'empty_file');
    assert.equal(await attachmentRows(t, id), 0);
    assert.equal(blobFiles(t).length, before);
  });

  it('refuses a JSON body, a plain-text body and no body with 415', async () => {
    const id = await report(t, student.token);
    assertProblem(await t.request('POST', `/api/incidents/${id}/attachments`, { token: student.token, body: { file: png().toString('base64') } }), 415);
    assertProblem(
      await t.request('POST', `/api/incidents/${id}/attachments`, { token: student.token, raw: 'hola', headers: { 'content-type': 'text/plain' } }),
      415,
    );
    assertProblem(await t.request('POST', `/api/incidents/${id}/attachments`, { token: student.token }), 415);
    assert.equal(await attachmentRows(t, id), 0);
  });

  it('refuses a file in another field, a text field, no file at all or a broken body with 400', async () => {
    const id = await report(t, student.token);
    const before = blobFiles(t).length;
    assertProblem(await upload(t, student.token, id, png(), 'foto.png', { field: 'photo' }), 400);
    const empty = await fetch(`${t.url}/api/incidents/${id}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${student.token}`, 'content-type': 'multipart/form-data; boundary=XYZ' },
      body: '--XYZ--\r\n',
    });
    assert.equal(empty.status, 400, await empty.text());
    // A text field where the file belongs, or a text field before it.
    const textField = new FormData();
    textField.append('file', 'esto no es un archivo');
    const asText = await fetch(`${t.url}/api/incidents/${id}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${student.token}` }, body: textField });
    assert.equal(asText.status, 400, await asText.text());
    const extra = new FormData();
    extra.append('note', 'hola');
    extra.append('file', new Blob([png()]), 'a.png');
    const withExtra = await fetch(`${t.url}/api/incidents/${id}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${student.token}` }, body: extra });
    assert.equal(withExtra.status, 400, await withExtra.text());
    // A multipart content type without a boundary is a bad request, not a server error.
    const noBoundary = await fetch(`${t.url}/api/incidents/${id}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${student.token}`, 'content-type': 'multipart/form-data' },
      body: 'garbage',
    });
    const noBoundaryText = await noBoundary.text();
    assert.equal(noBoundary.status, 400, noBoundaryText);
    assert.equal(JSON.parse(noBoundaryText).code, 'malformed_multipart');
    assert.equal(await attachmentRows(t, id), 0);
    assert.equal(blobFiles(t).length, before);
  });

  it('never turns a filename into a path', async () => {
    const id = await report(t, student.token);
    const names: [string, string][] = [
      ['../../etc/passwd.png', 'passwd.png'],
      ['..\\..\\windows\\system32\\evil.png', 'evil.png'],
      ['/absolute/path/foto.png', 'foto.png'],
      ['..', 'adjunto.png'],
      ['a\u0000b\u202Ec.png', 'abc.png'],
    ];
    for (const [given, expected] of names) {
      const added = await upload(t, student.token, id, png(), given);
      assert.equal(added.status, 201, added.text);
      assert.equal(added.body.filename, expected, given);
    }
    const files = blobFiles(t);
    const rows = await t.system.store.db.selectFrom('attachments').select(['id', 'storage_key']).where('incident_id', '=', id).execute();
    assert.equal(rows.length, names.length);
    for (const row of rows) {
      assert.match(row.storage_key, /^attachments\/[\w-]+\/[\w-]+\/[\w-]+$/);
      assert.ok(row.storage_key.endsWith(row.id));
      assert.ok(files.includes(path.normalize(row.storage_key)), row.storage_key);
    }
    assert.ok(!files.some((file) => /passwd|evil|\.\./.test(file)), files.join(', '));
    assert.ok(!fs.existsSync(path.join(t.config.dataDir, 'etc')));
  });

  it('encodes any filename safely in Content-Disposition, and keeps it whole', async () => {
    const id = await report(t, student.token);
    const names: [string, string][] = [
      ["it's (1) *final*.pdf", "filename*=UTF-8''it%27s%20%281%29%20%2Afinal%2A.pdf"],
      ['informe año 2026.pdf', "filename*=UTF-8''informe%20a%C3%B1o%202026.pdf"],
      [`${'a'.repeat(99)}😀.pdf`, `filename*=UTF-8''${'a'.repeat(99)}${encodeURIComponent('😀')}.pdf`],
      [`${'b'.repeat(99)}😀😀😀.pdf`, `filename*=UTF-8''${'b'.repeat(99)}${encodeURIComponent('😀')}.pdf`],
    ];
    for (const [given, expected] of names) {
      const added = await upload(t, student.token, id, pdf(), given);
      assert.equal(added.status, 201, added.text);
      assert.doesNotMatch(added.body.filename, /[\uD800-\uDFFF]/u, 'no lone surrogates');
      const got = await download(t, student.token, id, added.body.id);
      assert.equal(got.status, 200, `download of ${given}`);
      const disposition = got.headers.get('content-disposition') ?? '';
      assert.ok(disposition.startsWith('attachment; '), disposition);
      assert.ok(disposition.endsWith(expected), `${disposition} ends with ${expected}`);
      // The plain fallback is printable ASCII inside quotes.
      assert.match(disposition, /filename="[\x20-\x21\x23-\x7e]+"/);
    }
  });

  it('answers 404 to those who may not see the incident, for uploads and downloads', async () => {
    const id = await report(t, student.token, 'security');
    const added = await upload(t, student.token, id, png(), 'a.png');
    assert.equal(added.status, 201);

    const otherStudent = await createUser(t, 'student');
    const departments = await t.request('GET', '/api/departments', { token: await t.adminToken() });
    const securityId = (await t.request('GET', '/api/categories', { token: await t.adminToken() })).body.items.find(
      (c: { code: string }) => c.code === 'security',
    ).departmentId;
    const elsewhere = departments.body.items.find((d: { id: string }) => d.id !== securityId).id as string;
    const otherStaff = await createUser(t, 'staff', { departmentId: elsewhere });
    const securityStaff = await createUser(t, 'staff', { departmentId: securityId });
    const otherTenant = await createOtherTenant(t);

    for (const token of [otherStudent.token, otherStaff.token, otherTenant.token]) {
      assertProblem(await download(t, token, id, added.body.id).then((r) => ({ ...r, body: JSON.parse(r.bytes.toString()) })), 404);
      assertProblem(await upload(t, token, id, png(), 'b.png'), 404);
    }
    assert.equal(await attachmentRows(t, id), 1);

    // Those who may see it may download it, and staff of its department may attach.
    assert.equal((await download(t, securityStaff.token, id, added.body.id)).status, 200);
    assert.equal((await download(t, await t.adminToken(), id, added.body.id)).status, 200);
    assert.equal((await upload(t, securityStaff.token, id, jpeg(), 'c.jpg')).status, 201);

    // An attachment is reached only through its own incident.
    const otherIncident = await report(t, student.token);
    assert.equal((await download(t, student.token, otherIncident, added.body.id)).status, 404);
    assert.equal((await download(t, student.token, id, '01a00000-0000-7000-8000-000000000000')).status, 404);
    assert.equal((await download(t, student.token, '01a00000-0000-7000-8000-000000000000', added.body.id)).status, 404);
    assert.equal((await download(t, student.token, id, added.body.id)).status, 200);
    assert.equal((await fetch(`${t.url}/api/incidents/${id}/attachments/${added.body.id}`)).status, 401);
  });

  it('holds at most five attachments: the sixth is 409 too_many_attachments', async () => {
    const id = await report(t, student.token);
    for (let i = 0; i < 5; i++) assert.equal((await upload(t, student.token, id, png(), `p${i}.png`)).status, 201);
    const before = blobFiles(t).length;
    assertProblem(await upload(t, student.token, id, png(), 'p5.png'), 409, 'too_many_attachments');
    assert.equal(await attachmentRows(t, id), 5);
    assert.equal(blobFiles(t).length, before);
    assert.equal((await attachmentEvents(t, id)).length, 5);
  });

  it('keeps at most five when eight uploads race', async () => {
    const id = await report(t, student.token);
    const before = blobFiles(t).length;
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => upload(t, student.token, id, png(), `r${i}.png`)));
    const created = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 409);
    assert.equal(created.length + refused.length, 8, answers.map((a) => a.text).join('\n'));
    assert.equal(created.length, 5);
    for (const answer of refused) assert.equal(answer.body.code, 'too_many_attachments');
    assert.equal(await attachmentRows(t, id), 5);
    assert.equal(blobFiles(t).length, before + 5, 'no blob is left behind by a refused upload');
    assert.equal((await attachmentEvents(t, id)).length, 5);
  });
});

describe('attachment size limit', () => {
  let t: TestApp;
  let token: string;
  before(async () => {
    t = await startApp({ env: { ATTACHMENT_MAX_BYTES: '2048' } });
    token = (await createUser(t, 'student')).token;
  });
  after(() => t.close());

  // A valid PNG padded after IEND to an exact size.
  const pngOfSize = (size: number) => Buffer.concat([png(), Buffer.alloc(size - png().length, 0x20)]);

  it('accepts a file of exactly ATTACHMENT_MAX_BYTES', async () => {
    const id = await report(t, token);
    const added = await upload(t, token, id, pngOfSize(2048), 'justo.png');
    assert.equal(added.status, 201, added.text);
    assert.equal(added.body.size, 2048);
  });

  it('refuses a larger one with 413 and leaves no file under DATA_DIR/blobs', async () => {
    const id = await report(t, token);
    const before = blobFiles(t);
    for (const size of [2049, 64 * 1024, 3 * 1024 * 1024]) {
      assertProblem(await upload(t, token, id, pngOfSize(size), 'grande.png'), 413, 'file_too_large');
    }
    assert.deepEqual(blobFiles(t), before);
    assert.equal(await attachmentRows(t, id), 0);
    assert.equal((await attachmentEvents(t, id)).length, 0);
  });

  it('still answers 404 first to someone who may not see the incident', async () => {
    const id = await report(t, token);
    const stranger = await createUser(t, 'student');
    assertProblem(await upload(t, stranger.token, id, pngOfSize(4096), 'grande.png'), 404);
    assert.ok(await firstDepartmentId(t));
  });
});

await describeEachDatabase('attachment limit under concurrency', (dialect) => {
  let t: TestApp;
  let token: string;
  before(async () => {
    t = await startApp({ dialect });
    token = (await createUser(t, 'student')).token;
  });
  after(() => t.close());

  it('stores at most five of eight racing uploads, and one event and one blob for each', async () => {
    const id = await report(t, token);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => upload(t, token, id, i % 2 ? png() : pdf(), `r${i}.bin`)));
    assert.deepEqual(
      answers.map((a) => a.status).sort(),
      [201, 201, 201, 201, 201, 409, 409, 409],
      answers.map((a) => a.text).join('\n'),
    );
    assert.equal(await attachmentRows(t, id), 5);
    assert.equal(blobFiles(t).length, 5);
    const events = await attachmentEvents(t, id);
    assert.deepEqual(
      events.map((e) => e.attachmentId).sort(),
      answers.filter((a) => a.status === 201).map((a) => a.body.id).sort(),
    );
  });
});
