import { isIPv4, isIPv6 } from 'node:net';
import { isDomainError, normalizeEmail, rateLimited } from '@alertautec/core';
import type { Clock } from '../adapters.js';
import type { Db } from '../store/executor.js';
import type { Write } from '../store/group-commit.js';
import { loginThrottleRepository as repo, type LoginThrottleRow } from './login-throttle-repository.js';

/**
 * Sign-in throttling, kept in the database so every server process sees the same counts.
 *
 * - Per account (the normalized e-mail, whether or not an account has it, so an unknown
 *   address behaves exactly like a known one): every `accountMaxFailures` failed attempts
 *   lock it; the first lock lasts `accountLockSeconds`, each further one twice the one
 *   before, up to `accountLockMaxSeconds`. While locked every attempt is refused, the right
 *   password included (checking it would tell a guesser when they hit). A success, or an
 *   admin lifting the lock, starts over.
 * - Per client address, across accounts: at most `addressMaxFailures` failures in a fixed
 *   window of `addressWindowSeconds`; over that, attempts are refused until the window ends.
 *   Only failures count, so a campus NAT full of people signing in correctly is not limited.
 *
 * Attempts are counted before the password is checked and given back on success, so a
 * burst of parallel guesses cannot all slip in before the first failure is written.
 */
export interface LoginThrottleLimits {
  accountMaxFailures: number;
  accountLockSeconds: number;
  accountLockMaxSeconds: number;
  addressMaxFailures: number;
  addressWindowSeconds: number;
}

export interface LoginThrottleDeps {
  db: Db;
  write: Write;
  clock: Clock;
  limits: LoginThrottleLimits;
}

/** After a day without attempts an account's failures and lock history are forgotten. */
export const THROTTLE_FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

const accountLocked = (retryAfterSeconds: number) =>
  rateLimited(retryAfterSeconds, 'Too many failed sign-ins for this account; try again later.');
const addressLimited = (retryAfterSeconds: number) =>
  rateLimited(retryAfterSeconds, 'Too many failed sign-ins from your network; try again later.');

/**
 * The key a client address is counted under. IPv6 users commonly hold a whole /64, so the
 * /64 is one address; IPv4-mapped IPv6 is the IPv4 address.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

type Admission = { admitted: true; addressWindow: number } | { admitted: false; refusal: Error };

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

export function createLoginThrottle({ db, write, clock, limits }: LoginThrottleDeps) {
  const windowMs = limits.addressWindowSeconds * 1000;
  const lockMs = (lockCount: number) =>
    Math.min(limits.accountLockSeconds * 1000 * 2 ** Math.min(lockCount, 30), limits.accountLockMaxSeconds * 1000);

  /** Counts one attempt against the address and the account, or says why it may not be made. */
  function admit(account: string, address: string): Promise<Admission> {
    return write(async (trx) => {
      const now = clock.now();
      // Address first, then account, in every transaction: two of them never wait on each other.
      const byAddress = await repo.claim(trx, 'address', address, now);
      const windowStart = byAddress.window_started_at + windowMs <= now ? now : byAddress.window_started_at;
      const addressFailures = windowStart === byAddress.window_started_at ? byAddress.failures : 0;
      if (addressFailures >= limits.addressMaxFailures) {
        return { admitted: false, refusal: addressLimited((windowStart + windowMs - now) / 1000) };
      }

      const byAccount = await repo.claim(trx, 'account', account, now);
      if (byAccount.locked_until !== null && byAccount.locked_until > now) {
        return { admitted: false, refusal: accountLocked((byAccount.locked_until - now) / 1000) };
      }
      const next = nextAccountCounts(byAccount, now);
      await repo.save(trx, 'account', account, next, now);
      await repo.save(trx, 'address', address, { failures: addressFailures + 1, window_started_at: windowStart, locked_until: null, lock_count: 0 }, now);
      return { admitted: true, addressWindow: windowStart };
    });
  }

  /** One more attempt on the account; the one that reaches the limit locks it in advance. */
  function nextAccountCounts(row: LoginThrottleRow, now: number) {
    const fresh = row.updated_at + THROTTLE_FORGET_AFTER_MS < now;
    const failures = (fresh ? 0 : row.failures) + 1;
    const lockCount = fresh ? 0 : row.lock_count;
    if (failures < limits.accountMaxFailures) {
      return { failures, window_started_at: row.window_started_at, locked_until: null, lock_count: lockCount };
    }
    // Locked now, before the password is checked: parallel attempts see the lock at once.
    // If this attempt turns out right, the success lifts it again.
    return { failures: 0, window_started_at: row.window_started_at, locked_until: now + lockMs(lockCount), lock_count: lockCount + 1 };
  }

  /** The password was right: the account starts over and the address gets its attempt back. */
  function succeeded(account: string, address: string, addressWindow: number) {
    return write(async (trx) => {
      await repo.refund(trx, 'address', address, addressWindow);
      await repo.remove(trx, 'account', account);
    });
  }

  return {
    /**
     * Runs one sign-in under both limits. `login` rejects wrong credentials; anything it
     * resolves with, or a refusal that needed the right password (a disabled account),
     * counts as a success.
     */
    async attempt<T>(email: string, ip: string, login: () => Promise<T>): Promise<T> {
      const account = normalizeEmail(email);
      const address = addressKey(ip);
      const admission = await admit(account, address);
      if (!admission.admitted) throw admission.refusal;
      let result: T;
      try {
        result = await login();
      } catch (error) {
        if (isDomainError(error) && error.code === 'account_disabled') await succeeded(account, address, admission.addressWindow);
        throw error;
      }
      await succeeded(account, address, admission.addressWindow);
      return result;
    },

    /** When each of these e-mails' lock ends (only those locked now). */
    async lockedUntil(emails: readonly string[]): Promise<Map<string, number>> {
      const rows = await repo.lockedAmong(db, 'account', emails.map(normalizeEmail), clock.now());
      return new Map(rows.map((row) => [row.subject, row.locked_until!]));
    },

    /** Lifts an account's lock and forgets its failures. */
    async unlock(email: string): Promise<void> {
      await repo.remove(db, 'account', normalizeEmail(email));
    },
  };
}
