import { request, requestBlob, uploadFile } from './http.js';
import { SESSION_MODE_HEADERS } from './session.js';
import type {
  ApiKey,
  ApiKeyScope,
  CampusLocation,
  Category,
  Department,
  Incident,
  IncidentDraft,
  IncidentEvent,
  IncidentFilters,
  LocationCheck,
  ManagedUser,
  Page,
  ReportPreview,
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

