import {
  assertCan,
  cleanText,
  conflict,
  isAdminRole,
  notFound,
  roleMayHaveDepartment,
  roleNeedsDepartment,
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
  async function checkDepartment(tenantId: string, role: Role, departmentId: string | null) {
    if (roleNeedsDepartment(role) && !departmentId) {
      throw validationError('Staff accounts need a department.', [{ path: '/departmentId', message: 'is required for staff' }]);
    }
    if (!roleMayHaveDepartment(role) && departmentId) {
      throw validationError('Students do not belong to a department.', [{ path: '/departmentId', message: 'must be null for students' }]);
    }
    if (departmentId && !(await departmentsRepository.findById(db, tenantId, departmentId))) {
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
      await checkDepartment(actor.tenantId, body.role, departmentId);
      const row = await insertNewUser({ db, clock, passwords }, { ...body, tenantId: actor.tenantId, departmentId });
      return present(row);
    },

    async update(actor: Actor, id: string, body: UpdateUserBody) {
      assertCan(actor, 'users:manage');
      const user = await findInTenant(actor, id);
      const role = body.role ?? (user.role as Role);
      const departmentId = body.departmentId !== undefined ? body.departmentId : roleMayHaveDepartment(role) ? user.department_id : null;
      await checkDepartment(actor.tenantId, role, departmentId);
      const disabled = body.disabled === undefined ? user.disabled : body.disabled ? 1 : 0;

      const losesAdmin = isAdminRole(user.role as Role) && user.disabled === 0 && (!isAdminRole(role) || disabled === 1);
      const now = clock.now();
      const patch = {
        role,
        department_id: departmentId,
        disabled,
        name: body.name === undefined ? user.name : cleanText(body.name),
        updated_at: now,
      };
      await db.transaction().execute(async (trx) => {
        // Counted under the tenant lock: two admins demoting each other at once cannot both win.
        if (losesAdmin) {
          await usersRepository.lockTenant(trx, actor.tenantId);
          if ((await usersRepository.countActiveAdmins(trx, actor.tenantId, id)) === 0) {
            throw conflict('The last active admin cannot be demoted or disabled.', 'last_admin');
          }
        }
        await usersRepository.update(trx, actor.tenantId, id, patch);
        if (disabled === 1 && user.disabled === 0) await revokeSessions(trx, id, now);
      });
      activeUsers.forget(id);
      userChanged(actor.tenantId, id);
      return present({ ...user, ...patch });
    },
  };
}
