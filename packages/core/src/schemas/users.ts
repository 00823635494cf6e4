import { Type, type Static } from 'typebox';
import { Email, Id, Nullable, PAGING, Password, PersonName, Timestamp } from './common.js';
import { Me, Role } from './auth.js';

export const User = Type.Object({
  ...Me.properties,
  disabled: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  /** Sign-in refused until then after repeated failures (null: not locked); an admin may lift it. */
  loginLockedUntil: Nullable(Timestamp),
});
export type User = Static<typeof User>;

export const CreateUserBody = Type.Object(
  { email: Email, password: Password, name: PersonName, role: Role, departmentId: Type.Optional(Nullable(Id)) },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(PersonName),
    role: Type.Optional(Role),
    departmentId: Type.Optional(Nullable(Id)),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const UserListQuery = Type.Object(
  {
    ...PAGING,
    role: Type.Optional(Role),
    departmentId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type UserListQuery = Static<typeof UserListQuery>;
