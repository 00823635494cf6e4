import type { Clock } from '../adapters.js';
import { SESSION_CHANNEL, type Notices } from '../events/signal.js';
import type { Db } from '../store/executor.js';
import { endedSessionRepository } from './ended-session-repository.js';

/**
 * Whether the session behind an access token (its `sid`: the refresh-token family) is still
 * open, for every authenticated request. Like the user cache next to it, an answer is kept
 * for a moment so a burst of requests does not ask the database again and again. An ended
 * session never reopens, so that answer is kept for good (until evicted), and it is learned
 * at once: here when this process ends the session, elsewhere from a SESSION_CHANNEL notice.
 */
export interface ActiveSessions {
  isOpen(sessionId: string): Promise<boolean>;
  /** Records that a session ended (after the `ended_sessions` row committed). */
  ended(tenantId: string, userId: string, sessionId: string): void;
}

export function createActiveSessions(db: Db, clock: Clock, notices: Notices, ttlMs = 2_000, maxEntries = 50_000): ActiveSessions {
  const entries = new Map<string, { loadedAt: number; open: boolean }>();
  const remember = (sessionId: string, open: boolean) => {
    entries.delete(sessionId);
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    entries.set(sessionId, { loadedAt: clock.now(), open });
  };
  notices.on(SESSION_CHANNEL, (payload) => {
    const sessionId = payload.split('/')[2];
    if (sessionId) remember(sessionId, false);
  });
  return {
    async isOpen(sessionId) {
      const cached = entries.get(sessionId);
      if (cached && (!cached.open || clock.now() - cached.loadedAt < ttlMs)) return cached.open;
      const open = !(await endedSessionRepository.isEnded(db, sessionId));
      // The session may have ended while the database answered: that news wins.
      if (entries.get(sessionId)?.open === false) return false;
      remember(sessionId, open);
      return open;
    },
    ended(tenantId, userId, sessionId) {
      remember(sessionId, false);
      notices.notify(SESSION_CHANNEL, `${tenantId}/${userId}/${sessionId}`);
    },
  };
}
