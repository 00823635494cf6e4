import { OPEN_STATUSES } from '@alertautec/core';
import { useEffect, useMemo, useState } from 'react';
import { CriticalAlerts } from '../../alerts/CriticalAlerts.js';
import type { Incident, IncidentEvent, IncidentFilters } from '../../api/types.js';
import { announce } from '../../announcer.js';
import { EmptyState, ErrorNotice, ListFooter, PageTitle, StatusBadge, UrgencyBadge } from '../../components/ui.js';
import { departmentName, useCatalog } from '../../catalog.js';
import { useSession } from '../../hooks.js';
import { useT } from '../../i18n/index.js';
import { Link, navigate, useCurrentLocation } from '../../router.js';
import { BoardFilters, readView, writeView, type BoardView } from './BoardFilters.js';
import { DueTimeCell, RelativeTime } from './BoardTimes.js';
import { useLiveIncidentList } from './useLiveIncidentList.js';

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
  const { t, tOr } = useT();
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
      // The server orders and pages (docs/incidents.md): what comes first is what matters most.
      sort: view.sort,
    }),
    [view.status, view.urgency, view.category, view.departmentId, q, view.sort],
  );
  const onLiveChange = (incident: Incident, event: IncidentEvent) => {
    if (event.type === 'IncidentCreated') announce(t('board.newIncident', { title: incident.title }));
    else if (event.type === 'IncidentStatusChanged' || event.type === 'IncidentEscalated')
      announce(t('board.statusChanged', { title: incident.title, status: t(`status.${incident.status}`) }));
  };
  const list = useLiveIncidentList(filters, onLiveChange);
  const rows = list.items;
  const setView = (next: BoardView) => navigate(`/board?${writeView(next)}`, { replace: true });

  return (
    <div className="stack">
      <PageTitle>{t('board.title')}</PageTitle>
      <CriticalAlerts />
      <BoardFilters view={view} onChange={setView} showDepartment={user.role !== 'staff'} />
      <ErrorNotice error={list.error} />
      <p className="muted" aria-live="polite">
        {t('board.count', { n: rows.length })}
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
                <th scope="col">{t('board.due')}</th>
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
                return (
                  <tr key={incident.id} className={list.highlighted.has(incident.id) ? 'is-fresh' : undefined} data-incident-id={incident.id}>
                    <th scope="row" data-label={t('incident.title')}>
                      <Link to={`/incidents/${incident.id}`}>{incident.title}</Link>
                      {/* More than its reporter ("it affects me too"); updated live by IncidentAffected. */}
                      {incident.affectedCount > 1 && <span className="affected-count">{t('incident.affected', { n: incident.affectedCount })}</span>}
                    </th>
                    <td data-label={t('incident.status')}>
                      <StatusBadge status={incident.status} />
                    </td>
                    <td data-label={t('incident.urgency')}>
                      <UrgencyBadge urgency={incident.urgency} />
                    </td>
                    {/* The times count on by themselves (BoardTimes.tsx): a tick never redraws the row. */}
                    <DueTimeCell incident={incident} label={t('board.due')} />
                    <td data-label={t('incident.category')}>{tOr(`category.${incident.category}`, categoryName)}</td>
                    <td data-label={t('incident.location')}>{place}</td>
                    <td data-label={t('incident.department')}>{departmentName(campus, incident.departmentId)}</td>
                    <td data-label={t('incident.createdAt')}>
                      <RelativeTime iso={incident.createdAt} />
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
