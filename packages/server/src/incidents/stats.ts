import type { IncidentScope } from '@alertautec/core';
import type { Stats } from '@alertautec/core/schemas';
import type { Period } from '../http/period.js';
import type { Db } from '../store/executor.js';
import { planPeriod } from './stats-period.js';
import { STATUS_COLUMNS, URGENCY_COLUMNS, addCounters, incidentStatsRollup, zeroCounters, type CountersRow, type IncidentsFilter } from './stats-rollup.js';

const seconds = (totalMs: number, count: number) => (count === 0 ? null : Math.round(totalMs / count) / 1000);

/** Adds `amount` under `key`, keeping only keys that count something. */
function tally(into: Record<string, number>, key: string, amount: number) {
  if (amount !== 0) into[key] = (into[key] ?? 0) + amount;
}

function present(rows: readonly CountersRow[], waitingNotYetDue: number): Stats {
  const total = zeroCounters();
  const byCategory: Record<string, number> = {};
  const byDepartment: Record<string, number> = {};
  for (const row of rows) {
    addCounters(total, row);
    tally(byCategory, row.category, row.incidents);
    tally(byDepartment, row.department_id === '' ? 'unassigned' : row.department_id, row.incidents);
  }
  const byStatus: Record<string, number> = {};
  for (const [status, column] of STATUS_COLUMNS) tally(byStatus, status, total[column]);
  const byUrgency: Record<string, number> = {};
  for (const [urgency, column] of URGENCY_COLUMNS) tally(byUrgency, urgency, total[column]);
  return {
    byStatus,
    byCategory,
    byUrgency,
    byDepartment,
    mttaSeconds: seconds(total.acknowledge_ms, total.acknowledged),
    mttrSeconds: seconds(total.resolve_ms, total.resolved),
    // Breached: acknowledged after the due time, or still waiting with the due time past.
    slaBreaches: total.late_acknowledged + total.unacknowledged - waitingNotYetDue,
  };
}

/**
 * GET /api/stats over what `scope` sees, for incidents created in `period`, as of `now`
 * (docs/incidents.md "Statistics"). Tenants and departments read the counters the
 * writes keep (a bounded number of buckets whatever the history) plus the incidents of the
 * partial days at the period's ends; a student's own reports are counted directly (index on
 * reporter). Exact: equal to counting every incident.
 */
export async function incidentStats(db: Db, scope: IncidentScope, period: Period, now: number): Promise<Stats> {
  // Staff without a department see nothing rather than everything unassigned.
  if (scope.kind === 'department' && scope.departmentId === null) return present([], 0);
  const filter: IncidentsFilter = {
    tenantId: scope.tenantId,
    departmentId: scope.kind === 'department' ? scope.departmentId! : undefined,
    reporterId: scope.kind === 'reporter' ? scope.reporterId : undefined,
  };
  const inPeriod = { ...filter, from: period.from, to: period.to };
  const counted =
    scope.kind === 'reporter'
      ? [incidentStatsRollup.countIncidents(db, inPeriod)]
      : planPeriod(period).map((piece) =>
          piece.kind === 'incidents'
            ? incidentStatsRollup.countIncidents(db, { ...filter, from: piece.from, to: piece.to })
            : incidentStatsRollup.sumBuckets(db, scope.tenantId, filter.departmentId, piece.spanDays, piece.from, piece.to),
        );
  const [waiting, ...parts] = await Promise.all([incidentStatsRollup.waitingNotYetDue(db, inPeriod, now), ...counted]);
  return present(parts.flat(), waiting as number);
}
