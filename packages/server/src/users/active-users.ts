import type { Clock } from '../adapters.js';
import type { Db } from '../store/executor.js';
import { usersRepository, type UserRow } from './repository.js';

/**
 * Who is signed in, as the database has them, for every authenticated request. Kept for a
 * moment so a burst of requests does not read the same row again and again: a change made
 * through this process (role, department, disabling) applies at once; one made through
 * another process, within the TTL.
 */
export interface ActiveUsers {
  get(tenantId: string, userId: string): Promise<UserRow | undefined>;
  forget(userId: string): void;
}

export function createActiveUsers(db: Db, clock: Clock, ttlMs = 2_000, maxEntries = 50_000): ActiveUsers {
  const entries = new Map<string, { loadedAt: number; row: UserRow | undefined }>();
  return {
    async get(tenantId, userId) {
      const cached = entries.get(userId);
      if (cached && clock.now() - cached.loadedAt < ttlMs) {
        return cached.row && cached.row.tenant_id === tenantId && cached.row.disabled === 0 ? cached.row : undefined;
      }
      const row = await usersRepository.findById(db, tenantId, userId);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(userId, { loadedAt: clock.now(), row });
      return row && row.disabled === 0 ? row : undefined;
    },
    forget: (userId) => void entries.delete(userId),
  };
}
