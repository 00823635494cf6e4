import { Type, type Static } from 'typebox';
import { DEPARTMENT_PHONE_PATTERN } from '../catalog/phone.js';
import { Email, Id, Line, Nullable } from './common.js';

const Phone = Type.String({ pattern: `^(?:${DEPARTMENT_PHONE_PATTERN})$`, maxLength: 24 });

export const Department = Type.Object({
  id: Id,
  name: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
});
export type Department = Static<typeof Department>;

export const CreateDepartmentBody = Type.Object(
  { name: Line(120), email: Type.Optional(Nullable(Email)), phone: Type.Optional(Nullable(Phone)) },
  { additionalProperties: false },
);
export type CreateDepartmentBody = Static<typeof CreateDepartmentBody>;

export const UpdateDepartmentBody = Type.Object(
  { name: Type.Optional(Line(120)), email: Type.Optional(Nullable(Email)), phone: Type.Optional(Nullable(Phone)) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateDepartmentBody = Static<typeof UpdateDepartmentBody>;

export const CategoryCode = Type.String({ pattern: '^[a-z][a-z0-9_-]{1,31}$' });

export const Category = Type.Object({ code: Type.String(), name: Type.String(), departmentId: Type.String() });
export type Category = Static<typeof Category>;

export const CreateCategoryBody = Type.Object(
  { code: CategoryCode, name: Line(120), departmentId: Id },
  { additionalProperties: false },
);
export type CreateCategoryBody = Static<typeof CreateCategoryBody>;

export const UpdateCategoryBody = Type.Object(
  { name: Type.Optional(Line(120)), departmentId: Type.Optional(Id) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateCategoryBody = Static<typeof UpdateCategoryBody>;

export const CategoryParams = Type.Object({ code: CategoryCode }, { additionalProperties: false });

export const LocationCode = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$' });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const Lng = Type.Number({ minimum: -180, maximum: 180 });

export const Location = Type.Object({
  code: Type.String(),
  name: Type.String(),
  building: Type.String(),
  floor: Type.String(),
  lat: Type.Optional(Type.Number()),
  lng: Type.Optional(Type.Number()),
});
export type Location = Static<typeof Location>;

export const CreateLocationBody = Type.Object(
  {
    code: LocationCode,
    name: Line(160),
    building: Line(120),
    floor: Line(32),
    lat: Type.Optional(Nullable(Lat)),
    lng: Type.Optional(Nullable(Lng)),
  },
  { additionalProperties: false },
);
export type CreateLocationBody = Static<typeof CreateLocationBody>;

export const UpdateLocationBody = Type.Object(
  {
    name: Type.Optional(Line(160)),
    building: Type.Optional(Line(120)),
    floor: Type.Optional(Line(32)),
    lat: Type.Optional(Nullable(Lat)),
    lng: Type.Optional(Nullable(Lng)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateLocationBody = Static<typeof UpdateLocationBody>;

export const LocationParams = Type.Object({ code: LocationCode }, { additionalProperties: false });

export const ValidateLocationBody = Type.Object(
  {
    locationCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    locationText: Type.Optional(Type.String({ format: 'line', minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ValidateLocationBody = Static<typeof ValidateLocationBody>;

export const LocationValidation = Type.Object({
  valid: Type.Boolean(),
  location: Type.Optional(Location),
  suggestions: Type.Array(Location),
});
export type LocationValidation = Static<typeof LocationValidation>;
