import { CompiledQuery } from 'kysely';
import type { Db } from './executor.js';

// SQLite's incident search index is written once per group commit, not once per incident
// (migration 0017-search-queue): the insert trigger queues the incident's id, and this runs
// after a batch's savepoints, before its COMMIT, for everything queued so far.

// Driven by the queue (a few rows), each incident found by its primary key: as a join, the
// planner, knowing nothing of the queue, may walk every incident instead.
export const INDEX_QUEUED_SQL = `insert into incidents_search (incident_id, words)
   select q.incident_id, (select i.search_text from incidents i where i.id = q.incident_id) from incidents_search_queue q`;
const INDEX_QUEUED = CompiledQuery.raw(INDEX_QUEUED_SQL);
const ANY_QUEUED = CompiledQuery.raw('select 1 from incidents_search_queue limit 1');
const CLEAR_QUEUE = CompiledQuery.raw('delete from incidents_search_queue');

export async function indexQueuedSearch(trx: Db): Promise<void> {
  // Most batches create no incident: one read instead of two writes.
  if ((await trx.executeQuery(ANY_QUEUED)).rows.length === 0) return;
  await trx.executeQuery(INDEX_QUEUED);
  await trx.executeQuery(CLEAR_QUEUE);
}
