import type { Report, ReportStatus } from '../../api/types.js';
import { departmentName, useCatalog } from '../../catalog.js';
import { ErrorNotice } from '../../components/ui.js';
import { useAction } from '../../hooks.js';
import { useT } from '../../i18n/index.js';
import { Link } from '../../router.js';
import { downloadReport, type ReportFormat } from './download.js';

export function ReportStatusBadge({ status }: { status: ReportStatus }) {
  const { t } = useT();
  // The job-state colours: a report's states are a job's (queued, running, succeeded, failed).
  return <span className={`badge job-${status}`}>{t(`reports.status.${status}`)}</span>;
}

/** "Global", "Department: Maintenance", "Incident" — the kind in words. */
export function useReportLabel(): (report: Pick<Report, 'kind' | 'departmentId'>) => string {
  const { t } = useT();
  const campus = useCatalog();
  return (report) => {
    if (report.kind === 'global') return t('reports.kind.global');
    const department = departmentName(campus, report.departmentId ?? null);
    return t(report.kind === 'department' ? 'reports.kind.departmentNamed' : 'reports.kind.incidentNamed', { department });
  };
}

/** The period in words: from, to (exclusive), both, or all of the history. */
export function usePeriodText(): (report: Pick<Report, 'from' | 'to'>) => string {
  const { t, date } = useT();
  return ({ from, to }) => {
    if (from && to) return t('reports.period.between', { from: date(from), to: date(to) });
    if (from) return t('reports.period.since', { from: date(from) });
    if (to) return t('reports.period.until', { to: date(to) });
    return t('reports.period.all');
  };
}

/** The reports the person may see, newest first, with their state and downloads. */
export function ReportsTable({ items }: { items: Report[] }) {
  const { t, date } = useT();
  const label = useReportLabel();
  const period = usePeriodText();
  const download = useAction((report: Report, format: ReportFormat) => downloadReport(report, format));

  return (
    <>
      <ErrorNotice error={download.error} />
      <div className="table-wrap">
        <table className="admin-table reports-table">
          <caption className="visually-hidden">{t('reports.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.kind')}</th>
              <th scope="col">{t('reports.period')}</th>
              <th scope="col">{t('reports.status')}</th>
              <th scope="col">{t('reports.createdAt')}</th>
              <th scope="col">{t('reports.download')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((report) => {
              const name = `${label(report)} · ${date(report.createdAt)}`;
              return (
                <tr key={report.id} data-report-id={report.id} data-status={report.status}>
                  <th scope="row" data-label={t('reports.kind')}>
                    {label(report)}
                    {report.incidentId && (
                      <>
                        {' '}
                        <Link to={`/incidents/${report.incidentId}`}>{t('reports.openIncident')}</Link>
                      </>
                    )}
                  </th>
                  <td data-label={t('reports.period')}>{period(report)}</td>
                  <td data-label={t('reports.status')}>
                    <ReportStatusBadge status={report.status} />
                    {report.error && (
                      <p className="hint break-anywhere">{t(report.status === 'failed' ? 'reports.failedBecause' : 'reports.retrying', { error: report.error })}</p>
                    )}
                  </td>
                  <td data-label={t('reports.createdAt')}>
                    {date(report.createdAt)}
                    {report.finishedAt && <p className="hint">{t('reports.finishedAt', { at: date(report.finishedAt) })}</p>}
                  </td>
                  <td data-label={t('reports.download')}>
                    {report.status === 'succeeded' ? (
                      <div className="report-downloads">
                        {(['json', 'csv'] as const).map((format) => (
                          <button
                            key={format}
                            type="button"
                            disabled={download.busy}
                            onClick={() => void download.run(report, format)}
                            aria-label={t('reports.downloadNamed', { format: format.toUpperCase(), name })}
                          >
                            {format.toUpperCase()}
                          </button>
                        ))}
                      </div>
                    ) : (
                      <span className="muted">{t('reports.notReady')}</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
