import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StoredBlob } from './blob-store.js';

/** A unique temporary name; the leading dot keeps it apart from every valid key (keys.ts). */
export const tempName = (base = '') => `.${base ? `${base}.` : ''}${Date.now().toString(36)}-${randomBytes(6).toString('hex')}.tmp`;

/**
 * Streams `source` into a new file in `dir` (flushed to disk before it resolves), measuring
 * its size and keeping its first `headBytes`. Memory stays flat whatever the size. On
 * failure the file is removed and the error rethrown.
 */
export async function spoolToFile(source: Readable, dir: string, headBytes: number): Promise<StoredBlob & { file: string }> {
  holdErrors(source);
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, tempName());
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
    await pipeline(source, meter, createWriteStream(file, { mode: 0o600, flush: true }));
  } catch (error) {
    await fs.rm(file, { force: true });
    throw error;
  }
  return { file, size, head: Buffer.concat(chunks) };
}

/**
 * Until a pipeline reads `source`, an error it emits (a client gone mid-upload) would have no
 * listener and crash the process. The pipeline attached later still fails with that error:
 * it reads it from the stream's `errored` state.
 */
export function holdErrors(source: Readable): void {
  source.on('error', () => {});
}
