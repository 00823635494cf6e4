import type { Readable } from 'node:stream';
import { can, conflict, forbidden, notFound, validationError, type Actor } from '@alertautec/core';
import type { NewReport, ReportsQuery } from '@alertautec/core/schemas';
import { BlobNotFoundError } from '../blobs/blob-store.js';
import { periodOf } from '../http/period.js';
import { decodeCursor, isString, pageOf } from '../store/pagination.js';
import { createReportJobs, type ReportJobsDeps } from './jobs.js';
import { csvKeyOf } from './keys.js';
import { presentReport } from './presenter.js';
import { reportsRepository, type ReportRow } from './repository.js';

/** The service needs what its jobs need. */
export type ReportsDeps = ReportJobsDeps;

export type ReportsService = ReturnType<typeof createReportsService>;

/** The department whose reports alone this caller may see; null: every report of the tenant. */
function reach(actor: Actor): { all: true } | { all: false; departmentId: string } {
  if (can(actor, 'reports:all')) return { all: true };
  if (can(actor, 'reports:department') && actor.kind === 'user' && actor.departmentId) return { all: false, departmentId: actor.departmentId };
  throw forbidden('Your role does not see reports.');
}

const mayRead = (actor: Actor, row: ReportRow) => {
  const scope = reach(actor);
  return scope.all || (row.kind !== 'global' && row.department_id === scope.departmentId);
};

/**
 * Reports as people ask for them (docs/reports.md): admins and authorities see and create every
 * report of their tenant; staff those of their own department; students none (403). A report
 * the caller may not see answers 404.
 */
export function createReportsService(deps: ReportsDeps) {
  const { db, write, clock, blobs, wake } = deps;
  const jobs = createReportJobs(deps);
  async function visible(actor: Actor, id: string): Promise<ReportRow> {
    const row = await reportsRepository.find(db, actor.tenantId, id);
    if (!row || !mayRead(actor, row)) throw notFound('Report');
    return row;
  }

  return {
    /** `report.global` (scheduled) and `report.generate`, for the worker runtime. */
    jobs: jobs.jobs,

    async create(actor: Actor, input: NewReport) {
      const scope = reach(actor);
      let departmentId: string | null = null;
      if (input.kind === 'global') {
        if (!scope.all) throw forbidden('Only admins and authorities create global reports.');
      } else {
        if (!input.departmentId) throw validationError('A department report names its department.', [{ path: '/departmentId', message: 'is required for kind department' }]);
        if (!scope.all && input.departmentId !== scope.departmentId) throw forbidden('Staff create reports of their own department only.');
        const department = await db.selectFrom('departments').select('id').where('tenant_id', '=', actor.tenantId).where('id', '=', input.departmentId).executeTakeFirst();
        if (!department) throw notFound('Department');
        departmentId = department.id;
      }
      const { from, to } = periodOf(input);
      const now = clock.now();
      const created = await write((trx) =>
        jobs.createRow(trx, { tenantId: actor.tenantId, kind: input.kind, departmentId, from, to, createdBy: actor.kind === 'user' ? actor.userId : null, at: now, now }),
      );
      wake();
      return { id: created!.row.id, status: 'queued' as const, jobId: created!.job.id };
    },

    async list(actor: Actor, query: ReportsQuery) {
      const scope = reach(actor);
      const limit = query.limit ?? 50;
      // Staff: their department's reports only; asking for another department or the global ones finds nothing.
      if (!scope.all && (query.kind === 'global' || (query.departmentId !== undefined && query.departmentId !== scope.departmentId))) {
        return { items: [], nextCursor: null };
      }
      const rows = await reportsRepository.list(db, actor.tenantId, {
        kind: query.kind,
        departmentId: scope.all ? query.departmentId : scope.departmentId,
        incidentId: query.incidentId,
        beforeId: decodeCursor(query.cursor, isString),
        limit,
      });
      return pageOf(rows, limit, presentReport, (row) => row.id);
    },

    get: async (actor: Actor, id: string) => presentReport(await visible(actor, id)),

    /** The stored content, streamed from the blob store: JSON, or the CSV beside it. */
    async content(actor: Actor, id: string, format: 'json' | 'csv'): Promise<{ stream: Readable; contentType: string; filename: string }> {
      const row = await visible(actor, id);
      if (row.status !== 'succeeded') throw conflict(`The report is ${row.status}; its content is there once it has succeeded.`, 'report_not_ready');
      const key = format === 'csv' ? csvKeyOf(row.key) : row.key;
      try {
        const stream = await blobs.read(key);
        return { stream, contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8', filename: key.split('/').at(-1)! };
      } catch (error) {
        if (error instanceof BlobNotFoundError) throw notFound('Report content');
        throw error;
      }
    },
  };
}
