import { createHash, randomBytes } from 'node:crypto';
import { API_KEY_SCOPES, assertCan, cleanText, notFound, toIso, toIsoOrNull, unauthenticated, type Actor, type ApiKeyScope } from '@alertautec/core';
import type { ApiKey, CreateApiKeyBody } from '@alertautec/core/schemas';
import { newId, type Clock } from '../adapters.js';
import type { Db } from '../store/executor.js';
import { apiKeysRepository, type ApiKeyRow } from './repository.js';

/** Keys are `ak_` + 32 random bytes; only their SHA-256 is stored (they carry full entropy). */
const KEY_PREFIX = 'ak_';
const hashKey = (key: string) => createHash('sha256').update(key).digest('base64url');
export const looksLikeApiKey = (value: string) => value.startsWith(KEY_PREFIX);

const parseScopes = (json: string): ApiKeyScope[] =>
  (JSON.parse(json) as string[]).filter((scope): scope is ApiKeyScope => API_KEY_SCOPES.includes(scope as ApiKeyScope));

const presentApiKey = (row: ApiKeyRow): ApiKey => ({
  id: row.id,
  name: row.name,
  scopes: parseScopes(row.scopes),
  prefix: row.prefix,
  createdAt: toIso(row.created_at),
  lastUsedAt: toIsoOrNull(row.last_used_at),
  revokedAt: toIsoOrNull(row.revoked_at),
});

// Recording every use would write on every request; once a minute is enough to audit.
const TOUCH_INTERVAL_MS = 60_000;

export type ApiKeysService = ReturnType<typeof createApiKeysService>;

export function createApiKeysService({ db, clock }: { db: Db; clock: Clock }) {
  return {
    async create(actor: Actor, body: CreateApiKeyBody) {
      assertCan(actor, 'apiKeys:manage');
      const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
      const row: ApiKeyRow = {
        id: newId(),
        tenant_id: actor.tenantId,
        name: cleanText(body.name),
        scopes: JSON.stringify(body.scopes),
        prefix: key.slice(0, 10),
        key_hash: hashKey(key),
        created_by: actor.kind === 'user' ? actor.userId : actor.kind === 'apiKey' ? actor.keyId : 'operator',
        created_at: clock.now(),
        last_used_at: null,
        revoked_at: null,
      };
      await apiKeysRepository.insert(db, row);
      const { lastUsedAt: _used, revokedAt: _revoked, ...shown } = presentApiKey(row);
      return { ...shown, key };
    },

    async list(actor: Actor) {
      assertCan(actor, 'apiKeys:manage');
      return { items: (await apiKeysRepository.list(db, actor.tenantId)).map(presentApiKey), nextCursor: null };
    },

    async revoke(actor: Actor, id: string) {
      assertCan(actor, 'apiKeys:manage');
      if (!(await apiKeysRepository.findById(db, actor.tenantId, id))) throw notFound('API key');
      await apiKeysRepository.revoke(db, actor.tenantId, id, clock.now());
    },

    async authenticate(key: string): Promise<Actor> {
      const row = await apiKeysRepository.findByHash(db, hashKey(key));
      if (!row || row.revoked_at !== null) throw unauthenticated('The API key is not valid.', 'invalid_api_key');
      const now = clock.now();
      if (row.last_used_at === null || now - row.last_used_at > TOUCH_INTERVAL_MS) await apiKeysRepository.touch(db, row.id, now);
      return { kind: 'apiKey', keyId: row.id, tenantId: row.tenant_id, scopes: parseScopes(row.scopes) };
    },
  };
}
