import { reports as api } from '../../api/endpoints.js';
import type { Report } from '../../api/types.js';

export type ReportFormat = 'json' | 'csv';

/** The file name the blob store gives it: the key's last part (`reporte_2026-12-07_10-00.csv`). */
export const reportFileName = (report: Pick<Report, 'key'>, format: ReportFormat): string => {
  const name = report.key.split('/').at(-1) ?? 'report.json';
  return format === 'csv' ? name.replace(/\.json$/, '.csv') : name;
};

/**
 * Fetches the content with the session's token (a plain link could not send it) and hands
 * it to the browser as a download. The object URL lives a minute: long enough for the
 * browser to start writing the file.
 */
export async function downloadReport(report: Report, format: ReportFormat): Promise<void> {
  const blob = await api.content(report.id, format);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = reportFileName(report, format);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
