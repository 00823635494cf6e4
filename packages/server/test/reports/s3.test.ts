import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { manualClock, startApp, type TestApp } from '../helpers/app.js';
import { startFakeS3, useFakeS3Env, type FakeS3 } from '../helpers/fake-s3.js';
import { png, uploadAttachment } from '../helpers/files.js';
import { createUser } from '../helpers/fixtures.js';
import { report } from '../helpers/realtime.js';

/**
 * Attachments and reports in one S3 bucket (S3_BUCKET, S3_PREFIX), on a local endpoint that
 * speaks the SDK's calls: a large attachment goes up as a multipart upload, the global report
 * (JSON and CSV) and a department incident report as objects, and all of them come back
 * through the API from the bucket; nothing is kept on the local disk.
 */
const PREFIX = 'campus/';
const T0 = Date.UTC(2026, 3, 14, 15, 20, 0);

function localBlobFiles(t: TestApp): string[] {
  const root = path.join(t.config.dataDir, 'blobs');
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((entry) => entry.isFile()).map((entry) => entry.name);
}

describe('attachments and reports in S3', () => {
  let fake: FakeS3;
  let t: TestApp;
  let restoreEnv: () => void = () => undefined;
  const clock = manualClock(T0);

  before(async () => {
    fake = await startFakeS3('alertautec-reportes');
    restoreEnv = useFakeS3Env(fake, 'AKIDTESTREPORTS');
    t = await startApp({ clock, env: { S3_BUCKET: 'alertautec-reportes', S3_PREFIX: PREFIX, ALERTA_ROLES: 'api', REPORT_GLOBAL_SCHEDULE: 'off' } });
  });
  after(async () => {
    await t?.close();
    await fake.close();
    restoreEnv();
  });

  it('stores a large attachment (multipart), the global report and a department incident report in the bucket, and serves them back', async () => {
    const admin = await t.adminToken();
    const student = await createUser(t, 'student');
    const incident = await report(t, student.token, { description: 'Filtración en el techo del laboratorio' });
    const staff = await createUser(t, 'staff', { departmentId: incident.departmentId! });

    // 6 MiB: more than one 5 MiB part.
    const bytes = png({ commentBytes: 6 * 1024 * 1024 });
    const added = await uploadAttachment(t.url, student.token, incident.id, bytes, 'techo.png');
    assert.equal(added.status, 201, added.text);
    const storageKey = (await t.system.store.db.selectFrom('attachments').select('storage_key').where('id', '=', added.body.id).executeTakeFirstOrThrow()).storage_key;
    const attachmentObject = PREFIX + storageKey;
    const calls = fake.requests.filter((request) => request.key === attachmentObject).map((request) => request.operation);
    assert.deepEqual(calls, ['CreateMultipartUpload', 'UploadPart', 'UploadPart', 'CompleteMultipartUpload']);
    assert.deepEqual(fake.objects.get(attachmentObject)!.body, bytes);

    const created = await t.request('POST', '/api/reports', { token: admin, body: { kind: 'global' } });
    assert.equal(created.status, 202, created.text);
    // Everything due: the report job, the incident-report consumer and its job, the notifier.
    await t.system.workers.tick();
    await t.system.workers.jobs.runDue();

    const global = await t.request('GET', `/api/reports/${created.body.id}`, { token: admin });
    assert.equal(global.body.status, 'succeeded', global.body.error);
    assert.equal(global.body.key, 'reports/global/reporte_2026-04-14_10-20.json');
    const jsonObject = fake.objects.get(`${PREFIX}reports/global/reporte_2026-04-14_10-20.json`);
    const csvObject = fake.objects.get(`${PREFIX}reports/global/reporte_2026-04-14_10-20.csv`);
    assert.ok(jsonObject && csvObject, [...fake.objects.keys()].join(', '));
    assert.equal(jsonObject.contentType, 'application/json');
    const json = await t.request('GET', `/api/reports/${created.body.id}/content`, { token: admin });
    assert.equal(json.status, 200);
    assert.deepEqual(json.body, JSON.parse(jsonObject.body.toString('utf8')));
    assert.equal(json.body.totals.incidents, 1);
    const csv = await fetch(`${t.url}/api/reports/${created.body.id}/content`, { headers: { authorization: `Bearer ${admin}`, accept: 'text/csv' } });
    assert.equal(csv.status, 200);
    assert.deepEqual(Buffer.from(await csv.arrayBuffer()), csvObject.body);

    const incidentKey = `reports/incidents/${incident.departmentId}/incident_${incident.id}.json`;
    const incidentObject = fake.objects.get(PREFIX + incidentKey);
    assert.ok(incidentObject, [...fake.objects.keys()].join(', '));
    assert.ok(fake.requests.some((request) => request.operation === 'HeadObject' && request.key === PREFIX + incidentKey), 'the report was checked before the department was told');
    const listed = await t.request('GET', `/api/reports?kind=incident&incidentId=${incident.id}`, { token: staff.token });
    assert.equal(listed.body.items.length, 1);
    assert.equal(listed.body.items[0].key, incidentKey);
    const incidentReport = await t.request('GET', `/api/reports/${listed.body.items[0].id}/content`, { token: staff.token });
    assert.equal(incidentReport.status, 200);
    assert.deepEqual(incidentReport.body, JSON.parse(incidentObject.body.toString('utf8')));
    assert.deepEqual(incidentReport.body.history.map((event: { type: string }) => event.type), ['IncidentCreated', 'AttachmentAdded']);

    const attachment = await fetch(`${t.url}/api/incidents/${incident.id}/attachments/${added.body.id}`, { headers: { authorization: `Bearer ${staff.token}` } });
    assert.equal(attachment.status, 200);
    assert.deepEqual(Buffer.from(await attachment.arrayBuffer()), bytes);

    assert.deepEqual(localBlobFiles(t), [], 'nothing is kept on the local disk');
    assert.deepEqual(fake.refusals, []);
    assert.ok(fake.requests.every((request) => request.authorization?.includes('Credential=AKIDTESTREPORTS/')));
  });
});
