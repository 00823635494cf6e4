import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, afterEach, before, describe, it } from 'node:test';
import { S3Client } from '@aws-sdk/client-s3';
import { BlobNotFoundError, BlobStoreUnavailableError, type BlobStore } from '../../src/blobs/blob-store.js';
import { createFilesystemBlobStore } from '../../src/blobs/filesystem.js';
import { BadBlobKeyError, blobKey, checkBlobKey, keySegment } from '../../src/blobs/keys.js';
import { createS3BlobStore } from '../../src/blobs/s3.js';
import { startFakeS3, type FakeS3 } from '../helpers/fake-s3.js';

/**
 * One contract, two adapters: every test below runs against the filesystem store (in a
 * temporary DATA_DIR) and against the S3 store talking, through the real AWS SDK v3 client,
 * to a local S3 endpoint (helpers/fake-s3.ts).
 */
const MiB = 1024 * 1024;
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Every file under a directory, relative to it (temporary files included). */
function filesUnder(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

/** A stream the test feeds by hand: `push` bytes, then `end()` or `fail()`. */
function handFed() {
  const stream = new Readable({ read() {} });
  return { stream, push: (bytes: Buffer) => stream.push(bytes), end: () => stream.push(null), fail: () => stream.destroy(new Error('the source broke')) };
}

interface Harness {
  store: BlobStore;
  /** Local files the adapter holds (the filesystem's blobs, the S3 store's spool). */
  localFiles(): string[];
  fake?: FakeS3;
}

const adapters: [string, () => Promise<Harness & { close(): Promise<void> }>][] = [
  [
    'filesystem',
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alertautec-blobs-'));
      return {
        store: createFilesystemBlobStore(dataDir),
        localFiles: () => filesUnder(path.join(dataDir, 'blobs')),
        close: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
      };
    },
  ],
  [
    'S3',
    async () => {
      const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alertautec-spool-'));
      const fake = await startFakeS3('alertautec-blobs');
      const client = new S3Client({
        endpoint: fake.endpoint,
        region: 'sa-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'AKIDTESTBLOBS', secretAccessKey: 'test-secret' },
      });
      return {
        store: createS3BlobStore({ bucket: 'alertautec-blobs', prefix: 'campus/blobs/', client, spoolDir }),
        localFiles: () => filesUnder(spoolDir),
        fake,
        close: async () => {
          client.destroy();
          await fake.close();
          fs.rmSync(spoolDir, { recursive: true, force: true });
        },
      };
    },
  ],
];

