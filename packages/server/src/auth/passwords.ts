import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt password hashes in a self-describing string, `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`,
 * so the cost can rise later without breaking existing hashes.
 */
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

const costOptions = (logN: number, r: number, p: number): ScryptOptions => ({
  N: 2 ** logN,
  r,
  p,
  maxmem: 256 * 2 ** logN * r + 1_048_576,
});

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, encoded: string): Promise<boolean>;
  /** Spends the same time as a real verification, for unknown accounts. */
  verifyDummy(password: string): Promise<void>;
}

export async function createPasswordHasher(logN: number): Promise<PasswordHasher> {
  const hash = async (password: string) => {
    const salt = randomBytes(16);
    const key = await derive(password, salt, costOptions(logN, 8, 1));
    return `scrypt$${logN}$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
  };
  const verify = async (password: string, encoded: string) => {
    const [scheme, n, r, p, salt, expected] = encoded.split('$');
    if (scheme !== 'scrypt' || !n || !r || !p || !salt || !expected) return false;
    const key = await derive(password, Buffer.from(salt, 'base64url'), costOptions(Number(n), Number(r), Number(p)));
    const wanted = Buffer.from(expected, 'base64url');
    return wanted.length === key.length && timingSafeEqual(wanted, key);
  };
  const dummy = await hash(randomBytes(16).toString('hex'));
  return { hash, verify, verifyDummy: async (password) => void (await verify(password, dummy)) };
}
