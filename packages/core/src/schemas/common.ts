import { Type, type TSchema } from 'typebox';

/**
 * Building blocks for every request and response schema. The same schemas validate
 * requests (host) and generate the OpenAPI document, so they are the API's single truth.
 * `line` and `text` are custom formats the host registers (see text.ts for their rules).
 */
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Password = Type.String({ minLength: 10, maxLength: 256, description: 'At least 10 characters.' });
export const PersonName = Type.String({ format: 'line', minLength: 1, maxLength: 120 });
export const Line = (maxLength: number) => Type.String({ format: 'line', minLength: 1, maxLength });
export const Timestamp = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** `?limit=&cursor=`, shared by every paged list (spread into its query schema). */
export const PAGING = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
};

export const page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

/** RFC 9457 problem details, as every error is answered. */
export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: Type.String(),
  instance: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
});
