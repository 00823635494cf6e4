import { Type, type Static } from 'typebox';
import { Id, IdParams, Nullable, PAGING, Timestamp, page } from './common.js';
import { LANGUAGES, NOTIFICATION_CHANNELS, RULE_IDS } from '../notifications/rules.js';

/** Notifications (CONTRACT §3 Notifications): the outbox, the rules, preferences, in-app alerts. */
export const NOTIFICATION_STATUSES = ['pending', 'sent', 'skipped', 'failed', 'dead'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export const NotificationChannelName = Type.Enum(NOTIFICATION_CHANNELS);

export const OutboxItem = Type.Object({
  id: Type.String(),
  channel: NotificationChannelName,
  to: Type.String(),
  subject: Type.String(),
  status: Type.Enum(NOTIFICATION_STATUSES),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  skipReason: Nullable(Type.String()),
  incidentId: Nullable(Type.String()),
  createdAt: Timestamp,
  sentAt: Nullable(Timestamp),
});
export type OutboxItem = Static<typeof OutboxItem>;
export const OutboxPage = page(OutboxItem);

export const OutboxQuery = Type.Object(
  { status: Type.Optional(Type.Enum(NOTIFICATION_STATUSES)), channel: Type.Optional(NotificationChannelName), incidentId: Type.Optional(Id), ...PAGING },
  { additionalProperties: false },
);
export type OutboxQuery = Static<typeof OutboxQuery>;

export const NotificationRetried = Type.Object({ id: Type.String(), status: Type.Literal('pending') });

/** Any id-shaped value: an unknown rule is a 404, as an unknown incident or user is. */
export const RuleIdParams = IdParams;

export const NotificationRule = Type.Object({
  id: Type.Enum(RULE_IDS),
  event: Type.String(),
  condition: Type.String(),
  recipients: Type.Array(Type.String()),
  channels: Type.Array(NotificationChannelName),
  enabled: Type.Boolean(),
});
export type NotificationRule = Static<typeof NotificationRule>;
export const NotificationRuleList = Type.Object({ items: Type.Array(NotificationRule) });

export const NotificationRulePatch = Type.Object(
  { enabled: Type.Optional(Type.Boolean()), channels: Type.Optional(Type.Array(NotificationChannelName, { uniqueItems: true, maxItems: 4 })) },
  { additionalProperties: false, minProperties: 1 },
);
export type NotificationRulePatch = Static<typeof NotificationRulePatch>;

const ClockTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'Campus wall-clock time, HH:MM.' });

export const Preferences = Type.Object(
  {
    language: Type.Enum(LANGUAGES),
    phone: Nullable(Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$', description: 'E.164, for SMS.' })),
    channels: Type.Object({ email: Type.Boolean(), sms: Type.Boolean() }, { additionalProperties: false }),
    quietHours: Nullable(
      Type.Object({ from: ClockTime, to: ClockTime }, { additionalProperties: false, description: 'Non-critical messages wait until `to`; `from` after `to` spans midnight.' }),
    ),
  },
  { additionalProperties: false },
);
export type Preferences = Static<typeof Preferences>;

export const MyNotification = Type.Object({
  id: Type.String(),
  title: Type.String(),
  body: Type.String(),
  incidentId: Nullable(Type.String()),
  createdAt: Timestamp,
  readAt: Nullable(Timestamp),
});
export type MyNotification = Static<typeof MyNotification>;
export const MyNotificationPage = Type.Object({ items: Type.Array(MyNotification), nextCursor: Nullable(Type.String()), unread: Type.Integer() });

export const MyNotificationsQuery = Type.Object({ ...PAGING }, { additionalProperties: false });
export type MyNotificationsQuery = Static<typeof MyNotificationsQuery>;

export const MarkReadBody = Type.Union([
  Type.Object({ ids: Type.Array(Id, { minItems: 1, maxItems: 200 }) }, { additionalProperties: false }),
  Type.Object({ all: Type.Literal(true) }, { additionalProperties: false }),
]);
export type MarkReadBody = Static<typeof MarkReadBody>;

export const MailboxItem = Type.Object({
  id: Type.String(),
  notificationId: Type.String(),
  messageId: Type.String(),
  from: Type.String(),
  to: Type.String(),
  subject: Type.String(),
  /** The recipient's language, the one the message was written in. */
  language: Type.Enum(LANGUAGES),
  text: Type.String(),
  html: Nullable(Type.String()),
  inReplyTo: Nullable(Type.String()),
  references: Nullable(Type.String()),
  createdAt: Timestamp,
});
export type MailboxItem = Static<typeof MailboxItem>;
export const MailboxPage = page(MailboxItem);
export const MailboxQuery = Type.Object({ ...PAGING }, { additionalProperties: false });
export type MailboxQuery = Static<typeof MailboxQuery>;
