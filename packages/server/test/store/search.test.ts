import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { foldText, type Incident } from '@alertautec/core';
import { CompiledQuery, sql } from 'kysely';
import { systemClock } from '../../src/adapters.js';
import { indexedMatch, matchesSearch, searchTerms, wordStartMatch } from '../../src/incidents/search-condition.js';
import { incidentsRepository, toRow } from '../../src/incidents/repository.js';
import type { Store } from '../../src/store/db.js';
import { INDEX_QUEUED_SQL } from '../../src/store/search-queue.js';
import type { Db } from '../../src/store/executor.js';
import { createTenant } from '../../src/tenants/bootstrap.js';
import { createTestDatabase, openTestStore, postgresUnavailable, type TestDatabase } from '../helpers/databases.js';

// The same corpus in both stores, the same ids: every query must answer the same ids in the
// same order on SQLite (FTS5) and PostgreSQL (GIN over a tsvector), and what a plain reading
// of the rule says (each query word begins a word of the folded text).

const TENANT = 'search-parity';

const TEXTS: [title: string, description: string, place: string | null][] = [
  ['Proyector no enciende', 'El proyector del aula-301 no prende', 'Aula A-301'],
  ['PROYECCIÓN borrosa', 'La proyección se ve mal desde atrás', 'Auditorio'],
  ['Proyectores nuevos', 'Faltan cables HDMI para los proyectores', 'Pabellón B, piso 3'],
  ['Tubería rota', 'Sale agua sin parar; ¡urgente!', 'Baño del piso 2'],
  ['Señal débil', 'Sin WiFi ni señal de celular', 'Biblioteca'],
  ['Café derramado', 'Cafetería: piso resbaloso', 'Cafetería central'],
  ['Ñandú en el campus', 'Un ñandú suelto (sí, en serio)', null],
  ['Near the door', 'NEAR AND OR NOT: the "words" are plain text', 'Puerta 2'],
  ['Cable suelto', 'cable-suelto en el laboratorio_3 "peligro"', 'Laboratorio 3'],
  ['Aire acondicionado', 'El A/C del aula 301 gotea', 'Aula 301'],
  ['Olor extraño', 'Huele a gas cerca del laboratorio de química', 'Laboratorio de Química'],
  ['Ventana rota', 'Vidrio roto en la ventana; cuidado', 'Pabellón A'],
  [`Palabra larga ${'x'.repeat(70)}`, `${'supercalifragilistico'.repeat(5)} fin`, null],
];

// Accents, case, punctuation, parts of words, several words, words matching nothing,
// and text that is query syntax for FTS5 or tsquery (it must mean only its words).
const QUERIES = [
  'proyector', 'Proyector', 'PROYECTOR', 'proyec', 'proy', 'pr', 'p',
  'proyeccion', 'proyección', 'PROYECCIÓN', 'proyeccio',
  'aula-301', 'A-301', 'aula 301', '301', '30', 'a 301',
  'tuberia rota', 'rota tuberia', 'rot', 'tuberia inexistente', 'zzzz', 'inexistente',
  'senal', 'señal', 'SEÑAL', 'nandu', 'ñandú', 'cafe', 'cafetería', 'CAFÉ',
  'near', 'NEAR', 'and', 'or not', '"words"', 'near(door)', 'cable-suelto', 'laboratorio_3',
  'quimica laboratorio', 'lab quim', 'a/c', 'piso', 'piso 2', 'piso 3',
  'x'.repeat(70), 'x'.repeat(64), 'x'.repeat(80), 'supercalifragilistico',
  'yector', 'ctor', // the middle of a word: not a match (words match from their start)
];

const REQUIRE_POSTGRES = process.env.REQUIRE_POSTGRES === '1';
const unavailable = await postgresUnavailable();

/** The words `q` becomes (as the incidents service folds them). */
const wordsOf = (q: string) => q.split(/\s+/).flatMap((token) => foldText(token).split(' ').filter(Boolean));

/** The rule read plainly: every query word begins some word of the folded text. */
const matchesByRule = (searchText: string, words: string[]) => {
  const own = searchText.split(' ');
  return words.every((word) => own.some((candidate) => candidate.startsWith(word)));
};

