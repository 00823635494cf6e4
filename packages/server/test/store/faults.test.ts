import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { Registry } from 'prom-client';
import { systemClock } from '../../src/adapters.js';
import { createLocalNotices } from '../../src/events/signal.js';
import { toProblem } from '../../src/http/problem.js';
import { Broadcaster } from '../../src/realtime/broadcaster.js';
import { createRealtimeMetrics } from '../../src/realtime/metrics.js';
import { ConnectionRegistry } from '../../src/realtime/registry.js';
import { checkReadiness, DEFAULT_READINESS } from '../../src/ops/readiness.js';
import { openStore, type Store } from '../../src/store/db.js';
import { storeFault } from '../../src/store/faults.js';
import { POSTGRES_URL, createTestDatabase, openTestStore, postgresUnavailable, rejection, type TestDatabase } from '../helpers/databases.js';
import { freePort, startTcpProxy } from '../helpers/process.js';

/**
 * The errors databases and disks really raise when they are away or full are told apart
 * from bugs: a retryable 503 with a stable code (not 500), and readiness that turns red
 * and back by itself. The process tests (test/process/database-loss, full-disk) show the
 * whole path; these pin the cases those cannot reach (PostgreSQL's disk_full, SQLite's
 * SQLITE_FULL in the middle of a transaction).
 */
const readinessAt = (now: number) => ({ ...DEFAULT_READINESS, now: () => now });

describe('store faults [sqlite]', () => {
  let database: TestDatabase;
  let store: Store;
  before(async () => {
    database = await createTestDatabase('sqlite');
    store = await openTestStore(database);
  });
  after(async () => {
    await store.close();
    await database.drop();
  });

  it('SQLITE_FULL inside a grouped write reaches the caller as 503 storage_full, and readiness recovers once a file fits again', async () => {
    // The file may not grow: the next new page fails with SQLITE_FULL, as on a full disk.
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(store.db);
    await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(store.db);
    try {
      const big = 'x'.repeat(20_000);
      const grow = (id: string) => store.write((trx) => trx.insertInto('tenants').values({ id, name: big, created_at: 0 }).execute());
      const [first, second] = await Promise.all([rejection(grow('full-1')), rejection(grow('full-2'))]);
      for (const error of [first, second]) {
        assert.equal((error as { code?: string }).code, 'SQLITE_FULL', String(error));
        const answer = toProblem(error as Error);
        assert.equal(answer.status, 503);
        assert.equal(answer.code, 'storage_full');
        assert.ok((answer.retryAfter ?? 0) >= 1);
      }
      assert.equal(store.health.writeFault?.fault, 'storage_full');
    } finally {
      await sql`pragma max_page_count = 1073741823`.execute(store.db);
    }
    // DATA_DIR has room (only the file was capped): the readiness probe writes there and clears the fault.
    assert.deepEqual(await checkReadiness(store), { ready: true, store: 'sqlite' });
    assert.equal(store.health.writeFault, null);
  });
});

const why = await postgresUnavailable();
describe('store faults [postgres]', { skip: why && process.env.REQUIRE_POSTGRES !== '1' ? why : false }, () => {
  let database: TestDatabase;
  let store: Store;
  before(async () => {
    assert.equal(why, null, why ?? '');
    database = await createTestDatabase('postgres');
    store = await openTestStore(database);
  });
  after(async () => {
    await store?.close();
    await database?.drop();
  });

  it('disk_full (53100) is 503 storage_full; readiness stays red until a write succeeds or the hold has passed', async () => {
    const failing = () => store.write((trx) => sql`do $$ begin raise exception 'could not extend file' using errcode = 'disk_full'; end $$`.execute(trx));
    const error = await rejection(failing());
    assert.equal((error as { code?: string }).code, '53100');
    const answer = toProblem(error as Error);
    assert.deepEqual([answer.status, answer.code], [503, 'storage_full']);
    const failedAt = store.health.writeFault!.at;
    assert.equal(store.health.writeFault?.fault, 'storage_full');

    const red = await checkReadiness(store, readinessAt(failedAt + DEFAULT_READINESS.postgresFullHoldMs - 1));
    assert.deepEqual([red.ready, !red.ready && red.reason], [false, 'storage_full']);
    // After the hold, writes may try again.
    assert.equal((await checkReadiness(store, readinessAt(failedAt + DEFAULT_READINESS.postgresFullHoldMs))).ready, true);

    // A write that succeeds clears it at once.
    await rejection(failing());
    assert.equal((await checkReadiness(store, readinessAt(store.health.writeFault!.at))).ready, false);
    await store.write((trx) => sql`select 1`.execute(trx));
    assert.equal(store.health.writeFault, null);
    assert.equal((await checkReadiness(store, readinessAt(failedAt))).ready, true);
  });

  it('a terminated backend (57P01) and a refused connection are 503 database_unavailable', async () => {
    const victim = new pg.Client({ connectionString: POSTGRES_URL });
    victim.on('error', () => undefined);
    await victim.connect();
    const { rows } = await victim.query<{ pid: number }>('select pg_backend_pid() as pid');
    const killer = new pg.Client({ connectionString: POSTGRES_URL });
    await killer.connect();
    const sleeping = rejection(victim.query('select pg_sleep(30)'));
    // The sleep is under way once PostgreSQL shows it.
    for (;;) {
      const active = await killer.query("select 1 from pg_stat_activity where pid = $1 and state = 'active'", [rows[0]!.pid]);
      if (active.rowCount) break;
    }
    await killer.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
    await killer.end();
    const terminated = await sleeping;
    assert.equal((terminated as { code?: string }).code, '57P01');
    assert.equal(storeFault(terminated), 'database_unavailable');
    const after = await rejection(victim.query('select 1'));
    assert.equal(storeFault(after), 'database_unavailable', String(after));

    const refused = await rejection(new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/test` }).connect());
    assert.equal(storeFault(refused), 'database_unavailable', String(refused));
    const answer = toProblem(refused as Error);
    assert.deepEqual([answer.status, answer.code], [503, 'database_unavailable']);
    assert.ok((answer.retryAfter ?? 0) >= 1);
  });

  it('the broadcaster follows a tenant once the database is back, after a failed first try', async () => {
    const target = new URL(POSTGRES_URL);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(POSTGRES_URL);
    viaProxy.port = String(proxy.port);
    const errors: unknown[] = [];
    const proxied = await openStore({ databaseUrl: viaProxy.toString(), dataDir: database.dataDir, schema: database.schema, onConnectionError: (error) => errors.push(error) });
    const registry = new ConnectionRegistry();
    const notices = createLocalNotices();
    const broadcaster = new Broadcaster({
      db: proxied.db,
      clock: systemClock,
      registry,
      notices,
      metrics: createRealtimeMetrics(new Registry(), () => registry),
      retention: { maxEvents: 100_000, maxAgeMs: 7 * 24 * 3600_000 },
      onError: (error) => errors.push(error),
    });
    try {
      await proxy.stop();
      const away = await rejection(broadcaster.follow('default'));
      assert.equal(storeFault(away), 'database_unavailable', String(away));
      await proxy.start();
      assert.equal(await broadcaster.follow('default'), 0);
    } finally {
      broadcaster.close();
      await notices.close();
      await proxied.close();
      await proxy.stop();
    }
  });

  it('a bug is still a 500', () => {
    assert.equal(storeFault(new TypeError('x is undefined')), null);
    assert.equal(storeFault(Object.assign(new Error('duplicate key'), { code: '23505' })), null);
    assert.equal(toProblem(new Error('boom')).status, 500);
  });
});
