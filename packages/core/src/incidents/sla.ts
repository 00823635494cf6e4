import type { Urgency } from './model.js';

/** How long each urgency may wait to be acknowledged, in seconds. */
export type SlaPolicy = Record<Urgency, number>;

export const DEFAULT_SLA: SlaPolicy = {
  critical: 15 * 60,
  high: 60 * 60,
  medium: 8 * 60 * 60,
  low: 24 * 60 * 60,
};

export const slaDueAt = (createdAt: number, urgency: Urgency, policy: SlaPolicy = DEFAULT_SLA): number =>
  createdAt + Math.round(policy[urgency] * 1000);
