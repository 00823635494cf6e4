import { sql } from 'kysely';
import { newId } from '../adapters.js';
import type { DialectName } from '../store/db.js';
import type { Db } from '../store/executor.js';
import { prepared } from '../store/prepared.js';
import type { JobsTable } from '../store/schema.js';
import { DEFAULT_MAX_ATTEMPTS, type JobDefinition } from './definitions.js';

/**
 * The jobs table. States:
 *   queued ──claim──► running ──► succeeded
 *                       │  ├───► failed (waiting for its retry at run_at) ──claim──► running …
 *                       │  └───► dead (permanent error, or out of attempts)
 *                       └ lease expired (worker died) ──claim──► running (next attempt), or dead if none left
 * A retry waits in `failed` rather than `queued`, so admins see that the last attempt
 * failed (and why, in last_error) while it is still going to be tried again.
 * Every finishing write checks the lease token: a worker whose lease expired and was
 * claimed again by another cannot complete, fail or release the job.
 */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'dead';
export type JobRow = JobsTable;

export interface EnqueueInput<P> {
  job: JobDefinition<P>;
  payload: P;
  /** Epoch ms, from the caller's Clock. */
  now: number;
  /** One job per (kind, dedupeKey), ever: a second enqueue returns the first job. */
  dedupeKey?: string;
  /** Not before this time (default: now). */
  runAt?: number;
  tenantId?: string;
}

export interface Enqueued {
  id: string;
  state: JobState;
  /** false when the dedupe key matched an existing job (nothing was written). */
  created: boolean;
}

// Every incident creation enqueues its SLA check: the insert is built once (store/prepared.ts).
const JOB_COLUMNS = [
  'id', 'kind', 'dedupe_key', 'tenant_id', 'payload', 'state', 'run_at', 'attempts', 'max_attempts', 'lease_owner', 'lease_token',
  'lease_expires_at', 'last_error', 'created_at', 'updated_at', 'started_at', 'finished_at', 'progress_done', 'progress_total',
] as const satisfies readonly (keyof JobRow)[];
const insertJobQuery = prepared(
  (db, row: JobRow) =>
    db
      .insertInto('jobs')
      .values(row)
      .onConflict((oc) => oc.columns(['kind', 'dedupe_key']).doNothing())
      .returning(['id', 'state']),
  JOB_COLUMNS,
);

/**
 * Adds a job inside the caller's transaction, so it exists exactly when the change that
 * causes it commits (a rollback takes it away too).
 */
export async function enqueue<P>(trx: Db, input: EnqueueInput<P>): Promise<Enqueued> {
  const { job, now } = input;
  const row: JobRow = {
    id: newId(),
    kind: job.kind,
    dedupe_key: input.dedupeKey ?? null,
    tenant_id: input.tenantId ?? null,
    payload: JSON.stringify(input.payload ?? null),
    state: 'queued',
    run_at: input.runAt ?? now,
    attempts: 0,
    max_attempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    lease_owner: null,
    lease_token: null,
    lease_expires_at: null,
    last_error: null,
    created_at: now,
    updated_at: now,
    started_at: null,
    finished_at: null,
    progress_done: null,
    progress_total: null,
  };
  const inserted = (await insertJobQuery<{ id: string; state: string }>(trx, row)).rows[0];
  if (inserted) return { id: inserted.id, state: inserted.state as JobState, created: true };
  // On PostgreSQL the insert waited for a concurrent holder of the key to commit, so the
  // winner's row is visible to this next statement.
  const existing = await trx
    .selectFrom('jobs')
    .select(['id', 'state'])
    .where('kind', '=', job.kind)
    .where('dedupe_key', '=', input.dedupeKey!)
    .executeTakeFirstOrThrow();
  return { id: existing.id, state: existing.state as JobState, created: false };
}

/**
 * Ready to run now: due and waiting, or running under a lease that expired (its worker died).
 * Two candidate queries, each matching a partial index (migration 0006; the states are
 * literals so the planners can prove the index applies): a claim is one index step, not a
 * sort of the whole queue. The kind is compared through an expression so that no planner
 * prefers the (kind, …) indexes and then sorts every due job.
 */
const dueCandidate = (db: Db, kinds: readonly string[], now: number) =>
  db
    .selectFrom('jobs')
    .select('id')
    .where(sql<boolean>`state in ('queued', 'failed')`)
    .where('run_at', '<=', now)
    .where(sql`coalesce(kind, '')`, 'in', kinds)
    .where('attempts', '<', (eb) => eb.ref('max_attempts'))
    .orderBy('run_at')
    .orderBy('id')
    .limit(1);

const expiredCandidate = (db: Db, kinds: readonly string[], now: number) =>
  db
    .selectFrom('jobs')
    .select('id')
    .where(sql<boolean>`state = 'running'`)
    .where('lease_expires_at', '<=', now)
    .where(sql`coalesce(kind, '')`, 'in', kinds)
    .where('attempts', '<', (eb) => eb.ref('max_attempts'))
    .orderBy('lease_expires_at')
    .limit(1);

export interface ClaimInput {
  kinds: readonly string[];
  owner: string;
  token: string;
  now: number;
  leaseMs: number;
}

