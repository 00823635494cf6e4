import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApp, type TestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { createUser, reportSeed, type IncidentSeed } from '../helpers/fixtures.js';

interface Incident {
  id: string;
  title: string;
  status: string;
  urgency: string;
  category: string;
  departmentId: string;
  reporterId: string | null;
}

interface Seed extends IncidentSeed {
  key: string;
  by: 'student' | 'student2' | 'admin';
  moves?: string[];
}

// Created in this order, so the newest is last.
const SEEDS: Seed[] = [
  { key: 'pipe', category: 'infrastructure', urgency: 'high', title: 'Tubería rota', description: 'Sale agua sin parar', locationText: 'Baño del piso 2', by: 'student' },
  { key: 'projector', category: 'technology', urgency: 'low', title: 'Proyector', description: 'El cañón del aula no prende', locationCode: 'A-301', by: 'student' },
  { key: 'basement', category: 'infrastructure', urgency: 'medium', title: 'Humedad', description: 'Mancha grande en la pared', locationText: 'Sótano, junto a la TUBERIA', by: 'student2', moves: ['in_progress'] },
  { key: 'ceiling', category: 'infrastructure', urgency: 'critical', title: 'Techo', description: 'Gotea la tubería del techo', locationText: 'Biblioteca', by: 'admin', moves: ['in_progress', 'resolved'] },
  { key: 'percent', category: 'other', urgency: 'low', title: 'Descuento 100% falso', description: 'Cartel engañoso', locationText: 'Cafetería', by: 'student' },
  { key: 'underscore', category: 'technology', urgency: 'medium', title: 'archivo_final corrupto', description: 'No abre el archivo', locationText: 'Laboratorio 3', by: 'student2' },
  { key: 'lab', category: 'health', urgency: 'high', title: 'Derrame', description: 'Reactivo derramado', locationText: 'Laboratorio de Química', by: 'admin', moves: ['rejected'] },
  { key: 'theft', category: 'security', urgency: 'critical', title: 'Robo de laptop', description: 'En la sala de estudio', locationText: 'Pabellón B', by: 'student', moves: ['escalated'] },
  { key: 'trash', category: 'cleaning', urgency: 'medium', title: 'Basura acumulada', description: 'Tachos llenos', locationText: 'Patio central', by: 'student2', moves: ['in_progress', 'resolved', 'closed'] },
  { key: 'wifi', category: 'technology', urgency: 'high', title: 'Sin WiFi', description: 'La red se cae cada rato', locationText: 'Aula 505', by: 'admin' },
  { key: 'light', category: 'infrastructure', urgency: 'low', title: 'Foco quemado', description: 'Pasillo oscuro', locationText: 'Pabellón A, piso 3', by: 'student' },
  { key: 'door', category: 'security', urgency: 'medium', title: 'Puerta sin cerrar', description: 'La puerta trasera queda abierta', locationText: 'Puerta 2', by: 'student', moves: ['resolved'] },
];

