import { createHash, randomBytes } from 'node:crypto';
import {
  DomainError,
  normalizeEmail,
  unauthenticated,
  validationError,
  type Role,
  type UserActor,
} from '@alertautec/core';
import type { Introspection, LoginBody, RegisterBody } from '@alertautec/core/schemas';
import { newId, type Clock } from '../adapters.js';
import type { Db } from '../store/executor.js';
import { tenantsRepository } from '../tenants/repository.js';
import { presentMe } from '../users/presenter.js';
import type { ActiveUsers } from '../users/active-users.js';
import { insertNewUser } from '../users/new-user.js';
import { usersRepository, type UserRow } from '../users/repository.js';
import type { AccessTokens } from './access-tokens.js';
import type { ActiveSessions } from './active-sessions.js';
import type { PasswordHasher } from './passwords.js';
import { endedSessionRepository } from './ended-session-repository.js';
import { refreshTokenRepository, type RefreshTokenRow } from './refresh-token-repository.js';

export interface AuthDeps {
  db: Db;
  clock: Clock;
  passwords: PasswordHasher;
  tokens: AccessTokens;
  refreshTokenTtlSeconds: number;
  allowedEmailDomains: readonly string[];
  activeUsers: ActiveUsers;
  sessions: ActiveSessions;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');
const invalidCredentials = () => unauthenticated('The e-mail or password is incorrect.', 'invalid_credentials');
const invalidRefresh = (code: string) =>
  unauthenticated('The refresh token is not valid; sign in again.', code);

export type AuthService = ReturnType<typeof createAuthService>;

export function createAuthService(deps: AuthDeps) {
  const { db, clock, passwords, tokens } = deps;

  async function issuePair(user: UserRow, familyId: string) {
    const now = clock.now();
    const refreshToken = `rt_${randomBytes(32).toString('base64url')}`;
    await refreshTokenRepository.insert(db, {
      id: newId(),
      tenant_id: user.tenant_id,
      user_id: user.id,
      family_id: familyId,
      token_hash: hashToken(refreshToken),
      created_at: now,
      expires_at: now + deps.refreshTokenTtlSeconds * 1000,
      used_at: null,
      revoked_at: null,
    });
    // The family id is the session id: ending the family ends its access tokens too.
    const accessToken = await tokens.issue(
      { id: user.id, tenantId: user.tenant_id, role: user.role as Role, departmentId: user.department_id },
      familyId,
    );
    return { accessToken, refreshToken, expiresIn: tokens.ttlSeconds, user: presentMe(user) };
  }

  /** The signed-in user: the database, not the token, decides role and standing. */
  const activeUser = (tenantId: string, userId: string) => deps.activeUsers.get(tenantId, userId);

  /**
   * Ends a session (logout, reuse): its refresh tokens are revoked and, at once, its access
   * tokens refused, here and on other nodes. Disabling a user revokes refresh tokens only;
   * the user check refuses the access tokens, and they work again if the user is re-enabled.
   */
  async function endSession(row: RefreshTokenRow, now: number) {
    await db.transaction().execute(async (trx) => {
      await refreshTokenRepository.revokeFamily(trx, row.family_id, now);
      await endedSessionRepository.insert(trx, {
        id: row.family_id,
        tenant_id: row.tenant_id,
        user_id: row.user_id,
        ended_at: now,
        // No token of the session outlives this: refresh tokens die by then, access tokens sooner.
        expires_at: now + deps.refreshTokenTtlSeconds * 1000,
      });
    });
    deps.sessions.ended(row.tenant_id, row.user_id, row.family_id);
  }

  return {
    async register(body: RegisterBody): Promise<UserRow> {
      const email = normalizeEmail(body.email);
      const domain = email.split('@')[1] ?? '';
      if (deps.allowedEmailDomains.length > 0 && !deps.allowedEmailDomains.includes(domain)) {
        throw validationError(
          'Registration is open only to the campus e-mail domains.',
          [{ path: '/email', message: `must end in @${deps.allowedEmailDomains.join(' or @')}` }],
          'email_domain_not_allowed',
        );
      }
      const tenant = await tenantsRepository.findDefault(db);
      if (!tenant) throw new Error('No tenant exists; the bootstrap did not run');
      return insertNewUser(deps, { tenantId: tenant.id, email, name: body.name, password: body.password, role: 'student', departmentId: null });
    },

    async login(body: LoginBody) {
      const user = await usersRepository.findByEmail(db, normalizeEmail(body.email));
      // Unknown accounts cost the same scrypt work as known ones: timing tells nothing.
      if (!user) {
        await passwords.verifyDummy(body.password);
        throw invalidCredentials();
      }
      if (!(await passwords.verify(body.password, user.password_hash))) throw invalidCredentials();
      if (user.disabled) throw new DomainError('forbidden', 'account_disabled', 'This account has been disabled.');
      return issuePair(user, newId());
    },

    async refresh(refreshToken: string) {
      const row = await refreshTokenRepository.findByHash(db, hashToken(refreshToken));
      const now = clock.now();
      if (!row) throw invalidRefresh('invalid_refresh_token');
      if (row.revoked_at !== null) throw invalidRefresh('refresh_token_revoked');
      if (row.used_at !== null) {
        // A rotated token came back: someone holds a copy. End the whole session family.
        await endSession(row, now);
        throw invalidRefresh('refresh_token_reused');
      }
      if (row.expires_at <= now) throw invalidRefresh('refresh_token_expired');
      const user = await activeUser(row.tenant_id, row.user_id);
      if (!user) {
        await refreshTokenRepository.revokeFamily(db, row.family_id, now);
        throw invalidRefresh('invalid_refresh_token');
      }
      if (!(await refreshTokenRepository.markUsed(db, row.id, now))) {
        await endSession(row, now);
        throw invalidRefresh('refresh_token_reused');
      }
      // A logout racing the previous refresh may have revoked the family just before this
      // token was added to it: the session is over all the same.
      if (!(await refreshTokenRepository.isFamilyOpen(db, row.family_id, row.user_id))) {
        await endSession(row, now);
        throw invalidRefresh('refresh_token_revoked');
      }
      return issuePair(user, row.family_id);
    },

    async logout(refreshToken: string): Promise<void> {
      const row = await refreshTokenRepository.findByHash(db, hashToken(refreshToken));
      if (row) await endSession(row, clock.now());
    },

    /** Verifies an access token and returns who it speaks for, as the database has them now. */
    async actorFromAccessToken(token: string): Promise<UserActor & { exp: number; sessionId: string | null }> {
      const claims = await tokens.verify(token);
      const [user, sessionOpen] = await Promise.all([
        activeUser(claims.tenantId, claims.userId),
        // Tokens from before sessions were tracked carry no sid; they expire within minutes.
        claims.sessionId === null || deps.sessions.isOpen(claims.sessionId),
      ]);
      if (!user) throw unauthenticated('The account behind this token is no longer active.', 'invalid_token');
      if (!sessionOpen) throw unauthenticated('This session has ended; sign in again.', 'session_ended');
      return {
        kind: 'user',
        userId: user.id,
        tenantId: user.tenant_id,
        role: user.role as Role,
        departmentId: user.department_id,
        exp: claims.exp,
        sessionId: claims.sessionId,
      };
    },

    /** RFC 7662 for a caller of `tenantId`: another tenant's tokens are not active for it. */
    async introspect(token: string, tenantId: string): Promise<Introspection> {
      try {
        const actor = await this.actorFromAccessToken(token);
        if (actor.tenantId !== tenantId) return { active: false };
        return {
          active: true,
          sub: actor.userId,
          role: actor.role,
          departmentId: actor.departmentId,
          tenantId: actor.tenantId,
          exp: actor.exp,
        };
      } catch (error) {
        if (error instanceof DomainError) return { active: false };
        throw error;
      }
    },

    me: async (actor: UserActor) => {
      const user = await activeUser(actor.tenantId, actor.userId);
      if (!user) throw unauthenticated();
      return user;
    },
  };
}
