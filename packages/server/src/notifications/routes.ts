import {
  IdParams,
  MailboxPage,
  MailboxQuery,
  MarkReadBody,
  MyNotificationPage,
  MyNotificationsQuery,
  NotificationRetried,
  NotificationRule,
  NotificationRuleList,
  NotificationRulePatch,
  OutboxPage,
  OutboxQuery,
  Preferences,
  RuleIdParams,
} from '@alertautec/core/schemas';
import { actorOf, userOf } from '../http/authenticate.js';
import { NoContent, problems } from '../http/responses.js';
import type { App } from '../http/types.js';
import type { NotificationsService } from './service.js';

const tags = ['notifications'];
const security = [{ bearer: [] }];

export function notificationsRoutes(app: App, notifications: NotificationsService) {
  app.get(
    '/api/notifications',
    { schema: { tags, security, summary: 'The notification outbox, newest first (admin)', querystring: OutboxQuery, response: { 200: OutboxPage, ...problems(401, 403) } } },
    async (request) => notifications.outbox(actorOf(request), request.query),
  );

  app.post(
    '/api/notifications/:id/retry',
    {
      schema: {
        tags,
        security,
        summary: 'Send a dead or failed notification again (admin)',
        params: IdParams,
        response: { 202: NotificationRetried, ...problems(401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(202).send(await notifications.retry(actorOf(request), request.params.id)),
  );

  app.get(
    '/api/notification-rules',
    { schema: { tags, security, summary: 'Who is told what, on which channels (admin)', response: { 200: NotificationRuleList, ...problems(401, 403) } } },
    async (request) => notifications.rules(actorOf(request)),
  );

  app.patch(
    '/api/notification-rules/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Switch a rule on or off, or change its channels (admin)',
        params: RuleIdParams,
        body: NotificationRulePatch,
        response: { 200: NotificationRule, ...problems(401, 403, 404) },
      },
    },
    async (request) => notifications.updateRule(actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/api/me/preferences',
    { schema: { tags, security, summary: 'Your notification preferences', response: { 200: Preferences, ...problems(401, 403) } } },
    async (request) => notifications.preferences(userOf(request)),
  );

  app.put(
    '/api/me/preferences',
    { schema: { tags, security, summary: 'Change your notification preferences', body: Preferences, response: { 200: Preferences, ...problems(401, 403) } } },
    async (request) => notifications.savePreferences(userOf(request), request.body),
  );

  app.get(
    '/api/me/notifications',
    { schema: { tags, security, summary: 'Your in-app notifications, newest first', querystring: MyNotificationsQuery, response: { 200: MyNotificationPage, ...problems(401, 403) } } },
    async (request) => notifications.mine(userOf(request), request.query),
  );

  app.post(
    '/api/me/notifications/read',
    { schema: { tags, security, summary: 'Mark some or all of your notifications read', body: MarkReadBody, response: { 204: NoContent, ...problems(401, 403) } } },
    async (request, reply) => {
      await notifications.markRead(userOf(request), request.body);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/dev/mailbox',
    { schema: { tags, security, summary: 'E-mails delivered to the dev mailbox (admin; not in production)', querystring: MailboxQuery, response: { 200: MailboxPage, ...problems(401, 403, 404) } } },
    async (request) => notifications.mailbox(actorOf(request), request.query),
  );
}
