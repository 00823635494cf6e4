import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../src/errors.js';
import { allowedTransitions, applyTransition, assertReasonGiven, canTransition, isAllowedByGraph, isFinalStatus, reasonRequired, TRANSITIONS } from '../src/incidents/lifecycle.js';
import { STATUSES, type Incident, type Status } from '../src/incidents/model.js';
import type { Role, UserActor } from '../src/roles.js';

// The contract's graph, written out independently of the implementation.
const GRAPH: Record<Status, Status[]> = {
  pending: ['in_progress', 'escalated', 'resolved', 'rejected'],
  in_progress: ['escalated', 'resolved'],
  escalated: ['in_progress', 'resolved'],
  resolved: ['closed', 'in_progress'],
  closed: [],
  rejected: [],
};

type Who = 'reporter' | 'otherStudent' | 'staffOwn' | 'staffOther' | 'authority' | 'admin' | 'otherTenantAdmin';
const WHO: Who[] = ['reporter', 'otherStudent', 'staffOwn', 'staffOther', 'authority', 'admin', 'otherTenantAdmin'];

const actor = (userId: string, role: Role, departmentId: string | null = null, tenantId = 't1'): UserActor => ({
  kind: 'user',
  userId,
  tenantId,
  role,
  departmentId,
});
const ACTORS: Record<Who, UserActor> = {
  reporter: actor('u-reporter', 'student'),
  otherStudent: actor('u-other', 'student'),
  staffOwn: actor('u-staff', 'staff', 'd-infra'),
  staffOther: actor('u-staff2', 'staff', 'd-security'),
  authority: actor('u-auth', 'authority'),
  admin: actor('u-admin', 'admin'),
  otherTenantAdmin: actor('u-admin2', 'admin', null, 't2'),
};

/** Whether the contract lets this person make this (graph-allowed) move. */
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
      return false; // cannot see the incident at all
  }
}

