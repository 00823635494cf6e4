import { OPEN_STATUSES, URGENCIES } from '@alertautec/core';
import { useEffect, useMemo, useState } from 'react';
import { CriticalAlerts } from '../../alerts/CriticalAlerts.js';
import type { Incident, IncidentEvent, IncidentFilters } from '../../api/types.js';
import { announce } from '../../announcer.js';
import { EmptyState, ErrorNotice, ListFooter, PageTitle, StatusBadge, UrgencyBadge } from '../../components/ui.js';
import { departmentName, useCatalog } from '../../catalog.js';
import { useSession } from '../../hooks.js';
import { useT } from '../../i18n/index.js';
import { Link, navigate, useCurrentLocation } from '../../router.js';
import { BoardFilters, readView, writeView, type BoardView, type Sort } from './BoardFilters.js';
import { useLiveIncidentList } from './useLiveIncidentList.js';

const time = (iso: string) => new Date(iso).getTime();
const COMPARE: Record<Sort, (a: Incident, b: Incident) => number> = {
  newest: (a, b) => time(b.createdAt) - time(a.createdAt),
  oldest: (a, b) => time(a.createdAt) - time(b.createdAt),
  urgency: (a, b) => URGENCIES.indexOf(b.urgency) - URGENCIES.indexOf(a.urgency) || time(b.createdAt) - time(a.createdAt),
  sla: (a, b) => time(a.slaDueAt) - time(b.slaDueAt),
  updated: (a, b) => time(b.updatedAt) - time(a.updatedAt),
};

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** The live board for staff, authorities and admins. */
export function BoardPage() {
  const { t, tOr, relative } = useT();
  const user = useSession()!.user;
  const campus = useCatalog();
  const { query } = useCurrentLocation();
  const view = readView(query);
  const q = useDebounced(view.q.trim(), 300);

  const filters = useMemo<IncidentFilters>(
    () => ({
      ...(view.status === 'open' ? { status: [...OPEN_STATUSES] } : view.status ? { status: [view.status] } : {}),
      ...(view.urgency ? { urgency: [view.urgency] } : {}),
      ...(view.category ? { category: view.category } : {}),
      ...(view.departmentId ? { departmentId: view.departmentId } : {}),
      ...(q ? { q } : {}),
    }),
    [view.status, view.urgency, view.category, view.departmentId, q],
  );
  const onLiveChange = (incident: Incident, event: IncidentEvent) => {
    if (event.type === 'IncidentCreated') announce(t('board.newIncident', { title: incident.title }));
    else if (event.type === 'IncidentStatusChanged' || event.type === 'IncidentEscalated')
      announce(t('board.statusChanged', { title: incident.title, status: t(`status.${incident.status}`) }));
  };
  const list = useLiveIncidentList(filters, onLiveChange);
  const rows = useMemo(() => [...list.items].sort(COMPARE[view.sort]), [list.items, view.sort]);
  const setView = (next: BoardView) => navigate(`/board?${writeView(next)}`, { replace: true });

  return (
    <div className="stack">
      <PageTitle>{t('board.title')}</PageTitle>
      <CriticalAlerts />
      <BoardFilters view={view} onChange={setView} showDepartment={user.role !== 'staff'} />
      <ErrorNotice error={list.error} />
      <p className="muted" aria-live="polite">
        {t(rows.length === 1 ? 'board.countOne' : 'board.count', { n: rows.length })}
        {list.hasMore ? ` ${t('board.more')}` : ''}
      </p>
      {rows.length === 0 && !list.loading ? (
        <EmptyState>{t('board.empty')}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="board-table">
            <caption className="visually-hidden">{t('board.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('incident.title')}</th>
                <th scope="col">{t('incident.status')}</th>
                <th scope="col">{t('incident.urgency')}</th>
                <th scope="col">{t('incident.category')}</th>
                <th scope="col">{t('incident.location')}</th>
                <th scope="col">{t('incident.department')}</th>
                <th scope="col">{t('incident.createdAt')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((incident) => {
                const place = campus?.locations.find((location) => location.code === incident.locationCode)?.name ?? incident.locationText ?? '—';
                const categoryName = campus?.categories.find((category) => category.code === incident.category)?.name ?? incident.category;
                const overdue = !incident.acknowledgedAt && OPEN_STATUSES.includes(incident.status) && time(incident.slaDueAt) < Date.now();
                return (
                  <tr key={incident.id} className={list.highlighted.has(incident.id) ? 'is-fresh' : undefined} data-incident-id={incident.id}>
                    <th scope="row" data-label={t('incident.title')}>
                      <Link to={`/incidents/${incident.id}`}>{incident.title}</Link>
                      {overdue && <span className="badge badge-overdue">{t('detail.overdue')}</span>}
                    </th>
                    <td data-label={t('incident.status')}>
                      <StatusBadge status={incident.status} />
                    </td>
                    <td data-label={t('incident.urgency')}>
                      <UrgencyBadge urgency={incident.urgency} />
                    </td>
                    <td data-label={t('incident.category')}>{tOr(`category.${incident.category}`, categoryName)}</td>
                    <td data-label={t('incident.location')}>{place}</td>
                    <td data-label={t('incident.department')}>{departmentName(campus, incident.departmentId)}</td>
                    <td data-label={t('incident.createdAt')}>
                      <time dateTime={incident.createdAt}>{relative(incident.createdAt)}</time>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <ListFooter list={list} />
    </div>
  );
}
