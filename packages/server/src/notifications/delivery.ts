import { isMoot, quietHoursEnd, type Language, type NotificationKind, type Status } from '@alertautec/core';
import { newId, type Clock } from '../adapters.js';
import { incidentsRepository } from '../incidents/repository.js';
import type { Store } from '../store/db.js';
import type { Db } from '../store/executor.js';
import { usersRepository } from '../users/repository.js';
import { backoffDelay, defineJob, enqueue, type Backoff, type JobDefinition } from '../workers/index.js';
import type { WorkerLog } from '../workers/log.js';
import { PermanentDeliveryError, TemporaryDeliveryError, type Channel, type ChannelName, type OutgoingMessage } from './channels/channel.js';
import { outboxRepository, type NotificationRow } from './outbox-repository.js';
import { fromPreferencesRow, preferencesRepository } from './preferences-repository.js';

export const DELIVERY_JOB = 'notification.deliver';

export interface DeliveryPayload {
  id: string;
  /** The row's delivery token when this job was enqueued: a stale job finds a different one and stops. */
  token: string;
}

export interface DeliveryDeps {
  store: Store;
  clock: Clock;
  timeZone: string;
  /** The channels this deployment sends on. */
  channels: Partial<Record<ChannelName, Channel>>;
  /** Why a channel is missing (recorded as the skip reason of its rows). */
  unavailable: Partial<Record<ChannelName, string>>;
  /** Between failed attempts of one row (default 30 s doubling to 30 min, with jitter). */
  backoff?: Backoff;
  random?: () => number;
  log: WorkerLog;
}

export const DELIVERY_BACKOFF: Backoff = { baseMs: 30_000, maxMs: 30 * 60_000 };

/**
 * Sends one outbox row. Just before sending it checks again whether the message should go
 * at all (skipped, with the reason, when the recipient opted out or was disabled, or the
 * message became moot), holds non-critical e-mail and SMS until the recipient's quiet
 * hours end, and then sends through the row's channel. A failure is judged by its class:
 * permanent → `dead` at once; temporary → `failed`, and a new job for the row after a
 * backoff, until the row's attempts run out (`dead`). Each reschedule gives the row a new
 * token, and only the job holding the current token may touch it.
 *
 * A job killed between the send and the write of `sent` runs again and sends again: the
 * channels make that harmless where they can (the same Message-ID, idempotency keys).
 */
export function deliveryJob(deps: DeliveryDeps): JobDefinition<DeliveryPayload> {
  const { store, clock, log } = deps;
  const backoff = deps.backoff ?? DELIVERY_BACKOFF;
  const random = deps.random ?? Math.random;

  async function skipReason(row: NotificationRow): Promise<{ reason: string } | { quietUntil: number } | null> {
    const critical = row.critical === 1;
    if (row.user_id) {
      const user = await usersRepository.findById(store.db, row.tenant_id, row.user_id);
      if (!user || user.disabled === 1) return { reason: 'recipient_disabled: the account is disabled' };
      const preferences = fromPreferencesRow(await preferencesRepository.find(store.db, row.tenant_id, row.user_id));
      if (!critical && row.channel === 'email' && !preferences.channels.email) return { reason: 'opted_out: e-mail is off in the recipient’s preferences' };
      if (!critical && row.channel === 'sms' && !preferences.channels.sms) return { reason: 'opted_out: SMS is off in the recipient’s preferences' };
      if (!critical && (row.channel === 'email' || row.channel === 'sms')) {
        const until = quietHoursEnd(clock.now(), preferences.quietHours, deps.timeZone);
        if (until !== null && !(await moot(row))) return { quietUntil: until };
      }
    }
    const reason = await moot(row);
    if (reason) return { reason };
    if (!deps.channels[row.channel as ChannelName]) return { reason: deps.unavailable[row.channel as ChannelName] ?? `channel_unavailable: ${row.channel} is not configured` };
    return null;
  }

  async function moot(row: NotificationRow): Promise<string | null> {
    if (!row.incident_id) return null;
    const incident = await incidentsRepository.findById(store.db, row.tenant_id, row.incident_id);
    if (!incident) return 'moot: the incident no longer exists';
    return isMoot(row.kind as NotificationKind, incident.status) ? `moot: the incident is already ${incident.status as Status}` : null;
  }

  /** Hands the row to a new job at `at` (retry or quiet hours), in one transaction. */
  const reschedule = (row: NotificationRow, token: string, at: number, write: (trx: Db, next: { token: string; at: number }) => Promise<boolean>) => {
    const next = { token: newId(), at };
    return store.write(async (trx) => {
      if (!(await write(trx, next))) return false;
      await enqueue(trx, { job: definition, payload: { id: row.id, token: next.token }, now: clock.now(), runAt: at, dedupeKey: `${row.id}/${next.token}`, tenantId: row.tenant_id });
      return true;
    });
  };

  const definition: JobDefinition<DeliveryPayload> = defineJob<DeliveryPayload>({
    kind: DELIVERY_JOB,
    // The attempts that count are the row's; the job's own retries cover a lost database.
    maxAttempts: 5,
    timeoutMs: 60_000,
    async handler({ id, token }, context) {
      const row = await outboxRepository.find(store.db, id);
      if (!row || row.delivery_token !== token || (row.status !== 'pending' && row.status !== 'failed')) return;
      const verdict = await skipReason(row);
      if (verdict && 'reason' in verdict) {
        await store.write((trx) => outboxRepository.skipped(trx, id, token, verdict.reason, clock.now()));
        return;
      }
      if (verdict && 'quietUntil' in verdict) {
        await reschedule(row, token, verdict.quietUntil, (trx, next) => outboxRepository.postponed(trx, id, token, next, clock.now()));
        return;
      }
      const channel = deps.channels[row.channel as ChannelName]!;
      try {
        const result = await channel.send(outgoing(row), context.signal);
        await store.write((trx) => outboxRepository.sent(trx, id, token, result.providerId ?? null, clock.now()));
      } catch (error) {
        const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 1000);
        const now = clock.now();
        const attempts = row.attempts + 1;
        if (error instanceof PermanentDeliveryError || attempts >= row.max_attempts) {
          await store.write((trx) => outboxRepository.failed(trx, id, token, message, null, now));
          log.warn({ notificationId: id, channel: row.channel, attempts, err: error }, 'notification is dead');
          return;
        }
        const wait = Math.max(backoffDelay(attempts, backoff, random), error instanceof TemporaryDeliveryError ? (error.retryAfterMs ?? 0) : 0);
        await reschedule(row, token, now + wait, (trx, next) => outboxRepository.failed(trx, id, token, message, next, now));
      }
    },
  });
  return definition;
}

export function outgoing(row: NotificationRow): OutgoingMessage {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    channel: row.channel as ChannelName,
    to: row.to_address,
    language: row.language as Language,
    subject: row.subject,
    text: row.body,
    ...(row.html ? { html: row.html } : {}),
    incidentId: row.incident_id,
    ...(row.incident_id ? { threadId: row.incident_id } : {}),
    ...(row.attributes ? { attributes: JSON.parse(row.attributes) as Record<string, string> } : {}),
  };
}
