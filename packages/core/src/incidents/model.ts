/** The incident as the domain sees it (times are epoch milliseconds). */
export const URGENCIES = ['low', 'medium', 'high', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const STATUSES = ['pending', 'in_progress', 'escalated', 'resolved', 'closed', 'rejected'] as const;
export type Status = (typeof STATUSES)[number];

/** Statuses in which an incident still needs work. */
export const OPEN_STATUSES: readonly Status[] = ['pending', 'in_progress', 'escalated'];

export interface Incident {
  id: string;
  tenantId: string;
  category: string;
  title: string;
  description: string;
  urgency: Urgency;
  status: Status;
  locationCode: string | null;
  locationText: string | null;
  lat: number | null;
  lng: number | null;
  departmentId: string | null;
  reporterId: string;
  anonymous: boolean;
  createdAt: number;
  updatedAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
  slaDueAt: number;
  /** People the incident affects: its reporter plus every student who said "it affects me too". */
  affectedCount: number;
  version: number;
}
