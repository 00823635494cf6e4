import { toIso, toIsoOrNull } from '@alertautec/core';
import type { Report } from '@alertautec/core/schemas';
import type { ReportRow } from './repository.js';

export const presentReport = (row: ReportRow): Report => ({
  id: row.id,
  kind: row.kind as Report['kind'],
  status: row.status as Report['status'],
  createdAt: toIso(Number(row.created_at)),
  finishedAt: toIsoOrNull(row.finished_at === null ? null : Number(row.finished_at)),
  ...(row.department_id !== null ? { departmentId: row.department_id } : {}),
  ...(row.incident_id !== null ? { incidentId: row.incident_id } : {}),
  ...(row.period_from !== null ? { from: toIso(Number(row.period_from)) } : {}),
  ...(row.period_to !== null ? { to: toIso(Number(row.period_to)) } : {}),
  key: row.key,
  ...(row.error !== null ? { error: row.error } : {}),
});
