import path from 'node:path';
import type { Config } from '../config.js';
import type { BlobStore } from './blob-store.js';
import { createFilesystemBlobStore } from './filesystem.js';
import { createS3BlobStore } from './s3.js';

export type { BlobStore } from './blob-store.js';
export { BlobNotFoundError } from './blob-store.js';
export { blobKey, checkBlobKey, keySegment, BadBlobKeyError } from './keys.js';

/** The blob store the config asks for: S3 when S3_BUCKET is set, else files under DATA_DIR/blobs. */
export function createBlobStore(config: Pick<Config, 'dataDir' | 's3'>): BlobStore {
  if (!config.s3) return createFilesystemBlobStore(config.dataDir);
  return createS3BlobStore({
    bucket: config.s3.bucket,
    prefix: config.s3.prefix,
    forcePathStyle: config.s3.forcePathStyle,
    // Uploads are judged before they are stored; they wait on the local disk meanwhile.
    spoolDir: path.join(config.dataDir, 'blobs', '.incoming'),
  });
}
