import { expandDeliveries, type IncidentEvent, type NotificationChannel, type RecipientSelector, type Selection } from '@alertautec/core';
import { newId, type Clock } from '../adapters.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { departmentsRepository } from '../catalog/repository.js';
import { eventLog } from '../events/log.js';
import { incidentsRepository } from '../incidents/repository.js';
import type { DeliveryPayload } from '../notifications/delivery.js';
import { messageFacts, writeDeliveries } from '../notifications/notifier.js';
import { recipientLookups } from '../notifications/recipients.js';
import { rulesRepository } from '../notifications/rules-repository.js';
import type { Db } from '../store/executor.js';
import type { Write } from '../store/group-commit.js';
import { defineConsumer, defineJob, enqueue, PermanentJobError, type JobDefinition } from '../workers/index.js';
import { incidentReportContent } from './incident-content.js';
import { incidentReportKey } from './keys.js';
import { afterFailedAttempt, failUnfinished } from './report-status.js';
import { reportsRepository } from './repository.js';

/**
 * Department incident reports, driven by the log (what the original design's
 * `procesar_asignaciones_departamentos` task and `notifyDepartmentIncident` Lambda did over a
 * two-hour window). The `reports.incidents` consumer sees each routing of an incident to a
 * department — its creation with a department, or a DepartmentAssigned — and, in the
 * transaction that moves its cursor, queues the department's report row and one
 * `report.incident` job per event (dedupe key: tenant and seq). The job writes the report
 * through the blob store, checks that the object is there, and in one transaction marks the
 * report succeeded and writes the department's outbox rows (kind `department_report`, keyed by
 * the event's seq), which link to the report. A job run again (its worker died after that
 * commit) finds the rows there and adds none: one report and one message per recipient and
 * channel per assignment, whatever stops in between. See docs/reports.md.
 */
export const INCIDENT_REPORTS_CONSUMER = 'reports.incidents';
export const INCIDENT_REPORT_JOB = 'report.incident';

export interface IncidentReportPayload {
  tenantId: string;
  incidentId: string;
  departmentId: string;
  /** The routing event's seq: the outbox rows' event_seq. */
  seq: number;
}

export interface IncidentReportsDeps {
  db: Db;
  write: Write;
  clock: Clock;
  blobs: BlobStore;
  timeZone: string;
  /** PUBLIC_URL: links go to `${linkBaseUrl}/reports/{reportId}`. */
  linkBaseUrl: string;
  /** The notification channels this deployment has. */
  available: ReadonlySet<NotificationChannel>;
  deliveryJob: JobDefinition<DeliveryPayload>;
  /** Wakes the job runners once delivery jobs are committed. */
  wake(): void;
}

/** The web app's page of one report. */
export const reportLink = (linkBaseUrl: string, reportId: string) => `${linkBaseUrl}/reports/${encodeURIComponent(reportId)}`;

/** The department an event routes its incident to, if it does. */
function routedTo(event: IncidentEvent): string | null {
  if (event.type === 'IncidentCreated' || event.type === 'DepartmentAssigned') return event.departmentId;
  return null;
}

