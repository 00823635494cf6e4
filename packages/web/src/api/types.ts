import type { ApiKeyScope, IncidentEvent, IncidentSort, Role, Status, Urgency } from '@alertautec/core';
import type {
  ApiKey,
  Category,
  Department,
  DuplicateSummary,
  IncidentView,
  Location,
  LocationValidation,
  Me,
  Stats,
  User as UserSchema,
} from '@alertautec/core/schemas';
import type { Job, JobRun, JobState, MailboxItem, NotificationRule, NotificationStatus, OutboxItem } from '@alertautec/core/schemas';
import type { PublicConfig } from '@alertautec/core/schemas';
import type { NewReport, Report, ReportKind, ReportStatus } from '@alertautec/core/schemas';
import type { EscalationLevel, EscalationPolicy, EscalationRole, NotificationChannel } from '@alertautec/core';

/**
 * The shapes of the HTTP API (CONTRACT §3), as the browser receives them: the server's own
 * schemas (types only; nothing of them reaches the bundle), under the names the app uses.
 */
export type { ApiKey, ApiKeyScope, Category, Department, IncidentEvent, Role, Stats, Status, Urgency };
export type User = Me;
export type ManagedUser = UserSchema;
export type Incident = IncidentView;
export type PossibleDuplicate = DuplicateSummary;
export type CampusLocation = Location;
export type LocationCheck = LocationValidation;
/** GET /api/config: the server's limits and numbers (attachments, text lengths, emergency phone). */
export type { PublicConfig };
// The admin screens for notifications, escalation and jobs (issue 11/12).
export type { EscalationLevel, EscalationPolicy, EscalationRole, Job, JobRun, JobState, MailboxItem, NotificationChannel, NotificationRule, NotificationStatus, OutboxItem };
// The reports page (issue 12 item 6).
export type { NewReport, Report, ReportKind, ReportStatus };

export interface TokenPair {
  accessToken: string;
  /** Absent for the web app: its refresh token is in an HttpOnly cookie. */
  refreshToken?: string;
  expiresIn: number;
  user: User;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface IncidentDraft {
  category: string;
  description: string;
  urgency: Urgency;
  title?: string;
  locationCode?: string;
  locationText?: string;
  lat?: number;
  lng?: number;
  anonymous?: boolean;
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