// Filtering and search are SQL, so they run on both stores.
await describeEachDatabase('incident lists', (dialect) => {
  let t: TestApp;
  let admin: string;
  const tokens: Record<string, string> = {};
  const made = new Map<string, Incident>();
  let newestFirst: string[];
  let adminId: string;

  before(async () => {
    t = await startApp({ dialect, env: { ALERTA_DEMO: '1' } });
    admin = await t.adminToken();
    adminId = (await t.request('GET', '/api/auth/me', { token: admin })).body.id;
    tokens.admin = admin;
    tokens.student = (await createUser(t, 'student')).token;
    tokens.student2 = (await createUser(t, 'student')).token;
    for (const seed of SEEDS) {
      const created = await reportSeed(t, tokens[seed.by]!, seed);
      let incident = created as Incident;
      for (const status of seed.moves ?? []) {
        const moved = await t.request('PATCH', `/api/incidents/${incident.id}`, { token: admin, body: { status, note: 'Motivo de la prueba' } });
        assert.equal(moved.status, 200, moved.text);
        incident = moved.body;
      }
      made.set(seed.key, incident);
    }
    newestFirst = SEEDS.map((seed) => made.get(seed.key)!.id).reverse();
  });
  after(() => t.close());

  const list = async (query = '', token = admin) => {
    const answer = await t.request('GET', `/api/incidents${query ? `?${query}` : ''}`, { token });
    assert.equal(answer.status, 200, `${query}: ${answer.text}`);
    return answer.body as { items: Incident[]; nextCursor: string | null };
  };
  const keysOf = (items: Incident[]) => items.map((item) => SEEDS.find((seed) => made.get(seed.key)!.id === item.id)?.key ?? item.id);
  /** The seeds matching a predicate, newest first. */
  const expectKeys = (predicate: (seed: Seed, incident: Incident) => boolean) =>
    SEEDS.filter((seed) => predicate(seed, made.get(seed.key)!))
      .map((seed) => seed.key)
      .reverse();

  it('lists newest first with nextCursor null when everything fits', async () => {
    const page = await list();
    assert.deepEqual(
      page.items.map((item) => item.id),
      newestFirst,
    );
    assert.equal(page.nextCursor, null);
    const full = page.items.find((item) => item.id === made.get('ceiling')!.id)!;
    assert.equal(full.status, 'resolved', 'items are the current incidents');
  });

  for (const limit of [1, 2, 3, 4, 5, 6, 11, 12, 13]) {
    it(`cursor pagination with limit=${limit} visits every incident exactly once, in order`, async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await list(`limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.ok(page.items.length <= limit);
        assert.ok(page.items.length > 0, 'no empty pages');
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
        pages++;
        assert.ok(pages <= SEEDS.length + 1, 'pagination ends');
      } while (cursor);
      assert.deepEqual(seen, newestFirst);
      assert.equal(pages, Math.ceil(SEEDS.length / limit));
    });
  }

  it('paginates filtered lists too, and the cursor survives new reports', async () => {
    const seen: string[] = [];
    let page = await list('limit=2&category=infrastructure');
    seen.push(...page.items.map((item) => item.id));
    const newer = await t.request('POST', '/api/incidents', {
      token: tokens.student,
      body: { category: 'infrastructure', urgency: 'low', description: 'Nuevo mientras se pagina', locationText: 'Aula 101' },
    });
    assert.equal(newer.status, 201);
    while (page.nextCursor) {
      page = await list(`limit=2&category=infrastructure&cursor=${encodeURIComponent(page.nextCursor)}`);
      seen.push(...page.items.map((item) => item.id));
    }
    assert.deepEqual(
      seen,
      expectKeys((seed) => seed.category === 'infrastructure').map((key) => made.get(key)!.id),
    );
    assert.equal(seen.includes(newer.body.id), false, 'a newer incident does not appear on later pages');
    const first = await list('limit=1');
    assert.equal(first.items[0]!.id, newer.body.id, 'but it is first on a fresh list');
  });

  describe('filters', () => {
    // Later tests add incidents of their own; these assertions are about the seeds.
    const seedsOnly = (items: Incident[]) => keysOf(items).filter((key) => SEEDS.some((seed) => seed.key === key));

    it('status, one value', async () => {
      for (const status of ['pending', 'in_progress', 'escalated', 'resolved', 'closed', 'rejected']) {
        const page = await list(`status=${status}&limit=200`);
        assert.ok(page.items.every((item) => item.status === status), status);
        assert.deepEqual(seedsOnly(page.items), expectKeys((_, incident) => incident.status === status), status);
      }
    });

    it('status, repeated: any of them', async () => {
      const page = await list('status=resolved&status=closed&status=rejected&limit=200');
      assert.deepEqual(seedsOnly(page.items), expectKeys((_, incident) => ['resolved', 'closed', 'rejected'].includes(incident.status)));
      assert.equal(page.items.length, 4);
    });

    it('urgency, one or repeated', async () => {
      assert.deepEqual(seedsOnly((await list('urgency=critical')).items), ['theft', 'ceiling']);
      const page = await list('urgency=critical&urgency=high');
      assert.deepEqual(seedsOnly(page.items), expectKeys((seed) => seed.urgency === 'critical' || seed.urgency === 'high'));
    });

    it('category', async () => {
      assert.deepEqual(seedsOnly((await list('category=technology')).items), ['wifi', 'underscore', 'projector']);
      assert.deepEqual((await list('category=nonexistent')).items, []);
    });

    it('departmentId', async () => {
      const securityDept = made.get('theft')!.departmentId;
      const page = await list(`departmentId=${securityDept}`);
      assert.ok(page.items.length > 0);
      assert.ok(page.items.every((item) => item.departmentId === securityDept));
      assert.deepEqual(seedsOnly(page.items), expectKeys((_, incident) => incident.departmentId === securityDept));
      assert.deepEqual((await list('departmentId=0190a6e0-0000-7000-8000-000000000000')).items, []);
    });

    it('mine=true: only what the caller reported', async () => {
      const mine = await list('mine=true');
      assert.deepEqual(seedsOnly(mine.items), expectKeys((seed) => seed.by === 'admin'));
      assert.ok(mine.items.every((item) => item.reporterId === adminId));
      const student2 = await list('mine=true', tokens.student2);
      assert.deepEqual(seedsOnly(student2.items), expectKeys((seed) => seed.by === 'student2'));
    });

    it('filters combine', async () => {
      const page = await list('category=infrastructure&status=pending&status=in_progress&urgency=high&urgency=medium');
      assert.deepEqual(seedsOnly(page.items), ['basement', 'pipe']);
      const none = await list('category=infrastructure&urgency=critical&status=pending');
      assert.deepEqual(none.items, []);
    });

    it('filters stay inside what the caller may see', async () => {
      const theirs = await list('category=cleaning', tokens.student);
      assert.deepEqual(theirs.items, []);
      const own = await list('category=cleaning', tokens.student2);
      assert.deepEqual(seedsOnly(own.items), ['trash']);
    });

    it('rejects unknown values', async () => {
      for (const query of ['status=done', 'urgency=urgent', 'mine=perhaps', 'departmentId=', 'color=red']) {
        const answer = await t.request('GET', `/api/incidents?${query}`, { token: admin });
        assert.equal(answer.status, 400, query);
        assert.match(answer.headers.get('content-type') ?? '', /application\/problem\+json/);
      }
    });
  });

  describe('text search (q)', () => {
    const search = async (q: string, token = admin) => keysOf((await list(`q=${encodeURIComponent(q)}&limit=200`, token)).items);

    it('ignores accents and case over title, description and location', async () => {
      const expected = ['ceiling', 'basement', 'pipe']; // title, location text, description
      for (const q of ['tuberia', 'Tubería', 'TUBERÍA', 'tUbErIa']) assert.deepEqual(await search(q), expected, q);
    });

    it('finds words in the description and the location', async () => {
      assert.deepEqual(await search('canon'), ['projector']);
      assert.deepEqual(await search('CAÑÓN'), ['projector']);
      assert.deepEqual(await search('quimica'), ['lab']);
      assert.deepEqual(await search('sotano'), ['basement']);
      assert.deepEqual(await search('cafeteria'), ['percent']);
    });

    it('finds the location’s code and name when reported with a code', async () => {
      assert.ok((await search('A-301')).includes('projector'));
    });

    it('needs every word', async () => {
      assert.deepEqual(await search('tuberia rota'), ['pipe']);
      assert.deepEqual(await search('rota tuberia'), ['pipe']);
      assert.deepEqual(await search('tuberia biblioteca'), ['ceiling']);
      assert.deepEqual(await search('tuberia inexistente'), []);
    });

    it('treats % and _ literally, never as wildcards', async () => {
      assert.deepEqual(await search('%'), ['percent']);
      assert.deepEqual(await search('_'), ['underscore']);
      assert.deepEqual(await search('%%'), []);
      assert.deepEqual(await search('100%'), ['percent']);
      assert.deepEqual(await search('archivo_final'), ['underscore']);
      assert.deepEqual(await search('a%o'), []);
      assert.deepEqual(await search('t_b'), []);
      assert.deepEqual(await search('\\'), []);
    });

    it('stays inside what the caller may see and combines with filters', async () => {
      assert.deepEqual(await search('tuberia', tokens.student), ['pipe']);
      assert.deepEqual(await search('tuberia', tokens.student2), ['basement']);
      assert.deepEqual(keysOf((await list(`q=tuberia&status=resolved`)).items), ['ceiling']);
    });

    it('paginates search results', async () => {
      const first = await list('q=tuberia&limit=2');
      assert.deepEqual(keysOf(first.items), ['ceiling', 'basement']);
      assert.ok(first.nextCursor);
      const second = await list(`q=tuberia&limit=2&cursor=${encodeURIComponent(first.nextCursor)}`);
      assert.deepEqual(keysOf(second.items), ['pipe']);
      assert.equal(second.nextCursor, null);
    });

    it('rejects an empty or overlong q', async () => {
      assert.equal((await t.request('GET', '/api/incidents?q=', { token: admin })).status, 400);
      assert.equal((await t.request('GET', `/api/incidents?q=${'a'.repeat(201)}`, { token: admin })).status, 400);
    });
  });

  describe('limits and cursors', () => {
    it('accepts limits from 1 to 200 and refuses the rest with 400', async () => {
      assert.equal((await list('limit=1')).items.length, 1);
      assert.equal((await list('limit=200')).items.length, SEEDS.length + 1);
      for (const limit of ['0', '-1', '201', '1000', 'abc', '2.5']) {
        const answer = await t.request('GET', `/api/incidents?limit=${limit}`, { token: admin });
        assert.equal(answer.status, 400, `limit=${limit}`);
      }
    });

    it('defaults to 50', async () => {
      for (let i = 0; i < 40; i++) {
        const created = await t.request('POST', '/api/incidents', {
          token: tokens.student,
          body: { category: 'other', urgency: 'low', description: `Relleno ${i}`, locationText: 'Aula 1' },
        });
        assert.equal(created.status, 201);
      }
      const page = await list();
      assert.equal(page.items.length, 50);
      assert.ok(page.nextCursor);
      const rest = await list(`cursor=${encodeURIComponent(page.nextCursor)}`);
      assert.equal(rest.items.length, SEEDS.length + 1 + 40 - 50);
      assert.equal(rest.nextCursor, null);
    });

    it('refuses a cursor it did not issue with 400', async () => {
      const forged = [
        'not a cursor',
        '!!!',
        Buffer.from('42').toString('base64url'),
        Buffer.from('{"id":"x"}').toString('base64url'),
        Buffer.from(JSON.stringify('x'.repeat(300))).toString('base64url'),
        'x'.repeat(600),
      ];
      for (const cursor of forged) {
        const answer = await t.request('GET', `/api/incidents?cursor=${encodeURIComponent(cursor)}`, { token: admin });
        assert.equal(answer.status, 400, cursor);
        assert.match(answer.headers.get('content-type') ?? '', /application\/problem\+json/);
      }
    });
  });
});
