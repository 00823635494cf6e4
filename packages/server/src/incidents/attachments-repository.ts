import type { Db } from '../store/executor.js';
import type { AttachmentsTable } from '../store/schema.js';

export type AttachmentRow = AttachmentsTable;

/** Attachment records; the bytes are in the blob store under each row's `storage_key`. */
export const attachmentsRepository = {
  insert: (db: Db, row: AttachmentRow) => db.insertInto('attachments').values(row).execute(),

  countFor: async (db: Db, tenantId: string, incidentId: string) =>
    Number(
      (
        await db
          .selectFrom('attachments')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('tenant_id', '=', tenantId)
          .where('incident_id', '=', incidentId)
          .executeTakeFirstOrThrow()
      ).n,
    ),

  find: (db: Db, tenantId: string, incidentId: string, id: string) =>
    db
      .selectFrom('attachments')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('incident_id', '=', incidentId)
      .where('id', '=', id)
      .executeTakeFirst(),
};
