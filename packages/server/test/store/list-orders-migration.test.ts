import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { STATUSES, URGENCIES, openRank, urgencyRank, type Incident } from '@alertautec/core';
import { toRow } from '../../src/incidents/repository.js';
import { openStore, type DialectName } from '../../src/store/db.js';
import { createTestDatabase, describeEachDatabase } from '../helpers/databases.js';
import { columnsOf, migratedUpToBefore } from '../helpers/migrations.js';

const MIGRATION = '0013-list-orders';
const NOW = Date.UTC(2026, 5, 1, 15, 30, 0);

// Incidents stored before migration 0013 get their open and urgency ranks (docs/incidents.md "Orders").
await describeEachDatabase(`migration ${MIGRATION}`, (dialect: DialectName) => {
  const cleanup: (() => Promise<void>)[] = [];
  after(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('gives the incidents already stored their open and urgency ranks', async () => {
    const database = await createTestDatabase(dialect);
    cleanup.push(() => database.drop());
    const early = await migratedUpToBefore(database, MIGRATION);
    const present = await columnsOf(early, database, 'incidents');
    assert.ok(!present.has('open_rank'));
    await early.insertInto('tenants').values({ id: 'campus', name: 'Campus', created_at: NOW }).execute();
    const incidents: Incident[] = STATUSES.flatMap((status, s) =>
      URGENCIES.map((urgency, u) => ({
        id: `inc-${s}-${u}`,
        tenantId: 'campus',
        category: 'technology',
        title: 'Incidente',
        description: 'Descripción',
        urgency,
        status,
        locationCode: null,
        locationText: 'Campus',
        lat: null,
        lng: null,
        departmentId: 'dep-a',
        reporterId: 'student-1',
        anonymous: false,
        createdAt: NOW + s * 1000 + u,
        updatedAt: NOW + s * 1000 + u,
        acknowledgedAt: null,
        resolvedAt: null,
        slaDueAt: NOW + 3_600_000 - u * 60_000,
        affectedCount: 1,
        version: 1,
      })),
    );
    const rows = incidents.map((incident) => Object.fromEntries(Object.entries(toRow(incident, 'incidente')).filter(([column]) => present.has(column))));
    await early.insertInto('incidents').values(rows as never).execute();
    await early.destroy();

    const store = await openStore({ databaseUrl: database.databaseUrl, dataDir: database.dataDir, schema: database.schema });
    cleanup.push(() => store.close());
    const stored = await store.db.selectFrom('incidents').select(['id', 'status', 'urgency', 'open_rank', 'urgency_rank']).orderBy('id').execute();
    assert.equal(stored.length, STATUSES.length * URGENCIES.length);
    for (const row of stored) {
      assert.equal(Number(row.open_rank), openRank(row.status as Incident['status']), row.id);
      assert.equal(Number(row.urgency_rank), urgencyRank(row.urgency as Incident['urgency']), row.id);
    }
  });
});
