import type { Db } from '../store/executor.js';
import type { LoginThrottleTable } from '../store/schema.js';

export type ThrottleScope = 'account' | 'address';
export type LoginThrottleRow = LoginThrottleTable;
export type LoginThrottleCounts = Pick<LoginThrottleRow, 'failures' | 'window_started_at' | 'locked_until' | 'lock_count'>;

export const loginThrottleRepository = {
  /**
   * The row for (scope, subject), created empty when missing. The no-op update takes the
   * row lock on PostgreSQL for the rest of the transaction, so two processes counting the
   * same account or address run one after the other (SQLite has one writer anyway).
   */
  claim: (db: Db, scope: ThrottleScope, subject: string, now: number) =>
    db
      .insertInto('login_throttle')
      .values({ scope, subject, failures: 0, window_started_at: now, locked_until: null, lock_count: 0, updated_at: now })
      .onConflict((oc) => oc.columns(['scope', 'subject']).doUpdateSet((eb) => ({ lock_count: eb.ref('login_throttle.lock_count') })))
      .returningAll()
      .executeTakeFirstOrThrow(),

  save: (db: Db, scope: ThrottleScope, subject: string, counts: LoginThrottleCounts, now: number) =>
    db
      .updateTable('login_throttle')
      .set({ ...counts, updated_at: now })
      .where('scope', '=', scope)
      .where('subject', '=', subject)
      .execute(),

  /** Gives back one counted failure, only if the window it was counted in is still the current one. */
  refund: (db: Db, scope: ThrottleScope, subject: string, windowStartedAt: number) =>
    db
      .updateTable('login_throttle')
      .set((eb) => ({ failures: eb('failures', '-', 1) }))
      .where('scope', '=', scope)
      .where('subject', '=', subject)
      .where('window_started_at', '=', windowStartedAt)
      .where('failures', '>', 0)
      .execute(),

  remove: (db: Db, scope: ThrottleScope, subject: string) =>
    db.deleteFrom('login_throttle').where('scope', '=', scope).where('subject', '=', subject).executeTakeFirst(),

  /** Subjects (of those given) locked after `now`, with the time each lock ends. */
  lockedAmong: (db: Db, scope: ThrottleScope, subjects: readonly string[], now: number) =>
    subjects.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('login_throttle')
          .select(['subject', 'locked_until'])
          .where('scope', '=', scope)
          .where('subject', 'in', subjects)
          .where('locked_until', '>', now)
          .execute(),

  /** Rows untouched since `before` whose lock (if any) has ended: they count for nothing any more. */
  removeStale: (db: Db, before: number) =>
    db
      .deleteFrom('login_throttle')
      .where('updated_at', '<', before)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', before)]))
      .execute(),
};
