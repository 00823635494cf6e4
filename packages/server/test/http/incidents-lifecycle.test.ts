import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { manualClock, startApp, type TestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { createUser } from '../helpers/fixtures.js';

const STATUSES = ['pending', 'in_progress', 'escalated', 'resolved', 'closed', 'rejected'] as const;
type Status = (typeof STATUSES)[number];

// The contract's graph, written out independently of the implementation.
const GRAPH: Record<Status, Status[]> = {
  pending: ['in_progress', 'escalated', 'resolved', 'rejected'],
  in_progress: ['escalated', 'resolved'],
  escalated: ['in_progress', 'resolved'],
  resolved: ['closed', 'in_progress'],
  closed: [],
  rejected: [],
};
// How the admin brings a fresh incident to each start status.
const PATH_TO: Record<Status, Status[]> = {
  pending: [],
  in_progress: ['in_progress'],
  escalated: ['in_progress', 'escalated'],
  resolved: ['in_progress', 'resolved'],
  closed: ['in_progress', 'resolved', 'closed'],
  rejected: ['rejected'],
};

type Who = 'reporter' | 'otherStudent' | 'staffOwn' | 'staffOther' | 'authority' | 'admin';
const WHO: Who[] = ['reporter', 'otherStudent', 'staffOwn', 'staffOther', 'authority', 'admin'];
const CAN_SEE: Record<Who, boolean> = { reporter: true, otherStudent: false, staffOwn: true, staffOther: false, authority: true, admin: true };

/** The contract's roles table for a graph-allowed move. */
function roleMay(who: Who, from: Status, to: Status): boolean {
  switch (who) {
    case 'admin':
    case 'authority':
      return true;
    case 'staffOwn':
      return to !== 'escalated' && to !== 'rejected';
    case 'reporter':
      return from === 'resolved' && (to === 'closed' || to === 'in_progress');
    default:
      return false;
  }
}

function expectedStatus(who: Who, from: Status, to: Status): number {
  if (!CAN_SEE[who]) return 404;
  if (!GRAPH[from].includes(to)) return 409;
  return roleMay(who, from, to) ? 200 : 403;
}

describe('incident lifecycle over HTTP', () => {
  let t: TestApp;
  const clock = manualClock(Date.UTC(2025, 4, 5, 13, 0, 0));
  const tokens = {} as Record<Who, string>;
  const ids = {} as Record<Who, string>;
  let admin: string;

  before(async () => {
    t = await startApp({ clock });
    admin = await t.adminToken();
    const categories = await t.request('GET', '/api/categories', { token: admin });
    const infraDept = categories.body.items.find((c: { code: string }) => c.code === 'infrastructure').departmentId as string;
    const otherDept = categories.body.items.find((c: { departmentId: string }) => c.departmentId !== infraDept).departmentId as string;
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
  });
  after(() => t.close());

  async function report(title = 'Fuga en el baño') {
    clock.advance(1000);
    const created = await t.request('POST', '/api/incidents', {
      token: tokens.reporter,
      body: { category: 'infrastructure', description: `${title}, cerca del aula`, urgency: 'high', locationText: 'Pabellón A, piso 3', title },
    });
    assert.equal(created.status, 201, created.text);
    return created.body as { id: string; version: number; status: Status; acknowledgedAt: string | null; resolvedAt: string | null };
  }

  async function patch(token: string, id: string, status: Status, extra: { note?: string; headers?: Record<string, string>; version?: number } = {}) {
    clock.advance(1000);
    return t.request('PATCH', `/api/incidents/${id}`, {
      token,
      headers: extra.headers,
      body: { status, ...(extra.note !== undefined ? { note: extra.note } : {}), ...(extra.version !== undefined ? { version: extra.version } : {}) },
    });
  }

  async function reportAt(status: Status) {
    const incident = await report();
    for (const step of PATH_TO[status]) {
      const moved = await patch(admin, incident.id, step, step === 'rejected' ? { note: 'No corresponde al campus' } : {});
      assert.equal(moved.status, 200, `admin ${step}: ${moved.text}`);
    }
    const current = await t.request('GET', `/api/incidents/${incident.id}`, { token: admin });
    assert.equal(current.body.status, status);
    return current.body;
  }

  const lastEvent = async (id: string) => (await t.request('GET', `/api/incidents/${id}/events`, { token: admin })).body.items.at(-1);

  for (const from of STATUSES) {
    it(`every move out of ${from}, for every role`, async () => {
      let incident = await reportAt(from);
      for (const to of STATUSES) {
        for (const who of WHO) {
          const expected = expectedStatus(who, from, to);
          const before = (await t.request('GET', `/api/incidents/${incident.id}`, { token: admin })).body;
          const eventsBefore = (await t.request('GET', `/api/incidents/${incident.id}/events`, { token: admin })).body.items.length;
          const answer = await patch(tokens[who], incident.id, to, { note: `${who} ${from}->${to}` });
          const label = `${who} ${from}->${to}: ${answer.text}`;
          assert.equal(answer.status, expected, label);

          if (expected !== 200) {
            assert.match(answer.headers.get('content-type') ?? '', /application\/problem\+json/, label);
            if (expected === 409) assert.equal(answer.body.code, 'invalid_transition', label);
            if (expected === 404) assert.equal(answer.body.status, 404, label);
            if (expected === 403) assert.equal(answer.body.status, 403, label);
            const after = (await t.request('GET', `/api/incidents/${incident.id}`, { token: admin })).body;
            assert.deepEqual(after, before, `refused move changes nothing: ${label}`);
            const eventsAfter = (await t.request('GET', `/api/incidents/${incident.id}/events`, { token: admin })).body.items.length;
            assert.equal(eventsAfter, eventsBefore, `refused move logs nothing: ${label}`);
            continue;
          }

          const now = new Date(clock.now()).toISOString();
          const moved = answer.body;
          assert.equal(moved.status, to, label);
          assert.equal(moved.version, before.version + 1, label);
          assert.equal(answer.headers.get('etag'), `"${moved.version}"`, label);
          assert.equal(moved.updatedAt, now, label);
          assert.equal(moved.acknowledgedAt, from === 'pending' ? now : before.acknowledgedAt, `acknowledgedAt: ${label}`);
          assert.notEqual(moved.acknowledgedAt, null);
          const resolvedAt = to === 'resolved' ? now : to === 'in_progress' ? null : before.resolvedAt;
          assert.equal(moved.resolvedAt, resolvedAt, `resolvedAt: ${label}`);
          const stored = await t.request('GET', `/api/incidents/${incident.id}`, { token: admin });
          // GET /api/incidents/:id alone names the reporter (for those who may read it).
          const { reporterName: _name, ...storedIncident } = stored.body;
          assert.deepEqual({ ...storedIncident, reporterId: moved.reporterId }, moved, 'the answer is what is stored');

          const event = await lastEvent(incident.id);
          assert.equal(event.id, incident.id);
          assert.equal(event.actorId, ids[who]);
          assert.equal(event.at, now);
          assert.equal(event.previousStatus, from);
          assert.equal(event.status, to);
          assert.equal(event.updatedBy, ids[who]);
          assert.equal(event.updatedAt, now);
          assert.equal(event.note, `${who} ${from}->${to}`);
          if (to === 'escalated') {
            assert.equal(event.type, 'IncidentEscalated', label);
            assert.equal(event.reason, 'manual');
            assert.equal(event.slaDueAt, before.slaDueAt);
          } else {
            assert.equal(event.type, 'IncidentStatusChanged', label);
            assert.equal('reason' in event, false);
          }
          incident = await reportAt(from); // a fresh one for the next try
        }
      }
    });
  }

  it('acknowledgedAt is set once and survives reopen and re-resolve; resolvedAt follows resolve and reopen', async () => {
    const incident = await report();
    assert.equal(incident.acknowledgedAt, null);
    assert.equal(incident.resolvedAt, null);
    const taken = await patch(tokens.staffOwn, incident.id, 'in_progress');
    const acknowledgedAt = taken.body.acknowledgedAt as string;
    assert.equal(acknowledgedAt, new Date(clock.now()).toISOString());
    const escalated = await patch(tokens.authority, incident.id, 'escalated');
    assert.equal(escalated.body.acknowledgedAt, acknowledgedAt);
    const resolved = await patch(tokens.staffOwn, incident.id, 'resolved');
    assert.equal(resolved.body.resolvedAt, new Date(clock.now()).toISOString());
    const reopened = await patch(tokens.reporter, incident.id, 'in_progress', { note: 'Sigue goteando' });
    assert.equal(reopened.status, 200);
    assert.equal(reopened.body.resolvedAt, null);
    assert.equal(reopened.body.acknowledgedAt, acknowledgedAt);
    const again = await patch(tokens.staffOwn, incident.id, 'resolved');
    const resolvedAgain = new Date(clock.now()).toISOString();
    assert.equal(again.body.resolvedAt, resolvedAgain);
    const closed = await patch(tokens.reporter, incident.id, 'closed');
    assert.equal(closed.body.status, 'closed');
    assert.equal(closed.body.resolvedAt, resolvedAgain);
    assert.equal(closed.body.acknowledgedAt, acknowledgedAt);
    assert.equal(closed.body.version, 7);

    const events = (await t.request('GET', `/api/incidents/${incident.id}/events`, { token: admin })).body.items;
    assert.deepEqual(
      events.map((e: { type: string; status?: string }) => `${e.type}:${e.status}`),
      [
        'IncidentCreated:pending',
        'IncidentStatusChanged:in_progress',
        'IncidentEscalated:escalated',
        'IncidentStatusChanged:resolved',
        'IncidentStatusChanged:in_progress',
        'IncidentStatusChanged:resolved',
        'IncidentStatusChanged:closed',
      ],
    );
    const seqs = events.map((e: { seq: number }) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    assert.equal(new Set(seqs).size, seqs.length);
  });

  it('a move without a note logs no note', async () => {
    const incident = await report();
    await patch(tokens.staffOwn, incident.id, 'in_progress');
    const event = await lastEvent(incident.id);
    assert.equal(event.type, 'IncidentStatusChanged');
    assert.equal('note' in event, false);
  });

  it('rejecting, and a student reopening, need a reason: refused without one (nothing changes), and the reporter reads it', async () => {
    const incident = await report();
    const bare = await patch(tokens.authority, incident.id, 'rejected');
    assert.equal(bare.status, 400);
    assert.equal(bare.body.code, 'reason_required');
    assert.deepEqual(bare.body.errors, [{ path: '/note', message: 'required for this change' }]);
    const blank = await patch(tokens.authority, incident.id, 'rejected', { note: '   ' });
    assert.equal(blank.status, 400, 'a blank note is no reason');
    const unchanged = await t.request('GET', `/api/incidents/${incident.id}`, { token: admin });
    assert.equal(unchanged.body.status, 'pending');
    assert.equal(unchanged.body.version, incident.version);
    assert.equal((await lastEvent(incident.id)).type, 'IncidentCreated');

    const other = await report();
    await patch(tokens.staffOwn, other.id, 'resolved');
    const reopenBare = await patch(tokens.reporter, other.id, 'in_progress');
    assert.equal(reopenBare.body.code, 'reason_required');
    assert.equal((await patch(tokens.reporter, other.id, 'in_progress', { note: 'Sigue goteando' })).status, 200);
    await patch(tokens.staffOwn, other.id, 'resolved');
    assert.equal((await patch(tokens.staffOwn, other.id, 'in_progress')).status, 200, 'staff reopen without a note');

    assert.equal((await patch(tokens.authority, incident.id, 'rejected', { note: 'Reporte duplicado del aula 301' })).status, 200);
    const history = await t.request('GET', `/api/incidents/${incident.id}/events`, { token: tokens.reporter });
    const rejection = history.body.items.at(-1);
    assert.equal(rejection.status, 'rejected');
    assert.equal(rejection.note, 'Reporte duplicado del aula 301');
  });

  it('rejecting stamps acknowledgedAt but not resolvedAt, and is final', async () => {
    const incident = await report();
    const rejected = await patch(tokens.authority, incident.id, 'rejected', { note: 'duplicado' });
    assert.equal(rejected.status, 200);
    assert.equal(rejected.body.acknowledgedAt, new Date(clock.now()).toISOString());
    assert.equal(rejected.body.resolvedAt, null);
    for (const to of STATUSES) assert.equal((await patch(admin, incident.id, to)).status, 409, to);
  });

  describe('optimistic concurrency', () => {
    it('GET answers the version as ETag', async () => {
      const incident = await report();
      const got = await t.request('GET', `/api/incidents/${incident.id}`, { token: tokens.staffOwn });
      assert.equal(got.headers.get('etag'), '"1"');
      await patch(admin, incident.id, 'in_progress');
      const again = await t.request('GET', `/api/incidents/${incident.id}`, { token: tokens.staffOwn });
      assert.equal(again.headers.get('etag'), '"2"');
      assert.equal(again.body.version, 2);
    });

    it('a matching If-Match succeeds, in any of its spellings', async () => {
      const incident = await report();
      const first = await patch(tokens.staffOwn, incident.id, 'in_progress', { headers: { 'if-match': '"1"' } });
      assert.equal(first.status, 200, first.text);
      assert.equal(first.headers.get('etag'), '"2"');
      const second = await patch(tokens.staffOwn, incident.id, 'resolved', { headers: { 'if-match': 'W/"2"' } });
      assert.equal(second.status, 200, second.text);
      const third = await patch(tokens.reporter, incident.id, 'in_progress', { headers: { 'if-match': '3' }, note: 'No está arreglado' });
      assert.equal(third.status, 200, third.text);
      assert.equal(third.body.version, 4);
    });

    it('a stale If-Match is refused with 412 version_mismatch and changes nothing', async () => {
      const incident = await report();
      await patch(tokens.staffOwn, incident.id, 'in_progress');
      const stale = await patch(tokens.staffOwn, incident.id, 'resolved', { headers: { 'if-match': '"1"' } });
      assert.equal(stale.status, 412, stale.text);
      assert.equal(stale.body.code, 'version_mismatch');
      assert.match(stale.headers.get('content-type') ?? '', /application\/problem\+json/);
      const ahead = await patch(tokens.staffOwn, incident.id, 'resolved', { headers: { 'if-match': '"9"' } });
      assert.equal(ahead.status, 412);
      const current = await t.request('GET', `/api/incidents/${incident.id}`, { token: admin });
      assert.equal(current.body.status, 'in_progress');
      assert.equal(current.body.version, 2);
      const events = (await t.request('GET', `/api/incidents/${incident.id}/events`, { token: admin })).body.items;
      assert.equal(events.length, 2);
    });

    it("the role's permission is checked before a stale If-Match: 403, not 412", async () => {
      const incident = await report();
      await patch(tokens.staffOwn, incident.id, 'in_progress');
      // Staff may not escalate whatever the version; the reporter may not take the incident.
      const staff = await patch(tokens.staffOwn, incident.id, 'escalated', { headers: { 'if-match': '"1"' } });
      assert.equal(staff.status, 403, staff.text);
      const reporter = await patch(tokens.reporter, incident.id, 'resolved', { headers: { 'if-match': '"1"' } });
      assert.equal(reporter.status, 403, reporter.text);
      // A move the role may make, with the stale version, is still a 412.
      const stale = await patch(tokens.staffOwn, incident.id, 'resolved', { headers: { 'if-match': '"1"' } });
      assert.equal(stale.status, 412, stale.text);
      assert.equal((await t.request('GET', `/api/incidents/${incident.id}`, { token: admin })).body.version, 2);
    });

    it('body.version works like If-Match', async () => {
      const incident = await report();
      const stale = await patch(tokens.staffOwn, incident.id, 'in_progress', { version: 2 });
      assert.equal(stale.status, 412);
      assert.equal(stale.body.code, 'version_mismatch');
      const ok = await patch(tokens.staffOwn, incident.id, 'in_progress', { version: 1 });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.version, 2);
      const both = await patch(tokens.staffOwn, incident.id, 'resolved', { version: 2, headers: { 'if-match': '"2"' } });
      assert.equal(both.status, 200, both.text);
    });

    it('If-Match and body.version that disagree are a 400', async () => {
      const incident = await report();
      const answer = await patch(tokens.staffOwn, incident.id, 'in_progress', { version: 1, headers: { 'if-match': '"2"' } });
      assert.equal(answer.status, 400);
      assert.equal((await t.request('GET', `/api/incidents/${incident.id}`, { token: admin })).body.status, 'pending');
    });

    it('a stale If-Match from someone who cannot see the incident is still a 404', async () => {
      const incident = await report();
      const answer = await patch(tokens.staffOther, incident.id, 'in_progress', { headers: { 'if-match': '"7"' } });
      assert.equal(answer.status, 404);
    });

    it('a malformed If-Match is a 400', async () => {
      const incident = await report();
      const answer = await patch(tokens.staffOwn, incident.id, 'in_progress', { headers: { 'if-match': 'yesterday' } });
      assert.equal(answer.status, 400);
    });
  });

  it('an unknown status is a 400 and an unknown incident a 404', async () => {
    const incident = await report();
    const bad = await t.request('PATCH', `/api/incidents/${incident.id}`, { token: admin, body: { status: 'done' } });
    assert.equal(bad.status, 400);
    const missing = await patch(admin, '0190a6e0-0000-7000-8000-000000000000', 'in_progress');
    assert.equal(missing.status, 404);
  });
});

// Conditional writes are where the stores differ most: race them on both.
await describeEachDatabase('concurrent status changes', (dialect) => {
  let t: TestApp;
  let admin: string;
  before(async () => {
    t = await startApp({ dialect });
    admin = await t.adminToken();
  });
  after(() => t.close());

  const report = async () => {
    const created = await t.request('POST', '/api/incidents', {
      token: admin,
      body: { category: 'infrastructure', description: 'Carrera', urgency: 'low', locationText: 'Aula 1' },
    });
    assert.equal(created.status, 201, created.text);
    return created.body.id as string;
  };
  const events = async (id: string) => (await t.request('GET', `/api/incidents/${id}/events`, { token: admin })).body.items as { type: string }[];

  it('two writers with the same If-Match: exactly one wins, the other gets 412', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await report();
      const answers = await Promise.all(
        (['in_progress', 'resolved'] as const).map((status) =>
          t.request('PATCH', `/api/incidents/${id}`, { token: admin, headers: { 'if-match': '"1"' }, body: { status } }),
        ),
      );
      assert.deepEqual(
        answers.map((a) => a.status).sort(),
        [200, 412],
        answers.map((a) => a.text).join(' | '),
      );
      assert.equal(answers.find((a) => a.status === 412)!.body.code, 'version_mismatch');
      const current = await t.request('GET', `/api/incidents/${id}`, { token: admin });
      assert.equal(current.body.version, 2);
      assert.equal(current.body.status, answers.find((a) => a.status === 200)!.body.status);
      assert.equal((await events(id)).length, 2, 'only the winner is logged');
    }
  });

  it('two writers without If-Match: both are applied in turn or the loser is refused, never lost', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await report();
      const answers = await Promise.all(
        (['in_progress', 'resolved'] as const).map((status) => t.request('PATCH', `/api/incidents/${id}`, { token: admin, body: { status } })),
      );
      const ok = answers.filter((a) => a.status === 200);
      assert.ok(ok.length >= 1, answers.map((a) => a.text).join(' | '));
      for (const refused of answers.filter((a) => a.status !== 200)) assert.equal(refused.status, 409, refused.text);
      const current = await t.request('GET', `/api/incidents/${id}`, { token: admin });
      assert.equal(current.body.version, 1 + ok.length, 'every success is one version');
      assert.equal((await events(id)).length, 1 + ok.length, 'every success is one event');
    }
  });
});
