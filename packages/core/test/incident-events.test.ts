import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  commentAddedEvent,
  departmentAssignedEvent,
  eventForViewer,
  incidentCreatedEvent,
  statusChangeEvent,
  type IncidentEvent,
  type NewEvent,
} from '../src/incidents/events.js';
import type { Incident } from '../src/incidents/model.js';
import type { Role, UserActor } from '../src/roles.js';

const T0 = Date.UTC(2025, 2, 1, 12, 0, 0);
const REPORTER = 'u-reporter';

const viewer = (role: Role, userId = `u-${role}`): UserActor => ({
  kind: 'user',
  userId,
  tenantId: 't1',
  role,
  departmentId: role === 'staff' ? 'd1' : null,
});
const reporterViewer = viewer('student', REPORTER);

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
  departmentId: 'd1',
  reporterId: REPORTER,
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

/** What the log would hand back for a new event. */
const logged = (event: NewEvent, seq = 1): IncidentEvent =>
  ({ seq, type: event.type, id: event.incidentId, at: new Date(T0).toISOString(), actorId: event.actorId, ...event.payload }) as IncidentEvent;

describe('event builders', () => {
  it('IncidentCreated carries the contract payload', () => {
    const created = incidentCreatedEvent(incident());
    assert.equal(created.type, 'IncidentCreated');
    assert.equal(created.actorId, REPORTER);
    assert.equal(created.internal, false);
    assert.deepEqual(created.payload, {
      reporterId: REPORTER,
      category: 'infrastructure',
      title: 'Fuga',
      locationCode: 'A-301',
      locationText: null,
      urgency: 'high',
      status: 'pending',
      departmentId: 'd1',
      createdAt: new Date(T0).toISOString(),
    });
  });

  it('a status change is IncidentStatusChanged, with the note only when given', () => {
    const before = incident();
    const after = { ...before, status: 'in_progress' as const, updatedAt: T0 + 5000, version: 2 };
    const plain = statusChangeEvent(before, after, 'u-staff', undefined);
    assert.equal(plain.type, 'IncidentStatusChanged');
    assert.deepEqual(plain.payload, { status: 'in_progress', previousStatus: 'pending', updatedBy: 'u-staff', updatedAt: new Date(T0 + 5000).toISOString() });
    assert.equal('note' in plain.payload, false);
    const noted = statusChangeEvent(before, after, 'u-staff', 'on it');
    assert.equal((noted.payload as { note?: string }).note, 'on it');
  });

  it('a move to escalated is IncidentEscalated with reason, slaDueAt and previousStatus', () => {
    const before = incident({ status: 'in_progress' });
    const after = { ...before, status: 'escalated' as const, updatedAt: T0 + 9000 };
    const manual = statusChangeEvent(before, after, 'u-auth', undefined);
    assert.equal(manual.type, 'IncidentEscalated');
    assert.deepEqual(manual.payload, {
      reason: 'manual',
      slaDueAt: new Date(T0 + 3_600_000).toISOString(),
      level: 1,
      status: 'escalated',
      previousStatus: 'in_progress',
      updatedBy: 'u-auth',
      updatedAt: new Date(T0 + 9000).toISOString(),
    });
    assert.equal((statusChangeEvent(before, after, null, undefined, 'sla_breach').payload as { reason: string }).reason, 'sla_breach');
  });

  it('comments keep their internal flag on the event and in the payload', () => {
    const internal = commentAddedEvent('i1', 'c1', 'u-staff', 'revisar', true);
    assert.equal(internal.internal, true);
    assert.deepEqual(internal.payload, { commentId: 'c1', text: 'revisar', internal: true, authorId: 'u-staff' });
    assert.equal(commentAddedEvent('i1', 'c2', REPORTER, 'gracias', false).internal, false);
  });
});

describe('eventForViewer', () => {
  const internalComment = logged(commentAddedEvent('i1', 'c1', 'u-staff', 'nota interna', true));
  const publicComment = logged(commentAddedEvent('i1', 'c2', 'u-staff', 'en camino', false));

  it('hides internal comments from students, including the reporter', () => {
    for (const student of [reporterViewer, viewer('student')]) {
      assert.equal(eventForViewer(student, internalComment, true, incident()), null);
      assert.deepEqual(eventForViewer(student, publicComment, false, incident()), publicComment);
    }
  });

  it('shows internal comments to staff, authorities and admins', () => {
    for (const role of ['staff', 'authority', 'admin'] as const) {
      assert.deepEqual(eventForViewer(viewer(role), internalComment, true, incident()), internalComment, role);
    }
  });

  it('decides by the stored flag, not by the payload', () => {
    assert.equal(eventForViewer(reporterViewer, publicComment, true, incident()), null);
  });

  it('leaves events of non-anonymous incidents untouched for everyone', () => {
    const created = logged(incidentCreatedEvent(incident()));
    for (const who of [reporterViewer, viewer('student'), viewer('staff'), viewer('authority'), viewer('admin')]) {
      assert.deepEqual(eventForViewer(who, created, false, incident()), created);
    }
  });

  describe('on anonymous incidents', () => {
    const anon = incident({ anonymous: true });
    const created = logged(incidentCreatedEvent(anon));
    const reporterComment = logged(commentAddedEvent('i1', 'c3', REPORTER, 'sigue roto', false));
    const reporterClose = logged(statusChangeEvent({ ...anon, status: 'resolved' }, { ...anon, status: 'closed' }, REPORTER, undefined));
    const staffMove = logged(statusChangeEvent(anon, { ...anon, status: 'in_progress' }, 'u-staff', 'voy'));

    it('shows the reporter to admins', () => {
      for (const event of [created, reporterComment, reporterClose]) assert.deepEqual(eventForViewer(viewer('admin'), event, false, anon), event);
    });

    it('hides the reporter from everyone else, the reporter included', () => {
      for (const who of [reporterViewer, viewer('staff'), viewer('authority')]) {
        const shownCreated = eventForViewer(who, created, false, anon) as Record<string, unknown>;
        assert.equal(shownCreated.actorId, null, who.role);
        assert.equal(shownCreated.reporterId, null, who.role);
        assert.equal(shownCreated.title, 'Fuga');
        const shownComment = eventForViewer(who, reporterComment, false, anon) as Record<string, unknown>;
        assert.equal(shownComment.actorId, null);
        assert.equal(shownComment.authorId, null);
        assert.equal(shownComment.text, 'sigue roto');
        const shownClose = eventForViewer(who, reporterClose, false, anon) as Record<string, unknown>;
        assert.equal(shownClose.actorId, null);
        assert.equal(shownClose.updatedBy, null);
        assert.equal(shownClose.status, 'closed');
      }
    });

    it('keeps other people’s identities and does not mutate the logged event', () => {
      const copy = structuredClone(created);
      eventForViewer(viewer('staff'), created, false, anon);
      assert.deepEqual(created, copy);
      const shown = eventForViewer(viewer('authority'), staffMove, false, anon) as Record<string, unknown>;
      assert.equal(shown.actorId, 'u-staff');
      assert.equal(shown.updatedBy, 'u-staff');
      const assigned = logged(departmentAssignedEvent('i1', 'u-admin', 'd2', 'd1'));
      assert.deepEqual(eventForViewer(viewer('staff'), assigned, false, anon), assigned);
    });
  });
});
