import { Readable } from 'node:stream';
import type { Clock } from '../adapters.js';
import { newId } from '../adapters.js';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Db } from '../store/executor.js';
import type { Write } from '../store/group-commit.js';
import { defineJob, enqueue, PermanentJobError, type Enqueued, type ScheduledPayload } from '../workers/index.js';
import { computeReport, CONTENT_STEPS, reportCsvRows } from './content.js';
import { csvLines } from './csv.js';
import { csvKeyOf, reportKey } from './keys.js';
import { afterFailedAttempt, failUnfinished } from './report-status.js';
import { reportsRepository, type ReportRow } from './repository.js';

/**
 * Two job kinds: `report.generate` writes one report row's blobs (one job per row, enqueued
 * in the row's transaction), and `report.global` (scheduled, REPORT_GLOBAL_SCHEDULE) creates a
 * global report row and its job for every tenant. See docs/reports.md.
 */
export interface ReportJobsDeps {
  db: Db;
  write: Write;
  clock: Clock;
  blobs: BlobStore;
  /** The campus time zone: report names and days. */
  timeZone: string;
  /** Wakes the job runners once new report jobs are committed (else they wait for their poll). */
  wake(): void;
}

export interface GeneratePayload {
  reportId: string;
}

/** Names tried for a report created in a minute whose name is taken (`_2` … `_20`), then its id. */
const KEY_ATTEMPTS = 20;

export interface NewReportRow {
  tenantId: string;
  kind: 'global' | 'department';
  departmentId: string | null;
  from: number | null;
  to: number | null;
  createdBy: string | null;
  /** The time in its name: the scheduled run time, or now. */
  at: number;
  now: number;
  /** One job (and so one row) per key, ever: a scheduled run's key. */
  dedupeKey?: string;
}

export function createReportJobs(deps: ReportJobsDeps) {
  const { db, write, clock, blobs, timeZone, wake } = deps;

  const setStatus = (id: string, changes: Parameters<typeof reportsRepository.update>[2]) => write((trx) => reportsRepository.update(trx, id, changes));

  const generate = defineJob<GeneratePayload>({
    kind: 'report.generate',
    maxAttempts: 5,
    backoff: { baseMs: 5_000, maxMs: 10 * 60_000 },
    async handler(payload, context) {
      const row = await reportsRepository.findById(db, payload.reportId);
      if (!row) throw new PermanentJobError(`No report ${payload.reportId}`);
      await setStatus(row.id, { status: 'running', started_at: clock.now(), error: null });
      try {
        const content = await computeReport(db, {
          id: row.id,
          kind: row.kind,
          scope: { tenantId: row.tenant_id, departmentId: row.department_id, from: row.period_from, to: row.period_to },
          now: clock.now(),
          timeZone,
          step: (done, total) => context.progress(done, total + 2),
        });
        // Same keys on every attempt: a retry overwrites in place.
        await blobs.put(row.key, JSON.stringify(content, null, 2), { contentType: 'application/json' });
        await context.progress(CONTENT_STEPS + 1, CONTENT_STEPS + 2);
        await blobs.put(csvKeyOf(row.key), Readable.from(csvLines(reportCsvRows(content))), { contentType: 'text/csv; charset=utf-8' });
        await context.progress(CONTENT_STEPS + 2, CONTENT_STEPS + 2);
        await setStatus(row.id, { status: 'succeeded', finished_at: clock.now(), error: null });
      } catch (error) {
        await setStatus(row.id, afterFailedAttempt(error, context, clock.now())).catch(() => undefined);
        throw error;
      }
    },
    async onDead(trx, payload, error) {
      await failUnfinished(trx, await reportsRepository.findById(trx, payload.reportId), error, clock.now());
    },
  });

  /**
   * Inserts a report row and its job in the caller's transaction. With a dedupe key, a second
   * call (another process, a retry) finds the job and writes nothing: null then.
   */
  async function createRow(trx: Db, input: NewReportRow): Promise<{ row: ReportRow; job: Enqueued } | null> {
    const id = newId();
    const job = await enqueue(trx, { job: generate, payload: { reportId: id }, now: input.now, tenantId: input.tenantId, dedupeKey: input.dedupeKey });
    if (!job.created) return null;
    for (let attempt = 1; attempt <= KEY_ATTEMPTS + 1; attempt++) {
      const key =
        attempt <= KEY_ATTEMPTS
          ? reportKey({ tenantId: input.tenantId, kind: input.kind, departmentId: input.departmentId, at: input.at, timeZone, attempt })
          : reportKey({ tenantId: input.tenantId, kind: input.kind, departmentId: input.departmentId, at: input.at, timeZone }).replace(/\.json$/, `_${id}.json`);
      const row: ReportRow = {
        id,
        tenant_id: input.tenantId,
        kind: input.kind,
        status: 'queued',
        department_id: input.departmentId,
        incident_id: null,
        period_from: input.from,
        period_to: input.to,
        key,
        created_at: input.now,
        started_at: null,
        finished_at: null,
        created_by: input.createdBy,
        error: null,
        job_id: job.id,
      };
      if (await reportsRepository.insert(trx, row)) return { row, job };
    }
    throw new Error('No free report key');
  }

  const scheduledGlobal = defineJob<ScheduledPayload>({
    kind: 'report.global',
    cron: '0 * * * *',
    maxAttempts: 3,
    async handler({ scheduledAt }) {
      const tenants = await db.selectFrom('tenants').select('id').execute();
      for (const tenant of tenants) {
        await write((trx) =>
          createRow(trx, {
            tenantId: tenant.id,
            kind: 'global',
            departmentId: null,
            from: null,
            to: null,
            createdBy: null,
            at: scheduledAt,
            now: clock.now(),
            dedupeKey: `global:${tenant.id}@${scheduledAt}`,
          }),
        );
      }
      wake();
    },
  });

  return { generate, scheduledGlobal, createRow, jobs: [scheduledGlobal, generate] };
}
