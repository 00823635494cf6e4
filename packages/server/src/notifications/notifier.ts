import {
  expandDeliveries,
  mayConcern,
  recipientsForLevel,
  selectRecipients,
  type Delivery,
  type Incident,
  type IncidentEvent,
  type NotificationChannel,
  type SelectionContext,
} from '@alertautec/core';
import { newId, type Clock } from '../adapters.js';
import { departmentsRepository } from '../catalog/repository.js';
import { escalationPolicyRepository } from '../escalation/index.js';
import { incidentsRepository } from '../incidents/repository.js';
import type { Db } from '../store/executor.js';
import { defineConsumer, type ConsumerContext, type JobDefinition } from '../workers/index.js';
import type { DeliveryPayload } from './delivery.js';
import { outboxRepository, type NotificationRow } from './outbox-repository.js';
import { recipientLookups } from './recipients.js';
import { rulesRepository } from './rules-repository.js';
import { renderMessage, smsText, type MessageFacts } from './templates.js';

export const NOTIFIER = 'notifier';

/** Delivery attempts per row (and per admin retry). */
export const DELIVERY_ATTEMPTS = 8;

export interface NotifierDeps {
  clock: Clock;
  timeZone: string;
  /** The base of incident links (PUBLIC_URL, or http://localhost:3000). */
  linkBaseUrl: string;
  /** Channels this deployment has: e-mail and in-app always; SMS and SNS when configured. */
  available: ReadonlySet<NotificationChannel>;
  deliveryJob: JobDefinition<DeliveryPayload>;
}

/** Outbox rows one batch of the notifier writes before it commits (see the handler). */
const ROWS_PER_BATCH = 50;

/**
 * The notifier: a durable consumer of the event log. For each event it asks the rules (core)
 * who is told on which channels, renders each message in its recipient's language, and
 * writes one outbox row per (event, recipient, channel) with its delivery job — in the
 * consumer's transaction, so rows and jobs exist exactly when the cursor moved past the
 * event. A batch read again (a commit whose answer was lost) meets the unique key and
 * writes nothing new.
 */
export function notifierConsumer(deps: NotifierDeps) {
  return defineConsumer({
    name: NOTIFIER,
    eventTypes: ['IncidentCreated', 'IncidentStatusChanged', 'IncidentEscalated', 'DepartmentAssigned', 'CommentAdded'],
    async handler(trx, events, consumer) {
      const { tenantId } = consumer;
      const now = deps.clock.now();
      const rules = await rulesRepository.states(trx, tenantId, now);
      if (!rules.some((rule) => rule.enabled)) return;
      const lookups = recipientLookups(trx, tenantId);
      // One event can fan out to hundreds of rows and jobs, and a batch's jobs are announced
      // only when its transaction commits: once a batch has written this many rows it stops,
      // so the first e-mails do not wait for the hundredth incident's. Batches of events that
      // concern nobody (most of a busy log) stay whole, one transaction per hundred events.
      let written = 0;
      for (const [index, { event, internal }] of events.entries()) {
        if (written >= ROWS_PER_BATCH) return { handled: index };
        if (!mayConcern(event, rules)) continue;
        const incident = await incidentsRepository.findById(trx, tenantId, event.id);
        if (!incident) continue;
        const context: SelectionContext = { incident, rules, escalationTargets: await escalationTargets(trx, tenantId, event) };
        const selections = selectRecipients(event, context);
        if (selections.length === 0) continue;
        const resolve = await lookups.prepare(selections.map((selection) => selection.selector));
        const deliveries = expandDeliveries({ event, internal, incident, selections, resolve, available: deps.available, defaultLanguage: 'es' });
        if (deliveries.length === 0) continue;
        const facts = await messageFacts(trx, deps, incident, event);
        await writeDeliveries(trx, { tenantId, eventSeq: event.seq, incident, deliveries, facts, now, deliveryJob: deps.deliveryJob, enqueue: consumer.enqueue });
        written += deliveries.length;
      }
    },
  });
}

export interface WriteDeliveriesInput {
  tenantId: string;
  eventSeq: number;
  incident: Incident;
  deliveries: readonly Delivery[];
  facts: Omit<MessageFacts, 'kind'>;
  now: number;
  deliveryJob: JobDefinition<DeliveryPayload>;
  /** The consumer's enqueue (announced when its batch commits), or `enqueue` itself. */
  enqueue: ConsumerContext['enqueue'];
}

