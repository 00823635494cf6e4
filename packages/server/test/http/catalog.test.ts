import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_CATEGORIES, DEMO_LOCATIONS } from '@alertautec/core';
import { startApp, type TestApp, type TestResponse } from '../helpers/app.js';
import { createOtherTenant, createUser } from '../helpers/fixtures.js';

function assertProblem(response: TestResponse, status: number, code?: string) {
  assert.equal(response.status, status, response.text);
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  if (code) assert.equal(response.body.code, code, response.text);
}

let counter = 0;
const unique = (prefix: string) => `${prefix} ${Date.now().toString(36)}${++counter}`;
const uniqueCode = (prefix: string) => `${prefix}-${Date.now().toString(36)}${++counter}`.slice(0, 32);

describe('catalog', () => {
  let t: TestApp;
  let admin: string;
  before(async () => {
    t = await startApp();
    admin = await t.adminToken();
  });
  after(() => t.close());

  describe('a fresh install', () => {
    it('has the six default categories, each routed to an existing department', async () => {
      const categories = await t.request('GET', '/api/categories', { token: admin });
      assert.equal(categories.status, 200);
      assert.equal(categories.body.nextCursor, null);
      const codes = categories.body.items.map((c: { code: string }) => c.code).sort();
      assert.deepEqual(codes, ['cleaning', 'health', 'infrastructure', 'other', 'security', 'technology']);
      assert.deepEqual(codes, DEFAULT_CATEGORIES.map((c) => c.code).sort());

      const departments = await t.request('GET', '/api/departments', { token: admin });
      assert.equal(departments.status, 200);
      assert.equal(departments.body.nextCursor, null);
      const departmentIds = new Set(departments.body.items.map((d: { id: string }) => d.id));
      for (const category of categories.body.items) {
        assert.deepEqual(Object.keys(category).sort(), ['code', 'departmentId', 'name']);
        assert.ok(category.name.length > 0);
        assert.ok(departmentIds.has(category.departmentId), `${category.code} routes to a department`);
      }
      for (const department of departments.body.items) {
        assert.deepEqual(Object.keys(department).sort(), ['email', 'id', 'name', 'phone']);
      }
    });

    it('has no locations without the demo campus', async () => {
      const locations = await t.request('GET', '/api/locations', { token: admin });
      assert.equal(locations.status, 200);
      assert.deepEqual(locations.body, { items: [], nextCursor: null });
    });
  });

  describe('departments', () => {
    it('creates one, normalising the e-mail, and lists it', async () => {
      const name = unique('Laboratorios');
      const created = await t.request('POST', '/api/departments', {
        token: admin,
        body: { name: ` ${name} `, email: 'Labs@UTEC.example', phone: '+51 1 230-5000' },
      });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.name, name);
      assert.equal(created.body.email, 'labs@utec.example');
      assert.equal(created.body.phone, '+51 1 230-5000');
      const list = await t.request('GET', '/api/departments', { token: admin });
      assert.deepEqual(list.body.items.find((d: { id: string }) => d.id === created.body.id), created.body);

      const bare = await t.request('POST', '/api/departments', { token: admin, body: { name: unique('Bare') } });
      assert.equal(bare.status, 201);
      assert.equal(bare.body.email, null);
      assert.equal(bare.body.phone, null);
    });

    it('refuses a duplicate name with 409 department_exists, on create and on rename', async () => {
      const name = unique('Duplicado');
      assert.equal((await t.request('POST', '/api/departments', { token: admin, body: { name } })).status, 201);
      assertProblem(await t.request('POST', '/api/departments', { token: admin, body: { name } }), 409, 'department_exists');
      assertProblem(await t.request('POST', '/api/departments', { token: admin, body: { name: ` ${name}  ` } }), 409, 'department_exists');
      const other = await t.request('POST', '/api/departments', { token: admin, body: { name: unique('Otro') } });
      assertProblem(await t.request('PATCH', `/api/departments/${other.body.id}`, { token: admin, body: { name } }), 409, 'department_exists');
      const list = await t.request('GET', '/api/departments', { token: admin });
      assert.equal(list.body.items.filter((d: { name: string }) => d.name === name).length, 1);
    });

    it('validates e-mail, phone and name', async () => {
      const cases = [
        { name: unique('Bad'), email: 'not-an-email' },
        { name: unique('Bad'), phone: 'call me' },
        { name: unique('Bad'), phone: '12' },
        { name: unique('Bad'), phone: '+51 1 2345 6789 0123 4567 89' },
        { name: '' },
        { name: 'bad\u0000name' },
        { name: 'x'.repeat(121) },
        {},
        { name: unique('Bad'), manager: 'me' },
      ];
      for (const body of cases) assertProblem(await t.request('POST', '/api/departments', { token: admin, body }), 400, 'validation_failed');
    });

    it('patches name, e-mail and phone, clearing them with null', async () => {
      const created = await t.request('POST', '/api/departments', { token: admin, body: { name: unique('Cambiante'), email: 'a@utec.example', phone: '012345678' } });
      const id = created.body.id;
      const renamed = await t.request('PATCH', `/api/departments/${id}`, { token: admin, body: { name: 'Renombrado ' + counter } });
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal(renamed.body.email, 'a@utec.example');
      const cleared = await t.request('PATCH', `/api/departments/${id}`, { token: admin, body: { email: null, phone: null } });
      assert.equal(cleared.status, 200, cleared.text);
      assert.deepEqual(cleared.body, { id, name: renamed.body.name, email: null, phone: null });
      const contact = await t.request('PATCH', `/api/departments/${id}`, { token: admin, body: { email: 'NEW@utec.example', phone: '01 (555) 1234' } });
      assert.equal(contact.status, 200, contact.text);
      assert.equal(contact.body.email, 'new@utec.example');
      assert.equal(contact.body.phone, '01 (555) 1234');
      const list = await t.request('GET', '/api/departments', { token: admin });
      assert.deepEqual(list.body.items.find((d: { id: string }) => d.id === id), contact.body);

      assertProblem(await t.request('PATCH', `/api/departments/${id}`, { token: admin, body: {} }), 400, 'validation_failed');
      assertProblem(await t.request('PATCH', `/api/departments/${id}`, { token: admin, body: { email: 'nope' } }), 400, 'validation_failed');
      assertProblem(await t.request('PATCH', '/api/departments/no-such-dept', { token: admin, body: { name: 'X' } }), 404, 'not_found');
    });
  });

  describe('categories', () => {
    let departmentId: string;
    before(async () => {
      const created = await t.request('POST', '/api/departments', { token: admin, body: { name: unique('Jardinería') } });
      departmentId = created.body.id;
    });

    it('creates one that routes to a department, and lists it', async () => {
      const created = await t.request('POST', '/api/categories', { token: admin, body: { code: 'gardening', name: ' Jardines ', departmentId } });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(created.body, { code: 'gardening', name: 'Jardines', departmentId });
      const list = await t.request('GET', '/api/categories', { token: admin });
      assert.deepEqual(list.body.items.find((c: { code: string }) => c.code === 'gardening'), created.body);
      assert.equal(list.body.items.length, 7);
    });

    it('refuses bad codes, unknown departments and duplicates', async () => {
      for (const code of ['Gardening', '1abc', 'a', 'with space', 'x'.repeat(33), 'ñandu', "x'; DROP TABLE categories;--"]) {
        assertProblem(await t.request('POST', '/api/categories', { token: admin, body: { code, name: 'Bad', departmentId } }), 400, 'validation_failed');
      }
      const unknown = await t.request('POST', '/api/categories', { token: admin, body: { code: 'ghosts', name: 'Fantasmas', departmentId: 'no-such-dept' } });
      assertProblem(unknown, 400, 'unknown_department');
      assert.equal(unknown.body.errors[0].path, '/departmentId');
      assertProblem(await t.request('POST', '/api/categories', { token: admin, body: { code: 'security', name: 'Otra seguridad', departmentId } }), 409, 'category_exists');
      assertProblem(await t.request('POST', '/api/categories', { token: admin, body: { code: 'noname', departmentId } }), 400, 'validation_failed');
      const list = await t.request('GET', '/api/categories', { token: admin });
      assert.ok(!list.body.items.some((c: { code: string }) => c.code === 'ghosts'));
      assert.equal(list.body.items.find((c: { code: string }) => c.code === 'security').name, 'Seguridad');
    });

    it('renames and reroutes a category', async () => {
      const renamed = await t.request('PATCH', '/api/categories/other', { token: admin, body: { name: 'Varios' } });
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal(renamed.body.name, 'Varios');
      const rerouted = await t.request('PATCH', '/api/categories/other', { token: admin, body: { departmentId } });
      assert.equal(rerouted.status, 200, rerouted.text);
      assert.deepEqual(rerouted.body, { code: 'other', name: 'Varios', departmentId });
      const list = await t.request('GET', '/api/categories', { token: admin });
      assert.deepEqual(list.body.items.find((c: { code: string }) => c.code === 'other'), rerouted.body);

      assertProblem(await t.request('PATCH', '/api/categories/other', { token: admin, body: { departmentId: 'no-such-dept' } }), 400, 'unknown_department');
      assertProblem(await t.request('PATCH', '/api/categories/other', { token: admin, body: {} }), 400, 'validation_failed');
      assertProblem(await t.request('PATCH', '/api/categories/other', { token: admin, body: { code: 'renamed' } }), 400, 'validation_failed');
      assertProblem(await t.request('PATCH', '/api/categories/nonexistent', { token: admin, body: { name: 'X' } }), 404, 'not_found');
      assertProblem(await t.request('PATCH', '/api/categories/BAD%20CODE', { token: admin, body: { name: 'X' } }), 400);
      assert.equal((await t.request('GET', '/api/categories', { token: admin })).body.items.find((c: { code: string }) => c.code === 'other').departmentId, departmentId);
    });
  });

  describe('locations', () => {
    it('creates one with its code in upper case, and lists it', async () => {
      const code = uniqueCode('lab').toLowerCase();
      const created = await t.request('POST', '/api/locations', {
        token: admin,
        body: { code, name: ' Laboratorio de Química ', building: 'Pabellón C', floor: '2', lat: -12.135, lng: -77.022 },
      });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(created.body, { code: code.toUpperCase(), name: 'Laboratorio de Química', building: 'Pabellón C', floor: '2', lat: -12.135, lng: -77.022 });
      const list = await t.request('GET', '/api/locations', { token: admin });
      assert.deepEqual(list.body.items.find((l: { code: string }) => l.code === code.toUpperCase()), created.body);

      // Without coordinates the fields are absent, not null.
      const plain = await t.request('POST', '/api/locations', { token: admin, body: { code: uniqueCode('p'), name: 'Patio', building: 'Exterior', floor: '1' } });
      assert.equal(plain.status, 201, plain.text);
      assert.equal('lat' in plain.body, false);
      assert.equal('lng' in plain.body, false);
    });

    it('refuses duplicates whatever the case of the code', async () => {
      const code = uniqueCode('dup');
      const body = { code, name: 'Dup', building: 'B', floor: '1' };
      assert.equal((await t.request('POST', '/api/locations', { token: admin, body })).status, 201);
      assertProblem(await t.request('POST', '/api/locations', { token: admin, body }), 409, 'location_exists');
      assertProblem(await t.request('POST', '/api/locations', { token: admin, body: { ...body, code: code.toLowerCase() } }), 409, 'location_exists');
    });

    it('validates code, coordinates and text fields', async () => {
      const base = { code: uniqueCode('v'), name: 'Valid', building: 'B', floor: '1' };
      const cases = [
        { ...base, lat: 91 },
        { ...base, lat: -90.5 },
        { ...base, lng: 181 },
        { ...base, lng: -180.01 },
        { ...base, lat: '12' },
        { ...base, code: '-A' },
        { ...base, code: 'A B' },
        { ...base, code: 'A'.repeat(33) },
        { ...base, code: "A'; DROP TABLE locations;--" },
        { ...base, name: '' },
        { ...base, floor: 'x'.repeat(33) },
        { code: base.code, name: 'No building', floor: '1' },
        { ...base, extra: true },
      ];
      for (const body of cases) assertProblem(await t.request('POST', '/api/locations', { token: admin, body }), 400, 'validation_failed');
      const edges = await t.request('POST', '/api/locations', { token: admin, body: { ...base, lat: -90, lng: 180 } });
      assert.equal(edges.status, 201, edges.text);
    });

    it('patches, clears coordinates, deletes and then answers 404', async () => {
      const code = uniqueCode('tmp');
      await t.request('POST', '/api/locations', { token: admin, body: { code, name: 'Temporal', building: 'Carpa', floor: '1', lat: 1, lng: 2 } });
      const patched = await t.request('PATCH', `/api/locations/${code.toLowerCase()}`, { token: admin, body: { name: 'Carpa grande', floor: '2', lat: null } });
      assert.equal(patched.status, 200, patched.text);
      assert.deepEqual(patched.body, { code: code.toUpperCase(), name: 'Carpa grande', building: 'Carpa', floor: '2', lng: 2 });
      const listed = (await t.request('GET', '/api/locations', { token: admin })).body.items.find((l: { code: string }) => l.code === code.toUpperCase());
      assert.deepEqual(listed, patched.body);

      assertProblem(await t.request('PATCH', `/api/locations/${code}`, { token: admin, body: {} }), 400, 'validation_failed');
      assertProblem(await t.request('PATCH', `/api/locations/${code}`, { token: admin, body: { lat: 100 } }), 400, 'validation_failed');
      assertProblem(await t.request('PATCH', `/api/locations/${code}`, { token: admin, body: { code: 'NEW' } }), 400, 'validation_failed');

      const deleted = await t.request('DELETE', `/api/locations/${code.toLowerCase()}`, { token: admin });
      assert.equal(deleted.status, 204);
      assertProblem(await t.request('DELETE', `/api/locations/${code}`, { token: admin }), 404, 'not_found');
      assertProblem(await t.request('PATCH', `/api/locations/${code}`, { token: admin, body: { name: 'Back' } }), 404, 'not_found');
      const list = await t.request('GET', '/api/locations', { token: admin });
      assert.ok(!list.body.items.some((l: { code: string }) => l.code === code.toUpperCase()));
    });
  });

  describe('who may change the catalog', () => {
    for (const role of ['student', 'staff', 'authority'] as const) {
      it(`${role} reads every list but gets 403 on every admin write`, async () => {
        const caller = await createUser(t, role);
        const token = caller.token;
        for (const path of ['/api/categories', '/api/departments', '/api/locations']) {
          const list = await t.request('GET', path, { token });
          assert.equal(list.status, 200, `${role} GET ${path}`);
          assert.ok(Array.isArray(list.body.items));
          assert.equal(list.body.nextCursor, null);
        }
        const validate = await t.request('POST', '/api/locations/validate', { token, body: { locationText: 'biblioteca' } });
        assert.equal(validate.status, 200);

        const departmentId = (await t.request('GET', '/api/departments', { token })).body.items[0].id;
        const code = uniqueCode('own');
        await t.request('POST', '/api/locations', { token: admin, body: { code, name: 'Own', building: 'B', floor: '1' } });
        const writes: [string, string, unknown][] = [
          ['POST', '/api/departments', { name: unique('Hack') }],
          ['PATCH', `/api/departments/${departmentId}`, { name: 'Hacked' }],
          ['POST', '/api/categories', { code: 'hack', name: 'Hack', departmentId }],
          ['PATCH', '/api/categories/security', { departmentId }],
          ['POST', '/api/locations', { code: uniqueCode('hack'), name: 'Hack', building: 'B', floor: '1' }],
          ['PATCH', `/api/locations/${code}`, { name: 'Hacked' }],
          ['DELETE', `/api/locations/${code}`, undefined],
        ];
        for (const [method, path, body] of writes) {
          assertProblem(await t.request(method, path, { token, body }), 403, 'forbidden');
        }
        const location = (await t.request('GET', '/api/locations', { token })).body.items.find((l: { code: string }) => l.code === code.toUpperCase());
        assert.equal(location?.name, 'Own', 'nothing changed');
        assert.ok(!(await t.request('GET', '/api/categories', { token })).body.items.some((c: { code: string }) => c.code === 'hack'));
      });
    }

    it('answers 401 without a token, even to reads', async () => {
      for (const path of ['/api/categories', '/api/departments', '/api/locations']) assertProblem(await t.request('GET', path), 401);
      assertProblem(await t.request('POST', '/api/locations/validate', { body: { locationCode: 'A' } }), 401);
    });
  });

  describe('tenants', () => {
    it("another tenant sees none of our catalog and cannot change it", async () => {
      const departmentName = unique('Solo nuestro');
      const ourDepartment = await t.request('POST', '/api/departments', { token: admin, body: { name: departmentName } });
      const code = uniqueCode('ours');
      await t.request('POST', '/api/locations', { token: admin, body: { code, name: 'Solo nuestro lugar', building: 'Nuestro', floor: '1' } });
      await t.request('POST', '/api/categories', { token: admin, body: { code: 'ours-only', name: 'Nuestra', departmentId: ourDepartment.body.id } });

      const other = await createOtherTenant(t);
      const theirDepartments = await t.request('GET', '/api/departments', { token: other.token });
      assert.ok(!theirDepartments.body.items.some((d: { id: string }) => d.id === ourDepartment.body.id));
      const ourIds = new Set((await t.request('GET', '/api/departments', { token: admin })).body.items.map((d: { id: string }) => d.id));
      assert.ok(!theirDepartments.body.items.some((d: { id: string }) => ourIds.has(d.id)));
      assert.deepEqual((await t.request('GET', '/api/locations', { token: other.token })).body.items, []);
      const theirCategories = (await t.request('GET', '/api/categories', { token: other.token })).body.items;
      assert.ok(!theirCategories.some((c: { code: string }) => c.code === 'ours-only'));
      assert.ok(theirCategories.every((c: { departmentId: string }) => !ourIds.has(c.departmentId)));

      assertProblem(await t.request('PATCH', `/api/departments/${ourDepartment.body.id}`, { token: other.token, body: { name: 'Stolen' } }), 404);
      assertProblem(await t.request('PATCH', `/api/locations/${code}`, { token: other.token, body: { name: 'Stolen' } }), 404);
      assertProblem(await t.request('DELETE', `/api/locations/${code}`, { token: other.token }), 404);
      assertProblem(await t.request('PATCH', '/api/categories/ours-only', { token: other.token, body: { name: 'Stolen' } }), 404);
      // Their category cannot route to our department.
      assertProblem(await t.request('PATCH', '/api/categories/security', { token: other.token, body: { departmentId: ourDepartment.body.id } }), 400, 'unknown_department');
      assertProblem(
        await t.request('POST', '/api/categories', { token: other.token, body: { code: 'theirs', name: 'X', departmentId: ourDepartment.body.id } }),
        400,
        'unknown_department',
      );
      // Codes and names are per tenant: they may reuse ours.
      assert.equal((await t.request('POST', '/api/departments', { token: other.token, body: { name: departmentName } })).status, 201);
      assert.equal((await t.request('POST', '/api/locations', { token: other.token, body: { code, name: 'Su lugar', building: 'Suyo', floor: '1' } })).status, 201);
      const validate = await t.request('POST', '/api/locations/validate', { token: other.token, body: { locationCode: code } });
      assert.equal(validate.body.location.name, 'Su lugar');

      const ours = (await t.request('GET', '/api/locations', { token: admin })).body.items.find((l: { code: string }) => l.code === code.toUpperCase());
      assert.equal(ours.name, 'Solo nuestro lugar');
      assert.ok((await t.request('GET', '/api/departments', { token: admin })).body.items.some((d: { name: string }) => d.name === departmentName));
    });
  });
});

