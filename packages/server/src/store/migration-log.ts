import { AsyncLocalStorage } from 'node:async_hooks';

/** Where a long migration reports its progress (the server's logger, at info). */
export type MigrationLog = (fields: Record<string, unknown>, message: string) => void;

const current = new AsyncLocalStorage<MigrationLog>();

/**
 * Kysely calls a migration with the database only; the log it should report to travels
 * with the async context of the `migrate` call that runs it (each store its own).
 */
export function withMigrationLog<T>(log: MigrationLog | undefined, run: () => Promise<T>): Promise<T> {
  return log ? current.run(log, run) : run();
}

/** Reports a migration's progress to the log of the `migrate` call running it (if any). */
export const migrationProgress: MigrationLog = (fields, message) => current.getStore()?.(fields, message);