const T0 = Date.UTC(2025, 2, 1, 12, 0, 0);
const incident = (status: Status, extra: Partial<Incident> = {}): Incident => ({
  id: 'i1',
  tenantId: 't1',
  category: 'infrastructure',
  title: 'Fuga',
  description: 'Fuga de agua',
  urgency: 'high',
  status,
  locationCode: null,
  locationText: 'Pabellón A',
  lat: null,
  lng: null,
  departmentId: 'd-infra',
  reporterId: 'u-reporter',
  anonymous: false,
  createdAt: T0,
  updatedAt: T0,
  acknowledgedAt: status === 'pending' ? null : T0 + 1000,
  resolvedAt: status === 'resolved' || status === 'closed' ? T0 + 2000 : null,
  slaDueAt: T0 + 3_600_000,
  affectedCount: 1,
  version: 3,
  ...extra,
});

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DomainError, `a DomainError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a DomainError');
}

describe('lifecycle graph', () => {
  it('matches the contract for every pair of statuses', () => {
    for (const from of STATUSES) {
      assert.deepEqual([...TRANSITIONS[from]].sort(), [...GRAPH[from]].sort(), from);
      for (const to of STATUSES) assert.equal(isAllowedByGraph(from, to), GRAPH[from].includes(to), `${from}->${to}`);
    }
  });

  it('makes closed and rejected final and forbids staying in place', () => {
    assert.deepEqual(TRANSITIONS.closed, []);
    assert.deepEqual(TRANSITIONS.rejected, []);
    for (const status of STATUSES) assert.equal(isAllowedByGraph(status, status), false, status);
  });
});

describe('canTransition and allowedTransitions for every role and status', () => {
  for (const who of WHO) {
    it(`${who}`, () => {
      for (const from of STATUSES) {
        const expected = GRAPH[from].filter((to) => roleMay(who, from, to));
        assert.deepEqual(allowedTransitions(ACTORS[who], incident(from)).sort(), expected.sort(), `${who} from ${from}`);
        for (const to of STATUSES) {
          assert.equal(canTransition(ACTORS[who], incident(from), to), expected.includes(to), `${who} ${from}->${to}`);
        }
      }
    });
  }

  it('a student may not confirm or reopen someone else’s incident even with the same role', () => {
    const theirs = incident('resolved', { reporterId: 'someone-else' });
    assert.deepEqual(allowedTransitions(ACTORS.reporter, theirs), []);
  });

  it('staff without a department can move nothing', () => {
    const homeless = actor('u-x', 'staff', null);
    for (const from of STATUSES) assert.deepEqual(allowedTransitions(homeless, incident(from)), [], from);
    assert.deepEqual(allowedTransitions(homeless, incident('pending', { departmentId: null })), []);
  });
});

describe('applyTransition', () => {
  const now = T0 + 60_000;

  it('refuses every graph-forbidden move with 409 invalid_transition, whoever asks', () => {
    for (const from of STATUSES) {
      for (const to of STATUSES.filter((s) => !GRAPH[from].includes(s))) {
        for (const who of ['admin', 'staffOwn', 'reporter'] as const) {
          const error = thrown(() => applyTransition(ACTORS[who], incident(from), to, now));
          assert.equal(error.kind, 'conflict', `${who} ${from}->${to}`);
          assert.equal(error.code, 'invalid_transition');
        }
      }
    }
  });

  it('refuses graph-allowed moves the role may not make with 403', () => {
    for (const who of WHO) {
      for (const from of STATUSES) {
        for (const to of GRAPH[from].filter((s) => !roleMay(who, from, s))) {
          const error = thrown(() => applyTransition(ACTORS[who], incident(from), to, now));
          assert.equal(error.kind, 'forbidden', `${who} ${from}->${to}`);
        }
      }
    }
  });

  it('does not change the incident it is given', () => {
    const before = incident('pending');
    const copy = structuredClone(before);
    applyTransition(ACTORS.admin, before, 'in_progress', now);
    assert.deepEqual(before, copy);
  });

  it('stamps acknowledgedAt on the first move out of pending, for every target', () => {
    for (const to of GRAPH.pending) {
      const after = applyTransition(ACTORS.admin, incident('pending'), to, now);
      assert.equal(after.status, to);
      assert.equal(after.acknowledgedAt, now, to);
      assert.equal(after.updatedAt, now);
      assert.equal(after.version, 4);
    }
  });

  it('never changes acknowledgedAt after it is set', () => {
    for (const from of STATUSES.filter((s) => s !== 'pending')) {
      for (const to of GRAPH[from]) {
        const after = applyTransition(ACTORS.admin, incident(from), to, now);
        assert.equal(after.acknowledgedAt, T0 + 1000, `${from}->${to}`);
      }
    }
  });

  it('sets resolvedAt on resolve, clears it on reopen and keeps it on close', () => {
    assert.equal(applyTransition(ACTORS.admin, incident('pending'), 'resolved', now).resolvedAt, now);
    assert.equal(applyTransition(ACTORS.admin, incident('in_progress'), 'resolved', now).resolvedAt, now);
    assert.equal(applyTransition(ACTORS.admin, incident('escalated'), 'resolved', now).resolvedAt, now);
    assert.equal(applyTransition(ACTORS.reporter, incident('resolved'), 'in_progress', now).resolvedAt, null);
    assert.equal(applyTransition(ACTORS.reporter, incident('resolved'), 'closed', now).resolvedAt, T0 + 2000);
    assert.equal(applyTransition(ACTORS.authority, incident('pending'), 'rejected', now).resolvedAt, null);
    assert.equal(applyTransition(ACTORS.authority, incident('in_progress'), 'escalated', now).resolvedAt, null);
  });

  it('bumps the version by one and keeps everything else', () => {
    const before = incident('in_progress', { version: 17 });
    const after = applyTransition(ACTORS.staffOwn, before, 'resolved', now);
    assert.deepEqual(after, { ...before, status: 'resolved', updatedAt: now, resolvedAt: now, version: 18 });
  });
});

describe('decisions that need a reason', () => {
  const at = (status: Status) => ({ status, reporterId: 'u-reporter', tenantId: 't1', departmentId: 'd-infra' });

  it('rejecting always, and reopening only when the student reporter does it', () => {
    for (const who of WHO) {
      assert.equal(reasonRequired(ACTORS[who], at('pending'), 'rejected'), true, who);
      assert.equal(reasonRequired(ACTORS[who], at('resolved'), 'in_progress'), who === 'reporter' || who === 'otherStudent', who);
      assert.equal(reasonRequired(ACTORS[who], at('resolved'), 'closed'), false, who);
      assert.equal(reasonRequired(ACTORS[who], at('pending'), 'in_progress'), false, who);
    }
  });

  it('refuses an empty or blank note with reason_required, only for moves the actor may make', () => {
    for (const note of [undefined, '', '  \n ']) {
      assert.throws(
        () => assertReasonGiven(ACTORS.authority, at('pending'), 'rejected', note),
        (error: unknown) => error instanceof DomainError && error.code === 'reason_required' && error.kind === 'validation',
      );
      assert.throws(() => assertReasonGiven(ACTORS.reporter, at('resolved'), 'in_progress', note), /reason/);
    }
    assert.doesNotThrow(() => assertReasonGiven(ACTORS.authority, at('pending'), 'rejected', 'Duplicado'));
    assert.doesNotThrow(() => assertReasonGiven(ACTORS.staffOwn, at('resolved'), 'in_progress', undefined));
    // The role's or the graph's refusal is left to their own checks.
    assert.doesNotThrow(() => assertReasonGiven(ACTORS.staffOwn, at('pending'), 'rejected', undefined));
    assert.doesNotThrow(() => assertReasonGiven(ACTORS.otherStudent, at('resolved'), 'in_progress', undefined));
  });

  it('knows which statuses are final', () => {
    assert.deepEqual(STATUSES.filter(isFinalStatus), ['closed', 'rejected']);
  });
});
