import { randomUUID } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';
import { ROLES, unauthenticated, type Role } from '@alertautec/core';
import type { Clock } from '../adapters.js';
import type { SigningKeys } from './signing-keys.js';

const ISSUER = 'alertautec';
const AUDIENCE = 'alertautec';

export interface AccessClaims {
  userId: string;
  tenantId: string;
  role: Role;
  departmentId: string | null;
  /** The session (refresh-token family) the token was issued to; null in tokens from before sessions were tracked. */
  sessionId: string | null;
  exp: number;
}

export interface AccessTokens {
  ttlSeconds: number;
  issue(user: { id: string; tenantId: string; role: Role; departmentId: string | null }, sessionId?: string): Promise<string>;
  /** Throws `unauthenticated` with code `token_expired` or `invalid_token`. */
  verify(token: string): Promise<AccessClaims>;
}

// Verifying an ES256 signature costs more than the rest of a typical request. A token's
// claims never change, so a verified token is remembered (by its full text) until it
// expires; expiry is still checked on every use.
const VERIFIED_CACHE_SIZE = 10_000;

export function createAccessTokens(keys: SigningKeys, ttlSeconds: number, clock: Clock): AccessTokens {
  const verified = new Map<string, AccessClaims>();
  const remember = (token: string, claims: AccessClaims) => {
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
    verified.set(token, claims);
  };
  return {
    ttlSeconds,
    issue: (user, sessionId) => {
      const now = Math.floor(clock.now() / 1000);
      return new SignJWT({ tid: user.tenantId, role: user.role, dept: user.departmentId, sid: sessionId })
        .setProtectedHeader({ alg: 'ES256', kid: keys.kid, typ: 'JWT' })
        .setSubject(user.id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .setJti(randomUUID())
        .sign(keys.privateKey);
    },
    verify: async (token) => {
      const known = verified.get(token);
      if (known) {
        if (known.exp * 1000 > clock.now()) return known;
        verified.delete(token);
        throw unauthenticated('The access token has expired.', 'token_expired');
      }
      try {
        const { payload } = await jwtVerify(token, keys.publicKey, {
          algorithms: ['ES256'],
          issuer: ISSUER,
          audience: AUDIENCE,
          currentDate: new Date(clock.now()),
        });
        const { sub, tid, role, dept, sid, exp } = payload;
        if (typeof sub !== 'string' || typeof tid !== 'string' || typeof exp !== 'number') throw new Error('claims');
        if (!ROLES.includes(role as Role) || (dept !== null && typeof dept !== 'string')) throw new Error('claims');
        if (sid !== undefined && typeof sid !== 'string') throw new Error('claims');
        const claims = { userId: sub, tenantId: tid, role: role as Role, departmentId: dept, sessionId: sid ?? null, exp };
        remember(token, claims);
        return claims;
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw unauthenticated('The access token has expired.', 'token_expired');
        throw unauthenticated('The access token is not valid.', 'invalid_token');
      }
    },
  };
}
