import { DomainError, validationError } from '@alertautec/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

/**
 * The web app's refresh token lives in a cookie script cannot read (HttpOnly), which the
 * browser sends only to /api/auth and only from our own pages (SameSite=Strict), so an
 * injected script cannot steal a 30-day session. Other clients keep the JSON body flow.
 *
 * A client asks for cookie mode at sign-in with `X-Session-Mode: cookie`; from then on it
 * refreshes and signs out with an empty body. Those cookie-authenticated calls must carry
 * `X-CSRF: 1`: a custom header cannot be added to a cross-origin request without a CORS
 * preflight, which this server never grants, and HTML forms cannot send one at all. That
 * holds even where SameSite does not help (a sibling site on the same registrable domain).
 */
export const REFRESH_COOKIE = 'alertautec_refresh';
export const REFRESH_COOKIE_PATH = '/api/auth';
export const SESSION_MODE_HEADER = 'x-session-mode';
export const CSRF_HEADER = 'x-csrf';

export interface RefreshCookieSettings {
  /** Secure when the app is served over TLS (PUBLIC_URL is https). */
  secure: boolean;
  maxAgeSeconds: number;
}

export interface IssuedPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: unknown;
}

export const refreshCookieSettings = (config: Pick<Config, 'publicUrl' | 'refreshTokenTtlSeconds'>): RefreshCookieSettings => ({
  secure: config.publicUrl?.startsWith('https:') ?? false,
  maxAgeSeconds: config.refreshTokenTtlSeconds,
});

export const wantsCookieMode = (request: FastifyRequest) => request.headers[SESSION_MODE_HEADER] === 'cookie';

function writeCookie(reply: FastifyReply, settings: RefreshCookieSettings, value: string, maxAgeSeconds: number) {
  reply.setCookie(REFRESH_COOKIE, value, {
    httpOnly: true,
    sameSite: 'strict',
    secure: settings.secure,
    path: REFRESH_COOKIE_PATH,
    maxAge: maxAgeSeconds,
  });
}

export function setRefreshCookie(reply: FastifyReply, settings: RefreshCookieSettings, refreshToken: string) {
  writeCookie(reply, settings, refreshToken, settings.maxAgeSeconds);
  reply.header('cache-control', 'no-store');
}

/** Max-Age=0 on the same name and path: the browser drops it. */
export function clearRefreshCookie(reply: FastifyReply, settings: RefreshCookieSettings) {
  writeCookie(reply, settings, '', 0);
}

/** A pair for the caller: in cookie mode the refresh token goes into the cookie, not the body. */
export function sendPair<T extends IssuedPair>(reply: FastifyReply, settings: RefreshCookieSettings, pair: T, cookieMode: boolean) {
  if (!cookieMode) return pair;
  setRefreshCookie(reply, settings, pair.refreshToken);
  const { refreshToken: _kept, ...rest } = pair;
  return rest;
}

/**
 * The refresh token of a refresh or logout: the body's when given (API clients), else the
 * cookie's, which only counts with the CSRF header.
 */
export function presentedRefreshToken(request: FastifyRequest, fromBody: string | undefined): { token: string; fromCookie: boolean } {
  if (fromBody !== undefined) return { token: fromBody, fromCookie: false };
  const cookie = request.cookies[REFRESH_COOKIE];
  if (!cookie) {
    throw validationError('Send the refresh token in the body, or the session cookie.', [{ path: '/refreshToken', message: 'is required' }]);
  }
  if (request.headers[CSRF_HEADER] !== '1') {
    throw new DomainError('forbidden', 'csrf_header_missing', `Requests that use the session cookie must send the header "X-CSRF: 1".`);
  }
  return { token: cookie, fromCookie: true };
}
