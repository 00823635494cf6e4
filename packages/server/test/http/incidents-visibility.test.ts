import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApp, type TestApp } from '../helpers/app.js';
import { createOtherTenant, createUser } from '../helpers/fixtures.js';

type Who = 'reporter' | 'otherStudent' | 'staffOwn' | 'staffOther' | 'authority' | 'admin' | 'otherTenant';
const WHO: Who[] = ['reporter', 'otherStudent', 'staffOwn', 'staffOther', 'authority', 'admin', 'otherTenant'];
const SEES: Record<Who, boolean> = {
  reporter: true,
  otherStudent: false,
  staffOwn: true,
  staffOther: false,
  authority: true,
  admin: true,
  otherTenant: false,
};
const PERSON_FIELDS = ['actorId', 'reporterId', 'updatedBy', 'authorId'] as const;

interface Incident {
  id: string;
  reporterId: string | null;
  departmentId: string;
  anonymous: boolean;
  status: string;
}

describe('incident visibility', () => {
  let t: TestApp;
  const tokens = {} as Record<Who, string>;
  const ids = {} as Record<Who, string>;
  let infraDept: string;
  let otherDept: string;
  let open: Incident;
  let anon: Incident;

  before(async () => {
    t = await startApp();
    const admin = await t.adminToken();
    const categories = await t.request('GET', '/api/categories', { token: admin });
    infraDept = categories.body.items.find((c: { code: string }) => c.code === 'infrastructure').departmentId;
    otherDept = categories.body.items.find((c: { departmentId: string }) => c.departmentId !== infraDept).departmentId;
    const users = {
      reporter: await createUser(t, 'student'),
      otherStudent: await createUser(t, 'student'),
      staffOwn: await createUser(t, 'staff', { departmentId: infraDept }),
      staffOther: await createUser(t, 'staff', { departmentId: otherDept }),
      authority: await createUser(t, 'authority'),
    };
    for (const who of Object.keys(users) as (keyof typeof users)[]) {
      tokens[who] = users[who].token;
      ids[who] = users[who].id;
    }
    tokens.admin = admin;
    ids.admin = (await t.request('GET', '/api/auth/me', { token: admin })).body.id;
    const other = await createOtherTenant(t);
    tokens.otherTenant = other.token;
    ids.otherTenant = (await t.request('GET', '/api/auth/me', { token: other.token })).body.id;
    open = await report({ title: 'Luz fundida' });
    anon = await report({ title: 'Acoso en pasillo', anonymous: true });
  });
  after(() => t.close());

  async function report(extra: Record<string, unknown> = {}, token = tokens.reporter): Promise<Incident> {
    const created = await t.request('POST', '/api/incidents', {
      token,
      body: { category: 'infrastructure', description: 'Algo pasa en el aula', urgency: 'medium', locationText: 'Pabellón B', ...extra },
    });
    assert.equal(created.status, 201, created.text);
    return created.body;
  }

  const listIds = async (token: string, path = '/api/incidents') => {
    const answer = await t.request('GET', `${path}${path.includes('?') ? '&' : '?'}limit=200`, { token });
    assert.equal(answer.status, 200, answer.text);
    return answer.body.items.map((i: Incident) => i.id) as string[];
  };

  describe('who is who', () => {
    it('staff, authorities and admins read the reporter’s name on a named incident; on an anonymous one only admins; students never', async () => {
      const NAMED: Record<Who, string | undefined> = { reporter: undefined, otherStudent: undefined, staffOwn: 'Test student', staffOther: undefined, authority: 'Test student', admin: 'Test student', otherTenant: undefined };
      for (const who of WHO.filter((w) => SEES[w])) {
        const named = await t.request('GET', `/api/incidents/${open.id}`, { token: tokens[who] });
        assert.equal(named.body.reporterName, NAMED[who], `${who} named`);
        const hidden = await t.request('GET', `/api/incidents/${anon.id}`, { token: tokens[who] });
        assert.equal(hidden.body.reporterName, who === 'admin' ? 'Test student' : undefined, `${who} anonymous`);
        const listed = await t.request('GET', '/api/incidents?limit=200', { token: tokens[who] });
        assert.equal(JSON.stringify(listed.body).includes('reporterName'), false, 'lists carry no names');
      }
    });

    it('each status change and comment records the role it was made in, and the reporter reads the role, never a name or an e-mail', async () => {
      const incident = await report({ title: 'Rol de quien atiende' });
      assert.equal((await t.request('PATCH', `/api/incidents/${incident.id}`, { token: tokens.staffOwn, body: { status: 'in_progress', note: 'Voy' } })).status, 200);
      assert.equal((await t.request('POST', `/api/incidents/${incident.id}/comments`, { token: tokens.authority, body: { text: 'Seguimos' } })).status, 201);
      assert.equal((await t.request('POST', `/api/incidents/${incident.id}/comments`, { token: tokens.reporter, body: { text: 'Gracias' } })).status, 201);
      const history = await t.request('GET', `/api/incidents/${incident.id}/events`, { token: tokens.reporter });
      const [, moved, authorityComment, reporterComment] = history.body.items;
      assert.equal(moved.actorRole, 'staff');
      assert.equal(authorityComment.actorRole, 'authority');
      assert.equal(reporterComment.actorRole, 'student');
      assert.doesNotMatch(history.text, /@test\.example/, 'no e-mail in the history');
    });
  });

  describe('who sees an incident', () => {
    for (const who of WHO) {
      it(`${who} ${SEES[who] ? 'sees' : 'does not see'} it: GET, list, events, comments, PATCH`, async () => {
        const incident = await report({ title: `para ${who}` });
        const token = tokens[who];
        const got = await t.request('GET', `/api/incidents/${incident.id}`, { token });
        assert.equal(got.status, SEES[who] ? 200 : 404, got.text);
        if (!SEES[who]) {
          assert.equal(got.body.code, 'not_found');
          assert.doesNotMatch(got.text, /para /, 'a 404 says nothing about the incident');
        } else assert.equal(got.body.id, incident.id);

        assert.equal((await listIds(token)).includes(incident.id), SEES[who]);

        const events = await t.request('GET', `/api/incidents/${incident.id}/events`, { token });
        assert.equal(events.status, SEES[who] ? 200 : 404);
        if (SEES[who]) assert.equal(events.body.items[0].type, 'IncidentCreated');

        const comment = await t.request('POST', `/api/incidents/${incident.id}/comments`, { token, body: { text: `hola de ${who}` } });
        assert.equal(comment.status, SEES[who] ? 201 : 404, comment.text);

        // A move nobody may make (pending -> closed): 409 to those who see it, 404 to the rest.
        const patched = await t.request('PATCH', `/api/incidents/${incident.id}`, { token, body: { status: 'closed' } });
        assert.equal(patched.status, SEES[who] ? 409 : 404, patched.text);

        const assign = await t.request('PUT', `/api/incidents/${incident.id}/department`, { token, body: { departmentId: otherDept } });
        const expectedAssign = who === 'admin' ? 200 : SEES[who] ? 403 : 404;
        assert.equal(assign.status, expectedAssign, `PUT department as ${who}: ${assign.text}`);
      });
    }

    it('a 404 for an incident that exists looks exactly like one for an incident that does not', async () => {
      const missing = await t.request('GET', '/api/incidents/0190a6e0-0000-7000-8000-000000000000', { token: tokens.otherStudent });
      const hidden = await t.request('GET', `/api/incidents/${open.id}`, { token: tokens.otherStudent });
      assert.equal(missing.status, 404);
      assert.equal(hidden.status, 404);
      assert.deepEqual({ ...hidden.body, instance: undefined }, { ...missing.body, instance: undefined });
    });

    it('a student posting an internal comment on an incident they cannot see gets 404, not 403', async () => {
      const answer = await t.request('POST', `/api/incidents/${open.id}/comments`, { token: tokens.otherStudent, body: { text: 'x', internal: true } });
      assert.equal(answer.status, 404, answer.text);
      const otherTenant = await t.request('POST', `/api/incidents/${open.id}/comments`, { token: tokens.otherTenant, body: { text: 'x', internal: true } });
      assert.equal(otherTenant.status, 404);
    });

    it('without a token everything is 401', async () => {
      for (const [method, path] of [
        ['GET', `/api/incidents/${open.id}`],
        ['GET', '/api/incidents'],
        ['GET', `/api/incidents/${open.id}/events`],
        ['PATCH', `/api/incidents/${open.id}`],
        ['POST', `/api/incidents/${open.id}/comments`],
      ] as const) {
        const answer = await t.request(method, path, { body: method === 'GET' ? undefined : { status: 'in_progress', text: 'x' } });
        assert.equal(answer.status, 401, `${method} ${path}`);
      }
    });
  });

  describe('lists by role', () => {
    it('students list only what they reported; staff only their department; authority and admin the tenant; other tenants nothing', async () => {
      const fromOther = await report({ category: 'security', title: 'Robo' }, tokens.otherStudent);
      assert.equal(fromOther.departmentId === infraDept, false);
      const reporter = await listIds(tokens.reporter);
      assert.ok(reporter.includes(open.id) && reporter.includes(anon.id));
      assert.equal(reporter.includes(fromOther.id), false);
      assert.deepEqual(await listIds(tokens.otherStudent), [fromOther.id]);

      const staffOwn = await t.request('GET', '/api/incidents?limit=200', { token: tokens.staffOwn });
      assert.ok(staffOwn.body.items.length > 0);
      assert.ok(staffOwn.body.items.every((i: Incident) => i.departmentId === infraDept));
      assert.equal(staffOwn.body.items.some((i: Incident) => i.id === fromOther.id), false);
      const staffOther = await t.request('GET', '/api/incidents?limit=200', { token: tokens.staffOther });
      assert.ok(staffOther.body.items.every((i: Incident) => i.departmentId === otherDept));
      assert.equal(staffOther.body.items.some((i: Incident) => i.id === open.id), false);

      const all = await listIds(tokens.admin);
      assert.deepEqual(await listIds(tokens.authority), all);
      assert.ok(all.includes(fromOther.id) && all.includes(open.id) && all.includes(anon.id));
      assert.deepEqual(await listIds(tokens.otherTenant), []);
    });

    it('a student asking for another department or mine=false still sees only their own', async () => {
      const mine = await listIds(tokens.reporter);
      const filtered = await listIds(tokens.reporter, `/api/incidents?departmentId=${infraDept}`);
      assert.ok(filtered.length > 0);
      assert.ok(filtered.every((id) => mine.includes(id)));
      assert.deepEqual(await listIds(tokens.reporter, '/api/incidents?mine=false'), mine);
      assert.deepEqual(await listIds(tokens.staffOther, `/api/incidents?departmentId=${infraDept}`), []);
      assert.deepEqual(await listIds(tokens.otherTenant, `/api/incidents?departmentId=${infraDept}`), []);
    });
  });

  describe('department reassignment', () => {
    it('moves the incident between staff, logs DepartmentAssigned and validates the department', async () => {
      const incident = await report({ title: 'Mover' });
      const admin = tokens.admin;
      const unknown = await t.request('PUT', `/api/incidents/${incident.id}/department`, {
        token: admin,
        body: { departmentId: '0190a6e0-0000-7000-8000-000000000000' },
      });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.code, 'unknown_department');
      const missing = await t.request('PUT', '/api/incidents/0190a6e0-0000-7000-8000-000000000000/department', {
        token: admin,
        body: { departmentId: otherDept },
      });
      assert.equal(missing.status, 404);

      const moved = await t.request('PUT', `/api/incidents/${incident.id}/department`, { token: admin, body: { departmentId: otherDept } });
      assert.equal(moved.status, 200, moved.text);
      assert.equal(moved.body.departmentId, otherDept);
      assert.equal(moved.body.version, 2);
      assert.equal((await t.request('GET', `/api/incidents/${incident.id}`, { token: tokens.staffOwn })).status, 404);
      assert.equal((await t.request('GET', `/api/incidents/${incident.id}`, { token: tokens.staffOther })).status, 200);
      assert.equal((await t.request('GET', `/api/incidents/${incident.id}`, { token: tokens.reporter })).status, 200);
      const staffMove = await t.request('PATCH', `/api/incidents/${incident.id}`, { token: tokens.staffOther, body: { status: 'in_progress' } });
      assert.equal(staffMove.status, 200);

      const events = (await t.request('GET', `/api/incidents/${incident.id}/events`, { token: admin })).body.items;
      const assigned = events.find((e: { type: string }) => e.type === 'DepartmentAssigned');
      assert.equal(assigned.departmentId, otherDept);
      assert.equal(assigned.previousDepartmentId, infraDept);
      assert.equal(assigned.actorId, ids.admin);

      const same = await t.request('PUT', `/api/incidents/${incident.id}/department`, { token: admin, body: { departmentId: otherDept } });
      assert.equal(same.status, 200);
      assert.equal(same.body.version, 3, 'assigning the same department changes nothing');
      const after = (await t.request('GET', `/api/incidents/${incident.id}/events`, { token: admin })).body.items;
      assert.equal(after.length, events.length);
    });
  });

  describe('GET /api/departments/:id/incidents', () => {
    it('answers by role: students 403, staff of another department 403, own staff, authority and admin 200', async () => {
      const expected: Record<Who, number> = {
        reporter: 403,
        otherStudent: 403,
        staffOwn: 200,
        staffOther: 403,
        authority: 200,
        admin: 200,
        otherTenant: 404,
      };
      for (const who of WHO) {
        const answer = await t.request('GET', `/api/departments/${infraDept}/incidents`, { token: tokens[who] });
        assert.equal(answer.status, expected[who], `${who}: ${answer.text}`);
        if (answer.status === 200) {
          assert.ok(answer.body.items.some((i: Incident) => i.id === open.id));
          assert.ok(answer.body.items.every((i: Incident) => i.departmentId === infraDept));
          assert.ok('nextCursor' in answer.body);
        }
      }
    });

    it('an unknown department is a 404 (for those allowed to list departments)', async () => {
      for (const who of ['admin', 'authority', 'staffOwn'] as const) {
        const answer = await t.request('GET', '/api/departments/0190a6e0-0000-7000-8000-000000000000/incidents', { token: tokens[who] });
        assert.equal(answer.status, 404, who);
      }
    });

    it('lists only that department and applies the list filters', async () => {
      const other = await report({ category: 'security', title: 'Cámara rota' });
      const mine = await t.request('GET', `/api/departments/${otherDept}/incidents?limit=200`, { token: tokens.staffOther });
      const securityDept = other.departmentId;
      if (securityDept === otherDept) {
        assert.ok(mine.body.items.some((i: Incident) => i.id === other.id));
      }
      const infra = await t.request('GET', `/api/departments/${infraDept}/incidents?limit=200`, { token: tokens.admin });
      assert.equal(infra.body.items.some((i: Incident) => i.id === other.id), securityDept === infraDept);
      const pending = await t.request('GET', `/api/departments/${infraDept}/incidents?status=closed`, { token: tokens.admin });
      assert.deepEqual(pending.body.items, []);
    });
  });

  describe('anonymous incidents', () => {
    before(async () => {
      // The reporter comments and confirms; staff work it; everyone leaves traces in the log.
      const admin = tokens.admin;
      assert.equal((await t.request('POST', `/api/incidents/${anon.id}/comments`, { token: tokens.reporter, body: { text: 'sigue pasando' } })).status, 201);
      assert.equal((await t.request('PATCH', `/api/incidents/${anon.id}`, { token: tokens.staffOwn, body: { status: 'resolved' } })).status, 200);
      assert.equal((await t.request('PATCH', `/api/incidents/${anon.id}`, { token: tokens.reporter, body: { status: 'in_progress', note: 'No está resuelto' } })).status, 200);
      assert.equal((await t.request('PATCH', `/api/incidents/${anon.id}`, { token: admin, body: { status: 'resolved' } })).status, 200);
      assert.equal((await t.request('PATCH', `/api/incidents/${anon.id}`, { token: tokens.reporter, body: { status: 'closed' } })).status, 200);
    });

    it('the reporter gets reporterId null when reporting anonymously', () => {
      assert.equal(anon.anonymous, true);
      assert.equal(anon.reporterId, null);
      assert.equal(open.reporterId, ids.reporter);
    });

    for (const who of ['reporter', 'staffOwn', 'authority', 'admin'] as const) {
      it(`${who} ${who === 'admin' ? 'sees' : 'does not see'} the reporter in the incident, the lists and the events`, async () => {
        const token = tokens[who];
        const expected = who === 'admin' ? ids.reporter : null;
        const got = await t.request('GET', `/api/incidents/${anon.id}`, { token });
        assert.equal(got.status, 200);
        assert.equal(got.body.reporterId, expected);
        assert.equal(got.body.anonymous, true);
        for (const path of ['/api/incidents?limit=200', `/api/departments/${infraDept}/incidents?limit=200`]) {
          const list = await t.request('GET', path, { token });
          if (list.status !== 200) continue; // students may not list departments
          const item = list.body.items.find((i: Incident) => i.id === anon.id);
          assert.equal(item.reporterId, expected, path);
        }
        const events = (await t.request('GET', `/api/incidents/${anon.id}/events`, { token })).body.items as Record<string, unknown>[];
        assert.ok(events.length >= 6);
        const reporterTraces = events.flatMap((event) => PERSON_FIELDS.filter((field) => event[field] === ids.reporter));
        if (who === 'admin') {
          // created (actorId, reporterId), comment (actorId, authorId), reopen and close (actorId, updatedBy)
          assert.equal(reporterTraces.length, 8);
        } else {
          assert.deepEqual(reporterTraces, [], `no trace of the reporter for ${who}`);
          assert.doesNotMatch(JSON.stringify(events), new RegExp(ids.reporter), `not even elsewhere for ${who}`);
          const created = events[0]!;
          assert.equal(created.type, 'IncidentCreated');
          assert.equal(created.actorId, null);
          assert.equal(created.reporterId, null);
          const comment = events.find((e) => e.type === 'CommentAdded')!;
          assert.equal(comment.authorId, null);
          assert.equal(comment.text, 'sigue pasando');
          // Others keep their names.
          const staffMove = events.find((e) => e.type === 'IncidentStatusChanged' && e.actorId !== null)!;
          assert.equal(staffMove.updatedBy, ids.staffOwn);
        }
        assert.doesNotMatch(got.text, new RegExp(who === 'admin' ? '^$' : ids.reporter));
      });
    }

    it('the reporter’s own comment on an anonymous incident comes back without their id', async () => {
      const comment = await t.request('POST', `/api/incidents/${anon.id}/comments`, { token: tokens.reporter, body: { text: 'gracias' } });
      assert.equal(comment.status, 201);
      assert.equal(comment.body.authorId, null);
      assert.equal(comment.body.actorId, null);
      assert.equal(comment.body.type, 'CommentAdded');
      assert.equal(comment.body.text, 'gracias');
    });

    it('the reporter still finds it with mine=true and may act on it', async () => {
      assert.ok((await listIds(tokens.reporter, '/api/incidents?mine=true')).includes(anon.id));
    });

    it('non-anonymous incidents show the reporter to everyone who sees them', async () => {
      for (const who of ['reporter', 'staffOwn', 'authority', 'admin'] as const) {
        const got = await t.request('GET', `/api/incidents/${open.id}`, { token: tokens[who] });
        assert.equal(got.body.reporterId, ids.reporter, who);
        const events = (await t.request('GET', `/api/incidents/${open.id}/events`, { token: tokens[who] })).body.items;
        assert.equal(events[0].reporterId, ids.reporter, who);
        assert.equal(events[0].actorId, ids.reporter, who);
      }
    });
  });

  describe('comments', () => {
    it('internal comments reach staff, authority and admin, never students', async () => {
      const incident = await report({ title: 'Comentarios' });
      const internal = await t.request('POST', `/api/incidents/${incident.id}/comments`, {
        token: tokens.staffOwn,
        body: { text: 'el proveedor llega mañana', internal: true },
      });
      assert.equal(internal.status, 201, internal.text);
      assert.equal(internal.body.type, 'CommentAdded');
      assert.equal(internal.body.internal, true);
      assert.equal(internal.body.authorId, ids.staffOwn);
      assert.equal(internal.body.actorId, ids.staffOwn);
      assert.equal(internal.body.id, incident.id);
      assert.equal(typeof internal.body.commentId, 'string');
      assert.equal(typeof internal.body.seq, 'number');
      const fromAuthority = await t.request('POST', `/api/incidents/${incident.id}/comments`, {
        token: tokens.authority,
        body: { text: 'nota de autoridad', internal: true },
      });
      assert.equal(fromAuthority.status, 201);
      const open = await t.request('POST', `/api/incidents/${incident.id}/comments`, { token: tokens.staffOwn, body: { text: 'ya vamos' } });
      assert.equal(open.status, 201);
      assert.equal(open.body.internal, false);

      const studentEvents = (await t.request('GET', `/api/incidents/${incident.id}/events`, { token: tokens.reporter })).body.items;
      assert.deepEqual(
        studentEvents.map((e: { type: string; text?: string }) => e.text ?? e.type),
        ['IncidentCreated', 'ya vamos'],
      );
      assert.doesNotMatch(JSON.stringify(studentEvents), /proveedor|autoridad/);
      for (const who of ['staffOwn', 'authority', 'admin'] as const) {
        const events = (await t.request('GET', `/api/incidents/${incident.id}/events`, { token: tokens[who] })).body.items;
        assert.deepEqual(
          events.map((e: { type: string; text?: string; internal?: boolean }) => (e.text ? `${e.text}:${e.internal}` : e.type)),
          ['IncidentCreated', 'el proveedor llega mañana:true', 'nota de autoridad:true', 'ya vamos:false'],
          who,
        );
      }
    });

    it('a student posting internal:true gets 403 and nothing is logged', async () => {
      const incident = await report({ title: 'Interno' });
      const answer = await t.request('POST', `/api/incidents/${incident.id}/comments`, { token: tokens.reporter, body: { text: 'secreto', internal: true } });
      assert.equal(answer.status, 403);
      const events = (await t.request('GET', `/api/incidents/${incident.id}/events`, { token: tokens.admin })).body.items;
      assert.equal(events.length, 1);
      const ok = await t.request('POST', `/api/incidents/${incident.id}/comments`, { token: tokens.reporter, body: { text: 'público', internal: false } });
      assert.equal(ok.status, 201);
    });

    it('events come oldest first with increasing seq and comment text is stored trimmed', async () => {
      const incident = await report({ title: 'Orden' });
      await t.request('POST', `/api/incidents/${incident.id}/comments`, { token: tokens.reporter, body: { text: '  uno  ' } });
      await t.request('PATCH', `/api/incidents/${incident.id}`, { token: tokens.staffOwn, body: { status: 'in_progress' } });
      await t.request('POST', `/api/incidents/${incident.id}/comments`, { token: tokens.staffOwn, body: { text: 'dos' } });
      const events = (await t.request('GET', `/api/incidents/${incident.id}/events`, { token: tokens.reporter })).body.items;
      assert.deepEqual(
        events.map((e: { type: string }) => e.type),
        ['IncidentCreated', 'CommentAdded', 'IncidentStatusChanged', 'CommentAdded'],
      );
      assert.equal(events[1].text, 'uno');
      for (let i = 1; i < events.length; i++) assert.ok(events[i].seq > events[i - 1].seq);
      assert.ok(events.every((e: { id: string }) => e.id === incident.id));
    });

    it('rejects empty or oversized comments', async () => {
      const empty = await t.request('POST', `/api/incidents/${open.id}/comments`, { token: tokens.reporter, body: { text: '   ' } });
      assert.equal(empty.status, 400);
      const huge = await t.request('POST', `/api/incidents/${open.id}/comments`, { token: tokens.reporter, body: { text: 'x'.repeat(4001) } });
      assert.equal(huge.status, 400);
    });
  });
});
