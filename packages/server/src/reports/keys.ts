import { blobKey, keySegment } from '../blobs/keys.js';
import { DEFAULT_TENANT_ID } from '../tenants/bootstrap.js';
import { campusStamp } from './campus-time.js';

/**
 * Where a report's blobs go: the original design's names, `reports/global/reporte_YYYY-MM-DD_HH-MM.json`
 * and `reports/departments/{departmentId}/reporte_…json` (campus time of the run), the CSV beside
 * it. Other tenants than the default one live under `tenants/{tenantId}/` so that tenants never
 * share (or overwrite) a key. `attempt` > 1 adds `_2`, `_3`… when the minute's name is taken.
 */
export function reportKey(input: { tenantId: string; kind: 'global' | 'department'; departmentId?: string | null; at: number; timeZone: string; attempt?: number }): string {
  const stamp = campusStamp(input.at, input.timeZone);
  const suffix = input.attempt && input.attempt > 1 ? `_${input.attempt}` : '';
  const tenant = input.tenantId === DEFAULT_TENANT_ID ? [] : ['tenants', keySegment(input.tenantId)];
  const folder = input.kind === 'global' ? ['reports', 'global'] : ['reports', 'departments', keySegment(input.departmentId!)];
  return blobKey(...tenant, ...folder, `reporte_${stamp}${suffix}.json`);
}

/**
 * A department incident report's key: `reports/incidents/{departmentId}/incident_{id}.json`
 * (the original design's `reportes/incidentes/{departamento}/incidente_{id}.json`), one per
 * (department, incident): a second assignment to the same department rewrites it.
 */
export function incidentReportKey(input: { tenantId: string; departmentId: string; incidentId: string }): string {
  const tenant = input.tenantId === DEFAULT_TENANT_ID ? [] : ['tenants', keySegment(input.tenantId)];
  return blobKey(...tenant, 'reports', 'incidents', keySegment(input.departmentId), `incident_${keySegment(input.incidentId)}.json`);
}

/** The CSV's key, beside the JSON. */
export const csvKeyOf = (jsonKey: string) => jsonKey.replace(/\.json$/, '.csv');
