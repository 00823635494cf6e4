import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinAsAffected } from '../src/incidents/affected.js';
import { eventForViewer, incidentAffectedEvent, stampedEvent } from '../src/incidents/events.js';
import { canTransition } from '../src/incidents/lifecycle.js';
import { canSeeIncident } from '../src/incidents/visibility.js';
import { DomainError } from '../src/errors.js';
import type { Role, UserActor } from '../src/roles.js';

const actor = (role: Role, userId = `u-${role}`): UserActor => ({ kind: 'user', userId, tenantId: 't1', role, departmentId: role === 'staff' ? 'd1' : null });
const incident = { tenantId: 't1', departmentId: 'd2', reporterId: 'reporter', status: 'pending' as const, anonymous: true };

describe('it affects me too (core policy)', () => {
  it('a student sees what they reported or follow, and nothing else', () => {
    const follower = actor('student', 'follower');
    assert.equal(canSeeIncident(follower, incident), false);
    assert.equal(canSeeIncident(follower, { ...incident, followerIds: ['someone', 'follower'] }), true);
    assert.equal(canSeeIncident(follower, { ...incident, tenantId: 't2', followerIds: ['follower'] }), false, 'never across tenants');
    assert.equal(canSeeIncident(actor('staff'), { ...incident, followerIds: ['u-staff'] }), false, 'following is for students');
  });

  it('only students join, only open incidents; the reporter already counts; a follower gets no reporter rights', () => {
    const follower = actor('student', 'follower');
    assert.equal(joinAsAffected(follower, incident), 'follow');
    assert.equal(joinAsAffected(actor('student', 'reporter'), incident), 'reporter');
    for (const role of ['staff', 'authority', 'admin'] as const) {
      assert.throws(() => joinAsAffected(actor(role), incident), (error: unknown) => error instanceof DomainError && error.kind === 'forbidden');
    }
    for (const status of ['resolved', 'closed', 'rejected'] as const) {
      assert.throws(() => joinAsAffected(follower, { ...incident, status }), (error: unknown) => error instanceof DomainError && error.code === 'incident_not_open');
    }
    assert.equal(canTransition(follower, { ...incident, status: 'resolved' }, 'closed'), false);
  });

  it('who joined is shown to those who work incidents, never to students', () => {
    const event = stampedEvent(incidentAffectedEvent('i1', 'follower', 2), 7, 0);
    assert.equal(eventForViewer(actor('authority'), event, false, incident)?.actorId, 'follower');
    const shown = eventForViewer(actor('student', 'reporter'), event, false, incident);
    assert.equal(shown?.actorId, null);
    assert.equal((shown as { affectedCount: number }).affectedCount, 2);
  });
});
