import { PassThrough, type Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { DomainError, attachmentAddedEvent, notFound, validationError, type UserActor } from '@alertautec/core';
import { newId, type Clock } from '../adapters.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { blobKey, keySegment } from '../blobs/keys.js';
import { appendEvent } from '../events/log.js';
import type { LogCommitted } from '../events/signal.js';
import type { Db } from '../store/executor.js';
import type { Write } from '../store/group-commit.js';
import { attachmentsRepository } from './attachments-repository.js';
import type { IncidentsService } from './service.js';

/**
 * Photos and documents attached to incidents. The type is judged by the bytes, not the
 * name or the declared type; only JPEG, PNG, WebP and PDF are kept.
 */
export const ALLOWED_TYPES: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};
export const MAX_ATTACHMENTS_PER_INCIDENT = 5;

const tooMany = () =>
  new DomainError('conflict', 'too_many_attachments', `An incident holds at most ${MAX_ATTACHMENTS_PER_INCIDENT} attachments.`);

/** A display name: no path, no control characters, and the extension of what it really is. */
export function safeFilename(given: string | undefined, extension: string): string {
  const base = (given ?? '').split(/[\\/]/).pop()!.normalize('NFC').replace(/[\p{Cc}\p{Cf}"]/gu, '').trim();
  // Cut by code points, not UTF-16 units: half an emoji is a lone surrogate no header can carry.
  const stem = [...base.replace(/\.[^.]*$/, '').replace(/^\.+/, '').trim()].slice(0, 100).join('') || 'adjunto';
  return `${stem}.${extension}`;
}

const incompleteUpload = () =>
  validationError('The upload ended before the file was complete; send it again.', [{ path: '/file', message: 'is incomplete' }], 'malformed_multipart');

/**
 * Hands the upload to the blob store through a stream of its own, so that a failure of the
 * upload (the body ends mid-file, the client goes away) stays apart from one storing it (a
 * full disk): the first is the client's (400), the second ours. Piping straight in would
 * not tell them apart, as a failed store destroys its source with its own error.
 */
async function receiveUpload(blobs: BlobStore, upload: Upload['stream']) {
  // Broken while the incident was looked up (the whole body had arrived already).
  if (upload.errored || (upload.destroyed && !upload.readableEnded)) throw incompleteUpload();
  const relay = new PassThrough();
  // The store reads the relay's failure from its own pipeline; until that is attached (it
  // first makes a directory), pipe() would rethrow an error nobody listens to.
  relay.on('error', () => {});
  let broken = false;
  const onError = (error: Error) => {
    broken = true;
    relay.destroy(error);
  };
  const onClose = () => {
    if (!upload.readableEnded) onError(new Error('The upload closed before its end.'));
  };
  upload.on('error', onError).on('close', onClose).pipe(relay);
  try {
    return await blobs.receive(relay);
  } catch (error) {
    if (broken && (error as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw incompleteUpload();
    upload.destroy();
    throw error;
  } finally {
    upload.off('error', onError).off('close', onClose);
  }
}

export interface Upload {
  filename: string | undefined;
  stream: Readable & { truncated?: boolean };
}

export type AttachmentsService = ReturnType<typeof createAttachmentsService>;

export function createAttachmentsService(deps: {
  db: Db;
  write: Write;
  clock: Clock;
  blobs: BlobStore;
  incidents: IncidentsService;
  maxBytes: number;
  committed: LogCommitted;
}) {
  const { db, write, clock, blobs, incidents } = deps;

  return {
    maxBytes: deps.maxBytes,

    async add(actor: UserActor, incidentId: string, upload: Upload) {
      const incident = await incidents.findVisible(actor, incidentId);
      if ((await attachmentsRepository.countFor(db, actor.tenantId, incident.id)) >= MAX_ATTACHMENTS_PER_INCIDENT) {
        upload.stream.resume();
        throw tooMany();
      }
      let received;
      try {
        received = await receiveUpload(blobs, upload.stream);
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLarge(deps.maxBytes);
        throw error;
      }
      if (upload.stream.truncated) {
        await received.discard();
        throw fileTooLarge(deps.maxBytes);
      }
      if (received.size === 0) {
        await received.discard();
        throw validationError('The file is empty.', [{ path: '/file', message: 'is empty' }], 'empty_file');
      }
      const detected = await fileTypeFromBuffer(received.head);
      const extension = detected ? ALLOWED_TYPES[detected.mime] : undefined;
      if (!detected || !extension) {
        await received.discard();
        throw new DomainError('unsupported_media_type', 'unsupported_file_type', 'Only JPEG, PNG, WebP and PDF files can be attached.');
      }

      const attachment = {
        id: newId(),
        filename: safeFilename(upload.filename, extension),
        contentType: detected.mime,
        size: received.size,
      };
      const key = blobKey('attachments', keySegment(actor.tenantId), keySegment(incident.id), keySegment(attachment.id));
      await received.commit(key, { contentType: attachment.contentType });
      const now = clock.now();
      try {
        await write(async (trx) => {
          await attachmentsRepository.insert(trx, {
            id: attachment.id,
            tenant_id: actor.tenantId,
            incident_id: incident.id,
            filename: attachment.filename,
            content_type: attachment.contentType,
            size: attachment.size,
            storage_key: key,
            uploaded_by: actor.userId,
            created_at: now,
          });
          await appendEvent(trx, actor.tenantId, attachmentAddedEvent(incident.id, actor.userId, attachment), now);
          // Counted after the append: the log's per-tenant lock makes racing uploads queue here.
          if ((await attachmentsRepository.countFor(trx, actor.tenantId, incident.id)) > MAX_ATTACHMENTS_PER_INCIDENT) throw tooMany();
        });
      } catch (error) {
        await blobs.remove(key);
        throw error;
      }
      deps.committed(actor.tenantId);
      return attachment;
    },

    async open(actor: UserActor, incidentId: string, attachmentId: string) {
      const incident = await incidents.findVisible(actor, incidentId);
      const row = await attachmentsRepository.find(db, actor.tenantId, incident.id, attachmentId);
      if (!row) throw notFound('Attachment');
      return { filename: row.filename, contentType: row.content_type, size: Number(row.size), stream: await blobs.read(row.storage_key) };
    },
  };
}

const fileTooLarge = (maxBytes: number) =>
  new DomainError('payload_too_large', 'file_too_large', `Files may be at most ${Math.floor(maxBytes / 1_048_576)} MB.`);
