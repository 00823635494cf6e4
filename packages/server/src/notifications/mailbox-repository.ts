import type { Db } from '../store/executor.js';
import type { DevMailboxTable } from '../store/schema.js';

/** The dev mailbox: e-mails delivered without SMTP, kept for GET /api/dev/mailbox. */
export const mailboxRepository = {
  /** Keyed by Message-ID: delivering the same message again keeps one copy. */
  insertOnce: (db: Db, row: DevMailboxTable) =>
    db.insertInto('dev_mailbox').values(row).onConflict((oc) => oc.column('message_id').doNothing()).execute(),

  /** A tenant's mail (through the outbox rows it came from), newest first. */
  list: (db: Db, tenantId: string, query: { beforeId?: string; limit: number }) => {
    let select = db
      .selectFrom('dev_mailbox')
      .innerJoin('notifications', 'notifications.id', 'dev_mailbox.notification_id')
      .selectAll('dev_mailbox')
      .select('notifications.language')
      .where('notifications.tenant_id', '=', tenantId);
    if (query.beforeId) select = select.where('dev_mailbox.id', '<', query.beforeId);
    return select.orderBy('dev_mailbox.id', 'desc').limit(query.limit + 1).execute();
  },
};
