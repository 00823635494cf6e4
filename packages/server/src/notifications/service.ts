import { DEFAULT_RULES, assertCan, conflict, notFound, validationError, type Actor, type NotificationPreferences, RULE_IDS, type RuleId, type UserActor } from '@alertautec/core';
import type { MailboxQuery, MarkReadBody, MyNotificationsQuery, NotificationRulePatch, OutboxQuery, Preferences } from '@alertautec/core/schemas';
import { newId, type Clock } from '../adapters.js';
import { JOB_CHANNEL, enqueue, type JobDefinition } from '../workers/index.js';
import type { Notices } from '../events/signal.js';
import type { Store } from '../store/db.js';
import { decodeCursor, isString, pageOf } from '../store/pagination.js';
import type { DeliveryPayload } from './delivery.js';
import { mailboxRepository } from './mailbox-repository.js';
import { DELIVERY_ATTEMPTS, deliveryKey } from './notifier.js';
import { outboxRepository } from './outbox-repository.js';
import { fromPreferencesRow, preferencesRepository } from './preferences-repository.js';
import { presentMail, presentMyNotification, presentOutboxItem, presentRule } from './presenter.js';
import { rulesRepository } from './rules-repository.js';

export interface NotificationsServiceDeps {
  store: Store;
  clock: Clock;
  notices: Notices;
  deliveryJob: JobDefinition<DeliveryPayload>;
  /** The dev mailbox answers only outside production. */
  production: boolean;
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;

/** The notification APIs: the outbox and rules for admins, preferences and in-app alerts for everyone. */
export function createNotificationsService(deps: NotificationsServiceDeps) {
  const { store, clock } = deps;
  const db = store.db;

  return {
    async outbox(actor: Actor, query: OutboxQuery) {
      assertCan(actor, 'notifications:manage');
      const limit = query.limit ?? 50;
      const rows = await outboxRepository.list(db, actor.tenantId, {
        status: query.status,
        channel: query.channel,
        incidentId: query.incidentId,
        beforeId: decodeCursor(query.cursor, isString),
        limit,
      });
      return pageOf(rows, limit, presentOutboxItem, (row) => row.id);
    },

    /** A dead or failed row goes back to pending with a new delivery job (and a fresh round of attempts). */
    async retry(actor: Actor, id: string) {
      assertCan(actor, 'notifications:manage');
      const now = clock.now();
      const token = newId();
      const outcome = await store.write(async (trx) => {
        const row = await outboxRepository.findInTenant(trx, actor.tenantId, id);
        if (!row) return 'missing' as const;
        if (!(await outboxRepository.requeue(trx, actor.tenantId, id, token, DELIVERY_ATTEMPTS, now))) return row.status;
        await enqueue(trx, { job: deps.deliveryJob, payload: { id, token }, now, dedupeKey: deliveryKey(id, token), tenantId: actor.tenantId });
        return 'requeued' as const;
      });
      if (outcome === 'missing') throw notFound('Notification');
      if (outcome !== 'requeued') {
        throw conflict(`Only a dead or failed notification can be retried; this one is ${outcome}.`, 'notification_not_retryable');
      }
      deps.notices.notify(JOB_CHANNEL, deps.deliveryJob.kind);
      return { id, status: 'pending' as const };
    },

    async rules(actor: Actor) {
      assertCan(actor, 'notifications:manage');
      const states = await store.write((trx) => rulesRepository.states(trx, actor.tenantId, clock.now()));
      return { items: DEFAULT_RULES.map((rule, index) => presentRule(rule, states[index]!)) };
    },

    async updateRule(actor: Actor, id: string, patch: NotificationRulePatch) {
      assertCan(actor, 'notifications:manage');
      if (!(RULE_IDS as readonly string[]).includes(id)) throw notFound('Notification rule');
      const ruleId = id as RuleId;
      const now = clock.now();
      const states = await store.write(async (trx) => {
        await rulesRepository.states(trx, actor.tenantId, now);
        await rulesRepository.update(trx, actor.tenantId, ruleId, patch, now);
        return rulesRepository.states(trx, actor.tenantId, now);
      });
      const index = DEFAULT_RULES.findIndex((rule) => rule.id === id);
      return presentRule(DEFAULT_RULES[index]!, states[index]!);
    },

    async preferences(user: UserActor): Promise<Preferences> {
      return fromPreferencesRow(await preferencesRepository.find(db, user.tenantId, user.userId));
    },

    async savePreferences(user: UserActor, body: Preferences): Promise<Preferences> {
      if (body.quietHours && body.quietHours.from === body.quietHours.to) {
        throw validationError('Quiet hours must start and end at different times.', [{ path: '/quietHours/to', message: 'equals from' }], 'invalid_quiet_hours');
      }
      if (body.channels.sms && !body.phone) {
        throw validationError('SMS needs a phone number.', [{ path: '/phone', message: 'required when SMS is on' }], 'phone_required');
      }
      const preferences: NotificationPreferences = { language: body.language, phone: body.phone, channels: { ...body.channels }, quietHours: body.quietHours };
      await store.write((trx) => preferencesRepository.save(trx, user.tenantId, user.userId, preferences, clock.now()));
      return preferences;
    },

    async mine(user: UserActor, query: MyNotificationsQuery) {
      const limit = query.limit ?? 50;
      const [rows, unread] = await Promise.all([
        outboxRepository.listInApp(db, user.tenantId, user.userId, { beforeId: decodeCursor(query.cursor, isString), limit }),
        outboxRepository.unreadCount(db, user.tenantId, user.userId),
      ]);
      return { ...pageOf(rows, limit, presentMyNotification, (row) => row.id), unread };
    },

    async markRead(user: UserActor, body: MarkReadBody) {
      const ids = 'ids' in body ? body.ids : 'all';
      await store.write((trx) => outboxRepository.markRead(trx, user.tenantId, user.userId, ids, clock.now()));
    },

    async mailbox(actor: Actor, query: MailboxQuery) {
      if (deps.production) throw notFound('The dev mailbox', 'dev_mailbox_disabled');
      assertCan(actor, 'notifications:manage');
      const limit = query.limit ?? 50;
      const rows = await mailboxRepository.list(db, actor.tenantId, { beforeId: decodeCursor(query.cursor, isString), limit });
      return pageOf(rows, limit, presentMail, (row) => row.id);
    },
  };
}
