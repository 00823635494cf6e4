import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startApp, type TestApp } from '../helpers/app.js';
import { startFakeS3, useFakeS3Env, type FakeS3 } from '../helpers/fake-s3.js';
import { png, uploadAttachment } from '../helpers/files.js';
import { createUser } from '../helpers/fixtures.js';

/**
 * The whole server with S3_BUCKET set: the SDK finds the endpoint and credentials in its own
 * variables (AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID…), set here for this file and restored
 * after. Attachments go through the API into the local S3 endpoint and come back from it.
 */

function upload(t: TestApp, token: string, incidentId: string, bytes: Buffer, filename: string) {
  return uploadAttachment(t.url, token, incidentId, bytes, filename);
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
  let restoreEnv: () => void = () => undefined;

  before(async () => {
    fake = await startFakeS3('alertautec-adjuntos');
    restoreEnv = useFakeS3Env(fake, 'AKIDTESTATTACH');
    t = await startApp({ env: { S3_BUCKET: 'alertautec-adjuntos', S3_PREFIX: 'campus-prod/' } });
    student = await createUser(t, 'student');
  });
  after(async () => {
    await t?.close();
    await fake.close();
    restoreEnv();
  });

  it('uploads an attachment through the API into the bucket and serves it back from there', async () => {
    const created = await t.request('POST', '/api/incidents', {
      token: student.token,
      body: { category: 'infrastructure', description: 'Ventana rota en el aula', urgency: 'medium', locationText: 'Aula 301' },
    });
    assert.equal(created.status, 201, created.text);
    const incidentId = created.body.id as string;
    const bytes = png({ commentBytes: 200_000 });

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
    // The department's report of the new incident may be written meanwhile: count the rest.
    const attachmentRequests = () => fake.requests.filter((request) => !request.key.includes('reports/')).length;
    const before = attachmentRequests();
    const refused = await upload(t, student.token, created.body.id, Buffer.from('<!doctype html><script>alert(1)</script>'), 'x.png');
    assert.equal(refused.status, 415, refused.text);
    assert.equal(attachmentRequests(), before);
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
