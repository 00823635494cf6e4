import type { Db } from '../store/executor.js';
import type { RealtimeMessagesTable } from '../store/schema.js';

export type RealtimeMessageRow = RealtimeMessagesTable;

/** Published messages, kept briefly so every node can read one by the id its notice names. */
export const realtimeMessagesRepository = {
  insert: (db: Db, row: RealtimeMessageRow) => db.insertInto('realtime_messages').values(row).execute(),

  find: (db: Db, id: string) => db.selectFrom('realtime_messages').selectAll().where('id', '=', id).executeTakeFirst(),

  removeOlderThan: (db: Db, at: number) => db.deleteFrom('realtime_messages').where('at', '<', at).execute(),
};
