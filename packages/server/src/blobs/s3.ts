import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { Readable, Transform, pipeline } from 'node:stream';
import type * as S3Sdk from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type * as StorageSdk from '@aws-sdk/lib-storage';
import { BlobNotFoundError, BlobStoreUnavailableError, type BlobBody, type BlobStore, type PutOptions } from './blob-store.js';
import { checkBlobKey } from './keys.js';
import { holdErrors, spoolToFile } from './spool.js';

/**
 * The blob store in an S3 bucket (S3_BUCKET), each key under S3_PREFIX, with the AWS SDK v3.
 * Writes go through lib-storage's Upload: a body smaller than one part is one PutObject, a
 * larger one a multipart upload of `partSize` parts, a few in flight, so memory stays at
 * about partSize × queueSize whatever the size. Either way S3 shows the object only once it
 * is complete, and a failed multipart upload is aborted (its parts dropped).
 *
 * An upload to judge (`receive`) waits in a local file under `spoolDir` and goes to S3 only
 * on commit: a refused upload (too large, empty, of a type not kept) never costs a request
 * or leaves an object behind, and the commit streams from the file, so memory stays flat.
 *
 * The SDK reads its own variables (AWS_REGION, credentials, AWS_ENDPOINT_URL_S3); this file
 * never reads the environment. Failures of S3 are BlobStoreUnavailableError (503
 * storage_unavailable to a request); a missing object is null / BlobNotFoundError.
 */
export interface S3BlobStoreOptions {
  bucket: string;
  /** Prepended to every key, `a/b` (a trailing `/` is added); checked like a key. */
  prefix?: string;
  /** A ready client (tests); else one from the SDK's defaults with `forcePathStyle`. */
  client?: S3Client;
  /** Path-style URLs (`endpoint/bucket/key`), as most S3-compatible servers want. */
  forcePathStyle?: boolean;
  /** Where received uploads wait before commit (a local directory, e.g. DATA_DIR/blobs/.incoming). */
  spoolDir: string;
  /** Bytes per multipart part (S3's minimum: 5 MiB). */
  partSize?: number;
  /** Parts uploaded at once. */
  queueSize?: number;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;

export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const { bucket, spoolDir } = options;
  const prefix = options.prefix ? `${checkBlobKey(options.prefix.replace(/\/+$/, ''))}/` : '';
  const partSize = Math.max(MIN_PART_SIZE, options.partSize ?? MIN_PART_SIZE);
  const queueSize = options.queueSize ?? 4;
  let client: Promise<S3Client> | null = options.client ? Promise.resolve(options.client) : null;
  const clientOf = () => (client ??= defaultClient(options.forcePathStyle ?? false));
  const objectKey = (key: string) => prefix + checkBlobKey(key);

  const put = async (key: string, body: BlobBody, putOptions: PutOptions = {}) => {
    if (body instanceof Readable) holdErrors(body);
    const Key = objectKey(key);
    const [{ Upload }, s3] = await Promise.all([loadStorage(), clientOf()]);
    let size = 0;
    let Body: Buffer | Readable;
    if (body instanceof Readable) {
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          callback(null, chunk);
        },
      });
      // pipeline (not pipe): a failing source destroys the meter with its error, which fails the upload.
      Body = pipeline(body, meter, () => {});
    } else {
      Body = Buffer.from(body);
      size = Body.length;
    }
    const upload = new Upload({
      client: s3,
      params: { Bucket: bucket, Key, Body, ...(putOptions.contentType ? { ContentType: putOptions.contentType } : {}) },
      partSize,
      queueSize,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      if (body instanceof Readable) body.destroy();
      throw unavailable(`storing ${Key}`, error);
    }
    return { size };
  };

  const stat = async (key: string) => {
    const Key = objectKey(key);
    const { HeadObjectCommand } = await loadS3();
    try {
      const head = await (await clientOf()).send(new HeadObjectCommand({ Bucket: bucket, Key }));
      return { size: Number(head.ContentLength ?? 0) };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw unavailable(`looking up ${Key}`, error);
    }
  };

  return {
    async receive(source, headBytes = 4100) {
      const { file, size, head } = await spoolToFile(source, spoolDir, headBytes);
      const drop = () => fs.rm(file, { force: true });
      return {
        size,
        head,
        commit: async (key, putOptions) => {
          try {
            await put(key, createReadStream(file), putOptions);
          } finally {
            await drop();
          }
        },
        discard: drop,
      };
    },

    put,
    stat,
    exists: async (key) => (await stat(key)) !== null,

    async read(key) {
      const Key = objectKey(key);
      const { GetObjectCommand } = await loadS3();
      try {
        const object = await (await clientOf()).send(new GetObjectCommand({ Bucket: bucket, Key }));
        return object.Body as Readable;
      } catch (error) {
        if (isNotFound(error)) throw new BlobNotFoundError(key);
        throw unavailable(`reading ${Key}`, error);
      }
    },

    async remove(key) {
      const Key = objectKey(key);
      const { DeleteObjectCommand } = await loadS3();
      try {
        await (await clientOf()).send(new DeleteObjectCommand({ Bucket: bucket, Key }));
      } catch (error) {
        if (isNotFound(error)) return;
        throw unavailable(`removing ${Key}`, error);
      }
    },
  };
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

function unavailable(what: string, error: unknown): BlobStoreUnavailableError {
  return new BlobStoreUnavailableError(`S3 failed ${what}: ${(error as Error).message ?? error}`, { cause: error });
}

/**
 * The SDK's own client, so AWS_REGION, credentials and AWS_ENDPOINT_URL_S3 apply as the SDK
 * defines them. With no region configured anywhere, us-east-1 is asked and S3's redirect to
 * the bucket's own region is followed.
 */
async function defaultClient(forcePathStyle: boolean): Promise<S3Client> {
  const { S3Client } = await loadS3();
  const client = new S3Client({ forcePathStyle, followRegionRedirects: true });
  try {
    await client.config.region();
    return client;
  } catch {
    client.destroy();
    return new S3Client({ forcePathStyle, followRegionRedirects: true, region: 'us-east-1' });
  }
}

// Loaded at first use, so a deployment that keeps its blobs on disk never loads the SDK.
let s3Sdk: Promise<typeof S3Sdk> | null = null;
const loadS3 = () => (s3Sdk ??= import('@aws-sdk/client-s3'));
let storageSdk: Promise<typeof StorageSdk> | null = null;
const loadStorage = () => (storageSdk ??= import('@aws-sdk/lib-storage'));