export function createIncidentReports(deps: IncidentReportsDeps) {
  const { db, write, clock, blobs, timeZone, wake } = deps;

  const setStatus = (id: string, changes: Parameters<typeof reportsRepository.update>[2]) => write((trx) => reportsRepository.update(trx, id, changes));
  const keyOf = (payload: IncidentReportPayload) => incidentReportKey(payload);

  /** The department's people on the channels of the `department_assigned` rule, as the notifier finds them. */
  async function notifyDepartment(trx: Db, payload: IncidentReportPayload, reportId: string, now: number): Promise<number> {
    const { tenantId } = payload;
    const rules = await rulesRepository.states(trx, tenantId, now);
    const rule = rules.find((candidate) => candidate.id === 'department_assigned');
    if (!rule?.enabled || rule.channels.length === 0) return 0;
    const incident = await incidentsRepository.findById(trx, tenantId, payload.incidentId);
    const event = (await eventLog.forIncident(trx, tenantId, payload.incidentId)).find((logged) => logged.event.seq === payload.seq)?.event;
    if (!incident || !event) return 0;
    const selectors: RecipientSelector[] = [
      { group: 'department_contact', departmentId: payload.departmentId },
      { group: 'department_staff', departmentId: payload.departmentId },
    ];
    const selections: Selection[] = selectors.map((selector) => ({ ruleId: 'department_assigned', kind: 'department_report', selector, channels: rule.channels }));
    const resolve = await recipientLookups(trx, tenantId).prepare(selectors);
    const deliveries = expandDeliveries({ event, internal: false, incident, selections, resolve, available: deps.available, defaultLanguage: 'es' });
    if (deliveries.length === 0) return 0;
    // The message names the department the report is for, even if the incident moved on since.
    const facts = await messageFacts(trx, deps, { ...incident, departmentId: payload.departmentId }, event);
    return writeDeliveries(trx, {
      tenantId,
      eventSeq: payload.seq,
      incident,
      deliveries,
      facts: { ...facts, link: reportLink(deps.linkBaseUrl, reportId) },
      now,
      deliveryJob: deps.deliveryJob,
      enqueue,
    });
  }

  const job = defineJob<IncidentReportPayload>({
    kind: INCIDENT_REPORT_JOB,
    maxAttempts: 5,
    backoff: { baseMs: 5_000, maxMs: 10 * 60_000 },
    async handler(payload, context) {
      const key = keyOf(payload);
      const row = await reportsRepository.findByKey(db, payload.tenantId, key);
      if (!row) throw new PermanentJobError(`No report row for ${key}`);
      await setStatus(row.id, { status: 'running', started_at: clock.now(), error: null });
      try {
        const incident = await incidentsRepository.findById(db, payload.tenantId, payload.incidentId);
        if (!incident) throw new PermanentJobError(`No incident ${payload.incidentId}`);
        const [events, department] = await Promise.all([
          eventLog.forIncident(db, payload.tenantId, payload.incidentId),
          departmentsRepository.findById(db, payload.tenantId, payload.departmentId),
        ]);
        const content = incidentReportContent({
          reportId: row.id,
          departmentId: payload.departmentId,
          departmentName: department?.name ?? null,
          incident,
          events,
          seq: payload.seq,
          now: clock.now(),
          timeZone,
        });
        await blobs.put(key, JSON.stringify(content, null, 2), { contentType: 'application/json' });
        // What the original design's Lambda did before notifying: the object must be there.
        const stored = await blobs.stat(key);
        if (!stored || stored.size === 0) throw new Error(`The report is not in the blob store after writing it (${key})`);
        const written = await write(async (trx) => {
          await reportsRepository.update(trx, row.id, { status: 'succeeded', finished_at: clock.now(), error: null });
          return notifyDepartment(trx, payload, row.id, clock.now());
        });
        if (written > 0) wake();
      } catch (error) {
        await setStatus(row.id, afterFailedAttempt(error, context, clock.now())).catch(() => undefined);
        throw error;
      }
    },
    async onDead(trx, payload, error) {
      await failUnfinished(trx, await reportsRepository.findByKey(trx, payload.tenantId, keyOf(payload)), error, clock.now());
    },
  });

  const consumer = defineConsumer({
    name: INCIDENT_REPORTS_CONSUMER,
    eventTypes: ['IncidentCreated', 'DepartmentAssigned'],
    async handler(trx, events, context) {
      const { tenantId } = context;
      const now = clock.now();
      for (const { event } of events) {
        const departmentId = routedTo(event);
        if (!departmentId) continue;
        const payload: IncidentReportPayload = { tenantId, incidentId: event.id, departmentId, seq: event.seq };
        const queued = await context.enqueue(trx, { job, payload, now, tenantId, dedupeKey: `${tenantId}@${event.seq}` });
        if (!queued.created) continue; // this batch was read before
        await reportsRepository.upsertIncidentReport(trx, {
          id: newId(),
          tenant_id: tenantId,
          kind: 'incident',
          status: 'queued',
          department_id: departmentId,
          incident_id: event.id,
          period_from: null,
          period_to: null,
          key: keyOf(payload),
          created_at: now,
          started_at: null,
          finished_at: null,
          // Who assigned it; never the reporter (an anonymous one stays anonymous).
          created_by: event.type === 'DepartmentAssigned' ? event.actorId : null,
          error: null,
          job_id: queued.id,
        });
      }
    },
  });

  return { consumer, job };
}

export type IncidentReports = ReturnType<typeof createIncidentReports>;
