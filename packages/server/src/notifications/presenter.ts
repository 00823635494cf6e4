import type { MailboxItem, MyNotification, NotificationRule, OutboxItem } from '@alertautec/core/schemas';
import type { Language, NotificationChannel, RuleDefinition, RuleState } from '@alertautec/core';
import { toIso, toIsoOrNull } from '@alertautec/core';
import type { DevMailboxTable } from '../store/schema.js';
import type { NotificationRow, NotificationStatus } from './outbox-repository.js';

export const presentOutboxItem = (row: NotificationRow): OutboxItem => ({
  id: row.id,
  channel: row.channel as NotificationChannel,
  to: row.to_address,
  subject: row.subject,
  status: row.status as NotificationStatus,
  attempts: row.attempts,
  lastError: row.last_error,
  skipReason: row.skip_reason,
  incidentId: row.incident_id,
  createdAt: toIso(row.created_at),
  sentAt: toIsoOrNull(row.sent_at),
});

export const presentMyNotification = (row: NotificationRow): MyNotification => ({
  id: row.id,
  title: row.subject,
  body: row.body,
  incidentId: row.incident_id,
  createdAt: toIso(row.created_at),
  readAt: toIsoOrNull(row.read_at),
});

export const presentRule = (rule: RuleDefinition, state: RuleState): NotificationRule => ({
  id: rule.id,
  event: rule.event,
  condition: rule.condition,
  recipients: [...rule.recipients],
  channels: [...state.channels],
  enabled: state.enabled,
});

export const presentMail = (row: DevMailboxTable & { language: string }): MailboxItem => ({
  id: row.id,
  notificationId: row.notification_id,
  messageId: row.message_id,
  from: row.from_address,
  to: row.to_address,
  subject: row.subject,
  language: row.language as Language,
  text: row.text,
  html: row.html,
  inReplyTo: row.in_reply_to,
  references: row.references_header,
  createdAt: toIso(row.created_at),
});
