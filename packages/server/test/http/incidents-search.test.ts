import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startApp, type TestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { createUser, reportSeed, type IncidentSeed } from '../helpers/fixtures.js';

// `q` through the API on both stores: the indexed search keeps today's fields (title,
// description, place), visibility and filters, and text that is query syntax to FTS5 or
// tsquery is only text.

interface Seed extends IncidentSeed {
  key: string;
  by: 'student' | 'student2' | 'admin';
  status?: string;
}

// Created in this order: newest first is the reverse.
const SEEDS: Seed[] = [
  { key: 'projector', by: 'student', category: 'technology', urgency: 'low', title: 'Proyector no enciende', description: 'El cañón no prende', locationCode: 'A-301' },
  { key: 'projection', by: 'student2', category: 'technology', urgency: 'high', title: 'PROYECCIÓN borrosa', description: 'Se ve mal', locationText: 'Auditorio' },
  { key: 'projectors', by: 'admin', category: 'technology', urgency: 'medium', title: 'Proyectores nuevos', description: 'Faltan cables', locationText: 'Pabellón B', status: 'in_progress' },
  { key: 'pipe', by: 'student', category: 'infrastructure', urgency: 'high', title: 'Tubería rota', description: 'Sale agua; ¡urgente!', locationText: 'Aula-301' },
  { key: 'near', by: 'student2', category: 'other', urgency: 'low', title: 'Near AND OR NOT', description: 'Texto con "comillas" y * asteriscos', locationText: 'Puerta 2' },
];

await describeEachDatabase('incident search (q)', (dialect) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const keyOf = new Map<string, string>();

  before(async () => {
    t = await startApp({ dialect, env: { ALERTA_DEMO: '1' } });
    tokens.admin = await t.adminToken();
    tokens.student = (await createUser(t, 'student')).token;
    tokens.student2 = (await createUser(t, 'student')).token;
    for (const seed of SEEDS) {
      const created = await reportSeed(t, tokens[seed.by]!, seed);
      keyOf.set(created.id, seed.key);
      if (seed.status) {
        const moved = await t.request('PATCH', `/api/incidents/${created.id}`, { token: tokens.admin, body: { status: seed.status } });
        assert.equal(moved.status, 200, moved.text);
      }
    }
  });

  after(() => t?.close());

  const search = async (query: string, token = tokens.admin!) => {
    const answer = await t.request('GET', `/api/incidents?${query}&limit=200`, { token });
    assert.equal(answer.status, 200, `${query}: ${answer.text}`);
    return (answer.body.items as { id: string }[]).map((item) => keyOf.get(item.id) ?? 'other');
  };
  const q = (text: string) => `q=${encodeURIComponent(text)}`;

  it('matches words from their start, ignoring accents, case and punctuation', async () => {
    assert.deepEqual(await search(q('proyec')), ['projectors', 'projection', 'projector']);
    assert.deepEqual(await search(q('proyeccion')), ['projection']);
    assert.deepEqual(await search(q('PROYECCIÓN')), ['projection']);
    // A-301 is the demo campus's "Pabellón A – Aula 301": its code and name are searched too.
    assert.deepEqual(await search(q('aula-301')), ['pipe', 'projector']);
    assert.deepEqual(await search(q('A-301')), ['pipe', 'projector']);
    assert.deepEqual(await search(q('pabellon b')), ['projectors']);
    assert.deepEqual(await search(q('tuberia ROTA')), ['pipe']);
    assert.deepEqual(await search(q('tuberia nada')), []);
    assert.deepEqual(await search(q('canon')), ['projector']);
  });

  it('combines with the filters', async () => {
    assert.deepEqual(await search(`${q('proyec')}&status=in_progress`), ['projectors']);
    assert.deepEqual(await search(`${q('proyec')}&urgency=high&urgency=low`), ['projection', 'projector']);
    assert.deepEqual(await search(`${q('proyec')}&category=infrastructure`), []);
    assert.deepEqual(await search(`${q('proyec')}&mine=true`), ['projectors']);
  });

  it('shows a student only what they may see', async () => {
    assert.deepEqual(await search(q('proyec'), tokens.student), ['projector']);
    assert.deepEqual(await search(q('proyec'), tokens.student2), ['projection']);
    assert.deepEqual(await search(q('tuberia'), tokens.student2), []);
  });

  it('never fails on text that is query syntax elsewhere', async () => {
    const hostile = [
      '"', '""', '"proyector', "'", "''", '*', 'proy*', '-', '-proyector', '+', '^', ':', '(', ')', '{', '}', '[', ']',
      'NEAR', 'NEAR(proyector tuberia)', 'proyector AND tuberia', 'proyector OR tuberia', 'NOT proyector', 'proyector NOT tuberia',
      'title:proyector', '&', '|', '!', '<->', ':*', "'proyec':*", 'proyec:*', '\\', '\\"', '%', '_', '*)(*', 'a & b | !c',
      'ñ', '–—', '😀', 'x'.repeat(200),
    ];
    for (const text of hostile) {
      const answer = await t.request('GET', `/api/incidents?${q(text)}`, { token: tokens.admin });
      assert.equal(answer.status, 200, `q=${text}: ${answer.status} ${answer.text}`);
    }
    // Operators are plain words: every one must be there.
    assert.deepEqual(await search(q('near and or not')), ['near']);
    assert.deepEqual(await search(q('proyector OR tuberia')), []);
    assert.deepEqual(await search(q('"comillas"')), ['near']);
    assert.deepEqual(await search(q('proy*')), ['projectors', 'projection', 'projector']);
  });
});
