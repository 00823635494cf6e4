import type { Incident, Urgency } from './model.js';

/** How long each urgency may wait to be acknowledged, in seconds. */
export type SlaPolicy = Record<Urgency, number>;

export const DEFAULT_SLA: SlaPolicy = {
  critical: 15 * 60,
  high: 60 * 60,
  medium: 8 * 60 * 60,
  low: 24 * 60 * 60,
};

export const slaDueAt = (createdAt: number, urgency: Urgency, policy: SlaPolicy = DEFAULT_SLA): number =>
  createdAt + policy[urgency] * 1000;

/** Past due: not acknowledged by its due time (whether still waiting or acknowledged late). */
export function isSlaBreached(incident: Pick<Incident, 'acknowledgedAt' | 'slaDueAt'>, now: number): boolean {
  return incident.acknowledgedAt === null ? now > incident.slaDueAt : incident.acknowledgedAt > incident.slaDueAt;
}
