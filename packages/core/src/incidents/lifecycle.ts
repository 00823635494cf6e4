import { DomainError, forbidden, validationError } from '../errors.js';
import type { UserActor } from '../roles.js';
import type { Incident, Status } from './model.js';
import { canSeeIncident } from './visibility.js';

/** The lifecycle graph of the contract. `closed` and `rejected` are final. */
export const TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  pending: ['in_progress', 'escalated', 'resolved', 'rejected'],
  in_progress: ['escalated', 'resolved'],
  escalated: ['in_progress', 'resolved'],
  resolved: ['closed', 'in_progress'],
  closed: [],
  rejected: [],
};

type Move = `${Status}->${Status}`;

// Staff work their department's incidents: take, resolve, reopen, close. Escalating and
// rejecting are decisions for authorities.
const STAFF_MOVES: readonly Move[] = [
  'pending->in_progress',
  'pending->resolved',
  'in_progress->resolved',
  'escalated->in_progress',
  'escalated->resolved',
  'resolved->in_progress',
  'resolved->closed',
];
const AUTHORITY_MOVES: readonly Move[] = [...STAFF_MOVES, 'pending->escalated', 'in_progress->escalated', 'pending->rejected'];
// A reporter confirms the fix (close) or says it is not fixed (reopen).
const REPORTER_MOVES: readonly Move[] = ['resolved->closed', 'resolved->in_progress'];

export const isAllowedByGraph = (from: Status, to: Status): boolean => TRANSITIONS[from].includes(to);

/** Whether this actor may move this incident from its status to `to` (graph and role). */
export function canTransition(actor: UserActor, incident: Pick<Incident, 'status' | 'reporterId' | 'tenantId' | 'departmentId'>, to: Status): boolean {
  if (!isAllowedByGraph(incident.status, to) || !canSeeIncident(actor, incident)) return false;
  const move: Move = `${incident.status}->${to}`;
  switch (actor.role) {
    case 'admin':
      return true;
    case 'authority':
      return AUTHORITY_MOVES.includes(move);
    case 'staff':
      return STAFF_MOVES.includes(move);
    case 'student':
      return incident.reporterId === actor.userId && REPORTER_MOVES.includes(move);
  }
}

/** The statuses this actor may move the incident to now (for a UI's buttons). */
export const allowedTransitions = (actor: UserActor, incident: Pick<Incident, 'status' | 'reporterId' | 'tenantId' | 'departmentId'>): Status[] =>
  TRANSITIONS[incident.status].filter((to) => canTransition(actor, incident, to));

export const invalidTransition = (from: Status, to: Status) =>
  new DomainError('conflict', 'invalid_transition', `An incident cannot move from ${from} to ${to}.`);

/**
 * Throws `forbidden` (403) when the graph allows the move but this role may not make it.
 * Checked before a stale version (412), so a role learns it may not act before it is told
 * to reload; a move the graph forbids is left to applyTransition.
 */
export function assertRoleMayMove(actor: UserActor, incident: Pick<Incident, 'status' | 'reporterId' | 'tenantId' | 'departmentId'>, to: Status): void {
  if (isAllowedByGraph(incident.status, to) && !canTransition(actor, incident, to)) {
    throw forbidden(`Your role may not move this incident from ${incident.status} to ${to}.`);
  }
}

/**
 * Moves that need a reason the reporter will read with the change: rejecting (final, and
 * the reporter deserves to know why) and a student reporter reopening what staff marked
 * resolved (staff need to know what is still wrong). A student may only move their own.
 */
export const reasonRequired = (actor: UserActor, incident: Pick<Incident, 'status'>, to: Status): boolean =>
  to === 'rejected' || (incident.status === 'resolved' && to === 'in_progress' && actor.role === 'student');

/** Moves that cannot be undone: a UI asks before making them. */
export const isFinalStatus = (status: Status): boolean => TRANSITIONS[status].length === 0;

/**
 * Throws `reason_required` (400) when a move the actor may make needs a reason and the
 * note is empty. Moves the graph or the role forbid are left to their own checks.
 */
export function assertReasonGiven(actor: UserActor, incident: Pick<Incident, 'status' | 'reporterId' | 'tenantId' | 'departmentId'>, to: Status, note: string | undefined): void {
  if (!note?.trim() && canTransition(actor, incident, to) && reasonRequired(actor, incident, to)) {
    throw validationError('This change needs a reason (note) that the reporter will read.', [{ path: '/note', message: 'required for this change' }], 'reason_required');
  }
}

/**
 * Applies a status change, or throws: `invalid_transition` (409) when the graph forbids
 * it, `forbidden` (403) when the graph allows it but this role may not make it.
 * The first move out of pending sets acknowledgedAt (CONTRACT §3, the system's SLA
 * escalation included); resolving sets resolvedAt and reopening clears it.
 */
export function applyTransition(actor: UserActor, incident: Incident, to: Status, now: number): Incident {
  if (!isAllowedByGraph(incident.status, to)) throw invalidTransition(incident.status, to);
  assertRoleMayMove(actor, incident, to);
  return {
    ...incident,
    status: to,
    updatedAt: now,
    acknowledgedAt: incident.acknowledgedAt ?? (incident.status === 'pending' ? now : null),
    resolvedAt: to === 'resolved' ? now : to === 'in_progress' ? null : incident.resolvedAt,
    version: incident.version + 1,
  };
}
