import type { Readable } from 'node:stream';

/**
 * Where blobs (attachments, reports) are kept, as the services that keep them need it. Keys
 * are built by the server (keys.ts): data enters a key only through `keySegment`, and every
 * adapter checks every key, throwing BadBlobKeyError for a bad one. Writes are atomic: a
 * reader sees the old object or the new one, never part of one. Adapters live beside this
 * file (filesystem.ts, s3.ts); index.ts picks one by config.
 */
export interface StoredBlob {
  size: number;
  /** The first bytes, for judging the type by content. */
  head: Buffer;
}

export interface ReceivedBlob extends StoredBlob {
  /** Stores the received bytes under `key` (atomically). */
  commit(key: string, options?: PutOptions): Promise<void>;
  /** Drops them; nothing is stored. */
  discard(): Promise<void>;
}

export type BlobBody = Readable | Buffer | string;

export interface PutOptions {
  contentType?: string;
}

export interface BlobStore {
  /**
   * Takes an upload in before it is judged: streams it into a temporary place (never under a
   * key) measuring its size and keeping its first `headBytes`; `commit` then stores it under
   * its key and `discard` drops it.
   */
  receive(source: Readable, headBytes?: number): Promise<ReceivedBlob>;
  /** Stores `body` under `key`, replacing what was there, atomically. Resolves with its size. */
  put(key: string, body: BlobBody, options?: PutOptions): Promise<{ size: number }>;
  /** The object's size, or null if there is none under `key`. */
  stat(key: string): Promise<{ size: number } | null>;
  exists(key: string): Promise<boolean>;
  /** The object's bytes; rejects with BlobNotFoundError if there is none. */
  read(key: string): Promise<Readable>;
  /** Removes the object; removing a missing one is not an error. */
  remove(key: string): Promise<void>;
}

export class BlobNotFoundError extends Error {
  readonly code = 'blob_not_found';
  constructor(readonly key: string) {
    super(`No blob under ${key}`);
    this.name = 'BlobNotFoundError';
  }
}

/**
 * The store behind the blobs failed (S3 unreachable or refusing). Its `code` is `EIO` so that
 * requests hit by it answer as the disk failing does: a retryable 503 storage_unavailable.
 */
export class BlobStoreUnavailableError extends Error {
  readonly code = 'EIO';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BlobStoreUnavailableError';
  }
}
