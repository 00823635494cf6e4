import { CompiledQuery } from 'kysely';
import type { Db } from './executor.js';

// SQLite's incident search index is written once per group commit, not once per incident
// (migration 0017-search-queue): the insert trigger queues the incident's id, and this runs
// after a batch's savepoints, before its COMMIT, for everything queued so far.
const INDEX_QUEUED = CompiledQuery.raw(
  `insert into incidents_search (incident_id, words)
   select q.incident_id, i.search_text from incidents_search_queue q join incidents i on i.id = q.incident_id`,
);
const CLEAR_QUEUE = CompiledQuery.raw('delete from incidents_search_queue');

export async function indexQueuedSearch(trx: Db): Promise<void> {
  await trx.executeQuery(INDEX_QUEUED);
  await trx.executeQuery(CLEAR_QUEUE);
}
