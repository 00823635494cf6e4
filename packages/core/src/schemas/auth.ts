import { Type, type Static } from 'typebox';
import { ROLES } from '../roles.js';
import { Email, Id, Nullable, Password, PersonName } from './common.js';

export const Role = Type.Enum(ROLES);

export const Me = Type.Object({
  id: Id,
  email: Type.String(),
  name: Type.String(),
  role: Role,
  departmentId: Nullable(Type.String()),
  tenantId: Type.String(),
});
export type Me = Static<typeof Me>;

export const RegisterBody = Type.Object(
  { email: Email, password: Password, name: PersonName },
  { additionalProperties: false },
);
export type RegisterBody = Static<typeof RegisterBody>;

// Login accepts any short strings: a malformed e-mail is just wrong credentials.
export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const RefreshBody = Type.Object(
  // Optional only for the web app, whose token is in the session cookie instead.
  { refreshToken: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })) },
  { additionalProperties: false },
);
export type RefreshBody = Static<typeof RefreshBody>;

export const TokenPair = Type.Object({
  accessToken: Type.String(),
  refreshToken: Type.Optional(Type.String({ description: 'Absent in cookie mode (X-Session-Mode: cookie): the token is in an HttpOnly cookie.' })),
  expiresIn: Type.Integer({ description: 'Seconds until the access token expires.' }),
  user: Me,
});

export const IntrospectBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 4096 }) },
  { additionalProperties: false },
);

export const Introspection = Type.Object({
  active: Type.Boolean(),
  sub: Type.Optional(Type.String()),
  role: Type.Optional(Role),
  departmentId: Type.Optional(Nullable(Type.String())),
  tenantId: Type.Optional(Type.String()),
  exp: Type.Optional(Type.Integer()),
});
export type Introspection = Static<typeof Introspection>;

export const RegisterResponse = Type.Object({ user: Me });
