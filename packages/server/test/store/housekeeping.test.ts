import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { refreshTokenRepository } from '../../src/auth/refresh-token-repository.js';
import { sweepExpired } from '../../src/ops/housekeeping.js';
import type { Store } from '../../src/store/db.js';
import { createTenant } from '../../src/tenants/bootstrap.js';
import { usersRepository } from '../../src/users/repository.js';
import { createTestDatabase, describeEachDatabase, openTestStore, type TestDatabase } from '../helpers/databases.js';

const DAY = 24 * 60 * 60 * 1000;

await describeEachDatabase('housekeeping', (dialect) => {
  let database: TestDatabase;
  let store: Store;
  before(async () => {
    database = await createTestDatabase(dialect);
    store = await openTestStore(database);
    await createTenant(store.db, { now: () => 0 }, 't1', 'Campus');
    await usersRepository.insert(store.db, {
      id: 'u1', tenant_id: 't1', email: 'u1@test.example', name: 'U', password_hash: 'x', role: 'student',
      department_id: null, disabled: 0, created_at: 0, updated_at: 0,
    });
  });
  after(async () => {
    await store?.close();
    await database?.drop();
  });

  it('sweeps expired refresh tokens and day-old idempotency keys, and nothing else', async () => {
    const now = 10 * DAY;
    const token = (id: string, expiresAt: number) => ({
      id, tenant_id: 't1', user_id: 'u1', family_id: 'f', token_hash: `h-${id}`, created_at: 0, expires_at: expiresAt, used_at: null, revoked_at: null,
    });
    await refreshTokenRepository.insert(store.db, token('expired', now - 1));
    await refreshTokenRepository.insert(store.db, token('live', now + DAY));
    const key = (name: string, createdAt: number) => ({ user_id: 'u1', key: name, tenant_id: 't1', request_hash: 'h', incident_id: 'i', created_at: createdAt });
    await store.db.insertInto('idempotency_keys').values([key('old', now - DAY - 1), key('fresh', now - DAY + 1000)]).execute();

    await sweepExpired(store.db, now);

    const tokens = await store.db.selectFrom('refresh_tokens').select('id').orderBy('id').execute();
    assert.deepEqual(tokens.map((row) => row.id), ['live']);
    const keys = await store.db.selectFrom('idempotency_keys').select('key').execute();
    assert.deepEqual(keys.map((row) => row.key), ['fresh']);
  });
});