for (const [name, open] of adapters) {
  describe(`blob store contract: ${name}`, () => {
    let h: Harness & { close(): Promise<void> };
    before(async () => {
      h = await open();
    });
    after(() => h.close());
    afterEach(() => {
      // The SDK's requests were all well-formed, path-style, signed and for our bucket.
      if (h.fake) assert.deepEqual(h.fake.refusals, []);
    });

    it('stores a Buffer, a string and a stream, and gives each back with its size', async () => {
      const bytes = randomBytes(70_000);
      assert.deepEqual(await h.store.put('t/buffer.bin', bytes), { size: bytes.length });
      assert.deepEqual(await h.store.put('t/text.json', '{"ñandú":"sí"}', { contentType: 'application/json' }), { size: Buffer.byteLength('{"ñandú":"sí"}') });
      assert.deepEqual(await h.store.put('t/stream.bin', Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)])), { size: bytes.length });
      assert.equal(sha(await readAll(await h.store.read('t/buffer.bin'))), sha(bytes));
      assert.equal((await readAll(await h.store.read('t/text.json'))).toString(), '{"ñandú":"sí"}');
      assert.equal(sha(await readAll(await h.store.read('t/stream.bin'))), sha(bytes));
      assert.deepEqual(await h.store.stat('t/buffer.bin'), { size: bytes.length });
      // A generator of strings (CSV lines from a cursor): counted in bytes, stored in UTF-8.
      assert.deepEqual(await h.store.put('t/lines.csv', Readable.from(['a,ñ\r\n', 'é,"x"\r\n'])), { size: Buffer.byteLength('a,ñ\r\né,"x"\r\n') });
      assert.equal((await readAll(await h.store.read('t/lines.csv'))).toString(), 'a,ñ\r\né,"x"\r\n');
      assert.equal(await h.store.exists('t/text.json'), true);
      if (h.fake) {
        assert.ok(h.fake.objects.has('campus/blobs/t/text.json'), [...h.fake.objects.keys()].join(', '));
        assert.equal(h.fake.objects.get('campus/blobs/t/text.json')!.contentType, 'application/json');
      }
    });

    it('says plainly when there is nothing under a key', async () => {
      assert.equal(await h.store.stat('t/missing'), null);
      assert.equal(await h.store.exists('t/missing'), false);
      await assert.rejects(h.store.read('t/missing'), BlobNotFoundError);
      await h.store.remove('t/missing');
    });

    it('removes an object', async () => {
      await h.store.put('t/doomed', 'x');
      await h.store.remove('t/doomed');
      assert.equal(await h.store.exists('t/doomed'), false);
      await assert.rejects(h.store.read('t/doomed'), BlobNotFoundError);
    });

    it('takes an upload in, then commits it under a key or discards it, leaving no temporary file', async () => {
      const bytes = randomBytes(10_000);
      const kept = await h.store.receive(Readable.from([bytes]), 16);
      assert.equal(kept.size, bytes.length);
      assert.deepEqual(kept.head, bytes.subarray(0, 16));
      assert.equal(await h.store.exists('t/received'), false, 'nothing is stored before commit');
      await kept.commit('t/received', { contentType: 'image/png' });
      assert.equal(sha(await readAll(await h.store.read('t/received'))), sha(bytes));

      const dropped = await h.store.receive(Readable.from([bytes]));
      await dropped.discard();
      const local = h.localFiles().filter((file) => !file.startsWith(`t${path.sep}`));
      assert.deepEqual(local, [], 'no temporary file is left');
    });

    it('sends a 12 MB stream up in parts and reads it back whole', async () => {
      const bytes = randomBytes(12 * MiB);
      const before = h.fake?.requests.length ?? 0;
      // Handed over in 64 KiB chunks, as a request body or a cursor would be.
      const chunks = Array.from({ length: bytes.length / (64 * 1024) }, (_, i) => bytes.subarray(i * 64 * 1024, (i + 1) * 64 * 1024));
      assert.deepEqual(await h.store.put('t/large.bin', Readable.from(chunks)), { size: bytes.length });
      assert.deepEqual(await h.store.stat('t/large.bin'), { size: bytes.length });
      assert.equal(sha(await readAll(await h.store.read('t/large.bin'))), sha(bytes));
      if (h.fake) {
        const operations = h.fake.requests.slice(before).map((request) => request.operation);
        assert.equal(operations.filter((op) => op === 'CreateMultipartUpload').length, 1, operations.join(' '));
        assert.ok(operations.filter((op) => op === 'UploadPart').length >= 3, operations.join(' '));
        assert.equal(operations.filter((op) => op === 'CompleteMultipartUpload').length, 1);
        assert.ok(!operations.includes('PutObject'), 'not one single PUT');
        assert.equal(h.fake.pendingUploads.size, 0);
      }
    });

    it('leaves no object, and nothing half-written, when the source breaks mid-upload', async () => {
      const fed = handFed();
      const putting = h.store.put('t/interrupted.bin', fed.stream);
      fed.push(randomBytes(6 * MiB));
      fed.push(randomBytes(1 * MiB));
      fed.fail();
      await assert.rejects(putting);
      assert.equal(await h.store.exists('t/interrupted.bin'), false);
      await assert.rejects(h.store.read('t/interrupted.bin'), BlobNotFoundError);
      assert.ok(!h.localFiles().some((file) => file.includes('interrupted')), h.localFiles().join(', '));
      if (h.fake) {
        assert.ok(!h.fake.objects.has('campus/blobs/t/interrupted.bin'));
        assert.equal(h.fake.pendingUploads.size, 0, 'the multipart upload was aborted');
      }
      assert.deepEqual(
        h.localFiles().filter((file) => path.basename(file).startsWith('.')),
        [],
        'no temporary file is left',
      );
    });

    it('replaces an object atomically: a reader during the overwrite sees the old one whole, then the new one', async () => {
      const old = randomBytes(6 * MiB);
      const next = randomBytes(7 * MiB);
      await h.store.put('t/report.json', old);
      // A reader that opened the object before the overwrite.
      const early = await h.store.read('t/report.json');

      const fed = handFed();
      const putting = h.store.put('t/report.json', fed.stream);
      fed.push(next.subarray(0, 6 * MiB));
      // Mid-overwrite: whoever reads now gets the old object, complete.
      assert.equal(sha(await readAll(await h.store.read('t/report.json'))), sha(old));
      assert.deepEqual(await h.store.stat('t/report.json'), { size: old.length });
      fed.push(next.subarray(6 * MiB));
      fed.end();
      assert.deepEqual(await putting, { size: next.length });

      assert.equal(sha(await readAll(early)), sha(old), 'the early reader still read the old object whole');
      assert.equal(sha(await readAll(await h.store.read('t/report.json'))), sha(next));
    });

    it('refuses bad keys in every operation, before touching anything', async () => {
      const before = h.fake?.requests.length ?? 0;
      const bad = ['', '/etc/passwd', '../outside', 'a/../../b', 'a//b', 'a/./b', 'a/', '.hidden', 't/.tmp', 'a b', 'a\\b', 'ñ', 'a/%2e%2e', 'x'.repeat(901)];
      for (const key of bad) {
        await assert.rejects(h.store.put(key, 'x'), BadBlobKeyError, key);
        await assert.rejects(h.store.read(key), BadBlobKeyError, key);
        await assert.rejects(h.store.stat(key), BadBlobKeyError, key);
        await assert.rejects(h.store.exists(key), BadBlobKeyError, key);
        await assert.rejects(h.store.remove(key), BadBlobKeyError, key);
        const received = await h.store.receive(Readable.from([Buffer.from('x')]));
        await assert.rejects(received.commit(key), BadBlobKeyError, key);
      }
      if (h.fake) assert.equal(h.fake.requests.length, before, 'no request went out');
      assert.ok(!h.localFiles().some((file) => file.includes('passwd') || file.includes('outside')));
      assert.deepEqual(h.localFiles().filter((file) => path.basename(file).startsWith('.')), [], 'refused commits left no temporary file');
    });
  });
}

