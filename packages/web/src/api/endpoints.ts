import { request, requestBlob, uploadFile } from './http.js';
import { SESSION_MODE_HEADERS } from './session.js';
import type {
  ApiKey,
  ApiKeyScope,
  CampusLocation,
  Category,
  Department,
  EscalationPolicy,
  Incident,
  IncidentDraft,
  IncidentEvent,
  IncidentFilters,
  Job,
  JobRun,
  JobState,
  LocationCheck,
  MailboxItem,
  ManagedUser,
  NewReport,
  NotificationChannel,
  NotificationRule,
  NotificationStatus,
  OutboxItem,
  Page,
  PublicConfig,
  Report,
  ReportPreview,
  ReportStatus,
  Role,
  Stats,
  Status,
  TokenPair,
  User,
} from './types.js';

/** One typed function per API route the web app uses (CONTRACT §3). */
const id = encodeURIComponent;

export const auth = {
  // The refresh token goes into an HttpOnly cookie, not the answer (api/session.ts).
  login: (email: string, password: string) =>
    request<TokenPair>('POST', '/api/auth/login', { body: { email, password }, headers: SESSION_MODE_HEADERS, anonymous: true }),
  register: (body: { email: string; password: string; name: string }) =>
    request<{ user: User }>('POST', '/api/auth/register', { body, anonymous: true }),
  me: () => request<User>('GET', '/api/auth/me'),
};

export function incidentQuery(filters: IncidentFilters, cursor?: string | null, limit = 25): string {
  const query = new URLSearchParams();
  filters.status?.forEach((status) => query.append('status', status));
  filters.urgency?.forEach((urgency) => query.append('urgency', urgency));
  if (filters.category) query.set('category', filters.category);
  if (filters.departmentId) query.set('departmentId', filters.departmentId);
  if (filters.mine) query.set('mine', 'true');
  if (filters.q) query.set('q', filters.q);
  if (filters.sort) query.set('sort', filters.sort);
  if (cursor) query.set('cursor', cursor);
  query.set('limit', String(limit));
  return query.toString();
}

export const incidents = {
  list: (filters: IncidentFilters, cursor?: string | null, limit?: number) =>
    request<Page<Incident>>('GET', `/api/incidents?${incidentQuery(filters, cursor, limit)}`),
  get: (incidentId: string) => request<Incident>('GET', `/api/incidents/${id(incidentId)}`),
  events: (incidentId: string) => request<{ items: IncidentEvent[] }>('GET', `/api/incidents/${id(incidentId)}/events`),
  preview: (draft: IncidentDraft) => request<ReportPreview>('POST', '/api/incidents/preview', { body: draft }),
  create: (draft: IncidentDraft, idempotencyKey: string) =>
    request<Incident>('POST', '/api/incidents', { body: draft, headers: { 'idempotency-key': idempotencyKey } }),
  changeStatus: (incident: Pick<Incident, 'id' | 'version'>, status: Status, note?: string) =>
    request<Incident>('PATCH', `/api/incidents/${id(incident.id)}`, {
      body: note ? { status, note } : { status },
      headers: { 'if-match': String(incident.version) },
    }),
  /** "It affects me too": follow a preview's duplicate instead of filing a new report. */
  affected: (incidentId: string) => request<{ affectedCount: number }>('POST', `/api/incidents/${id(incidentId)}/affected`),
  comment: (incidentId: string, text: string, internal: boolean) =>
    request<IncidentEvent>('POST', `/api/incidents/${id(incidentId)}/comments`, { body: { text, internal } }),
  assign: (incidentId: string, departmentId: string) =>
    request<Incident>('PUT', `/api/incidents/${id(incidentId)}/department`, { body: { departmentId } }),
  attach: (incidentId: string, file: File, onProgress: (fraction: number) => void) =>
    uploadFile(`/api/incidents/${id(incidentId)}/attachments`, file, onProgress),
  attachment: (incidentId: string, attachmentId: string, signal?: AbortSignal) =>
    requestBlob(`/api/incidents/${id(incidentId)}/attachments/${id(attachmentId)}`, signal),
  stats: () => request<Stats>('GET', '/api/stats'),
};

export const catalog = {
  categories: () => request<Page<Category>>('GET', '/api/categories'),
  createCategory: (body: Category) => request<Category>('POST', '/api/categories', { body }),
  updateCategory: (code: string, body: Partial<Omit<Category, 'code'>>) => request<Category>('PATCH', `/api/categories/${id(code)}`, { body }),
  departments: () => request<Page<Department>>('GET', '/api/departments'),
  createDepartment: (body: Omit<Department, 'id'>) => request<Department>('POST', '/api/departments', { body }),
  updateDepartment: (departmentId: string, body: Partial<Omit<Department, 'id'>>) =>
    request<Department>('PATCH', `/api/departments/${id(departmentId)}`, { body }),
  locations: () => request<Page<CampusLocation>>('GET', '/api/locations'),
  createLocation: (body: CampusLocation) => request<CampusLocation>('POST', '/api/locations', { body }),
  updateLocation: (code: string, body: Partial<Omit<CampusLocation, 'code'>>) =>
    request<CampusLocation>('PATCH', `/api/locations/${id(code)}`, { body }),
  deleteLocation: (code: string) => request<void>('DELETE', `/api/locations/${id(code)}`),
  validateLocation: (body: { locationCode?: string; locationText?: string }) =>
    request<LocationCheck>('POST', '/api/locations/validate', { body }),
};

