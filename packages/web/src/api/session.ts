import type { TokenPair, User } from './types.js';

/**
 * The signed-in session: tokens and user, kept in localStorage so a reload or a new tab
 * stays signed in. Refresh tokens rotate (the old one dies on use), so refreshes are
 * serialized: one at a time in this tab, and across tabs with the Web Locks API; a tab
 * that waited adopts the pair another tab already obtained instead of spending a dead token.
 */
export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
  user: User;
}

const STORAGE_KEY = 'alertautec.session';
const REFRESH_MARGIN_MS = 60_000;

function load(): Session | null {
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

let current: Session | null = load();
let refreshTimer: number | undefined;
let inFlight: Promise<Session | null> | null = null;
const listeners = new Set<() => void>();

export const getSession = (): Session | null => current;

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

function adopt(session: Session | null): void {
  current = session;
  window.clearTimeout(refreshTimer);
  if (session) {
    const wait = Math.max(5_000, session.expiresAt - Date.now() - REFRESH_MARGIN_MS);
    refreshTimer = window.setTimeout(() => void refreshSession().catch(() => undefined), wait);
  }
  listeners.forEach((listener) => listener());
}

export function setSession(pair: TokenPair | null): void {
  const session = pair && {
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    expiresAt: Date.now() + pair.expiresIn * 1000,
    user: pair.user,
  };
  if (session) window.localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else window.localStorage.removeItem(STORAGE_KEY);
  adopt(session);
}

// Another tab signed in, out, or rotated the tokens.
window.addEventListener('storage', (event) => {
  if (event.key === STORAGE_KEY) adopt(load());
});

async function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? locks.request('alertautec-refresh', work) : work();
}

async function exchange(spent: Session): Promise<Session | null> {
  const stored = load();
  if (!stored) {
    adopt(null);
    return null;
  }
  if (stored.refreshToken !== spent.refreshToken) {
    adopt(stored); // another tab rotated while we waited for the lock
    return stored;
  }
  const response = await fetch('/api/auth/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken: spent.refreshToken }),
  });
  if (response.status === 401 || response.status === 400) {
    setSession(null); // the refresh token is dead: sign out
    return null;
  }
  if (!response.ok) throw new Error(`refresh failed: ${response.status}`);
  setSession((await response.json()) as TokenPair);
  return current;
}

/** Exchanges the refresh token for a new pair; concurrent callers share one exchange. */
export function refreshSession(): Promise<Session | null> {
  const spent = current;
  if (!spent) return Promise.resolve(null);
  inFlight ??= exclusive(() => exchange(spent)).finally(() => {
    inFlight = null;
  });
  return inFlight;
}

/** An access token good for at least the next half minute (refreshing first if needed). */
export async function freshAccessToken(): Promise<string | null> {
  if (inFlight) await inFlight.catch(() => undefined);
  const session = current;
  if (!session) return null;
  if (session.expiresAt - Date.now() > 30_000) return session.accessToken;
  return (await refreshSession())?.accessToken ?? null;
}

if (current) adopt(current);