describe('text search index: SQLite and PostgreSQL answer the same', { skip: unavailable && !REQUIRE_POSTGRES ? unavailable : false }, () => {
  const databases: TestDatabase[] = [];
  const stores: Store[] = [];
  const corpus: { id: string; searchText: string }[] = [];
  const incidents: Incident[] = [];

  before(async () => {
    if (unavailable) assert.fail(unavailable);
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const database = await createTestDatabase(dialect);
      databases.push(database);
      const store = await openTestStore(database);
      stores.push(store);
      await createTenant(store.db, systemClock, TENANT, 'Paridad');
    }
    const base = Date.UTC(2026, 0, 5);
    TEXTS.forEach(([title, description, place], i) => {
      // Time-ordered ids, as newId makes them: newest first is the reverse of this order.
      const id = `0190a6e0-${String(i).padStart(4, '0')}-7000-8000-000000000000`;
      const incident: Incident = {
        id,
        tenantId: TENANT,
        category: 'other',
        title,
        description,
        urgency: 'low',
        status: 'pending',
        locationCode: null,
        locationText: place,
        lat: null,
        lng: null,
        departmentId: null,
        reporterId: 'reporter',
        anonymous: false,
        createdAt: base + i,
        updatedAt: base + i,
        acknowledgedAt: null,
        resolvedAt: null,
        slaDueAt: base + i + 3_600_000,
        affectedCount: 1,
        version: 1,
      };
      // The folded text as the service stores it (draft.ts: title, description, place).
      corpus.push({ id, searchText: foldText([title, description, place].filter(Boolean).join(' ')) });
      incidents.push(incident);
    });
    for (const store of stores) {
      for (const [i, incident] of incidents.entries()) {
        await store.write((trx) => incidentsRepository.insert(trx, toRow(incident, corpus[i]!.searchText)));
      }
    }
  });

  after(async () => {
    for (const store of stores) await store.close();
    for (const database of databases) await database.drop();
  });

  // How the list applies `q` (on SQLite it picks one of the two ways below), or one way forced.
  type Way = 'chosen' | 'index' | 'row by row';
  const search = async (store: Store, q: string, way: Way = 'chosen') => {
    const terms = searchTerms(wordsOf(q));
    const condition =
      way === 'chosen' ? await matchesSearch(store.db, wordsOf(q)) : way === 'index' ? indexedMatch(store.db, terms) : wordStartMatch(terms);
    const rows = await store.db.selectFrom('incidents').select('id').where('tenant_id', '=', TENANT).where(condition).orderBy('id', 'desc').execute();
    return rows.map((row) => row.id);
  };

  it('finds the same ids in the same order on both, as the rule says', async () => {
    for (const q of QUERIES) {
      const expected = corpus.filter((entry) => matchesByRule(entry.searchText, wordsOf(q).map((word) => [...word].slice(0, 64).join('')))).map((entry) => entry.id).reverse();
      for (const way of ['chosen', 'index', 'row by row'] as const) {
        const [onSqlite, onPostgres] = await Promise.all(stores.map((store) => search(store, q, way)));
        assert.deepEqual(onSqlite, onPostgres, `q=${q} (${way}): SQLite and PostgreSQL differ`);
        assert.deepEqual(onSqlite, expected, `q=${q} (${way})`);
      }
    }
  });

  it('is accent-, case- and punctuation-blind and matches the start of words', async () => {
    const [sqlite] = stores;
    const titleOf = async (q: string) => {
      const ids = await search(sqlite!, q);
      return TEXTS.filter((_, i) => ids.includes(corpus[i]!.id)).map(([title]) => title);
    };
    assert.deepEqual(await titleOf('proyec'), ['Proyector no enciende', 'PROYECCIÓN borrosa', 'Proyectores nuevos']);
    assert.deepEqual(await titleOf('proyeccion'), ['PROYECCIÓN borrosa']);
    assert.deepEqual(await titleOf('PROYECCIÓN'), await titleOf('proyeccion'));
    assert.deepEqual(await titleOf('aula-301'), ['Proyector no enciende', 'Aire acondicionado']);
    assert.deepEqual(await titleOf('tuberia rota'), ['Tubería rota']);
    assert.deepEqual(await titleOf('ñandu'), ['Ñandú en el campus']);
    assert.deepEqual(await titleOf('near'), ['Near the door']);
    assert.deepEqual(await titleOf('tuberia inexistente'), []);
    assert.deepEqual(await titleOf('yector'), []);
  });

  it('indexes words written later too (in the writing transaction)', async () => {
    for (const store of stores) {
      const incident = { ...incidents[0]!, id: '0190a6e0-9999-7000-8000-000000000000', title: 'Escalera mecánica detenida' };
      await store.write((trx) => incidentsRepository.insert(trx, toRow(incident, foldText(`${incident.title} ${incident.description}`))));
      assert.deepEqual(await search(store, 'mecanica deten', 'index'), [incident.id], store.dialect);
    }
  });

  it('SQLite: indexes a batch once at its commit, leaves out a write rolled back, and picks up rows written outside the group commit', async () => {
    const sqlite = stores.find((store) => store.dialect === 'sqlite')!;
    const queued = async () => Number((await sql<{ n: number }>`select count(*) as n from incidents_search_queue`.execute(sqlite.db)).rows[0]!.n);
    const make = (n: number, title: string) => ({ ...incidents[0]!, id: `0190a6e0-8888-7000-8000-00000000000${n}`, title });
    const kept = make(1, 'Pizarra rayada');
    const rolledBack = make(2, 'Pizarra caida');
    // Two writes in one batch; the second fails after inserting, so its savepoint is rolled back.
    const results = await Promise.allSettled([
      sqlite.write((trx) => incidentsRepository.insert(trx, toRow(kept, foldText(kept.title)))),
      sqlite.write(async (trx) => {
        await incidentsRepository.insert(trx, toRow(rolledBack, foldText(rolledBack.title)));
        throw new Error('refused after the insert');
      }),
    ]);
    assert.equal(results[0].status, 'fulfilled');
    assert.equal(results[1].status, 'rejected');
    assert.deepEqual(await search(sqlite, 'pizarra', 'index'), [kept.id]);
    assert.equal(await queued(), 0, 'the batch emptied the queue before committing');
    // A bulk loader writing straight to the file (no group commit) leaves its rows queued ...
    const direct = make(3, 'Pizarra nueva');
    await sqlite.db.insertInto('incidents').values(toRow(direct, foldText(direct.title))).execute();
    assert.equal(await queued(), 1);
    assert.deepEqual(await search(sqlite, 'pizarra nueva', 'index'), []);
    // ... until the next batch, whatever it writes, indexes them.
    await sqlite.write(async (trx) => void (await sql`select 1`.execute(trx)));
    assert.deepEqual(await search(sqlite, 'pizarra nueva', 'index'), [direct.id]);
    assert.equal(await queued(), 0);
    // Every batch runs it: it must read the queue and find each incident by id, never walk them all.
    const plan = (await sqlite.db.executeQuery(CompiledQuery.raw(`explain query plan ${INDEX_QUEUED_SQL}`))).rows as { detail: string }[];
    assert.ok(plan.some((step) => /SCAN q/.test(step.detail)), JSON.stringify(plan));
    assert.ok(!plan.some((step) => /SCAN i\b/.test(step.detail)), JSON.stringify(plan));
  });

  it('is answered from the index on both', async () => {
    const [sqlite, postgres] = stores;
    const explain = (db: Db, prefix: string) => {
      const compiled = db.selectFrom('incidents').select('id').where(indexedMatch(db, ['proyec'])).compile();
      return db.executeQuery(CompiledQuery.raw(`${prefix} ${compiled.sql}`, [...compiled.parameters]));
    };
    assert.match(JSON.stringify((await explain(sqlite!.db, 'explain query plan')).rows), /incidents_search VIRTUAL TABLE INDEX/);
    // SQLite reads rare words from the index and checks common ones on the rows it walks.
    const chosen = async (words: string[]) => (await matchesSearch(sqlite!.db, words)).compile(sqlite!.db).sql;
    assert.match(await chosen(['zarigueya']), /incidents_search match/);
    assert.match(await chosen(['proyec']), /incidents_search match/);
    assert.match(await chosen(['p']), /search_text\) like/);
    // A word with 2,000 matches or more is checked along the list's order (index rows alone
    // are enough to count: they are what the choice reads).
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000)
      insert into incidents_search (incident_id, words) select 'frequent-' || i, 'frecuente' from n`.execute(sqlite!.db);
    assert.match(await chosen(['frecuente']), /search_text\) like/);
    assert.match(await chosen(['frecuente', 'zarigueya']), /incidents_search match/, 'a rare word with a common one: few matches');
    await sql`delete from incidents_search where incident_id like 'frequent-%'`.execute(sqlite!.db);
    const postgresPlan = await postgres!.db.connection().execute(async (connection) => {
      // Even a tiny table is read through the index when the alternative is priced out:
      // this fails if the query's expression is not the one the index was built on.
      await sql`set enable_seqscan = off`.execute(connection);
      try {
        return await explain(connection, 'explain');
      } finally {
        await sql`reset enable_seqscan`.execute(connection);
      }
    });
    assert.match(JSON.stringify(postgresPlan.rows), /Bitmap Index Scan on incidents_search/);
  });
});
