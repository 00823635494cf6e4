import assert from 'node:assert/strict';
import path from 'node:path';
import { after, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { foldText } from '@alertautec/core';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { indexedMatch } from '../../src/incidents/search-condition.js';
import { openStore, type Store } from '../../src/store/db.js';
import { migrations } from '../../src/store/migrations/index.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../helpers/databases.js';

// A database made before migration 0012 holds incidents; bringing it up to date builds the
// search index over them and tells the log how far it got.

// The last migration after which `incidents` still has the columns of 0002 (the rows below
// are written in that shape); the later ones, 0012 among them, run over these rows.
const BEFORE = '0009-reports';

const TENANT = 'migrated';
const OLD = [
  { title: 'Proyector sin señal', description: 'No hay imagen en el aula A-301' },
  { title: 'Tubería rota', description: 'Sale agua en el baño' },
  { title: 'Proyección borrosa', description: 'Se ve mal desde atrás' },
];

async function openRaw(database: TestDatabase): Promise<Kysely<unknown>> {
  if (database.dialect === 'sqlite') {
    return new Kysely({ dialect: new SqliteDialect({ database: new SQLite(path.join(database.dataDir, 'alertautec.db')) }) });
  }
  const db = new Kysely<unknown>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.databaseUrl!, max: 1, options: `-c search_path=${database.schema}` }) }),
  });
  await sql`create schema ${sql.id(database.schema!)}`.execute(db);
  return db;
}

await describeEachDatabase('search migration (0012)', (dialect) => {
  let database: TestDatabase;
  let store: Store | undefined;

  after(async () => {
    await store?.close();
    await database?.drop();
  });

  it('builds the search index for incidents that were already there, with progress in the log', async () => {
    database = await createTestDatabase(dialect);
    const raw = await openRaw(database);
    const migrator = new Migrator({ db: raw, provider: { getMigrations: async () => migrations }, ...(database.schema ? { migrationTableSchema: database.schema } : {}) });
    const migrated = await migrator.migrateTo(BEFORE);
    assert.equal(migrated.error, undefined);
    assert.ok(!(await sql`select 1 from incidents_search`.execute(raw).then(() => true, () => false)), 'no search index before 0012');

    const now = Date.UTC(2026, 0, 5);
    await sql`insert into tenants (id, name, created_at) values (${TENANT}, 'Migrada', ${now})`.execute(raw);
    const ids: string[] = [];
    for (const [i, { title, description }] of OLD.entries()) {
      const id = `0190a6e0-${String(i).padStart(4, '0')}-7000-8000-000000000000`;
      ids.push(id);
      // On SQLite the rows sit 15,000 rowids apart, so the build goes through several batches.
      const rowid = dialect === 'sqlite' ? sql`${1 + i * 15_000}, ` : sql``;
      await sql`insert into incidents (${sql.raw(dialect === 'sqlite' ? 'rowid, ' : '')}id, tenant_id, category, title, description, urgency, status,
          location_code, location_text, lat, lng, department_id, reporter_id, anonymous, created_at, updated_at,
          acknowledged_at, resolved_at, sla_due_at, version, search_text)
        values (${rowid}${id}, ${TENANT}, 'other', ${title}, ${description}, 'low', 'pending', null, 'Pabellón A', null, null, null,
          'reporter', 0, ${now + i}, ${now + i}, null, null, ${now + i + 3_600_000}, 1, ${foldText(`${title} ${description} Pabellón A`)})`.execute(raw);
    }
    await raw.destroy();

    const lines: { fields: Record<string, unknown>; message: string }[] = [];
    store = await openStore({
      databaseUrl: database.databaseUrl,
      dataDir: database.dataDir,
      schema: database.schema,
      log: (fields, message) => lines.push({ fields, message }),
    });

    const search = async (...words: string[]) =>
      (
        await store!.db
          .selectFrom('incidents')
          .select('id')
          .where('tenant_id', '=', TENANT)
          .where(indexedMatch(store!.db, words))
          .orderBy('id', 'desc')
          .execute()
      ).map((row) => row.id);
    assert.deepEqual(await search('proyec'), [ids[2], ids[0]]);
    assert.deepEqual(await search('tuberia'), [ids[1]]);
    assert.deepEqual(await search('senal', 'a', '301'), [ids[0]]);
    assert.deepEqual(await search('pabellon'), [...ids].reverse());
    // The answers come from the index: it exists and holds the old rows.
    if (dialect === 'sqlite') {
      const { rows } = await sql<{ n: number }>`select count(*) as n from incidents_search`.execute(store.db);
      assert.equal(rows[0]?.n, OLD.length);
    } else {
      const { rows } = await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema() and tablename = 'incidents'`.execute(store.db);
      assert.ok(rows.some((row) => row.name === 'incidents_search'));
    }

    const ours = lines.filter((line) => line.fields.migration === '0012-search');
    assert.equal(ours[0]?.message, 'building the incident search index');
    assert.equal(ours[0]?.fields.incidents, OLD.length);
    assert.equal(ours.at(-1)?.message, 'incident search index built');
    assert.equal(typeof ours.at(-1)?.fields.ms, 'number');
    if (dialect === 'sqlite') {
      const batches = ours.filter((line) => line.message === 'indexing incidents for search');
      assert.ok(batches.length >= 3, `${batches.length} progress lines`);
      assert.deepEqual(batches.map((line) => line.fields.indexed).at(-1), OLD.length);
    }
  });
});
