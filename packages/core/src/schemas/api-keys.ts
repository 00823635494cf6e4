import { Type, type Static } from 'typebox';
import { API_KEY_SCOPES } from '../roles.js';
import { Id, Line, Nullable, Timestamp } from './common.js';

export const ApiKeyScope = Type.Enum(API_KEY_SCOPES);

export const CreateApiKeyBody = Type.Object(
  { name: Line(80), scopes: Type.Array(ApiKeyScope, { minItems: 1, maxItems: API_KEY_SCOPES.length, uniqueItems: true }) },
  { additionalProperties: false },
);
export type CreateApiKeyBody = Static<typeof CreateApiKeyBody>;

export const ApiKey = Type.Object({
  id: Id,
  name: Type.String(),
  scopes: Type.Array(ApiKeyScope),
  prefix: Type.String({ description: 'The first characters of the key, to recognise it.' }),
  createdAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
});
export type ApiKey = Static<typeof ApiKey>;

export const CreatedApiKey = Type.Object({
  id: Id,
  key: Type.String({ description: 'The secret; shown only in this answer.' }),
  name: Type.String(),
  scopes: Type.Array(ApiKeyScope),
  prefix: Type.String(),
  createdAt: Timestamp,
});
