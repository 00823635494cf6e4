export const ROLES = ['student', 'staff', 'authority', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const API_KEY_SCOPES = ['realtime:publish', 'auth:introspect', 'metrics:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/**
 * Who is making a request: a signed-in person, another service holding an API key, or the
 * operator at the command line (whoever can run the CLI can already reach the database).
 */
export type Actor =
  | { kind: 'user'; userId: string; tenantId: string; role: Role; departmentId: string | null }
  | { kind: 'apiKey'; keyId: string; tenantId: string; scopes: readonly ApiKeyScope[] }
  | { kind: 'operator'; tenantId: string };

export type UserActor = Extract<Actor, { kind: 'user' }>;
