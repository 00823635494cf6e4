import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import type { Kysely } from 'kysely';
import { STATUSES, URGENCIES, type Incident, type IncidentScope } from '@alertautec/core';
import { toRow } from '../../src/incidents/repository.js';
import { incidentStats } from '../../src/incidents/stats.js';
import { openStore, type DialectName } from '../../src/store/db.js';
import type { Database } from '../../src/store/schema.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../helpers/databases.js';
import { migratedUpToBefore } from '../helpers/migrations.js';
import { incidentRows, recountStats, seededRandom } from '../helpers/stats-recount.js';

const MIGRATION = '0014-incident-stats';
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 15, 30, 0);
const FIRST = NOW - 100 * DAY;

/** Incidents of every status, urgency and department (some none), over 100 days, written as rows. */
async function insertIncidents(db: Kysely<Database>, database: TestDatabase, tenants: string[], count: number) {
  const random = seededRandom(14);
  // Only the columns the migrations so far created (later ones may add more).
  const table = (await db.introspection.getTables()).find((t) => t.name === 'incidents' && (database.schema === undefined || t.schema === database.schema))!;
  const present = new Set(table.columns.map((column) => column.name));
  for (const tenantId of tenants) await db.insertInto('tenants').values({ id: tenantId, name: tenantId, created_at: FIRST }).execute();
  const incidents: Incident[] = [];
  for (let i = 0; i < count; i++) {
    const createdAt = FIRST + random.int(100 * DAY);
    const status = random.pick(STATUSES);
    const acknowledged = status !== 'pending' || random.next() < 0.1;
    const acknowledgedAt = acknowledged ? createdAt + random.int(2 * DAY) : null;
    const resolvedAt = acknowledgedAt !== null && ['resolved', 'closed'].includes(status) ? acknowledgedAt + random.int(3 * DAY) : null;
    incidents.push({
      id: `inc-${String(i).padStart(5, '0')}`,
      tenantId: random.pick(tenants),
      category: random.pick(['infrastructure', 'security', 'cleaning', 'technology']),
      title: 'Incidente',
      description: 'Descripción',
      urgency: random.pick(URGENCIES),
      status,
      locationCode: null,
      locationText: 'Campus',
      lat: null,
      lng: null,
      departmentId: random.next() < 0.1 ? null : random.pick(['dep-a', 'dep-b', 'dep-c']),
      reporterId: random.pick(['student-1', 'student-2', 'student-3']),
      anonymous: false,
      createdAt,
      updatedAt: resolvedAt ?? acknowledgedAt ?? createdAt,
      acknowledgedAt,
      resolvedAt,
      slaDueAt: createdAt + random.pick([15, 60, 480, 1440]) * 60_000,
      affectedCount: 1,
      version: 1,
    });
  }
  for (let i = 0; i < incidents.length; i += 100) {
    const batch = incidents.slice(i, i + 100).map((incident) => Object.fromEntries(Object.entries(toRow(incident, 'incidente')).filter(([column]) => present.has(column))));
    await db.insertInto('incidents').values(batch as never).execute();
  }
}

await describeEachDatabase(`migration ${MIGRATION}`, (dialect: DialectName) => {
  const cleanup: (() => Promise<void>)[] = [];
  after(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('counts the incidents already stored, equal to a recount, and logs its progress', async () => {
    const database = await createTestDatabase(dialect);
    cleanup.push(() => database.drop());
    const early = await migratedUpToBefore(database, MIGRATION);
    await insertIncidents(early, database, ['campus-1', 'campus-2'], 600);
    await early.destroy();

    const logged: { fields: Record<string, unknown>; message: string }[] = [];
    const store = await openStore({
      databaseUrl: database.databaseUrl,
      dataDir: database.dataDir,
      schema: database.schema,
      log: (fields, message) => logged.push({ fields, message }),
    });
    cleanup.push(() => store.close());
    const mine = logged.filter((line) => line.fields.migration === MIGRATION);
    assert.ok(mine.length >= 2, 'progress lines of the backfill');
    assert.equal(mine.at(-1)!.fields.incidents, 600);

    const periods = [
      {},
      { from: FIRST + 10 * DAY + 3_600_000, to: NOW - 5 * DAY - 60_000 }, // partial days, blocks, days
      { from: Math.floor(FIRST / DAY) * DAY + 40 * DAY },
      { to: FIRST + 33 * DAY + 1 },
      { from: FIRST + 50 * DAY + 1000, to: FIRST + 50 * DAY + 5000 },
    ];
    for (const tenantId of ['campus-1', 'campus-2']) {
      const rows = await incidentRows(store.db, tenantId);
      assert.ok(rows.length > 200);
      const scopes: { scope: IncidentScope; recount: { departmentId?: string | null; reporterId?: string } }[] = [
        { scope: { kind: 'tenant', tenantId }, recount: {} },
        ...['dep-a', 'dep-b', 'dep-c'].map((departmentId) => ({ scope: { kind: 'department' as const, tenantId, departmentId }, recount: { departmentId } })),
        { scope: { kind: 'department', tenantId, departmentId: null }, recount: { departmentId: null } },
        { scope: { kind: 'reporter', tenantId, reporterId: 'student-2' }, recount: { reporterId: 'student-2' } },
      ];
      for (const { scope, recount } of scopes) {
        for (const period of periods) {
          const expected = recountStats(rows, recount, period, NOW);
          const actual = await incidentStats(store.db, scope, { from: period.from ?? null, to: period.to ?? null }, NOW);
          assert.deepEqual(actual, expected, `${tenantId} ${JSON.stringify(scope)} ${JSON.stringify(period)}`);
        }
      }
    }
    // The tenant-wide answers came from counters: all time holds every incident once.
    const total = await store.db.selectFrom('incident_stats').select((eb) => eb.fn.sum<number | string>('incidents').as('n')).where('span_days', '=', 0).executeTakeFirstOrThrow();
    assert.equal(Number(total.n), 600);
  });
});
