import { reports as api } from '../../api/endpoints.js';
import { ErrorNotice, Loading, PageTitle } from '../../components/ui.js';
import { useLoad } from '../../hooks.js';
import { useT } from '../../i18n/index.js';
import { Link } from '../../router.js';
import { ReportsTable, useReportLabel } from './ReportsTable.js';

/**
 * One report, where a notification's link lands (`/reports/:id`, e.g. a department's
 * incident report): what it is, its status and its downloads. Those who may not see it get
 * the server's 404 as the app's own message.
 */
export function ReportDetailPage({ reportId }: { reportId: string }) {
  const { t } = useT();
  const label = useReportLabel();
  const report = useLoad(() => api.get(reportId), [reportId]);
  return (
    <div className="stack">
      <p className="breadcrumb">
        <Link to="/reports">← {t('reports.title')}</Link>
      </p>
      <PageTitle>{report.data ? label(report.data) : t('reports.title')}</PageTitle>
      {report.error ? <ErrorNotice error={report.error} /> : report.data ? <ReportsTable items={[report.data]} /> : <Loading />}
    </div>
  );
}
