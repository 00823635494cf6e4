import type { NotificationChannel } from '@alertautec/core';
import type { Clock } from '../adapters.js';
import type { Config } from '../config.js';
import type { Notices } from '../events/signal.js';
import type { ConnectionRegistry } from '../realtime/registry.js';
import type { Store } from '../store/db.js';
import type { WorkerLog } from '../workers/log.js';
import type { Channel, ChannelName } from './channels/channel.js';
import { createDevMailboxChannel, createSmtpChannel } from './channels/email.js';
import { createInAppChannel } from './channels/inapp.js';
import { createSmsChannel } from './channels/sms.js';
import { createSnsChannel } from './channels/sns.js';
import { deliveryJob } from './delivery.js';
import { createInAppPush } from './inapp-push.js';
import { notifierConsumer } from './notifier.js';
import { createNotificationsService } from './service.js';

export { NOTIFICATION_CHANNEL } from './channels/inapp.js';
export { notificationsRoutes } from './routes.js';
export type { NotificationsService } from './service.js';

export interface NotificationsDeps {
  config: Config;
  store: Store;
  clock: Clock;
  notices: Notices;
  registry: ConnectionRegistry;
  log: WorkerLog;
}

/**
 * Notifications wired by config (docs/notifications.md): the channels (e-mail by SMTP or the
 * dev mailbox, in-app always, SMS and SNS when configured), the notifier consumer and the
 * delivery job for the worker runtime, the in-app push for the realtime role, and the API.
 */
export function createNotifications(deps: NotificationsDeps) {
  const { config, store, clock, notices, log } = deps;
  const host = new URL(config.linkBaseUrl).hostname;
  const channels: Partial<Record<ChannelName, Channel>> = { inapp: createInAppChannel(notices) };
  const unavailable: Partial<Record<ChannelName, string>> = {};
  const smtp = config.mail.smtpUrl ? createSmtpChannel({ url: config.mail.smtpUrl, from: config.mail.from, host }) : null;
  if (smtp) channels.email = smtp;
  else if (config.env !== 'production') channels.email = createDevMailboxChannel({ db: store.db, clock, from: config.mail.from, host });
  else unavailable.email = 'channel_unavailable: SMTP_URL is not set, so e-mail is off in production';
  if (config.smsWebhookUrl) channels.sms = createSmsChannel({ webhookUrl: config.smsWebhookUrl, now: () => clock.now() });
  if (config.snsTopicArn) channels.sns = createSnsChannel({ topicArn: config.snsTopicArn });

  // E-mail rows are written even without a way to send them, so the skip shows in the outbox.
  const available = new Set<NotificationChannel>(['email', 'inapp', ...(channels.sms ? ['sms' as const] : []), ...(channels.sns ? ['sns' as const] : [])]);
  const job = deliveryJob({ store, clock, timeZone: config.timeZone, channels, unavailable, log });
  const consumer = notifierConsumer({ clock, timeZone: config.timeZone, linkBaseUrl: config.linkBaseUrl, available, deliveryJob: job });
  const push = createInAppPush({ db: store.db, notices, registry: deps.registry, onError: (error) => log.error({ err: error }, 'in-app notification not pushed') });
  const service = createNotificationsService({ store, clock, notices, deliveryJob: job, production: config.env === 'production' });

  return {
    consumer,
    /** The channels this deployment sends on (for other writers of outbox rows: department reports). */
    available,
    job,
    push,
    service,
    /** Start-up warnings about what will not be sent. */
    warnings(): string[] {
      return unavailable.email ? ['E-mail notifications are off: SMTP_URL is not set (NODE_ENV=production has no dev mailbox); they are recorded as skipped.'] : [];
    },
    close() {
      push.close();
      smtp?.close();
    },
  };
}

export type Notifications = ReturnType<typeof createNotifications>;
