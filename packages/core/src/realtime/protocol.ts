import { Type, type Static } from 'typebox';
import { STATUSES, URGENCIES, type Incident } from '../incidents/model.js';
import { INCIDENT_EVENT_TYPES, type IncidentEvent } from '../incidents/events.js';
import { ROLES, type Role } from '../roles.js';

/**
 * The realtime protocol (CONTRACT §4): what clients send, what the server answers.
 * Shared by the gateway, the SDK and the web app.
 */
const oneOrMany = <T extends readonly string[]>(values: T) =>
  Type.Union([Type.Enum(values), Type.Array(Type.Enum(values), { minItems: 1, maxItems: values.length })]);
const Ids = Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 50 })]);

export const SubscriptionFilters = Type.Object(
  {
    status: Type.Optional(oneOrMany(STATUSES)),
    urgency: Type.Optional(oneOrMany(URGENCIES)),
    category: Type.Optional(Ids),
    departmentId: Type.Optional(Ids),
    incidentId: Type.Optional(Ids),
  },
  { additionalProperties: false },
);
export type SubscriptionFilters = Static<typeof SubscriptionFilters>;

export const ClientMessage = Type.Union([
  Type.Object(
    {
      action: Type.Literal('subscribeIncidents'),
      filters: Type.Optional(SubscriptionFilters),
      since: Type.Optional(Type.Integer({ minimum: 0 })),
      /** Echoed in Subscribed, so a client can pair answers with requests. */
      ref: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    },
    { additionalProperties: false },
  ),
  Type.Object({ action: Type.Literal('unsubscribe'), subscriptionId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('ping') }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('reauth'), token: Type.String({ minLength: 1, maxLength: 4096 }) }, { additionalProperties: false }),
]);
export type ClientMessage = Static<typeof ClientMessage>;

export const CLOSE_CODES = {
  tokenExpired: 4001,
  policyViolation: 4008,
  overloaded: 1013,
} as const;

/** A custom event another service published (`POST /api/realtime/events`). */
export interface PublishedEvent {
  type: string;
  data: unknown;
  at: string;
}

/** One of the user's in-app notifications (issue 11), pushed to all their connections unasked. */
export interface NotificationMessage {
  type: 'Notification';
  id: string;
  title: string;
  body: string;
  incidentId: string | null;
  createdAt: string;
}

export type ServerMessage =
  | { type: 'Subscribed'; subscriptionId: string; headSeq: number; ref?: string }
  | { type: 'Unsubscribed'; subscriptionId: string }
  | { type: 'Pong'; at: string }
  | { type: 'Reauthenticated'; exp: number }
  | { type: 'Error'; code: string; message: string }
  | { type: 'ResyncRequired'; headSeq: number; subscriptionId?: string }
  | (IncidentEvent & { subscriptionId: string })
  | NotificationMessage
  | PublishedEvent;

export const RESERVED_EVENT_TYPES: readonly string[] = [
  ...INCIDENT_EVENT_TYPES,
  'Subscribed',
  'Unsubscribed',
  'Pong',
  'Reauthenticated',
  'Error',
  'ResyncRequired',
];
export const PUBLISHED_TYPE_PATTERN = '^[a-z][A-Za-z0-9_.]{2,63}$';

export const PublishBody = Type.Object(
  {
    type: Type.String({ pattern: PUBLISHED_TYPE_PATTERN }),
    audience: Type.Object(
      {
        userIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 1000 })),
        roles: Type.Optional(Type.Array(Type.Enum(ROLES), { minItems: 1, maxItems: ROLES.length })),
        departmentIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 200 })),
        all: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false, minProperties: 1 },
    ),
    data: Type.Unknown(),
  },
  { additionalProperties: false, required: ['type', 'audience', 'data'] },
);
export type PublishBody = Static<typeof PublishBody>;
export type Audience = PublishBody['audience'];

/** Whether a published event's audience includes this person. */
export function inAudience(audience: Audience, person: { userId: string; role: Role; departmentId: string | null }): boolean {
  if (audience.all) return true;
  if (audience.userIds?.includes(person.userId)) return true;
  if (audience.roles?.includes(person.role)) return true;
  return person.departmentId !== null && (audience.departmentIds?.includes(person.departmentId) ?? false);
}

const matchesOne = (wanted: string | readonly string[] | undefined, value: string | null) =>
  wanted === undefined || (value !== null && (typeof wanted === 'string' ? wanted === value : wanted.includes(value)));

/** Whether an incident, as of an event, passes a subscription's filters. */
export function matchesFilters(
  filters: SubscriptionFilters,
  incident: Pick<Incident, 'id' | 'status' | 'urgency' | 'category' | 'departmentId'>,
): boolean {
  return (
    matchesOne(filters.incidentId, incident.id) &&
    matchesOne(filters.status, incident.status) &&
    matchesOne(filters.urgency, incident.urgency) &&
    matchesOne(filters.category, incident.category) &&
    matchesOne(filters.departmentId, incident.departmentId)
  );
}
