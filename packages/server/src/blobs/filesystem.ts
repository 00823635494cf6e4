import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from './blob-store.js';

/**
 * The blob store as files under DATA_DIR/blobs: a received blob waits in blobs/tmp until it
 * is committed under its key. Keys are checked again here, so no key can name a path outside.
 */
const SAFE_KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

export function createFilesystemBlobStore(dataDir: string): BlobStore {
  const root = path.join(dataDir, 'blobs');
  const pathOf = (key: string) => {
    if (!SAFE_KEY.test(key)) throw new Error(`Unsafe blob key ${key}`);
    return path.join(root, key);
  };
  return {
    async receive(source, headBytes = 4100) {
      const tmpDir = path.join(root, 'tmp');
      await fs.mkdir(tmpDir, { recursive: true });
      const tmp = path.join(tmpDir, `${Date.now()}-${Math.random().toString(36).slice(2)}`);
      let size = 0;
      const chunks: Buffer[] = [];
      let headLength = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          if (headLength < headBytes) {
            chunks.push(chunk.subarray(0, headBytes - headLength));
            headLength += Math.min(chunk.length, headBytes - headLength);
          }
          callback(null, chunk);
        },
      });
      try {
        await pipeline(source, meter, createWriteStream(tmp, { mode: 0o600 }));
      } catch (error) {
        await fs.rm(tmp, { force: true });
        throw error;
      }
      return {
        size,
        head: Buffer.concat(chunks),
        commit: async (key) => {
          const target = pathOf(key);
          await fs.mkdir(path.dirname(target), { recursive: true });
          await fs.rename(tmp, target);
        },
        discard: () => fs.rm(tmp, { force: true }),
      };
    },
    read: (key) => createReadStream(pathOf(key)),
    remove: (key) => fs.rm(pathOf(key), { force: true }),
  };
}
