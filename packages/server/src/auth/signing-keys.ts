import fs from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';

/**
 * ES256 signing keys, generated on first start and kept in DATA_DIR/keys. Processes that
 * share DATA_DIR share the keys; if two start at once, the first file written wins.
 */
export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwks: { keys: JWK[] };
}

interface StoredKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

async function createKeyFile(file: string): Promise<void> {
  try {
    await fs.access(file);
    return;
  } catch {
    // not there yet: create it
  }
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `es256-${Date.now().toString(36)}`;
  const stored: StoredKey = { kid, privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
  // Written whole to a private temporary file, then linked into place: a process starting
  // at the same moment sees either no key file or a complete one, and the first link wins.
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(stored, null, 2), { mode: 0o600 });
  try {
    await fs.link(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

export async function loadSigningKeys(dataDir: string): Promise<SigningKeys> {
  const dir = path.join(dataDir, 'keys');
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'signing-key.json');
  await createKeyFile(file);
  const stored = JSON.parse(await fs.readFile(file, 'utf8')) as StoredKey;
  const privateKey = (await importJWK(stored.privateJwk, 'ES256')) as CryptoKey;
  const publicKey = (await importJWK(stored.publicJwk, 'ES256')) as CryptoKey;
  const { kty, crv, x, y } = stored.publicJwk;
  return { kid: stored.kid, privateKey, publicKey, jwks: { keys: [{ kty, crv, x, y, kid: stored.kid, alg: 'ES256', use: 'sig' }] } };
}
