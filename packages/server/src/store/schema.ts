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

export interface Database {
  realtime_messages: RealtimeMessagesTable;
  incidents: IncidentsTable;
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