/**
 * Renders each delivery in its recipient's language and writes its outbox row with its
 * delivery job, in the caller's transaction. A row whose (tenant, event, kind, channel,
 * recipient) is already there is left alone: writing again (a batch read again, a job run
 * again) adds nothing. Returns how many rows were written.
 */
export async function writeDeliveries(trx: Db, input: WriteDeliveriesInput): Promise<number> {
  const { tenantId, incident, facts, now } = input;
  let written = 0;
  for (const delivery of input.deliveries) {
    const rendered = renderMessage({ ...facts, kind: delivery.kind }, delivery.language);
    const token = newId();
    const row: NotificationRow = {
      id: newId(),
      tenant_id: tenantId,
      event_seq: input.eventSeq,
      incident_id: incident.id,
      rule_id: delivery.ruleId,
      kind: delivery.kind,
      channel: delivery.channel,
      recipient_key: delivery.recipientKey,
      user_id: delivery.userId,
      to_address: delivery.to,
      language: delivery.language,
      critical: delivery.critical ? 1 : 0,
      subject: delivery.channel === 'inapp' ? rendered.summary : rendered.subject,
      body: delivery.channel === 'sms' ? smsText(rendered, facts.link) : delivery.channel === 'inapp' ? inAppBody(facts, rendered.summary) : rendered.text,
      html: delivery.channel === 'email' ? rendered.html : null,
      attributes: delivery.channel === 'sns' ? JSON.stringify({ urgency: incident.urgency, category: incident.category, incidentId: incident.id }) : null,
      status: 'pending',
      attempts: 0,
      max_attempts: DELIVERY_ATTEMPTS,
      delivery_token: token,
      next_attempt_at: now,
      last_error: null,
      skip_reason: null,
      provider_id: null,
      created_at: now,
      updated_at: now,
      sent_at: null,
      read_at: null,
    };
    if (await outboxRepository.insertOnce(trx, row)) {
      await input.enqueue(trx, { job: input.deliveryJob, payload: { id: row.id, token }, now, dedupeKey: deliveryKey(row.id, token), tenantId });
      written += 1;
    }
  }
  return written;
}

/** One delivery job per (row, token): a row handed to a new job gets a new token. */
export const deliveryKey = (rowId: string, token: string) => `${rowId}/${token}`;

/** Whom an escalation's level names, from the tenant's escalation policy (null: every authority). */
async function escalationTargets(trx: Db, tenantId: string, event: IncidentEvent): Promise<SelectionContext['escalationTargets']> {
  if (event.type !== 'IncidentEscalated') return null;
  const policy = await escalationPolicyRepository.get(trx, tenantId);
  return recipientsForLevel(policy, event.level ?? 1);
}

/** What every message about this event says (the kind is each delivery's own). */
export async function messageFacts(trx: Db, deps: Pick<NotifierDeps, 'linkBaseUrl' | 'timeZone'>, incident: Incident, event: IncidentEvent): Promise<Omit<MessageFacts, 'kind'>> {
  const department = incident.departmentId ? await departmentsRepository.findById(trx, incident.tenantId, incident.departmentId) : undefined;
  return {
    incident: {
      id: incident.id,
      title: incident.title,
      description: incident.description,
      category: incident.category,
      urgency: incident.urgency,
      status: incident.status,
      place: incident.locationText ?? incident.locationCode,
      departmentName: department?.name ?? null,
      createdAt: incident.createdAt,
    },
    event: {
      at: Date.parse(event.at),
      ...(event.type === 'IncidentStatusChanged' || event.type === 'IncidentEscalated' ? { status: event.status } : {}),
      ...(event.type === 'CommentAdded' ? { comment: event.text } : {}),
      ...(event.type === 'IncidentEscalated' ? { level: event.level ?? 1, reason: event.reason } : {}),
    },
    link: `${deps.linkBaseUrl}/incidents/${encodeURIComponent(incident.id)}`,
    timeZone: deps.timeZone,
  };
}

const inAppBody = (facts: Omit<MessageFacts, 'kind'>, summary: string) => (facts.incident.place ? `${summary} · ${facts.incident.place}` : summary);
