import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { startApp, type TestApp } from '../helpers/app.js';
import { startFakeS3, type FakeS3 } from '../helpers/fake-s3.js';
import { createUser } from '../helpers/fixtures.js';

/**
 * The whole server with S3_BUCKET set: the SDK finds the endpoint and credentials in its own
 * variables (AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID…), set here for this file and restored
 * after. Attachments go through the API into the local S3 endpoint and come back from it.
 */
const AWS_ENV = ['AWS_ENDPOINT_URL_S3', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'] as const;

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A 1×1 PNG padded with a text chunk to `size` bytes or so. */
function png(padding = 0): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('tEXt', Buffer.concat([Buffer.from('Comment\0'), Buffer.alloc(padding, 0x61)])),
    pngChunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

async function upload(t: TestApp, token: string, incidentId: string, bytes: Buffer, filename: string) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), filename);
  const response = await fetch(`${t.url}/api/incidents/${incidentId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const text = await response.text();
  return { status: response.status, body: /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined, text };
}

function localBlobFiles(t: TestApp): string[] {
  const root = path.join(t.config.dataDir, 'blobs');
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((entry) => entry.isFile()).map((entry) => entry.name);
}

describe('attachments stored in S3 (S3_BUCKET)', () => {
  let fake: FakeS3;
  let t: TestApp;
  let student: { token: string };
  const saved = new Map<string, string | undefined>();

  before(async () => {
    fake = await startFakeS3('alertautec-adjuntos');
    for (const name of AWS_ENV) saved.set(name, process.env[name]);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: fake.endpoint,
      AWS_ACCESS_KEY_ID: 'AKIDTESTATTACH',
      AWS_SECRET_ACCESS_KEY: 'test-secret',
      AWS_REGION: 'sa-east-1',
    });
    t = await startApp({ env: { S3_BUCKET: 'alertautec-adjuntos', S3_PREFIX: 'campus-prod/' } });
    student = await createUser(t, 'student');
  });
  after(async () => {
    await t?.close();
    await fake.close();
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('uploads an attachment through the API into the bucket and serves it back from there', async () => {
    const created = await t.request('POST', '/api/incidents', {
      token: student.token,
      body: { category: 'infrastructure', description: 'Ventana rota en el aula', urgency: 'medium', locationText: 'Aula 301' },
    });
    assert.equal(created.status, 201, created.text);
    const incidentId = created.body.id as string;
    const bytes = png(200_000);

    const added = await upload(t, student.token, incidentId, bytes, 'ventana.png');
    assert.equal(added.status, 201, added.text);
    const row = await t.system.store.db.selectFrom('attachments').select('storage_key').where('id', '=', added.body.id).executeTakeFirstOrThrow();
    const objectKey = `campus-prod/${row.storage_key}`;
    assert.ok(fake.objects.has(objectKey), [...fake.objects.keys()].join(', '));
    assert.deepEqual(fake.objects.get(objectKey)!.body, bytes);
    assert.equal(fake.objects.get(objectKey)!.contentType, 'image/png');
    assert.deepEqual(localBlobFiles(t), [], 'nothing is kept on the local disk');

    const response = await fetch(`${t.url}/api/incidents/${incidentId}/attachments/${added.body.id}`, { headers: { authorization: `Bearer ${student.token}` } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), bytes);
    assert.ok(fake.requests.some((request) => request.operation === 'GetObject' && request.key === objectKey));
    assert.ok(fake.requests.every((request) => request.authorization?.includes('Credential=AKIDTESTATTACH/')), 'every request is signed with the configured credentials');
    assert.deepEqual(fake.refusals, []);
  });

  it('sends nothing to S3 for a refused upload, and keeps nothing locally', async () => {
    const created = await t.request('POST', '/api/incidents', {
      token: student.token,
      body: { category: 'infrastructure', description: 'Puerta atascada', urgency: 'low', locationText: 'Aula 302' },
    });
    const before = fake.requests.length;
    const refused = await upload(t, student.token, created.body.id, Buffer.from('<!doctype html><script>alert(1)</script>'), 'x.png');
    assert.equal(refused.status, 415, refused.text);
    assert.equal(fake.requests.length, before);
    assert.deepEqual(localBlobFiles(t), []);
  });

  it('answers 503 storage_unavailable when S3 fails, and stores no attachment row', async () => {
    const created = await t.request('POST', '/api/incidents', {
      token: student.token,
      body: { category: 'infrastructure', description: 'Luz apagada', urgency: 'low', locationText: 'Aula 303' },
    });
    fake.failWhen(() => true);
    try {
      const failed = await upload(t, student.token, created.body.id, png(), 'luz.png');
      assert.equal(failed.status, 503, failed.text);
      assert.equal(failed.body.code, 'storage_unavailable');
    } finally {
      fake.failWhen(null);
    }
    const rows = await t.system.store.db.selectFrom('attachments').select('id').where('incident_id', '=', created.body.id).execute();
    assert.deepEqual(rows, []);
    assert.deepEqual(localBlobFiles(t), []);
  });
});