describe('location validation on the demo campus', () => {
  let t: TestApp;
  let token: string;
  before(async () => {
    t = await startApp({ env: { ALERTA_DEMO: '1' } });
    token = (await createUser(t, 'student')).token;
  });
  after(() => t.close());

  const validate = (body: unknown) => t.request('POST', '/api/locations/validate', { token, body });

  it('seeds the demo locations', async () => {
    const list = await t.request('GET', '/api/locations', { token });
    assert.equal(list.body.items.length, DEMO_LOCATIONS.length);
    assert.deepEqual(
      list.body.items.find((l: { code: string }) => l.code === 'A-P3'),
      { code: 'A-P3', name: 'Pabellón A – Piso 3', building: 'Pabellón A', floor: '3', lat: -12.13528, lng: -77.02205 },
    );
  });

  it('accepts an exact code, case-insensitively', async () => {
    for (const locationCode of ['A-P3', 'a-p3', ' a-P3 ']) {
      const response = await validate({ locationCode });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.valid, true);
      assert.equal(response.body.location.code, 'A-P3');
      assert.equal(response.body.location.name, 'Pabellón A – Piso 3');
      assert.deepEqual(response.body.suggestions, []);
    }
  });

  it('suggests "Pabellón A – Piso 3" first for "pabellon a 3er piso"', async () => {
    const response = await validate({ locationText: 'pabellon a 3er piso' });
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.valid, false);
    assert.equal(response.body.location, undefined);
    assert.ok(response.body.suggestions.length >= 1 && response.body.suggestions.length <= 5);
    assert.equal(response.body.suggestions[0].code, 'A-P3');
    assert.equal(response.body.suggestions[0].name, 'Pabellón A – Piso 3');
  });

  it('ignores accents and case', async () => {
    for (const locationText of ['PABELLÓN A TERCER PISO', 'Pabellón a, 3° piso', 'piso 3 pabellon A']) {
      const response = await validate({ locationText });
      assert.equal(response.body.suggestions[0]?.code, 'A-P3', locationText);
    }
    const exactName = await validate({ locationText: 'pabellon a – PISO 3' });
    assert.equal(exactName.body.valid, true);
    assert.equal(exactName.body.location.code, 'A-P3');
    const biblioteca = await validate({ locationText: 'biblioteca sala de estudio' });
    assert.equal(biblioteca.body.suggestions[0]?.code, 'BIB-201');
  });

  it('answers valid:false with suggestions for an unknown code', async () => {
    const response = await validate({ locationCode: 'A-P9' });
    assert.equal(response.status, 200);
    assert.equal(response.body.valid, false);
    assert.ok(response.body.suggestions.length > 0);
    for (const suggestion of response.body.suggestions) assert.ok(suggestion.code.startsWith('A-'), suggestion.code);
    const nothing = await validate({ locationCode: 'QQQ-404' });
    assert.deepEqual(nothing.body, { valid: false, suggestions: [] });
    const both = await validate({ locationCode: 'XX-1', locationText: 'cafetería' });
    assert.equal(both.body.valid, false);
    assert.equal(both.body.suggestions[0]?.code, 'CAF-P1');
  });

  it('refuses an empty body and bad fields', async () => {
    for (const body of [{}, { locationCode: '' }, { locationText: '' }, { locationText: 'a\u202Eb' }, { locationText: 'x'.repeat(201) }, { locationCode: 'x'.repeat(65) }, { other: 'A-P3' }, { locationCode: 3 }]) {
      assertProblem(await validate(body), 400, 'validation_failed');
    }
    assertProblem(await t.request('POST', '/api/locations/validate', { token, raw: 'not json', headers: { 'content-type': 'application/json' } }), 400);
  });

  it('treats SQL-looking text as text', async () => {
    for (const body of [
      { locationCode: "A-P3' OR '1'='1" },
      { locationCode: "'; DROP TABLE locations; --" },
      { locationText: "pabellon a' OR 1=1; DROP TABLE locations; --" },
      { locationText: '%' },
      { locationText: '_' },
    ]) {
      const response = await validate(body);
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.valid, false, JSON.stringify(body));
    }
    const list = await t.request('GET', '/api/locations', { token });
    assert.equal(list.body.items.length, DEMO_LOCATIONS.length, 'the table is intact');
  });
});