export interface NewUser {
  email: string;
  password: string;
  name: string;
  role: Role;
  departmentId?: string | null;
}

export const admin = {
  users: (cursor?: string | null) => request<Page<ManagedUser>>('GET', `/api/users?limit=100${cursor ? `&cursor=${id(cursor)}` : ''}`),
  createUser: (body: NewUser) => request<ManagedUser>('POST', '/api/users', { body }),
  updateUser: (userId: string, body: Partial<Pick<ManagedUser, 'name' | 'role' | 'departmentId' | 'disabled'>>) =>
    request<ManagedUser>('PATCH', `/api/users/${id(userId)}`, { body }),
  unlockLogin: (userId: string) => request<void>('DELETE', `/api/users/${id(userId)}/login-lock`),
  apiKeys: () => request<Page<ApiKey>>('GET', '/api/api-keys'),
  createApiKey: (name: string, scopes: ApiKeyScope[]) => request<ApiKey & { key: string }>('POST', '/api/api-keys', { body: { name, scopes } }),
  revokeApiKey: (keyId: string) => request<void>('DELETE', `/api/api-keys/${id(keyId)}`),
};

export interface OutboxFilters {
  status?: NotificationStatus;
  channel?: NotificationChannel;
  incidentId?: string;
}

/** Admin: the notification outbox, the rules, the escalation policy, the dev mailbox (issue 11). */
export const notificationAdmin = {
  outbox: (filters: OutboxFilters, cursor?: string | null) => {
    const query = new URLSearchParams({ limit: '50' });
    for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
    if (cursor) query.set('cursor', cursor);
    return request<Page<OutboxItem>>('GET', `/api/notifications?${query}`);
  },
  retry: (notificationId: string) => request<{ id: string; status: 'pending' }>('POST', `/api/notifications/${id(notificationId)}/retry`),
  rules: () => request<{ items: NotificationRule[] }>('GET', '/api/notification-rules'),
  updateRule: (ruleId: string, body: { enabled?: boolean; channels?: NotificationChannel[] }) =>
    request<NotificationRule>('PATCH', `/api/notification-rules/${id(ruleId)}`, { body }),
  escalationPolicy: () => request<EscalationPolicy>('GET', '/api/escalation-policy'),
  saveEscalationPolicy: (body: EscalationPolicy) => request<EscalationPolicy>('PUT', '/api/escalation-policy', { body }),
  mailbox: (cursor?: string | null, limit = 50) => request<Page<MailboxItem>>('GET', `/api/dev/mailbox?limit=${limit}${cursor ? `&cursor=${id(cursor)}` : ''}`),
};

export interface JobRunFilters {
  name?: string;
  state?: JobState;
}

/** Admin: background jobs and their runs (issue 12). */
export const jobs = {
  list: () => request<{ items: Job[] }>('GET', '/api/jobs'),
  runs: (filters: JobRunFilters = {}, cursor?: string | null) => {
    const query = new URLSearchParams({ limit: '20' });
    if (filters.name) query.set('name', filters.name);
    if (filters.state) query.set('state', filters.state);
    if (cursor) query.set('cursor', cursor);
    return request<Page<JobRun>>('GET', `/api/jobs/runs?${query}`);
  },
  run: (name: string) => request<{ id: string; state: JobState }>('POST', `/api/jobs/${id(name)}/run`),
  runById: (runId: string) => request<JobRun>('GET', `/api/jobs/runs/${id(runId)}`),
};

/** Reports: list, one, create, and the content as JSON or CSV (issue 12; docs/reports.md). */
export const reports = {
  list: (cursor?: string | null) => request<Page<Report>>('GET', `/api/reports?limit=20${cursor ? `&cursor=${id(cursor)}` : ''}`),
  get: (reportId: string) => request<Report>('GET', `/api/reports/${id(reportId)}`),
  create: (body: NewReport) => request<{ id: string; status: ReportStatus }>('POST', '/api/reports', { body }),
  content: (reportId: string, format: 'json' | 'csv') =>
    requestBlob(`/api/reports/${id(reportId)}/content`, undefined, format === 'csv' ? 'text/csv' : 'application/json'),
};

/** The server's public configuration (no token): limits the report form shows and checks. */
export const serverConfig = {
  get: () => request<PublicConfig>('GET', '/api/config', { anonymous: true }),
};
