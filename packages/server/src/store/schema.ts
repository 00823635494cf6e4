/**
 * Table shapes as Kysely sees them. Portable across SQLite and PostgreSQL: times are
 * epoch milliseconds (bigint), flags are 0/1 integers, structured values are JSON text.
 */
export interface TenantsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface UsersTable {
  id: string;
  tenant_id: string;
  email: string;
  name: string;
  password_hash: string;
  role: string;
  department_id: string | null;
  disabled: number;
  created_at: number;
  updated_at: number;
}

export interface RefreshTokensTable {
  id: string;
  tenant_id: string;
  user_id: string;
  family_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

export interface ApiKeysTable {
  id: string;
  tenant_id: string;
  name: string;
  scopes: string;
  prefix: string;
  key_hash: string;
  created_by: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface DepartmentsTable {
  id: string;
  tenant_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  created_at: number;
  updated_at: number;
}

export interface CategoriesTable {
  tenant_id: string;
  code: string;
  name: string;
  department_id: string;
  created_at: number;
  updated_at: number;
}

export interface LocationsTable {
  tenant_id: string;
  code: string;
  name: string;
  building: string;
  floor: string;
  lat: number | null;
  lng: number | null;
  created_at: number;
  updated_at: number;
}

export interface IncidentsTable {
  id: string;
  tenant_id: string;
  category: string;
  title: string;
  description: string;
  urgency: string;
  status: string;
  location_code: string | null;
  location_text: string | null;
  lat: number | null;
  lng: number | null;
  department_id: string | null;
  reporter_id: string;
  anonymous: number;
  created_at: number;
  updated_at: number;
  acknowledged_at: number | null;
  resolved_at: number | null;
  sla_due_at: number;
  version: number;
  /** Accent- and case-folded title, description and place, for `q` search. */
  search_text: string;
  /** 0 while open (pending, in_progress, escalated), 1 after; kept with `status` (list orders, migration 0013). */
  open_rank: number;
  /** 0 for critical up to 3 for low; kept with `urgency` (list orders, migration 0013). */
  urgency_rank: number;
  /** The reporter plus every student who follows the incident (migration 0016). */
  affected_count: number;
}

/** Students who said an incident affects them too (migration 0016). */
export interface IncidentFollowersTable {
  tenant_id: string;
  incident_id: string;
  user_id: string;
  created_at: number;
}

/**
 * Incident counters per (tenant, time bucket, department, category), kept in the transaction
 * of every incident write (incidents/stats-rollup.ts; docs/incidents.md "Statistics").
 * `span_days` 0 is all time (bucket 0), 1 a UTC day, 32 a block of 32 UTC days; `bucket` =
 * created_at div span. `department_id` '' stands for none.
 */
export interface IncidentStatsTable {
  tenant_id: string;
  span_days: number;
  bucket: number;
  department_id: string;
  category: string;
  incidents: number;
  status_pending: number;
  status_in_progress: number;
  status_escalated: number;
  status_resolved: number;
  status_closed: number;
  status_rejected: number;
  urgency_low: number;
  urgency_medium: number;
  urgency_high: number;
  urgency_critical: number;
  acknowledged: number;
  acknowledge_ms: number;
  resolved: number;
  resolve_ms: number;
  unacknowledged: number;
  late_acknowledged: number;
}

export interface LogHeadsTable {
  tenant_id: string;
  seq: number;
}

export interface IncidentEventsTable {
  tenant_id: string;
  seq: number;
  incident_id: string;
  type: string;
  at: number;
  actor_id: string | null;
  internal: number;
  payload: string;
}

export interface AttachmentsTable {
  id: string;
  tenant_id: string;
  incident_id: string;
  filename: string;
  content_type: string;
  size: number;
  storage_key: string;
  uploaded_by: string;
  created_at: number;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  tenant_id: string;
  request_hash: string;
  incident_id: string;
  created_at: number;
}

export interface RealtimeMessagesTable {
  id: string;
  tenant_id: string;
  type: string;
  audience: string;
  data: string;
  at: number;
}

/** A session (refresh-token family, the `sid` of access tokens) ended by logout or reuse. */
export interface EndedSessionsTable {
  id: string;
  tenant_id: string;
  user_id: string;
  ended_at: number;
  /** When every token of the session has expired anyway: swept after. */
  expires_at: number;
}

/** Failed sign-ins per `account` (normalized e-mail) or `address` (client address). */
export interface LoginThrottleTable {
  scope: string;
  subject: string;
  /** Account: attempts since the last success or lock. Address: failures in the window. */
  failures: number;
  window_started_at: number;
  locked_until: number | null;
  /** Locks since the last success: each one lasts twice the one before (capped). */
  lock_count: number;
  updated_at: number;
}

/** A log consumer's position in one tenant's log, and who holds it (workers/cursor-repository.ts). */
export interface ConsumerCursorsTable {
  consumer: string;
  tenant_id: string;
  seq: number;
  lease_owner: string | null;
  lease_token: string | null;
  lease_expires_at: number | null;
  updated_at: number;
}

/** One job run: `queued | running | succeeded | failed | dead` (workers/job-repository.ts). */
export interface JobsTable {
  id: string;
  kind: string;
  dedupe_key: string | null;
  tenant_id: string | null;
  payload: string;
  state: string;
  run_at: number;
  attempts: number;
  max_attempts: number;
  lease_owner: string | null;
  lease_token: string | null;
  lease_expires_at: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  /** What a running job reported of its work (done of total; total null when unknown). */
  progress_done: number | null;
  progress_total: number | null;
}

/** One tenant's escalation policy (JSON, validated on the way in; escalation/policy-repository.ts). */
export interface EscalationPoliciesTable {
  tenant_id: string;
  policy: string;
  updated_at: number;
  updated_by: string | null;
}

/** Where an incident the system escalated stands in the policy: the level reached and when the next is due (null: no more). */
export interface IncidentEscalationsTable {
  tenant_id: string;
  incident_id: string;
  level: number;
  next_at: number | null;
  /** The incident's version right after the system escalated it: a person's move changes it. */
  escalated_version: number;
  started_at: number;
  updated_at: number;
}

/** One notification: an (event, recipient, channel) in the outbox; in-app rows are the in-app list (notifications/). */
export interface NotificationsTable {
  id: string;
  tenant_id: string;
  event_seq: number;
  incident_id: string | null;
  rule_id: string;
  kind: string;
  channel: string;
  /** `user:{id}`, `department:{id}` or `topic`. */
  recipient_key: string;
  user_id: string | null;
  to_address: string;
  language: string;
  critical: number;
  subject: string;
  body: string;
  html: string | null;
  /** JSON facts some channels carry (SNS message attributes). */
  attributes: string | null;
  /** `pending | sent | skipped | failed | dead`. */
  status: string;
  attempts: number;
  max_attempts: number;
  /** Names the one delivery job that may act on the row now; a reschedule replaces it. */
  delivery_token: string;
  next_attempt_at: number | null;
  last_error: string | null;
  skip_reason: string | null;
  provider_id: string | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
  read_at: number | null;
}

/** An admin's switches for one notification rule (the rules themselves are in core). */
export interface NotificationRulesTable {
  tenant_id: string;
  id: string;
  enabled: number;
  /** JSON array of channel names. */
  channels: string;
  updated_at: number;
}

export interface NotificationPreferencesTable {
  user_id: string;
  tenant_id: string;
  language: string;
  phone: string | null;
  email_enabled: number;
  sms_enabled: number;
  quiet_from: string | null;
  quiet_to: string | null;
  updated_at: number;
}

/** E-mails "sent" without SMTP (development): what GET /api/dev/mailbox shows. */
export interface DevMailboxTable {
  id: string;
  notification_id: string;
  message_id: string;
  from_address: string;
  to_address: string;
  subject: string;
  text: string;
  html: string | null;
  in_reply_to: string | null;
  references_header: string | null;
  created_at: number;
}

/** One report (reports/): global, per department, or per incident; `key` is its JSON blob, the CSV sits beside it. */
export interface ReportsTable {
  id: string;
  tenant_id: string;
  /** `global | department | incident`. */
  kind: string;
  /** `queued | running | succeeded | failed`. */
  status: string;
  department_id: string | null;
  incident_id: string | null;
  period_from: number | null;
  period_to: number | null;
  key: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  created_by: string | null;
  error: string | null;
  job_id: string | null;
}

export interface Database {
  reports: ReportsTable;
  notifications: NotificationsTable;
  notification_rules: NotificationRulesTable;
  notification_preferences: NotificationPreferencesTable;
  dev_mailbox: DevMailboxTable;
  ended_sessions: EndedSessionsTable;
  consumer_cursors: ConsumerCursorsTable;
  jobs: JobsTable;
  escalation_policies: EscalationPoliciesTable;
  incident_escalations: IncidentEscalationsTable;
  login_throttle: LoginThrottleTable;
  realtime_messages: RealtimeMessagesTable;
  incidents: IncidentsTable;
  incident_followers: IncidentFollowersTable;
  incident_stats: IncidentStatsTable;
  log_heads: LogHeadsTable;
  incident_events: IncidentEventsTable;
  attachments: AttachmentsTable;
  idempotency_keys: IdempotencyKeysTable;
  tenants: TenantsTable;
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  api_keys: ApiKeysTable;
  departments: DepartmentsTable;
  categories: CategoriesTable;
  locations: LocationsTable;
}
