import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BlobNotFoundError, type BlobStore } from './blob-store.js';
import { checkBlobKey } from './keys.js';
import { spoolToFile } from './spool.js';

/**
 * The blob store as files under DATA_DIR/blobs, one per key. Every write goes to a temporary
 * file first (a dot-name no key can take, see keys.ts), is flushed to disk and then renamed
 * over the key's file: rename is atomic, so a reader opens the old file or the new one, and
 * one that has the old open keeps reading it whole. A received upload waits in
 * blobs/.incoming until it is committed (renamed) or discarded.
 */
export function createFilesystemBlobStore(dataDir: string): BlobStore {
  const root = path.join(dataDir, 'blobs');
  const incoming = path.join(root, '.incoming');
  const pathOf = (key: string) => path.join(root, checkBlobKey(key));

  /** Moves a finished temporary file under `key`, making its directory first. */
  const install = async (temp: string, key: string) => {
    const target = pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rename(temp, target);
    await syncDirectory(path.dirname(target));
  };

  const stat = async (key: string) => {
    try {
      const stats = await fs.stat(pathOf(key));
      return stats.isFile() ? { size: stats.size } : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  };

  return {
    async receive(source, headBytes = 4100) {
      const { file, size, head } = await spoolToFile(source, incoming, headBytes);
      return {
        size,
        head,
        commit: async (key) => {
          try {
            await install(file, key);
          } catch (error) {
            await fs.rm(file, { force: true });
            throw error;
          }
        },
        discard: () => fs.rm(file, { force: true }),
      };
    },

    async put(key, body) {
      const target = pathOf(key);
      const dir = path.dirname(target);
      const source = body instanceof Readable ? body : Readable.from([Buffer.from(body)]);
      // In the key's own directory, so the rename never crosses a filesystem.
      const { file, size } = await spoolToFile(source, dir, 0);
      try {
        await install(file, key);
      } catch (error) {
        await fs.rm(file, { force: true });
        throw error;
      }
      return { size };
    },

    stat,
    exists: async (key) => (await stat(key)) !== null,

    async read(key) {
      try {
        const handle = await fs.open(pathOf(key), 'r');
        return handle.createReadStream();
      } catch (error) {
        if (isMissing(error) || (error as { code?: string }).code === 'EISDIR') throw new BlobNotFoundError(key);
        throw error;
      }
    },

    remove: async (key) => fs.rm(pathOf(key), { force: true }),
  };
}

const isMissing = (error: unknown) => ['ENOENT', 'ENOTDIR'].includes((error as { code?: string }).code ?? '');

/** Makes a rename durable (the directory entry reaches the disk); not every platform can. */
async function syncDirectory(dir: string) {
  let handle;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Best effort: the rename is already atomic, this only hastens its durability.
  } finally {
    await handle?.close();
  }
}
