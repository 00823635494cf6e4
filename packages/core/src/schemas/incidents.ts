import { Type, type Static } from 'typebox';
import { STATUSES, URGENCIES } from '../incidents/model.js';
import { INCIDENT_EVENT_TYPES } from '../incidents/events.js';
import { INCIDENT_SORTS } from '../incidents/order.js';
import { INCIDENT_TEXT_LIMITS } from '../incidents/limits.js';
import { Department } from './catalog.js';
import { Id, Line, Nullable, PAGING, Timestamp } from './common.js';

export const StatusSchema = Type.Enum(STATUSES);
export const UrgencySchema = Type.Enum(URGENCIES);
const Text = (maxLength: number) => Type.String({ format: 'text', minLength: 1, maxLength });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const Lng = Type.Number({ minimum: -180, maximum: 180 });

export const IncidentSchema = Type.Object({
  id: Id,
  category: Type.String(),
  title: Type.String(),
  description: Type.String(),
  urgency: UrgencySchema,
  status: StatusSchema,
  locationCode: Nullable(Type.String()),
  locationText: Nullable(Type.String()),
  lat: Nullable(Type.Number()),
  lng: Nullable(Type.Number()),
  departmentId: Nullable(Type.String()),
  reporterId: Nullable(Type.String({ description: 'null on anonymous incidents, except for admins' })),
  anonymous: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  acknowledgedAt: Nullable(Timestamp),
  resolvedAt: Nullable(Timestamp),
  slaDueAt: Timestamp,
  affectedCount: Type.Integer({ minimum: 1, description: 'the reporter plus every student who said "it affects me too"' }),
  version: Type.Integer({ minimum: 1 }),
  reporterName: Type.Optional(
    Nullable(Type.String({ description: 'GET /api/incidents/:id, for staff, authorities and admins: who reported it; never on an anonymous incident (admins excepted)' })),
  ),
});
export type IncidentView = Static<typeof IncidentSchema>;

export const CreateIncidentBody = Type.Object(
  {
    category: Type.String({ minLength: 1, maxLength: 32 }),
    description: Text(INCIDENT_TEXT_LIMITS.descriptionMaxLength),
    urgency: UrgencySchema,
    locationCode: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    locationText: Type.Optional(Line(INCIDENT_TEXT_LIMITS.locationTextMaxLength)),
    lat: Type.Optional(Lat),
    lng: Type.Optional(Lng),
    title: Type.Optional(Line(INCIDENT_TEXT_LIMITS.titleMaxLength)),
    anonymous: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateIncidentBody = Static<typeof CreateIncidentBody>;

export const DuplicateSummary = Type.Object({
  id: Id,
  title: Nullable(Type.String({ description: 'null (like locationText) on incidents the caller may not see' })),
  category: Type.String(),
  status: StatusSchema,
  urgency: UrgencySchema,
  locationCode: Nullable(Type.String()),
  locationText: Nullable(Type.String()),
  createdAt: Timestamp,
  distanceMeters: Nullable(Type.Number()),
  affectedCount: Type.Integer({ minimum: 1 }),
});
export type DuplicateSummary = Static<typeof DuplicateSummary>;

export const IncidentPreview = Type.Object({
  incident: Type.Omit(IncidentSchema, ['id', 'version', 'acknowledgedAt', 'resolvedAt', 'affectedCount']),
  department: Nullable(Department),
  possibleDuplicates: Type.Array(DuplicateSummary),
});

export const IncidentListQuery = Type.Object(
  {
    ...PAGING,
    status: Type.Optional(Type.Array(StatusSchema, { maxItems: STATUSES.length, description: 'one or more (repeat the parameter)' })),
    category: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    urgency: Type.Optional(Type.Array(UrgencySchema, { maxItems: URGENCIES.length })),
    departmentId: Type.Optional(Id),
    mine: Type.Optional(Type.Boolean()),
    q: Type.Optional(Type.String({ format: 'line', minLength: 1, maxLength: 200 })),
    sort: Type.Optional(Type.Enum(INCIDENT_SORTS, { description: 'default newest; each order has its own cursor' })),
  },
  { additionalProperties: false },
);
export type IncidentListQuery = Static<typeof IncidentListQuery>;

export const DepartmentIncidentsQuery = Type.Omit(IncidentListQuery, ['departmentId']);

export const UpdateStatusBody = Type.Object(
  {
    status: StatusSchema,
    note: Type.Optional(Text(2000)),
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'the version you saw; like If-Match' })),
  },
  { additionalProperties: false },
);
export type UpdateStatusBody = Static<typeof UpdateStatusBody>;

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ maxLength: 32, pattern: '^\\s*(W/)?"?[0-9]{1,10}"?\\s*$' })),
});

export const CommentBody = Type.Object(
  { text: Text(4000), internal: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type CommentBody = Static<typeof CommentBody>;

export const AffectedAnswer = Type.Object({ affectedCount: Type.Integer({ minimum: 1 }) });

export const AssignDepartmentBody = Type.Object({ departmentId: Id }, { additionalProperties: false });

export const IncidentEventSchema = Type.Object(
  {
    seq: Type.Integer(),
    type: Type.Enum(INCIDENT_EVENT_TYPES),
    id: Id,
    at: Timestamp,
    actorId: Nullable(Type.String()),
  },
  { additionalProperties: true, description: 'plus the payload of its type (see the event catalogue)' },
);

export const AttachmentSchema = Type.Object({
  id: Id,
  filename: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
});

export const AttachmentParams = Type.Object({ id: Id, attachmentId: Id }, { additionalProperties: false });

const Counts = Type.Record(Type.String(), Type.Integer());
export const StatsSchema = Type.Object({
  byStatus: Counts,
  byCategory: Counts,
  byUrgency: Counts,
  byDepartment: Counts,
  mttaSeconds: Nullable(Type.Number({ description: 'mean time to acknowledge' })),
  mttrSeconds: Nullable(Type.Number({ description: 'mean time to resolve' })),
  slaBreaches: Type.Integer({ description: 'incidents not acknowledged by their SLA due time' }),
});
export type Stats = Static<typeof StatsSchema>;

/** `GET /api/stats?from=&to=`: incidents created in [from, to); either end may be left open. */
export const StatsQuery = Type.Object(
  { from: Type.Optional(Timestamp), to: Type.Optional(Timestamp) },
  { additionalProperties: false },
);
export type StatsQuery = Static<typeof StatsQuery>;
