import type { TokenPair, User } from './types.js';

/**
 * The signed-in session. The refresh token never reaches script: the server keeps it in an
 * HttpOnly, SameSite=Strict cookie on /api/auth (we sign in with `X-Session-Mode: cookie`),
 * so an injected script cannot steal a 30-day session. The access token lives in memory
 * only; localStorage holds just who is signed in, so a reload or a new tab shows the right
 * pages at once and restores its access token with a refresh (the cookie goes along).
 *
 * Refresh tokens rotate and a spent one presented again ends the whole session, so all
 * refreshes of this browser are serialized: one at a time in this tab, and across tabs
 * with the Web Locks API. A tab that waited sends the cookie the previous refresh left.
 */
export interface Session {
  /** Empty until the first refresh after a reload or another tab's sign-in. */
  accessToken: string;
  /** Epoch ms when the access token expires (0 with no access token). */
  expiresAt: number;
  user: User;
}

const STORAGE_KEY = 'alertautec.session';
const REFRESH_MARGIN_MS = 60_000;
/** Sent with every cookie-authenticated call; the server refuses those without it (CSRF). */
const COOKIE_HEADERS = { 'content-type': 'application/json', 'x-csrf': '1', 'x-session-mode': 'cookie' };
/** Asks the server to keep the refresh token in its cookie instead of the answer. */
export const SESSION_MODE_HEADERS = { 'x-session-mode': 'cookie' };

/**
 * A refresh token an older version of this app left in localStorage: taken out at once and
 * traded (once) for the cookie, so an upgrade signs nobody out.
 */
let legacyRefreshToken: string | null = null;

function loadUser(): User | null {
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const stored = JSON.parse(raw) as { user?: User; refreshToken?: string };
    if (typeof stored.refreshToken === 'string') {
      legacyRefreshToken = stored.refreshToken;
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify({ user: stored.user }));
    }
    return stored.user ?? null;
  } catch {
    return null;
  }
}

const withoutToken = (user: User): Session => ({ accessToken: '', expiresAt: 0, user });

const initialUser = loadUser();
let current: Session | null = initialUser && withoutToken(initialUser);
let refreshTimer: number | undefined;
let inFlight: Promise<Session | null> | null = null;
/** Counts session changes, so a refresh answer that arrives after a sign-out is dropped. */
let generation = 0;
const listeners = new Set<() => void>();

export const getSession = (): Session | null => current;

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

function adopt(session: Session | null): void {
  current = session;
  generation += 1;
  window.clearTimeout(refreshTimer);
  if (session?.accessToken) {
    const wait = Math.max(5_000, session.expiresAt - Date.now() - REFRESH_MARGIN_MS);
    refreshTimer = window.setTimeout(() => void refreshSession().catch(() => undefined), wait);
  }
  listeners.forEach((listener) => listener());
}

/** Takes a sign-in or refresh answer (its refresh token, if any, is not kept), or signs out. */
export function setSession(pair: Omit<TokenPair, 'refreshToken'> | null): void {
  const session = pair && { accessToken: pair.accessToken, expiresAt: Date.now() + pair.expiresIn * 1000, user: pair.user };
  if (session) window.localStorage.setItem(STORAGE_KEY, JSON.stringify({ user: session.user }));
  else window.localStorage.removeItem(STORAGE_KEY);
  adopt(session);
}

// Another tab signed in or out, or learned a newer profile. Its access token stays there:
// a different person here starts without one and refreshes with the (shared) cookie.
window.addEventListener('storage', (event) => {
  if (event.key !== STORAGE_KEY) return;
  const user = loadUser();
  if (!user) adopt(null);
  else if (current?.user.id === user.id) adopt({ ...current, user });
  else adopt(withoutToken(user));
});

async function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  return locks ? locks.request('alertautec-refresh', work) : work();
}

async function exchange(): Promise<Session | null> {
  if (!current) return null; // signed out (here or in another tab) while we waited
  const legacy = legacyRefreshToken;
  legacyRefreshToken = null;
  const seen = generation;
  const response = await fetch('/api/auth/refresh', {
    method: 'POST',
    headers: COOKIE_HEADERS,
    body: JSON.stringify(legacy ? { refreshToken: legacy } : {}),
    credentials: 'same-origin',
  });
  // Signed out (or in as someone else) meanwhile: this answer is for a session we left.
  if (generation !== seen) return current;
  if (response.status === 401 || response.status === 400) {
    setSession(null); // the session is over: sign in again
    return null;
  }
  if (!response.ok) throw new Error(`refresh failed: ${response.status}`);
  setSession((await response.json()) as Omit<TokenPair, 'refreshToken'>);
  return current;
}

/** Trades the cookie for a new access token; concurrent callers share one exchange. */
export function refreshSession(): Promise<Session | null> {
  if (!current) return Promise.resolve(null);
  inFlight ??= exclusive(exchange).finally(() => {
    inFlight = null;
  });
  return inFlight;
}

/** An access token good for at least the next half minute (refreshing first if needed). */
export async function freshAccessToken(): Promise<string | null> {
  if (inFlight) await inFlight.catch(() => undefined);
  const session = current;
  if (!session) return null;
  if (session.accessToken && session.expiresAt - Date.now() > 30_000) return session.accessToken;
  return (await refreshSession())?.accessToken ?? null;
}

/**
 * Signs out: forgets the session here (and, through localStorage, in other tabs) at once,
 * then has the server end it, which also drops the cookie. Taken in turn with refreshes,
 * so a rotation in flight cannot answer with a cookie after the logout cleared it.
 */
export async function endSession(): Promise<void> {
  const hadSession = current !== null || legacyRefreshToken !== null;
  const legacy = legacyRefreshToken;
  legacyRefreshToken = null;
  setSession(null);
  if (!hadSession) return;
  await exclusive(() =>
    fetch('/api/auth/logout', {
      method: 'POST',
      headers: COOKIE_HEADERS,
      body: JSON.stringify(legacy ? { refreshToken: legacy } : {}),
      credentials: 'same-origin',
    }),
  ).catch(() => undefined);
}

// A reload or a new tab: get an access token now rather than on the first call.
if (current) void refreshSession().catch(() => undefined);
