import { useMemo } from 'react';
import type { Incident, IncidentEvent } from '../../api/types.js';
import { announce } from '../../announcer.js';
import { EmptyState, ErrorNotice, ListFooter, PageTitle, StatusBadge, UrgencyBadge } from '../../components/ui.js';
import { useCatalog } from '../../catalog.js';
import { useT } from '../../i18n/index.js';
import { Link } from '../../router.js';
import { useSession } from '../../hooks.js';
import { ReporterActions } from '../incidents/StatusActions.js';
import { useLiveIncidentList } from '../incidents/useLiveIncidentList.js';

/** The signed-in user's own reports, with live status and the confirm/reopen choice. */
export function MyIncidentsPage() {
  const { t, tOr, relative } = useT();
  const user = useSession()!.user;
  const campus = useCatalog();
  const filters = useMemo(() => ({ mine: true }), []);
  const onLiveChange = (incident: Incident, event: IncidentEvent) => {
    if (event.type === 'IncidentStatusChanged' || event.type === 'IncidentEscalated') {
      announce(t('mine.statusChanged', { title: incident.title, status: t(`status.${incident.status}`) }));
    }
  };
  const list = useLiveIncidentList(filters, onLiveChange);

  return (
    <div className="stack">
      <PageTitle
        actions={
          <Link to="/report" className="button button-primary">
            {t('nav.report')}
          </Link>
        }
      >
        {t('mine.title')}
      </PageTitle>
      <ErrorNotice error={list.error} />
      {list.items.length === 0 && !list.loading && <EmptyState>{t('mine.empty')}</EmptyState>}
      <ul className="incident-cards" aria-label={t('mine.title')}>
        {list.items.map((incident) => {
          const place = campus?.locations.find((location) => location.code === incident.locationCode)?.name ?? incident.locationText;
          const categoryName = campus?.categories.find((category) => category.code === incident.category)?.name ?? incident.category;
          return (
            <li key={incident.id} className={`card incident-card${list.highlighted.has(incident.id) ? ' is-fresh' : ''}`} data-incident-id={incident.id}>
              <div className="incident-card-head">
                <Link to={`/incidents/${incident.id}`} className="incident-link">
                  {incident.title}
                </Link>
                <StatusBadge status={incident.status} />
              </div>
              <p className="row-meta">
                <span>{tOr(`category.${incident.category}`, categoryName)}</span>
                <UrgencyBadge urgency={incident.urgency} />
                {place && <span>{place}</span>}
                <span>
                  {t('mine.reported')} {relative(incident.createdAt)}
                </span>
              </p>
              {incident.status === 'resolved' && <ReporterActions user={user} incident={incident} onChanged={list.replace} />}
            </li>
          );
        })}
      </ul>
      <ListFooter list={list} />
    </div>
  );
}
