import type { ApiKeyScope, IncidentEvent, Role, Status, Urgency } from '@alertautec/core';

/** The shapes of the HTTP API (CONTRACT §3), as the browser receives them. */
export type { ApiKeyScope, IncidentEvent, Role, Status, Urgency };

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  departmentId: string | null;
  tenantId: string;
}

export interface ManagedUser extends User {
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: User;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Incident {
  id: string;
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
  reporterId: string | null;
  anonymous: boolean;
  createdAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  slaDueAt: string;
  version: number;
}

export interface IncidentDraft {
  category: string;
  description: string;
  urgency: Urgency;
  title?: string;
  locationCode?: string;
  locationText?: string;
  anonymous?: boolean;
}

export interface PossibleDuplicate {
  id: string;
  title: string;
  category: string;
  status: Status;
  urgency: Urgency;
  locationCode: string | null;
  locationText: string | null;
  createdAt: string;
  distanceMeters: number | null;
}

export interface ReportPreview {
  incident: Omit<Incident, 'id' | 'version' | 'acknowledgedAt' | 'resolvedAt'>;
  department: Department | null;
  possibleDuplicates: PossibleDuplicate[];
}

export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

export interface Category {
  code: string;
  name: string;
  departmentId: string;
}

export interface Department {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
}

export interface CampusLocation {
  code: string;
  name: string;
  building: string;
  floor: string;
  lat?: number;
  lng?: number;
}

export interface LocationCheck {
  valid: boolean;
  location?: CampusLocation;
  suggestions: CampusLocation[];
}

export interface Stats {
  byStatus: Record<string, number>;
  byCategory: Record<string, number>;
  byUrgency: Record<string, number>;
  byDepartment: Record<string, number>;
  mttaSeconds: number | null;
  mttrSeconds: number | null;
  slaBreaches: number;
}

export interface ApiKey {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface IncidentFilters {
  status?: Status[];
  urgency?: Urgency[];
  category?: string;
  departmentId?: string;
  mine?: boolean;
  q?: string;
}
