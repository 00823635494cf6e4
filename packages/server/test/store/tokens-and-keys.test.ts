import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { newId } from '../../src/adapters.js';
import { apiKeysRepository, type ApiKeyRow } from '../../src/api-keys/repository.js';
import { refreshTokenRepository, type RefreshTokenRow } from '../../src/auth/refresh-token-repository.js';
import type { Store } from '../../src/store/db.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../src/store/executor.js';
import { tenantsRepository } from '../../src/tenants/repository.js';
import { usersRepository } from '../../src/users/repository.js';
import { countRun, createTestDatabase, describeEachDatabase, openTestStore, rejection, type TestDatabase } from '../helpers/databases.js';

const T0 = 1_767_225_600_456;

await describeEachDatabase('refresh tokens and API keys repositories', (dialect) => {
  let database: TestDatabase;
  let store: Store;
  const A = 'tenant-a';
  const B = 'tenant-b';
  const userA = newId();
  const userB = newId();

  function tokenRow(overrides: Partial<RefreshTokenRow> = {}): RefreshTokenRow {
    return {
      id: newId(),
      tenant_id: A,
      user_id: userA,
      family_id: newId(),
      token_hash: `hash-${newId()}`,
      created_at: T0,
      expires_at: T0 + 30 * 86_400_000,
      used_at: null,
      revoked_at: null,
      ...overrides,
    };
  }

  function keyRow(overrides: Partial<ApiKeyRow> = {}): ApiKeyRow {
    return {
      id: newId(),
      tenant_id: A,
      name: 'Publisher',
      scopes: JSON.stringify(['realtime:publish']),
      prefix: 'ak_test',
      key_hash: `key-${newId()}`,
      created_by: userA,
      created_at: T0,
      last_used_at: null,
      revoked_at: null,
      ...overrides,
    };
  }

  before(async () => {
    database = await createTestDatabase(dialect);
    store = await openTestStore(database);
    for (const [tenant, user] of [
      [A, userA],
      [B, userB],
    ] as const) {
      await tenantsRepository.insert(store.db, { id: tenant, name: tenant, created_at: T0 });
      await usersRepository.insert(store.db, {
        id: user,
        tenant_id: tenant,
        email: `${user}@store.example`,
        name: 'Token Owner',
        password_hash: 'x',
        role: 'admin',
        department_id: null,
        disabled: 0,
        created_at: T0,
        updated_at: T0,
      });
    }
  });
  after(async () => {
    await store.close();
    await database.drop();
  });

  it('inserts and finds a refresh token by hash, times as JS numbers', async () => {
    countRun(dialect);
    const row = tokenRow();
    await refreshTokenRepository.insert(store.db, row);
    const found = await refreshTokenRepository.findByHash(store.db, row.token_hash);
    assert.deepEqual(found, row);
    assert.equal(typeof found?.expires_at, 'number');
    assert.equal(await refreshTokenRepository.findByHash(store.db, 'nope'), undefined);
  });

  it('markUsed succeeds once, and never for a revoked token', async () => {
    countRun(dialect);
    const row = tokenRow();
    await refreshTokenRepository.insert(store.db, row);
    assert.equal(await refreshTokenRepository.markUsed(store.db, row.id, T0 + 1), true);
    assert.equal(await refreshTokenRepository.markUsed(store.db, row.id, T0 + 2), false);
    assert.equal((await refreshTokenRepository.findByHash(store.db, row.token_hash))?.used_at, T0 + 1);
    const revoked = tokenRow({ revoked_at: T0 });
    await refreshTokenRepository.insert(store.db, revoked);
    assert.equal(await refreshTokenRepository.markUsed(store.db, revoked.id, T0 + 1), false);
    assert.equal(await refreshTokenRepository.markUsed(store.db, 'no-such-token', T0 + 1), false);
  });

  it('markUsed run concurrently 10 times on one token: exactly one wins', async () => {
    countRun(dialect);
    const row = tokenRow();
    await refreshTokenRepository.insert(store.db, row);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => refreshTokenRepository.markUsed(store.db, row.id, T0 + i)));
    assert.equal(results.filter(Boolean).length, 1);
  });

  it('markUsed racing over two separate connections: exactly one wins', async () => {
    countRun(dialect);
    const second = await openTestStore(database);
    try {
      const row = tokenRow();
      await refreshTokenRepository.insert(store.db, row);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => refreshTokenRepository.markUsed((i % 2 ? second : store).db, row.id, T0 + i)),
      );
      assert.equal(results.filter(Boolean).length, 1);
    } finally {
      await second.close();
    }
  });

  it('revokes a family and all of a user’s tokens, leaving others alone', async () => {
    countRun(dialect);
    const family = newId();
    const first = tokenRow({ family_id: family });
    const second = tokenRow({ family_id: family });
    const elsewhere = tokenRow();
    const otherUser = tokenRow({ tenant_id: B, user_id: userB });
    for (const row of [first, second, elsewhere, otherUser]) await refreshTokenRepository.insert(store.db, row);
    await refreshTokenRepository.revokeFamily(store.db, family, T0 + 10);
    assert.equal((await refreshTokenRepository.findByHash(store.db, first.token_hash))?.revoked_at, T0 + 10);
    assert.equal((await refreshTokenRepository.findByHash(store.db, second.token_hash))?.revoked_at, T0 + 10);
    assert.equal((await refreshTokenRepository.findByHash(store.db, elsewhere.token_hash))?.revoked_at, null);
    // An already revoked token keeps its first revocation time.
    await refreshTokenRepository.revokeAllForUser(store.db, userA, T0 + 20);
    assert.equal((await refreshTokenRepository.findByHash(store.db, first.token_hash))?.revoked_at, T0 + 10);
    assert.equal((await refreshTokenRepository.findByHash(store.db, elsewhere.token_hash))?.revoked_at, T0 + 20);
    assert.equal((await refreshTokenRepository.findByHash(store.db, otherUser.token_hash))?.revoked_at, null);
  });

  it('deletes expired tokens only', async () => {
    countRun(dialect);
    const expired = tokenRow({ expires_at: T0 - 1 });
    const live = tokenRow({ expires_at: T0 + 1 });
    await refreshTokenRepository.insert(store.db, expired);
    await refreshTokenRepository.insert(store.db, live);
    await refreshTokenRepository.deleteExpired(store.db, T0);
    assert.equal(await refreshTokenRepository.findByHash(store.db, expired.token_hash), undefined);
    assert.ok(await refreshTokenRepository.findByHash(store.db, live.token_hash));
  });

  it('refresh tokens: duplicate hash is a unique violation, unknown user a foreign key violation', async () => {
    countRun(dialect);
    const row = tokenRow();
    await refreshTokenRepository.insert(store.db, row);
    const duplicate = await rejection(refreshTokenRepository.insert(store.db, tokenRow({ token_hash: row.token_hash })));
    assert.ok(isUniqueViolation(duplicate), `unique violation expected, got ${String(duplicate)}`);
    const orphan = await rejection(refreshTokenRepository.insert(store.db, tokenRow({ user_id: 'no-such-user' })));
    assert.ok(isForeignKeyViolation(orphan), `foreign key violation expected, got ${String(orphan)}`);
  });

  it('inserts, finds and lists API keys within their tenant', async () => {
    countRun(dialect);
    const mine = keyRow();
    const theirs = keyRow({ tenant_id: B, created_by: userB });
    await apiKeysRepository.insert(store.db, mine);
    await apiKeysRepository.insert(store.db, theirs);
    assert.deepEqual(await apiKeysRepository.findByHash(store.db, mine.key_hash), mine);
    assert.deepEqual(await apiKeysRepository.findById(store.db, A, mine.id), mine);
    assert.equal(await apiKeysRepository.findById(store.db, A, theirs.id), undefined);
    const listed = await apiKeysRepository.list(store.db, A);
    assert.ok(listed.some((row) => row.id === mine.id));
    assert.ok(listed.every((row) => row.tenant_id === A));
    const ids = listed.map((row) => row.id);
    assert.deepEqual(ids, [...ids].sort().reverse(), 'newest first');
  });

  it('revokes an API key once, only within its tenant, and touches last use', async () => {
    countRun(dialect);
    const row = keyRow();
    await apiKeysRepository.insert(store.db, row);
    assert.equal(await apiKeysRepository.revoke(store.db, B, row.id, T0 + 1), false);
    assert.equal(await apiKeysRepository.revoke(store.db, A, row.id, T0 + 2), true);
    assert.equal(await apiKeysRepository.revoke(store.db, A, row.id, T0 + 3), false);
    await apiKeysRepository.touch(store.db, row.id, T0 + 4);
    const found = await apiKeysRepository.findById(store.db, A, row.id);
    assert.equal(found?.revoked_at, T0 + 2);
    assert.equal(found?.last_used_at, T0 + 4);
  });

  it('API keys: duplicate hash is a unique violation, unknown tenant a foreign key violation', async () => {
    countRun(dialect);
    const row = keyRow();
    await apiKeysRepository.insert(store.db, row);
    const duplicate = await rejection(apiKeysRepository.insert(store.db, keyRow({ key_hash: row.key_hash })));
    assert.ok(isUniqueViolation(duplicate), `unique violation expected, got ${String(duplicate)}`);
    const orphan = await rejection(apiKeysRepository.insert(store.db, keyRow({ tenant_id: 'no-such-tenant' })));
    assert.ok(isForeignKeyViolation(orphan), `foreign key violation expected, got ${String(orphan)}`);
  });
});
