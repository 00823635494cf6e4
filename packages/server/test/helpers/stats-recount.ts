import type { Db } from '../../src/store/executor.js';

/** What an incident row holds that statistics look at (numbers as the drivers answer them). */
export interface CountedRow {
  tenant_id: string;
  status: string;
  category: string;
  urgency: string;
  department_id: string | null;
  reporter_id: string;
  created_at: number | string;
  acknowledged_at: number | string | null;
  resolved_at: number | string | null;
  sla_due_at: number | string;
}

/** Every incident of the tenant, straight from the table. */
export const incidentRows = (db: Db, tenantId: string): Promise<CountedRow[]> =>
  db
    .selectFrom('incidents')
    .select(['tenant_id', 'status', 'category', 'urgency', 'department_id', 'reporter_id', 'created_at', 'acknowledged_at', 'resolved_at', 'sla_due_at'])
    .where('tenant_id', '=', tenantId)
    .execute();

export interface RecountScope {
  departmentId?: string | null;
  reporterId?: string;
}

/**
 * GET /api/stats computed the slow, obvious way: every incident of the tenant, one by one,
 * by CONTRACT §3's definitions. Independent of the counters the server keeps.
 */
export function recountStats(rows: readonly CountedRow[], scope: RecountScope, period: { from?: number | null; to?: number | null }, now: number) {
  const seen = rows.filter((row) => {
    const created = Number(row.created_at);
    if (scope.departmentId !== undefined && (scope.departmentId === null || row.department_id !== scope.departmentId)) return false;
    if (scope.reporterId !== undefined && row.reporter_id !== scope.reporterId) return false;
    if (period.from !== undefined && period.from !== null && created < period.from) return false;
    if (period.to !== undefined && period.to !== null && created >= period.to) return false;
    return true;
  });
  const countBy = (key: (row: CountedRow) => string) => {
    const counts: Record<string, number> = {};
    for (const row of seen) counts[key(row)] = (counts[key(row)] ?? 0) + 1;
    return counts;
  };
  const mean = (values: number[]) => (values.length === 0 ? null : Math.round(values.reduce((a, b) => a + b, 0) / values.length) / 1000);
  const acknowledged = seen.filter((row) => row.acknowledged_at !== null);
  const resolved = seen.filter((row) => row.resolved_at !== null);
  return {
    byStatus: countBy((row) => row.status),
    byCategory: countBy((row) => row.category),
    byUrgency: countBy((row) => row.urgency),
    byDepartment: countBy((row) => row.department_id ?? 'unassigned'),
    mttaSeconds: mean(acknowledged.map((row) => Number(row.acknowledged_at) - Number(row.created_at))),
    mttrSeconds: mean(resolved.map((row) => Number(row.resolved_at) - Number(row.created_at))),
    slaBreaches: seen.filter((row) =>
      row.acknowledged_at === null ? Number(row.sla_due_at) < now : Number(row.acknowledged_at) > Number(row.sla_due_at),
    ).length,
  };
}

/** A small seeded PRNG (mulberry32): the same sequence on every run. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (below: number) => Math.floor(next() * below),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}
