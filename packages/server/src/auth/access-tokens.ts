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
  exp: number;
}

export interface AccessTokens {
  ttlSeconds: number;
  issue(user: { id: string; tenantId: string; role: Role; departmentId: string | null }): Promise<string>;
  /** Throws `unauthenticated` with code `token_expired` or `invalid_token`. */
  verify(token: string): Promise<AccessClaims>;
}

export function createAccessTokens(keys: SigningKeys, ttlSeconds: number, clock: Clock): AccessTokens {
  return {
    ttlSeconds,
    issue: (user) => {
      const now = Math.floor(clock.now() / 1000);
      return new SignJWT({ tid: user.tenantId, role: user.role, dept: user.departmentId })
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
      try {
        const { payload } = await jwtVerify(token, keys.publicKey, {
          algorithms: ['ES256'],
          issuer: ISSUER,
          audience: AUDIENCE,
          currentDate: new Date(clock.now()),
        });
        const { sub, tid, role, dept, exp } = payload;
        if (typeof sub !== 'string' || typeof tid !== 'string' || typeof exp !== 'number') throw new Error('claims');
        if (!ROLES.includes(role as Role) || (dept !== null && typeof dept !== 'string')) throw new Error('claims');
        return { userId: sub, tenantId: tid, role: role as Role, departmentId: dept, exp };
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw unauthenticated('The access token has expired.', 'token_expired');
        throw unauthenticated('The access token is not valid.', 'invalid_token');
      }
    },
  };
}