describe('S3 blob store failures', () => {
  let fake: FakeS3;
  let client: S3Client;
  let store: BlobStore;
  const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alertautec-spool-'));
  before(async () => {
    fake = await startFakeS3('alertautec-blobs');
    client = new S3Client({ endpoint: fake.endpoint, region: 'sa-east-1', forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId: 'AKIDTESTBLOBS', secretAccessKey: 'test-secret' } });
    store = createS3BlobStore({ bucket: 'alertautec-blobs', client, spoolDir });
  });
  after(async () => {
    client.destroy();
    await fake.close();
    fs.rmSync(spoolDir, { recursive: true, force: true });
  });

  it('reports S3 refusing as BlobStoreUnavailableError (503 storage_unavailable), not as a missing object', async () => {
    await store.put('k', 'kept');
    fake.failWhen(() => true);
    try {
      for (const attempt of [() => store.put('k', 'new'), () => store.read('k'), () => store.stat('k'), () => store.remove('k')]) {
        const error = await attempt().then(
          () => assert.fail('should fail'),
          (e: unknown) => e,
        );
        assert.ok(error instanceof BlobStoreUnavailableError, String(error));
        assert.equal((error as { code: string }).code, 'EIO');
      }
    } finally {
      fake.failWhen(null);
    }
    assert.equal((await readAll(await store.read('k'))).toString(), 'kept');
  });

  it('leaves no object and no parts when a part upload fails', async () => {
    fake.failWhen((request) => request.operation === 'UploadPart');
    try {
      await assert.rejects(store.put('big', randomBytes(11 * MiB)), BlobStoreUnavailableError);
    } finally {
      fake.failWhen(null);
    }
    assert.equal(await store.exists('big'), false);
    assert.equal(fake.pendingUploads.size, 0);
    assert.ok(fake.requests.some((request) => request.operation === 'AbortMultipartUpload'));
  });
});

describe('blob keys', () => {
  it('accepts server-built keys', () => {
    for (const key of ['attachments/campus/0190a4c2-7d3e-7b1a-9c2e-1f2a3b4c5d6e/x', 'reports/global/reporte_2025-03-01_10-00.json', 'a']) {
      assert.equal(checkBlobKey(key), key);
    }
  });

  it('escapes data into one safe segment, reversibly, leaving UUIDs alone', () => {
    const uuid = '0190a4c2-7d3e-7b1a-9c2e-1f2a3b4c5d6e';
    assert.equal(keySegment(uuid), uuid);
    assert.equal(keySegment('../etc/passwd'), '_2E_2E_2Fetc_2Fpasswd');
    assert.equal(keySegment('a_b'), 'a_5Fb');
    assert.equal(keySegment('Ñ'), '_C3_91');
    const values = ['a_b', 'a_5Fb', 'a/b', 'a.b', 'a b', '_', '.', '..', 'x%2F'];
    const segments = values.map(keySegment);
    assert.equal(new Set(segments).size, values.length, 'different values never share a segment');
    for (const segment of segments) assert.equal(checkBlobKey(`reports/${segment}/r.json`), `reports/${segment}/r.json`);
    assert.throws(() => keySegment(''), BadBlobKeyError);
    assert.equal(blobKey('reports', 'incidents', keySegment('dep 1'), 'incident_1.json'), 'reports/incidents/dep_201/incident_1.json');
    assert.throws(() => blobKey('reports', '..', 'x'), BadBlobKeyError);
  });
});
