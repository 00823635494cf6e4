import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commentAddedEvent, eventForViewer, eventViewKey, incidentCreatedEvent, stampedEvent, type NewEvent } from '../src/incidents/events.js';
import type { Incident } from '../src/incidents/model.js';
import {
  canSeeIncident,
  canSeeInternal,
  canSeeReporter,
  incidentScope,
  seesAnonymousReporters,
  seesDepartment,
  seesOwnReports,
  seesWholeTenant,
} from '../src/incidents/visibility.js';
import { isAdminRole, roleMayHaveDepartment, roleNeedsDepartment } from '../src/policy.js';
import { ROLES, type Role, type UserActor } from '../src/roles.js';

const T0 = Date.UTC(2025, 2, 1, 12, 0, 0);

const actor = (role: Role): UserActor => ({ kind: 'user', userId: `u-${role}`, tenantId: 't1', role, departmentId: role === 'staff' ? 'd1' : null });

const incident = (extra: Partial<Incident> = {}): Incident => ({
  id: 'i1',
  tenantId: 't1',
  category: 'infrastructure',
  title: 'Fuga',
  description: 'Fuga de agua',
  urgency: 'high',
  status: 'pending',
  locationCode: 'A-301',
  locationText: null,
  lat: null,
  lng: null,
  departmentId: 'd2',
  reporterId: 'u-someone',
  anonymous: false,
  createdAt: T0,
  updatedAt: T0,
  acknowledgedAt: null,
  resolvedAt: null,
  slaDueAt: T0 + 3_600_000,
  affectedCount: 1,
  version: 1,
  ...extra,
});

describe('role predicates: how far a role sees', () => {
  const expected: Record<Role, { tenant: boolean; department: boolean; own: boolean }> = {
    admin: { tenant: true, department: false, own: false },
    authority: { tenant: true, department: false, own: false },
    staff: { tenant: false, department: true, own: false },
    student: { tenant: false, department: false, own: true },
  };

  for (const role of ROLES) {
    it(`${role}: exactly one reach, the one its incident scope has`, () => {
      const a = actor(role);
      assert.deepEqual({ tenant: seesWholeTenant(a), department: seesDepartment(a), own: seesOwnReports(a) }, expected[role]);
      const kind = incidentScope(a).kind;
      assert.equal(seesWholeTenant(a), kind === 'tenant');
      assert.equal(seesDepartment(a), kind === 'department');
      assert.equal(seesOwnReports(a), kind === 'reporter');
    });
  }

  it('agrees with canSeeIncident on an incident of another department reported by someone else', () => {
    for (const role of ROLES) assert.equal(canSeeIncident(actor(role), incident()), seesWholeTenant(actor(role)), role);
  });

  it('only admins see who reported anonymously', () => {
    for (const role of ROLES) {
      assert.equal(seesAnonymousReporters(actor(role)), role === 'admin', role);
      assert.equal(canSeeReporter(actor(role), incident({ anonymous: true })), role === 'admin', role);
      assert.equal(canSeeReporter(actor(role), incident()), true, role);
    }
  });
});

describe('role predicates: accounts', () => {
  it('staff need a department, students may not have one, the others may', () => {
    const needs = ROLES.filter(roleNeedsDepartment);
    const may = ROLES.filter(roleMayHaveDepartment);
    assert.deepEqual(needs, ['staff']);
    assert.deepEqual([...may].sort(), ['admin', 'authority', 'staff']);
    for (const role of needs) assert.ok(roleMayHaveDepartment(role), `${role} needs a department it may not have`);
  });

  it('admin is the only admin role', () => {
    assert.deepEqual(ROLES.filter(isAdminRole), ['admin']);
  });
});

describe('eventViewKey', () => {
  const created = incidentCreatedEvent(incident({ anonymous: true }));
  const internalComment = commentAddedEvent('i1', 'c1', 'u-staff', 'nota', true);
  const publicComment = commentAddedEvent('i1', 'c2', 'u-someone', 'gracias', false);
  const cases: { event: NewEvent; anonymous: boolean }[] = [
    { event: created, anonymous: true },
    { event: internalComment, anonymous: false },
    { event: publicComment, anonymous: true },
  ];
  const shownTo = (role: Role) =>
    cases.map(({ event, anonymous }) => eventForViewer(actor(role), stampedEvent(event, 1, T0), event.internal, incident({ anonymous })));

  it('gives viewers the same key exactly when every event is shown to them alike', () => {
    for (const a of ROLES) {
      for (const b of ROLES) {
        const sameKey = eventViewKey(actor(a)) === eventViewKey(actor(b));
        assert.equal(sameKey, JSON.stringify(shownTo(a)) === JSON.stringify(shownTo(b)), `${a} / ${b}`);
      }
    }
  });

  it('tells apart who sees internal comments', () => {
    for (const role of ROLES) {
      const sharesWithStudent = eventViewKey(actor(role)) === eventViewKey(actor('student'));
      assert.equal(sharesWithStudent, !canSeeInternal(actor(role)) && !seesAnonymousReporters(actor(role)), role);
    }
  });
});

describe('stampedEvent', () => {
  it('wraps what was appended in the envelope of the log, in the order of the contract', () => {
    const event = commentAddedEvent('i1', 'c1', 'u-staff', 'nota', true);
    const stamped = stampedEvent(event, 7, T0);
    assert.deepEqual(Object.keys(stamped), ['seq', 'type', 'id', 'at', 'actorId', 'commentId', 'text', 'internal', 'authorId']);
    assert.deepEqual(stamped, {
      seq: 7,
      type: 'CommentAdded',
      id: 'i1',
      at: '2025-03-01T12:00:00.000Z',
      actorId: 'u-staff',
      commentId: 'c1',
      text: 'nota',
      internal: true,
      authorId: 'u-staff',
    });
  });
});
