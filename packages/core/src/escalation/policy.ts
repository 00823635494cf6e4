import { validationError, type FieldError } from '../errors.js';
import type { Role } from '../roles.js';

/**
 * The escalation policy (CONTRACT §3 Notifications): what happens while an incident the
 * system escalated on its SLA stays unacknowledged. The SLA breach itself is level 1 and
 * alerts the authorities; after it, each policy level fires `afterMinutes` after the level
 * before it (level 2 after the breach, level 3 after level 2, …) and names who is told on
 * which channels. The list runs `repeat` times in all. Any move by a person (to in_progress,
 * resolved, …) stops it. Stored per tenant as data and edited by admins.
 */
export const ESCALATION_CHANNELS = ['email', 'sms', 'sns', 'inapp'] as const;
export type EscalationChannel = (typeof ESCALATION_CHANNELS)[number];

/** Roles a level may name: the people who act on incidents (students are never paged). */
export const ESCALATION_ROLES = ['staff', 'authority', 'admin'] as const satisfies readonly Role[];
export type EscalationRole = (typeof ESCALATION_ROLES)[number];

export interface EscalationLevel {
  /** Minutes after the previous level (fractions allowed, for drills). */
  afterMinutes: number;
  notify: { roles?: EscalationRole[]; userIds?: string[]; departmentContact?: boolean };
  channels: EscalationChannel[];
}

export interface EscalationPolicy {
  levels: EscalationLevel[];
  /** How many times the list of levels runs in all (1 = once). */
  repeat: number;
}

/** Whom one escalation level alerts, with every field present (for the notifier). */
export interface EscalationRecipients {
  roles: EscalationRole[];
  userIds: string[];
  /** The incident's department's contact address. */
  departmentContact: boolean;
  channels: EscalationChannel[];
}

/** Until an admin sets one: a reminder to the authorities by e-mail 15 minutes after the breach, once. */
export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = {
  levels: [{ afterMinutes: 15, notify: { roles: ['authority'] }, channels: ['email'] }],
  repeat: 1,
};

/**
 * Level 1 (the SLA breach, or an authority's manual escalation) is not a policy level: it
 * alerts every authority, by e-mail and in the app.
 */
export const FIRST_ESCALATION_RECIPIENTS: EscalationRecipients = {
  roles: ['authority'],
  userIds: [],
  departmentContact: false,
  channels: ['email', 'inapp'],
};

/** The highest level this policy reaches: the breach plus every level, `repeat` times. */
export const lastEscalationLevel = (policy: EscalationPolicy): number => 1 + policy.levels.length * policy.repeat;

/** The policy level behind event level `level` (≥ 2), or null past the end of the policy. */
export function policyLevelFor(policy: EscalationPolicy, level: number): EscalationLevel | null {
  if (!Number.isInteger(level) || level < 2 || level > lastEscalationLevel(policy)) return null;
  return policy.levels[(level - 2) % policy.levels.length] ?? null;
}

/** Who event level `level` alerts and how; null when the policy has no such level. */
export function recipientsForLevel(policy: EscalationPolicy, level: number): EscalationRecipients | null {
  if (level === 1) return { ...FIRST_ESCALATION_RECIPIENTS, roles: [...FIRST_ESCALATION_RECIPIENTS.roles], channels: [...FIRST_ESCALATION_RECIPIENTS.channels] };
  const step = policyLevelFor(policy, level);
  if (!step) return null;
  return {
    roles: [...(step.notify.roles ?? [])],
    userIds: [...(step.notify.userIds ?? [])],
    departmentContact: step.notify.departmentContact ?? false,
    channels: [...step.channels],
  };
}

/** When level `level + 1` is due, given that `level` fired at `firedAt`; null when it is the last. */
export function nextEscalationAt(policy: EscalationPolicy, level: number, firedAt: number): number | null {
  const next = policyLevelFor(policy, level + 1);
  return next ? firedAt + Math.round(next.afterMinutes * 60_000) : null;
}

/** What the schema cannot say: every level must name somebody. Throws `validation_failed`. */
export function assertValidEscalationPolicy(policy: EscalationPolicy): void {
  const errors: FieldError[] = [];
  policy.levels.forEach((level, index) => {
    const { roles = [], userIds = [], departmentContact = false } = level.notify;
    if (roles.length === 0 && userIds.length === 0 && !departmentContact) {
      errors.push({ path: `/levels/${index}/notify`, message: 'names nobody: give roles, userIds or departmentContact: true' });
    }
  });
  if (errors.length > 0) throw validationError('Every escalation level must notify somebody.', errors);
}
