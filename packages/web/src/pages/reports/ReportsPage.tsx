import { useState } from 'react';
import { announce } from '../../announcer.js';
import { reports as api } from '../../api/endpoints.js';
import type { NewReport, Report } from '../../api/types.js';
import { PageTitle, PagedItems } from '../../components/ui.js';
import { useSession } from '../../hooks.js';
import { useT } from '../../i18n/index.js';
import { Link } from '../../router.js';
import { useCursorList } from '../admin/useCursorList.js';
import { reportReach, type ReportReach } from './report-access.js';
import { ReportsTable, useReportLabel } from './ReportsTable.js';
import { RunReportForm } from './RunReportForm.js';
import { FINISHED, useFollowReports } from './useFollowReports.js';

/** Students (and staff without a department) may not use reports: say so plainly. */
function NotAllowed() {
  const { t } = useT();
  return (
    <div className="stack narrow">
      <PageTitle>{t('reports.notAllowedTitle')}</PageTitle>
      <p className="notice notice-error">{t('reports.notAllowed')}</p>
      <p>
        <Link to="/">{t('reports.backHome')}</Link>
      </p>
    </div>
  );
}

/** The sentence about the report this person just asked for, as it moves on. */
function useProgressText(): (report: Pick<Report, 'kind' | 'departmentId' | 'status' | 'error'>) => string {
  const { t } = useT();
  const label = useReportLabel();
  return (report) => {
    const name = label(report);
    if (report.status === 'failed') return t('reports.progress.failed', { name, error: report.error ?? '' });
    return t(`reports.progress.${report.status}`, { name });
  };
}

function Reports({ reach }: { reach: Exclude<ReportReach, { kind: 'none' }> }) {
  const { t } = useT();
  const list = useCursorList((cursor) => api.list(cursor), []);
  const progressText = useProgressText();
  const [startedId, setStartedId] = useState<string | null>(null);
  const replace = (report: Report) => list.update((item) => item.id === report.id, () => report);

  useFollowReports(list.items, replace, (_before, after) => announce(progressText(after)));

  // The list comes again with the new report on top; polling follows it from there.
  const created = async (id: string, request: NewReport) => {
    setStartedId(id);
    list.reload();
    announce(progressText({ kind: request.kind, departmentId: request.departmentId, status: 'queued' }));
  };
  const started = startedId ? list.items?.find((item) => item.id === startedId) : undefined;

  return (
    <div className="stack">
      <PageTitle>{t('reports.title')}</PageTitle>
      <p className="muted">{t(reach.kind === 'all' ? 'reports.leadAll' : 'reports.leadDepartment')}</p>
      <RunReportForm reach={reach} onCreated={created} />
      {started && (
        <p className={`notice ${started.status === 'failed' ? 'notice-error' : started.status === 'succeeded' ? 'notice-success' : 'notice-warning'}`} data-testid="report-progress">
          {progressText(started)}
        </p>
      )}
      <section className="stack-sm" aria-labelledby="reports-list-title">
        <div className="admin-item">
          <h2 id="reports-list-title">{t('reports.listTitle')}</h2>
          <button type="button" onClick={list.reload}>
            {t('admin.refresh')}
          </button>
        </div>
        <PagedItems list={list} empty={t('reports.empty')}>
          {(items) => <ReportsTable items={items} />}
        </PagedItems>
        {list.items?.some((item) => !FINISHED.has(item.status)) && <p className="hint">{t('reports.liveHint')}</p>}
      </section>
    </div>
  );
}

/** Reports: the list the person may see, a run on demand, live status, downloads. */
export function ReportsPage() {
  const session = useSession();
  if (!session) return null; // the app shows the sign-in page instead
  const reach = reportReach(session.user);
  return reach.kind === 'none' ? <NotAllowed /> : <Reports reach={reach} />;
}