export const jobRepository = {
  /**
   * Claims the oldest due job of these kinds, or none. On PostgreSQL the candidate is picked
   * in a CTE with FOR UPDATE SKIP LOCKED, so concurrent claimers take different jobs (a CTE
   * runs once; the same subquery under `IN` may be re-run per row and claim several). On
   * SQLite the one statement runs alone (one writer).
   */
  claim: async (trx: Db, dialect: DialectName, input: ClaimInput): Promise<JobRow | undefined> => {
    if (input.kinds.length === 0) return undefined;
    const { kinds, now } = input;
    const claimed = {
      state: 'running',
      lease_owner: input.owner,
      lease_token: input.token,
      lease_expires_at: now + input.leaseMs,
      started_at: now,
      finished_at: null,
      progress_done: null,
      progress_total: null,
      updated_at: now,
    } as const;
    const claimFrom = (candidate: typeof dueCandidate) => {
      if (dialect === 'postgres') {
        return trx
          .with('candidate', (db) => candidate(db as Db, kinds, now).forUpdate().skipLocked())
          .updateTable('jobs')
          .from('candidate')
          .set((eb) => ({ ...claimed, attempts: eb('jobs.attempts', '+', 1) }))
          .whereRef('jobs.id', '=', 'candidate.id')
          .returningAll('jobs')
          .executeTakeFirst();
      }
      return trx
        .updateTable('jobs')
        .set((eb) => ({ ...claimed, attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', candidate(trx, kinds, now))
        .returningAll()
        .executeTakeFirst();
    };
    return (await claimFrom(dueCandidate)) ?? (await claimFrom(expiredCandidate));
  },

  progress: async (db: Db, id: string, token: string, done: number, total: number | null, now: number) =>
    finishing(db, id, token).set({ progress_done: done, progress_total: total, updated_at: now }).executeTakeFirst().then(updatedOne),

  /** Extends a running job's lease; false when the token no longer holds it. */
  heartbeat: async (db: Db, id: string, token: string, now: number, leaseMs: number) =>
    finishing(db, id, token).set({ lease_expires_at: now + leaseMs, updated_at: now }).executeTakeFirst().then(updatedOne),

  succeed: async (db: Db, id: string, token: string, now: number) =>
    finishing(db, id, token)
      .set({ state: 'succeeded', last_error: null, finished_at: now, updated_at: now, ...NO_LEASE })
      .executeTakeFirst()
      .then(updatedOne),

  /** A failed attempt: `failed` until `retryAt`, or `dead` when `retryAt` is null. */
  fail: async (db: Db, id: string, token: string, error: string, retryAt: number | null, now: number) =>
    finishing(db, id, token)
      .set({
        state: retryAt === null ? 'dead' : 'failed',
        last_error: error,
        run_at: retryAt ?? now,
        finished_at: retryAt === null ? now : null,
        updated_at: now,
        ...NO_LEASE,
      })
      .executeTakeFirst()
      .then(updatedOne),

  /** Hands an unfinished job back (the runtime is stopping): runnable at once, the attempt not counted. */
  release: async (db: Db, id: string, token: string, now: number) =>
    finishing(db, id, token)
      .set((eb) => ({ state: 'queued', run_at: now, attempts: eb('attempts', '-', 1), updated_at: now, ...NO_LEASE }))
      .executeTakeFirst()
      .then(updatedOne),

  /** Running jobs whose worker died on their last attempt: nobody may claim them again. Returns the buried jobs. */
  buryExpired: async (db: Db, kinds: readonly string[], now: number) => {
    if (kinds.length === 0) return [];
    return db
      .updateTable('jobs')
      .set({ state: 'dead', last_error: BURIED_ERROR, finished_at: now, updated_at: now, ...NO_LEASE })
      .where('kind', 'in', kinds)
      .where('state', '=', 'running')
      .where('lease_expires_at', '<=', now)
      .where('attempts', '>=', (eb) => eb.ref('max_attempts'))
      .returning(['id', 'kind', 'payload'])
      .execute();
  },

  find: (db: Db, id: string) => db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst(),

  byKind: (db: Db, kind: string) => db.selectFrom('jobs').selectAll().where('kind', '=', kind).orderBy('id').execute(),

  /** Runs newest first (ids are time-ordered), as a tenant's admin may see them: its own and the system's. */
  list: (db: Db, tenantId: string, query: { kind?: string; state?: JobState; beforeId?: string; limit: number }) => {
    let select = db
      .selectFrom('jobs')
      .selectAll()
      .where((eb) => eb.or([eb('tenant_id', 'is', null), eb('tenant_id', '=', tenantId)]));
    if (query.kind) select = select.where('kind', '=', query.kind);
    if (query.state) select = select.where('state', '=', query.state);
    if (query.beforeId) select = select.where('id', '<', query.beforeId);
    return select.orderBy('id', 'desc').limit(query.limit + 1).execute();
  },

  /** Deletes runs that finished (succeeded or dead) before `at`. */
  removeFinishedBefore: (db: Db, at: number) =>
    db.deleteFrom('jobs').where('state', 'in', ['succeeded', 'dead']).where('finished_at', '<', at).execute(),

  /** The newest run of a kind (index jobs_kind_id). */
  latest: (db: Db, kind: string) => db.selectFrom('jobs').selectAll().where('kind', '=', kind).orderBy('id', 'desc').limit(1).executeTakeFirst(),
};

const NO_LEASE = { lease_owner: null, lease_token: null, lease_expires_at: null } as const;

/** The `last_error` of a job buried because its worker died on the last attempt. */
export const BURIED_ERROR = 'The worker stopped (lease expired) on the last attempt';

const finishing = (db: Db, id: string, token: string) =>
  db.updateTable('jobs').where('id', '=', id).where('lease_token', '=', token).where('state', '=', 'running');

const updatedOne = (result: { numUpdatedRows: bigint }) => Number(result.numUpdatedRows) === 1;
