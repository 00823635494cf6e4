import {
  assertCan,
  assertDepartmentFitsRole,
  assertNotLockingOutSelf,
  cleanText,
  conflict,
  losesAdminPowers,
  notFound,
  roleMayHaveDepartment,
  validationError,
  type Actor,
  type Role,
} from '@alertautec/core';
import type { CreateUserBody, UpdateUserBody, UserListQuery } from '@alertautec/core/schemas';
import type { Clock } from '../adapters.js';
import { departmentsRepository } from '../catalog/repository.js';
import { decodeCursor, isString, pageOf } from '../store/pagination.js';
import type { Db } from '../store/executor.js';
import type { ActiveUsers } from './active-users.js';
import { insertNewUser, type PasswordHashing } from './new-user.js';
import { presentUser } from './presenter.js';
import { usersRepository, type UserRow } from './repository.js';

/** Sign-in locks, which auth keeps: admins see them on each user and may lift them. */
export interface SignInLocks {
  /** Until when (epoch ms) each locked e-mail stays locked; unlocked ones are absent. */
  lockedUntil(emails: readonly string[]): Promise<Map<string, number>>;
  unlock(email: string): Promise<void>;
}

export interface UsersDeps {
  db: Db;
  clock: Clock;
  passwords: PasswordHashing;
  activeUsers: ActiveUsers;
  loginThrottle: SignInLocks;
  /** Ends every session of a user (auth's refresh tokens), inside the transaction that disables it. */
  revokeSessions: (trx: Db, userId: string, at: number) => Promise<unknown>;
  /** Tells the rest of the system (open WebSocket connections, other nodes) of a change. */
  userChanged: (tenantId: string, userId: string) => void;
}

export type UsersService = ReturnType<typeof createUsersService>;

export function createUsersService({ db, clock, passwords, activeUsers, loginThrottle, revokeSessions, userChanged }: UsersDeps) {
  async function checkDepartment(executor: Db, tenantId: string, role: Role, departmentId: string | null) {
    assertDepartmentFitsRole(role, departmentId);
    if (departmentId && !(await departmentsRepository.findById(executor, tenantId, departmentId))) {
      throw validationError('The department does not exist.', [{ path: '/departmentId', message: 'unknown department' }], 'unknown_department');
    }
  }

  async function findInTenant(actor: Actor, id: string): Promise<UserRow> {
    const user = await usersRepository.findById(db, actor.tenantId, id);
    if (!user) throw notFound('User');
    return user;
  }

  async function present(user: UserRow) {
    const locks = await loginThrottle.lockedUntil([user.email]);
    return presentUser(user, locks.get(user.email) ?? null);
  }

  return {
    async list(actor: Actor, query: UserListQuery) {
      assertCan(actor, 'users:manage');
      const limit = query.limit ?? 50;
      const rows = await usersRepository.list(db, actor.tenantId, {
        limit,
        afterId: decodeCursor(query.cursor, isString),
        role: query.role,
        departmentId: query.departmentId,
      });
      const locks = await loginThrottle.lockedUntil(rows.map((row) => row.email));
      return pageOf(rows, limit, (row) => presentUser(row, locks.get(row.email) ?? null), (row) => row.id);
    },

    async get(actor: Actor, id: string) {
      assertCan(actor, 'users:manage');
      return present(await findInTenant(actor, id));
    },

    /** Lifts the sign-in lock that repeated failures put on an account, and forgets the failures. */
    async unlockLogin(actor: Actor, id: string): Promise<void> {
      assertCan(actor, 'users:manage');
      const user = await findInTenant(actor, id);
      await loginThrottle.unlock(user.email);
    },

    async create(actor: Actor, body: CreateUserBody) {
      assertCan(actor, 'users:manage');
      const departmentId = body.departmentId ?? null;
      await checkDepartment(db, actor.tenantId, body.role, departmentId);
      const row = await insertNewUser({ db, clock, passwords }, { ...body, tenantId: actor.tenantId, departmentId });
      return present(row);
    },

    /**
     * Role, department, name and disabling in one step, checked together. Everything is read
     * and checked inside the transaction: a change of role or of disabling takes the tenant
     * lock first, so two admins demoting each other (or themselves) at once run one after the
     * other and the second sees the first; the tenant never loses its last active admin.
     */
    async update(actor: Actor, id: string, body: UpdateUserBody) {
      assertCan(actor, 'users:manage');
      const now = clock.now();
      const { user, patch } = await db.transaction().execute(async (trx) => {
        if (body.role !== undefined || body.disabled !== undefined) await usersRepository.lockTenant(trx, actor.tenantId);
        const user = await usersRepository.findById(trx, actor.tenantId, id);
        if (!user) throw notFound('User');
        const role = body.role ?? (user.role as Role);
        const disabled = body.disabled === undefined ? user.disabled : body.disabled ? 1 : 0;
        const before = { role: user.role as Role, disabled: user.disabled === 1 };
        const after = { role, disabled: disabled === 1 };
        assertNotLockingOutSelf(actor, id, before, after);
        const departmentId = body.departmentId !== undefined ? body.departmentId : roleMayHaveDepartment(role) ? user.department_id : null;
        await checkDepartment(trx, actor.tenantId, role, departmentId);
        if (losesAdminPowers(before, after) && (await usersRepository.countActiveAdmins(trx, actor.tenantId, id)) === 0) {
          throw conflict('The last active admin cannot be demoted or disabled.', 'last_admin');
        }
        const patch = {
          role,
          department_id: departmentId,
          disabled,
          name: body.name === undefined ? user.name : cleanText(body.name),
          updated_at: now,
        };
        await usersRepository.update(trx, actor.tenantId, id, patch);
        if (disabled === 1 && user.disabled === 0) await revokeSessions(trx, id, now);
        return { user, patch };
      });
      activeUsers.forget(id);
      userChanged(actor.tenantId, id);
      return present({ ...user, ...patch });
    },
  };
}
