import { OPEN_STATUSES, STATUSES, URGENCIES } from '@alertautec/core';
import { useEffect, useRef } from 'react';
import { CriticalAlerts } from '../../alerts/CriticalAlerts.js';
import { incidents as api } from '../../api/endpoints.js';
import { ErrorNotice, formatDuration, Loading, PageTitle, StatusBadge, UrgencyBadge } from '../../components/ui.js';
import { departmentName, useCatalog } from '../../catalog.js';
import { useLoad } from '../../hooks.js';
import { useT } from '../../i18n/index.js';
import { subscribe } from '../../live.js';
import { Link } from '../../router.js';
import { BarChart, type Bar } from './BarChart.js';

/** Counts, response times and what is past its SLA, over what the user may see. */
export function DashboardPage() {
  const { t, tOr, number, relative } = useT();
  const campus = useCatalog();
  const data = useLoad(async () => {
    const [stats, open] = await Promise.all([api.stats(), api.list({ status: [...OPEN_STATUSES] }, null, 200)]);
    const now = Date.now();
    const overdue = open.items.filter((incident) => !incident.acknowledgedAt && new Date(incident.slaDueAt).getTime() < now);
    return { stats, overdue };
  }, []);

  // Live: recount a moment after changes arrive (batched, not per event).
  const { reload } = data;
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => {
    const later = () => {
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(reload, 1_500);
    };
    const stop = subscribe({}, { onEvent: later, onResync: later });
    return () => {
      stop();
      window.clearTimeout(timer.current);
    };
  }, [reload]);

  if (data.error) return <ErrorNotice error={data.error} />;
  if (!data.data) return <Loading />;
  const { stats, overdue } = data.data;

  const total = Object.values(stats.byStatus).reduce((sum, value) => sum + value, 0);
  const open = OPEN_STATUSES.reduce((sum, status) => sum + (stats.byStatus[status] ?? 0), 0);
  const byStatus: Bar[] = STATUSES.map((status) => ({ key: status, label: t(`status.${status}`), value: stats.byStatus[status] ?? 0, tone: `tone-${status}` }));
  const byUrgency: Bar[] = URGENCIES.map((urgency) => ({ key: urgency, label: t(`urgency.${urgency}`), value: stats.byUrgency[urgency] ?? 0, tone: `tone-${urgency}` }));
  const byCategory: Bar[] = Object.entries(stats.byCategory)
    .map(([code, value]) => ({ key: code, label: tOr(`category.${code}`, campus?.categories.find((category) => category.code === code)?.name ?? code), value }))
    .sort((a, b) => b.value - a.value);
  const byDepartment: Bar[] = Object.entries(stats.byDepartment)
    .map(([id, value]) => ({ key: id, label: departmentName(campus, id === 'null' || id === '' ? null : id), value }))
    .sort((a, b) => b.value - a.value);

  return (
    <div className="stack">
      <PageTitle>{t('dashboard.title')}</PageTitle>
      <CriticalAlerts />
      <ul className="tiles" aria-label={t('dashboard.summary')}>
        <li className="tile card">
          <span className="tile-label">{t('dashboard.total')}</span>
          <span className="tile-value">{number(total)}</span>
        </li>
        <li className="tile card">
          <span className="tile-label">{t('dashboard.open')}</span>
          <span className="tile-value">{number(open)}</span>
        </li>
        <li className="tile card">
          <span className="tile-label">
            <abbr title={t('dashboard.mttaLong')}>MTTA</abbr>
          </span>
          <span className="tile-value">{formatDuration(stats.mttaSeconds, t)}</span>
        </li>
        <li className="tile card">
          <span className="tile-label">
            <abbr title={t('dashboard.mttrLong')}>MTTR</abbr>
          </span>
          <span className="tile-value">{formatDuration(stats.mttrSeconds, t)}</span>
        </li>
        <li className={`tile card${stats.slaBreaches > 0 ? ' tile-alert' : ''}`}>
          <span className="tile-label">{t('dashboard.slaBreaches')}</span>
          <span className="tile-value">{number(stats.slaBreaches)}</span>
        </li>
      </ul>
      <div className="chart-grid">
        <BarChart title={t('dashboard.byStatus')} bars={byStatus} />
        <BarChart title={t('dashboard.byUrgency')} bars={byUrgency} />
        <BarChart title={t('dashboard.byCategory')} bars={byCategory} />
        <BarChart title={t('dashboard.byDepartment')} bars={byDepartment} />
      </div>
      <section className="card" aria-labelledby="overdue-title">
        <h2 id="overdue-title">{t('dashboard.overdue')}</h2>
        {overdue.length === 0 ? (
          <p className="muted">{t('dashboard.overdueNone')}</p>
        ) : (
          <ul className="overdue-list">
            {overdue.map((incident) => (
              <li key={incident.id}>
                <Link to={`/incidents/${incident.id}`}>{incident.title}</Link>
                <span className="row-meta">
                  <StatusBadge status={incident.status} />
                  <UrgencyBadge urgency={incident.urgency} />
                  <span>{departmentName(campus, incident.departmentId)}</span>
                  <span>{t('dashboard.dueSince', { when: relative(incident.slaDueAt) })}</span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
