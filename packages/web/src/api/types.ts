import type { ApiKeyScope, IncidentEvent, IncidentSort, Role, Status, Urgency } from '@alertautec/core';
import type { ApiBody, ApiItem, ApiResponse } from './openapi.js';

/**
 * The shapes of the HTTP API (CONTRACT §3) as the browser receives them, read from the
 * server's OpenAPI document (openapi.ts), under the names the app uses. The unions the
 * app also needs as values (statuses, urgencies, roles, orders) and the realtime events,
 * which travel over the WebSocket rather than HTTP, come from core, as the server's do.
 */
export type { ApiKeyScope, IncidentEvent, Role, Status, Urgency };

export type User = ApiResponse<'/api/auth/me'>;
export type ManagedUser = ApiItem<'/api/users'>;
export type Incident = ApiResponse<'/api/incidents/{id}'>;
export type Category = ApiItem<'/api/categories'>;
export type Department = ApiItem<'/api/departments'>;
export type CampusLocation = ApiItem<'/api/locations'>;
export type LocationCheck = ApiResponse<'/api/locations/validate', 'post'>;
export type Stats = ApiResponse<'/api/stats'>;
export type ApiKey = ApiItem<'/api/api-keys'>;
/** GET /api/config: the server's limits and numbers (attachments, text lengths, emergency phone). */
export type PublicConfig = ApiResponse<'/api/config'>;

export type TokenPair = ApiResponse<'/api/auth/login', 'post'>;
export type IncidentDraft = ApiBody<'/api/incidents', 'post'>;
export type ReportPreview = ApiResponse<'/api/incidents/preview', 'post'>;
export type PossibleDuplicate = ReportPreview['possibleDuplicates'][number];
export type Attachment = ApiItem<'/api/incidents/{id}/attachments'>;

// The admin screens for notifications, escalation and jobs.
export type OutboxItem = ApiItem<'/api/notifications'>;
export type NotificationStatus = OutboxItem['status'];
export type NotificationChannel = OutboxItem['channel'];
export type NotificationRule = ApiItem<'/api/notification-rules'>;
export type MailboxItem = ApiItem<'/api/dev/mailbox'>;
export type EscalationPolicy = ApiResponse<'/api/escalation-policy'>;
export type EscalationLevel = EscalationPolicy['levels'][number];
export type EscalationRole = NonNullable<EscalationLevel['notify']['roles']>[number];
export type Job = ApiItem<'/api/jobs'>;
export type JobRun = ApiItem<'/api/jobs/runs'>;
export type JobState = JobRun['state'];

// The reports page.
export type Report = ApiResponse<'/api/reports/{id}'>;
export type NewReport = ApiBody<'/api/reports', 'post'>;
export type ReportKind = Report['kind'];
export type ReportStatus = Report['status'];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface IncidentFilters {
  status?: Status[];
  urgency?: Urgency[];
  category?: string;
  departmentId?: string;
  mine?: boolean;
  q?: string;
  /** The server's order (default newest); each has its own cursor. */
  sort?: IncidentSort;
}
