import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { UserActor } from '@alertautec/core';
import { loadConfig } from '../../src/config.js';
import { eventLog } from '../../src/events/log.js';
import { createSystem, type System } from '../../src/system.js';
import { createTenant } from '../../src/tenants/bootstrap.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../helpers/databases.js';

/**
 * The log's promise to every consumer: a reader tailing by cursor sees each event exactly
 * once, in seq order, with no gaps — while writers commit concurrently.
 */
const WRITERS = 8;
const CHANGES_PER_WRITER = 500;

await describeEachDatabase('event log ordering', (dialect) => {
  let database: TestDatabase;
  let system: System;
  const authority: UserActor = { kind: 'user', userId: 'authority-1', tenantId: 'default', role: 'authority', departmentId: null };
  const reporter: UserActor = { kind: 'user', userId: 'student-1', tenantId: 'default', role: 'student', departmentId: null };

  before(async () => {
    database = await createTestDatabase(dialect);
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: database.dataDir, LOG_LEVEL: 'silent', ALERTA_DEMO: '0', PASSWORD_HASH_COST: '10', ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}) });
    system = await createSystem(config, { databaseSchema: database.schema });
  });
  after(async () => {
    await system?.close();
    await database?.drop();
  });

  it(`${WRITERS} concurrent writers × ${CHANGES_PER_WRITER} changes: a tailing reader sees every event once, in order, without gaps`, async () => {
    const { incidents } = system.services;
    const { db } = system.store;
    const startSeq = await eventLog.head(db, 'default');

    let writersDone = false;
    const seen: number[] = [];
    const reader = (async () => {
      let cursor = startSeq;
      for (;;) {
        const batch = await eventLog.readAfter(db, 'default', cursor, 250);
        for (const { event } of batch) {
          // A gap here would mean a later seq became visible before an earlier one committed.
          assert.equal(event.seq, cursor + 1, `after seq ${cursor} the reader found ${event.seq}`);
          cursor = event.seq;
          seen.push(event.seq);
        }
        if (batch.length === 0) {
          if (writersDone && cursor === (await eventLog.head(db, 'default'))) return;
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      }
    })();

    const writer = async (w: number) => {
      const created = await incidents.create(reporter, { category: 'infrastructure', description: `Writer ${w}`, urgency: 'low', locationText: `Lugar ${w}` });
      await incidents.changeStatus(authority, created.incident.id, { status: 'in_progress' }, undefined);
      // 2 changes so far; the rest alternate between a status change and a comment.
      let status: 'in_progress' | 'escalated' = 'in_progress';
      for (let change = 2; change < CHANGES_PER_WRITER; change++) {
        if (change % 2 === 0) {
          status = status === 'in_progress' ? 'escalated' : 'in_progress';
          await incidents.changeStatus(authority, created.incident.id, { status }, undefined);
        } else {
          await incidents.comment(authority, created.incident.id, { text: `nota ${w}-${change}`, internal: change % 3 === 0 });
        }
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    writersDone = true;
    await reader;

    assert.equal(seen.length, WRITERS * CHANGES_PER_WRITER);
    assert.equal(new Set(seen).size, seen.length, 'no event seen twice');
    assert.equal(seen[0], startSeq + 1);
    assert.equal(seen.at(-1), startSeq + WRITERS * CHANGES_PER_WRITER);

    const stored = await db.selectFrom('incident_events').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', 'default').executeTakeFirstOrThrow();
    assert.equal(Number(stored.n), seen.length);
  });

  it('numbers each tenant’s log on its own', async () => {
    const { incidents } = system.services;
    await createTenant(system.store.db, system.clock, 'second', 'Second campus');
    const other: UserActor = { kind: 'user', userId: 'student-2', tenantId: 'second', role: 'student', departmentId: null };
    const before = await eventLog.head(system.store.db, 'default');
    await incidents.create(other, { category: 'health', description: 'Desmayo', urgency: 'critical', locationText: 'Patio' });
    await incidents.create(other, { category: 'health', description: 'Otro desmayo', urgency: 'critical', locationText: 'Patio' });
    const log = await eventLog.readAfter(system.store.db, 'second', 0, 10);
    assert.deepEqual(log.map(({ event }) => event.seq), [1, 2]);
    assert.equal(await eventLog.head(system.store.db, 'default'), before, 'the default tenant’s log did not move');
  });
});
