import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_LOCATIONS } from '@alertautec/core';
import { describeEachDatabase } from '../helpers/databases.js';
import { ADMIN, manualClock, startApp, type TestApp, type TestResponse } from '../helpers/app.js';
import { createOtherTenant, createUser } from '../helpers/fixtures.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = Date.UTC(2026, 2, 10, 15, 0, 0, 123);
const iso = (ms: number) => new Date(ms).toISOString();

const A = DEMO_LOCATIONS.find((l) => l.code === 'A-301')!;
const B = DEMO_LOCATIONS.find((l) => l.code === 'B-P2')!;
const METERS_PER_DEGREE = (Math.PI / 180) * 6_371_000;
/** A point `meters` north of Pabellón A. */
const northOfA = (meters: number) => ({ lat: A.lat + meters / METERS_PER_DEGREE, lng: A.lng });

function assertProblem(response: TestResponse, status: number, code?: string) {
  assert.equal(response.status, status, response.text);
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  if (code) assert.equal(response.body.code, code, response.text);
}

type Table = 'incidents' | 'incident_events' | 'idempotency_keys';
const countRows = async (t: TestApp, table: Table) =>
  Number((await t.system.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

// A fresh sign-in: tests move the clock past the cached token's expiry.
const freshAdmin = (t: TestApp) => t.login(ADMIN.email, ADMIN.password);

async function departmentOf(t: TestApp, category: string): Promise<string> {
  const categories = await t.request('GET', '/api/categories', { token: await freshAdmin(t) });
  return categories.body.items.find((c: { code: string }) => c.code === category).departmentId as string;
}

async function eventsOf(t: TestApp, id: string) {
  const events = await t.request('GET', `/api/incidents/${id}/events`, { token: await freshAdmin(t) });
  assert.equal(events.status, 200, events.text);
  return events.body.items as { type: string; [key: string]: unknown }[];
}

const report = (over: Record<string, unknown> = {}) => ({
  category: 'infrastructure',
  description: 'Fuga de agua en el techo del aula',
  urgency: 'medium',
  locationCode: 'A-301',
  ...over,
});

describe('creating incidents', () => {
  let t: TestApp;
  let clock: ReturnType<typeof manualClock>;
  let student: Awaited<ReturnType<typeof createUser>>;
  before(async () => {
    clock = manualClock(START);
    t = await startApp({ env: { ALERTA_DEMO: '1' }, clock });
    student = await createUser(t, 'student');
  });
  after(() => t.close());

  it('answers 201 pending, routed by the category, placed by the location, with a derived title', async () => {
    const created = await t.request('POST', '/api/incidents', {
      token: student.token,
      body: report({ locationCode: 'a-301', description: '  Fuga de agua en el techo\nGotea sobre los enchufes  ', urgency: 'high' }),
    });
    assert.equal(created.status, 201, created.text);
    const incident = created.body;
    assert.equal(created.headers.get('idempotent-replayed'), null);
    assert.equal(created.headers.get('etag'), '"1"');
    assert.match(incident.id, /^\S+$/);
    assert.equal(incident.status, 'pending');
    assert.equal(incident.category, 'infrastructure');
    assert.equal(incident.departmentId, await departmentOf(t, 'infrastructure'));
    assert.equal(incident.locationCode, 'A-301');
    assert.equal(incident.locationText, null);
    assert.equal(incident.lat, A.lat);
    assert.equal(incident.lng, A.lng);
    assert.equal(incident.title, 'Fuga de agua en el techo');
    assert.equal(incident.description, 'Fuga de agua en el techo\nGotea sobre los enchufes');
    assert.equal(incident.urgency, 'high');
    assert.equal(incident.reporterId, student.id);
    assert.equal(incident.anonymous, false);
    assert.equal(incident.createdAt, iso(START));
    assert.equal(incident.updatedAt, iso(START));
    assert.equal(incident.acknowledgedAt, null);
    assert.equal(incident.resolvedAt, null);
    assert.equal(incident.slaDueAt, iso(START + HOUR));
    assert.equal(incident.version, 1);

    const stored = await t.request('GET', `/api/incidents/${incident.id}`, { token: student.token });
    assert.equal(stored.status, 200);
    assert.deepEqual(stored.body, incident);
  });

  it('sets slaDueAt from the urgency: critical 15 min, high 1 h, medium 8 h, low 24 h', async () => {
    const expected = { critical: 15 * MINUTE, high: HOUR, medium: 8 * HOUR, low: 24 * HOUR };
    for (const [urgency, ms] of Object.entries(expected)) {
      const created = await t.request('POST', '/api/incidents', { token: student.token, body: report({ urgency }) });
      assert.equal(created.status, 201, created.text);
      assert.equal(Date.parse(created.body.slaDueAt) - Date.parse(created.body.createdAt), ms, urgency);
      assert.equal(created.body.createdAt, iso(clock.now()));
    }
  });

  it('takes the SLA from SLA_*_MINUTES when configured', async () => {
    const other = await startApp({ env: { SLA_CRITICAL_MINUTES: '5', SLA_HIGH_MINUTES: '90', SLA_MEDIUM_MINUTES: '120', SLA_LOW_MINUTES: '2880' } });
    try {
      const token = await other.adminToken();
      const expected = { critical: 5 * MINUTE, high: 90 * MINUTE, medium: 2 * HOUR, low: 48 * HOUR };
      for (const [urgency, ms] of Object.entries(expected)) {
        const created = await other.request('POST', '/api/incidents', { token, body: { ...report({ urgency }), locationCode: undefined, locationText: 'Patio' } });
        assert.equal(created.status, 201, created.text);
        assert.equal(Date.parse(created.body.slaDueAt) - Date.parse(created.body.createdAt), ms, urgency);
      }
    } finally {
      await other.close();
    }
  });

  it('keeps a given title, and shortens a long first line to at most 80 characters', async () => {
    const titled = await t.request('POST', '/api/incidents', { token: student.token, body: report({ title: '  Gotera en A-301 ' }) });
    assert.equal(titled.status, 201, titled.text);
    assert.equal(titled.body.title, 'Gotera en A-301');

    const long = 'Una descripción muy larga '.repeat(10).trim();
    const derived = await t.request('POST', '/api/incidents', { token: student.token, body: report({ description: long }) });
    assert.equal(derived.status, 201, derived.text);
    assert.ok(derived.body.title.length <= 80, derived.body.title);
    assert.ok(derived.body.title.endsWith('…'), derived.body.title);
    assert.ok(long.startsWith(derived.body.title.slice(0, -1)));
    assert.equal(derived.body.description, long);
  });

  it('never cuts a derived title inside a character', async () => {
    const description = `${'a'.repeat(78)}😀😀 y sigue la descripción`;
    const created = await t.request('POST', '/api/incidents', { token: student.token, body: report({ description }) });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.title, `${'a'.repeat(78)}😀…`);
    assert.doesNotMatch(created.body.title, /\p{Cs}/u);
    const exact = `${'b'.repeat(79)}😀`;
    const fits = await t.request('POST', '/api/incidents', { token: student.token, body: report({ description: exact }) });
    assert.equal(fits.body.title, exact, 'eighty characters fit whole');
  });

  it('keeps explicit coordinates over the location’s, and places a text-only report by its text', async () => {
    const point = northOfA(20);
    const explicit = await t.request('POST', '/api/incidents', { token: student.token, body: report({ ...point }) });
    assert.equal(explicit.status, 201, explicit.text);
    assert.equal(explicit.body.lat, point.lat);
    assert.equal(explicit.body.lng, point.lng);

    const textOnly = await t.request('POST', '/api/incidents', {
      token: student.token,
      body: { category: 'cleaning', description: 'Basura acumulada', urgency: 'low', locationText: 'Junto a la fuente' },
    });
    assert.equal(textOnly.status, 201, textOnly.text);
    assert.equal(textOnly.body.locationCode, null);
    assert.equal(textOnly.body.locationText, 'Junto a la fuente');
    assert.equal(textOnly.body.lat, null);
    assert.equal(textOnly.body.lng, null);
    assert.equal(textOnly.body.departmentId, await departmentOf(t, 'cleaning'));
  });

  it('logs exactly one IncidentCreated event with the contract’s payload', async () => {
    const created = await t.request('POST', '/api/incidents', {
      token: student.token,
      body: report({ urgency: 'critical', locationText: 'al fondo', category: 'security' }),
    });
    assert.equal(created.status, 201, created.text);
    const events = await eventsOf(t, created.body.id);
    assert.equal(events.length, 1);
    const [event] = events;
    assert.equal(event!.type, 'IncidentCreated');
    assert.equal(event!.id, created.body.id);
    assert.equal(event!.actorId, student.id);
    assert.equal(event!.at, iso(clock.now()));
    assert.equal(typeof event!.seq, 'number');
    for (const field of ['reporterId', 'category', 'title', 'locationCode', 'locationText', 'urgency', 'status', 'departmentId', 'createdAt']) {
      assert.deepEqual(event![field], created.body[field], field);
    }
    assert.equal(event!.departmentId, await departmentOf(t, 'security'));
    const rows = await t.system.store.db.selectFrom('incident_events').select('type').where('incident_id', '=', created.body.id).execute();
    assert.deepEqual(rows, [{ type: 'IncidentCreated' }]);
  });

  it('accepts a 4000-character description and anonymous reports', async () => {
    const created = await t.request('POST', '/api/incidents', { token: student.token, body: report({ description: 'x'.repeat(4000), anonymous: true }) });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.description.length, 4000);
    assert.equal(created.body.anonymous, true);
  });

  it('refuses bad reports with 400 and stores nothing', async () => {
    const incidentsBefore = await countRows(t, 'incidents');
    const eventsBefore = await countRows(t, 'incident_events');
    const { locationCode: _code, ...noLocation } = report();
    const cases: [string, unknown, string?][] = [
      ['unknown category', report({ category: 'plumbing' }), 'unknown_category'],
      ['unknown location code', report({ locationCode: 'Z-999' }), 'unknown_location'],
      ['neither code nor text', noLocation],
      ['lat without lng', report({ lat: A.lat })],
      ['lng without lat', report({ lng: A.lng })],
      ['lat out of range', report({ lat: 91, lng: 0 })],
      ['lng out of range', report({ lat: 0, lng: -181 })],
      ['lat as a string', report({ lat: String(A.lat), lng: A.lng })],
      ['unknown urgency', report({ urgency: 'urgent' })],
      ['missing urgency', { ...report(), urgency: undefined }],
      ['missing category', { ...report(), category: undefined }],
      ['missing description', { ...report(), description: undefined }],
      ['description as a number', report({ description: 42 })],
      ['anonymous as a string', report({ anonymous: 'yes' })],
      ['unknown field status', report({ status: 'resolved' })],
      ['unknown field reporterId', report({ reporterId: 'someone-else' })],
      ['unknown field departmentId', report({ departmentId: 'x' })],
      ['description over 4000 characters', report({ description: 'x'.repeat(4001) })],
      ['empty description', report({ description: '' })],
      ['blank description', report({ description: ' \n\t ' })],
      ['NUL in the description', report({ description: 'fuga\u0000de agua' })],
      ['escape sequence in the description', report({ description: 'fuga \u001b[31mroja' })],
      ['bidi override in the description', report({ description: 'fuga \u202Egnp.exe' })],
      ['newline in the title', report({ title: 'dos\nlíneas' })],
      ['control character in the location text', report({ locationText: 'aula\u0007' })],
      ['title over 120 characters', report({ title: 't'.repeat(121) })],
      ['an array body', [report()]],
      ['a null body', null],
    ];
    for (const [name, body, code] of cases) {
      const response = await t.request('POST', '/api/incidents', { token: student.token, raw: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      assertProblem(response, 400, code);
      if (!code) assert.ok(response.body.code, name);
      if (response.body.code === 'validation_failed') assert.ok(Array.isArray(response.body.errors) && response.body.errors.length > 0, name);
    }
    assertProblem(await t.request('POST', '/api/incidents', { token: student.token, raw: '{"category":', headers: { 'content-type': 'application/json' } }), 400, 'malformed_json');
    assertProblem(await t.request('POST', '/api/incidents', { token: student.token, raw: JSON.stringify(report()), headers: { 'content-type': 'text/plain' } }), 415);
    assertProblem(await t.request('POST', '/api/incidents', { body: report() }), 401);
    assertProblem(await t.request('POST', '/api/incidents', { token: 'not-a-token', body: report() }), 401);
    assert.equal(await countRows(t, 'incidents'), incidentsBefore);
    assert.equal(await countRows(t, 'incident_events'), eventsBefore);
  });

  it('names the offending field for coordinates given alone', async () => {
    const response = await t.request('POST', '/api/incidents', { token: student.token, body: report({ lat: A.lat }) });
    assertProblem(response, 400);
    assert.deepEqual(
      response.body.errors.map((e: { path: string }) => e.path),
      ['/lng'],
    );
  });

  it('resolves location codes within the caller’s tenant only', async () => {
    const other = await createOtherTenant(t);
    const before = await countRows(t, 'incidents');
    assertProblem(await t.request('POST', '/api/incidents', { token: other.token, body: report() }), 400, 'unknown_location');
    const created = await t.request('POST', '/api/incidents', { token: other.token, body: { ...report(), locationCode: undefined, locationText: 'Patio' } });
    assert.equal(created.status, 201, created.text);
    assert.notEqual(created.body.departmentId, await departmentOf(t, 'infrastructure'));
    assert.equal(await countRows(t, 'incidents'), before + 1);
  });
});

await describeEachDatabase('Idempotency-Key on create', (dialect) => {
  let t: TestApp;
  let clock: ReturnType<typeof manualClock>;
  let student: Awaited<ReturnType<typeof createUser>>;
  before(async () => {
    clock = manualClock(START);
    t = await startApp({ dialect, clock, env: { ALERTA_DEMO: '1', ACCESS_TOKEN_TTL_SECONDS: '86400' } });
    student = await createUser(t, 'student');
  });
  after(() => t.close());

  const post = (token: string, key: string, body: unknown = report()) =>
    t.request('POST', '/api/incidents', { token, body, headers: { 'idempotency-key': key } });
  const rowsFor = async (userId: string) =>
    Number(
      (await t.system.store.db.selectFrom('incidents').select((eb) => eb.fn.countAll().as('n')).where('reporter_id', '=', userId).executeTakeFirstOrThrow()).n,
    );

  it('answers a retry with the first incident, marked idempotent-replayed, and stores one', async () => {
    const user = await createUser(t, 'student');
    const first = await post(user.token, 'retry-1');
    assert.equal(first.status, 201, first.text);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    clock.advance(5_000);
    const again = await post(user.token, 'retry-1');
    assert.equal(again.status, 201, again.text);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(again.body, first.body);
    assert.equal(await rowsFor(user.id), 1);
    assert.equal((await eventsOf(t, first.body.id)).length, 1);
  });

  for (const round of [1, 2, 3]) {
    it(`stores one incident and one event when ten requests with the same key race (round ${round})`, async () => {
      const user = await createUser(t, 'student');
      const eventsBefore = await countRows(t, 'incident_events');
      const answers = await Promise.all(Array.from({ length: 10 }, () => post(user.token, `race-${round}`)));
      for (const answer of answers) assert.equal(answer.status, 201, answer.text);
      const ids = new Set(answers.map((answer) => answer.body.id));
      assert.equal(ids.size, 1, `ids: ${[...ids].join(', ')}`);
      assert.equal(answers.filter((answer) => answer.headers.get('idempotent-replayed') !== 'true').length, 1);
      assert.equal(await rowsFor(user.id), 1);
      assert.equal(await countRows(t, 'incident_events'), eventsBefore + 1);
      const events = await eventsOf(t, [...ids][0]);
      assert.deepEqual(
        events.map((e) => e.type),
        ['IncidentCreated'],
      );
    });
  }

  it('keeps keys per user: the same key from another user creates a separate incident', async () => {
    const other = await createUser(t, 'student');
    const mine = await post(student.token, 'shared-key');
    const theirs = await post(other.token, 'shared-key');
    assert.equal(mine.status, 201);
    assert.equal(theirs.status, 201);
    assert.notEqual(theirs.body.id, mine.body.id);
    assert.equal(theirs.headers.get('idempotent-replayed'), null);
    assert.equal(theirs.body.reporterId, other.id);
    assert.equal(await rowsFor(other.id), 1);
  });

  it('refuses the same key with a different body: 409 idempotency_key_reused', async () => {
    const user = await createUser(t, 'student');
    assert.equal((await post(user.token, 'reused')).status, 201);
    const before = await countRows(t, 'incidents');
    assertProblem(await post(user.token, 'reused', report({ urgency: 'critical' })), 409, 'idempotency_key_reused');
    assertProblem(await post(user.token, 'reused', report({ description: 'Otra cosa' })), 409, 'idempotency_key_reused');
    assert.equal(await countRows(t, 'incidents'), before);
    assert.equal(await rowsFor(user.id), 1);
  });

  it('does not record a key for a refused request', async () => {
    const user = await createUser(t, 'student');
    assertProblem(await post(user.token, 'after-error', report({ category: 'nope' })), 400, 'unknown_category');
    const created = await post(user.token, 'after-error');
    assert.equal(created.status, 201, created.text);
    assert.equal(created.headers.get('idempotent-replayed'), null);
  });

  it('forgets a key after 24 hours: it then creates a new incident', async () => {
    const user = await createUser(t, 'student');
    const first = await post(user.token, 'daily');
    assert.equal(first.status, 201);
    clock.advance(23 * HOUR);
    const within = await post(user.token, 'daily');
    assert.equal(within.body.id, first.body.id);
    assert.equal(within.headers.get('idempotent-replayed'), 'true');
    clock.advance(HOUR + 1_000);
    user.token = await t.login(user.email, user.password); // the old access token has expired too
    const later = await post(user.token, 'daily');
    assert.equal(later.status, 201, later.text);
    assert.notEqual(later.body.id, first.body.id);
    assert.equal(later.headers.get('idempotent-replayed'), null);
    assert.equal(later.body.createdAt, iso(clock.now()));
    assert.equal(await rowsFor(user.id), 2);
    // And the new key is the one replayed from now on.
    const replay = await post(user.token, 'daily');
    assert.equal(replay.body.id, later.body.id);
    assert.equal(await countRows(t, 'idempotency_keys') > 0, true);
  });

  it('refuses malformed keys with 400', async () => {
    student.token = await t.login(student.email, student.password);
    const before = await countRows(t, 'incidents');
    assertProblem(await post(student.token, 'has space'), 400);
    assertProblem(await post(student.token, 'k'.repeat(129)), 400);
    assert.equal(await countRows(t, 'incidents'), before);
  });
});

describe('previewing a report', () => {
  let t: TestApp;
  let clock: ReturnType<typeof manualClock>;
  let admin: string;
  let student: Awaited<ReturnType<typeof createUser>>;
  const ids: Record<string, string> = {};

  const create = async (name: string, body: Record<string, unknown>) => {
    const created = await t.request('POST', '/api/incidents', { token: admin, body });
    assert.equal(created.status, 201, created.text);
    ids[name] = created.body.id;
    return created.body.id as string;
  };
  const move = async (id: string, ...statuses: string[]) => {
    for (const status of statuses) {
      const moved = await t.request('PATCH', `/api/incidents/${id}`, { token: admin, body: { status, note: 'Motivo de la prueba' } });
      assert.equal(moved.status, 200, moved.text);
    }
  };

  before(async () => {
    clock = manualClock(START);
    t = await startApp({ env: { ALERTA_DEMO: '1', ACCESS_TOKEN_TTL_SECONDS: '86400' }, clock });
    admin = await t.adminToken();
    student = await createUser(t, 'student');
    await create('old', report({ description: 'Antigua gotera' }));
    clock.advance(25 * HOUR);
    admin = await t.login(ADMIN.email, ADMIN.password);
    student.token = await t.login(student.email, student.password);
    await create('sameCode', report({ description: 'Gotera en el aula\nDetalle con datos privados' }));
    clock.advance(MINUTE);
    await create('sameCodeInProgress', report({ locationCode: 'A-P3', description: 'Gotera en el piso' }));
    await move(ids.sameCodeInProgress!, 'in_progress');
    clock.advance(MINUTE);
    await create('near', { ...report(), locationCode: undefined, locationText: 'Junto al pabellón A', ...northOfA(30) });
    await create('far', { ...report(), locationCode: undefined, locationText: 'Lejos', ...northOfA(200) });
    await create('otherCategory', report({ category: 'cleaning' }));
    await create('resolved', report());
    await move(ids.resolved!, 'resolved');
    await create('closed', report());
    await move(ids.closed!, 'resolved', 'closed');
    await create('rejected', report());
    await move(ids.rejected!, 'rejected');
    await create('otherBuilding', report({ locationCode: B.code }));
    clock.advance(MINUTE);
  });
  after(() => t.close());

  it('stores nothing and shows the incident it would become with its department', async () => {
    const incidentsBefore = await countRows(t, 'incidents');
    const eventsBefore = await countRows(t, 'incident_events');
    const keysBefore = await countRows(t, 'idempotency_keys');
    const preview = await t.request('POST', '/api/incidents/preview', {
      token: student.token,
      body: report({ urgency: 'critical' }),
      headers: { 'idempotency-key': 'preview-key' },
    });
    assert.equal(preview.status, 200, preview.text);
    assert.equal(await countRows(t, 'incidents'), incidentsBefore);
    assert.equal(await countRows(t, 'incident_events'), eventsBefore);
    assert.equal(await countRows(t, 'idempotency_keys'), keysBefore);

    const { incident, department } = preview.body;
    assert.equal(incident.id, undefined);
    assert.equal(incident.version, undefined);
    assert.equal(incident.status, 'pending');
    assert.equal(incident.locationCode, 'A-301');
    assert.equal(incident.lat, A.lat);
    assert.equal(incident.title, 'Fuga de agua en el techo del aula');
    assert.equal(incident.createdAt, iso(clock.now()));
    assert.equal(incident.slaDueAt, iso(clock.now() + 15 * MINUTE));
    assert.equal(incident.departmentId, await departmentOf(t, 'infrastructure'));
    const departments = await t.request('GET', '/api/departments', { token: admin });
    assert.deepEqual(department, departments.body.items.find((d: { id: string }) => d.id === incident.departmentId));

    // The preview's key is not consumed: creating with it stores a fresh incident.
    const created = await t.request('POST', '/api/incidents', { token: student.token, body: report({ urgency: 'critical' }), headers: { 'idempotency-key': 'preview-key' } });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('idempotent-replayed'), null);
    ids.studentOwn = created.body.id;
  });

  it('lists open incidents of the category at the same code or within 50 m from the last 24 h', async () => {
    const preview = await t.request('POST', '/api/incidents/preview', { token: admin, body: report() });
    assert.equal(preview.status, 200, preview.text);
    const found = new Set(preview.body.possibleDuplicates.map((d: { id: string }) => d.id));
    const expected = ['sameCode', 'sameCodeInProgress', 'near', 'studentOwn'];
    for (const name of expected) assert.ok(found.has(ids[name]), `${name} is a possible duplicate`);
    for (const name of ['old', 'far', 'otherCategory', 'resolved', 'closed', 'rejected', 'otherBuilding']) {
      assert.ok(!found.has(ids[name]), `${name} is not a possible duplicate`);
    }
    assert.equal(found.size, expected.length);

    const byId = new Map(preview.body.possibleDuplicates.map((d: { id: string }) => [d.id, d]));
    const near = byId.get(ids.near) as { distanceMeters: number; status: string };
    assert.equal(near.distanceMeters, 30);
    assert.equal((byId.get(ids.sameCode) as { distanceMeters: number }).distanceMeters, 0);
    assert.equal((byId.get(ids.sameCodeInProgress) as { status: string }).status, 'in_progress');
  });

  it('finds duplicates by coordinates for a report without a code', async () => {
    const preview = await t.request('POST', '/api/incidents/preview', {
      token: admin,
      body: { ...report(), locationCode: undefined, locationText: 'cerca de lejos', ...northOfA(210) },
    });
    assert.equal(preview.status, 200, preview.text);
    assert.deepEqual(
      preview.body.possibleDuplicates.map((d: { id: string }) => d.id),
      [ids.far],
    );
    assert.equal(preview.body.possibleDuplicates[0].distanceMeters, 10);
  });

  it('shows students a summary of duplicates only: no description, no reporter', async () => {
    const preview = await t.request('POST', '/api/incidents/preview', { token: student.token, body: report() });
    assert.equal(preview.status, 200, preview.text);
    assert.ok(preview.body.possibleDuplicates.length >= 3);
    for (const duplicate of preview.body.possibleDuplicates) {
      assert.deepEqual(Object.keys(duplicate).sort(), ['affectedCount', 'category', 'createdAt', 'distanceMeters', 'id', 'locationCode', 'locationText', 'status', 'title', 'urgency']);
      assert.equal(duplicate.category, 'infrastructure');
      assert.ok(duplicate.affectedCount >= 1);
      if (duplicate.title !== null) {
        // Only the student's own reports come with a title: ones they may open.
        assert.equal((await t.request('GET', `/api/incidents/${duplicate.id}`, { token: student.token })).status, 200);
        continue;
      }
      // Reports the student may not see: recognisable (category, place, status, time), but
      // nothing their reporter wrote; the id (for "it affects me too") opens nothing.
      assert.equal(duplicate.locationText, null);
      assert.equal((await t.request('GET', `/api/incidents/${duplicate.id}`, { token: student.token })).status, 404);
    }
    assert.ok(preview.body.possibleDuplicates.filter((d: { title: string | null }) => d.title === null).length >= 3, 'others’ reports are among them');
    assert.doesNotMatch(preview.text, /datos privados|Gotera en el aula/);
    const adminId = (await t.request('GET', '/api/auth/me', { token: admin })).body.id;
    assert.ok(!preview.text.includes(adminId), 'the other reporters’ ids are not shown');
  });

  it('finds nothing once the window has passed', async () => {
    clock.advance(25 * HOUR);
    admin = await t.login(ADMIN.email, ADMIN.password);
    student.token = await t.login(student.email, student.password);
    const preview = await t.request('POST', '/api/incidents/preview', { token: admin, body: report() });
    assert.equal(preview.status, 200);
    assert.deepEqual(preview.body.possibleDuplicates, []);
  });

  it('refuses the same bad input as create', async () => {
    assertProblem(await t.request('POST', '/api/incidents/preview', { token: student.token, body: report({ category: 'nope' }) }), 400, 'unknown_category');
    assertProblem(await t.request('POST', '/api/incidents/preview', { token: student.token, body: report({ locationCode: 'Z-1' }) }), 400, 'unknown_location');
    assertProblem(await t.request('POST', '/api/incidents/preview', { token: student.token, body: report({ extra: 1 }) }), 400);
    assertProblem(await t.request('POST', '/api/incidents/preview', { body: report() }), 401);
  });

  it('never shows another tenant’s incidents as duplicates', async () => {
    const other = await createOtherTenant(t);
    assert.ok(other.token);
    const preview = await t.request('POST', '/api/incidents/preview', {
      token: other.token,
      body: { ...report(), locationCode: undefined, locationText: 'Pabellón A', lat: A.lat, lng: A.lng },
    });
    assert.equal(preview.status, 200, preview.text);
    assert.deepEqual(preview.body.possibleDuplicates, []);
  });
});
