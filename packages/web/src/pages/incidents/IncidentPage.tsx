import { useCallback, useEffect } from 'react';
import { incidents as api } from '../../api/endpoints.js';
import type { Incident, IncidentEvent } from '../../api/types.js';
import { announce } from '../../announcer.js';
import { ErrorNotice, Loading, PageTitle, StatusBadge, UrgencyBadge } from '../../components/ui.js';
import { departmentName, useCatalog } from '../../catalog.js';
import { useLoad, useSession } from '../../hooks.js';
import { useT } from '../../i18n/index.js';
import { subscribe } from '../../live.js';
import { Link } from '../../router.js';
import { Attachments } from './Attachments.js';
import { CommentForm } from './CommentForm.js';
import { DepartmentAssign } from './DepartmentAssign.js';
import { movesFor, ReporterActions, StatusChanger } from './StatusActions.js';
import { Timeline } from './Timeline.js';

interface Detail {
  incident: Incident;
  events: IncidentEvent[];
}

/** One incident: facts, what the user may do with it, attachments and its timeline. */
export function IncidentPage({ incidentId }: { incidentId: string }) {
  const { t, tOr, date } = useT();
  const user = useSession()!.user;
  const campus = useCatalog();
  const detail = useLoad<Detail>(async () => {
    const [incident, events] = await Promise.all([api.get(incidentId), api.events(incidentId)]);
    return { incident, events: events.items };
  }, [incidentId]);
  const { reload, setData } = detail;

  // Live: add each event to the timeline and refetch the incident it changed.
  useEffect(
    () =>
      subscribe(
        { incidentId },
        {
          onResync: reload,
          onEvent: (event) => {
            setData((current) => (current && !current.events.some((known) => known.seq === event.seq) ? { ...current, events: [...current.events, event] } : current));
            if (event.type === 'IncidentStatusChanged' || event.type === 'IncidentEscalated') announce(t('detail.statusNow', { status: t(`status.${event.status}`) }));
            api
              .get(incidentId)
              .then((incident) => setData((current) => current && { ...current, incident }))
              .catch(reload); // e.g. no longer ours to see: show that
          },
        },
      ),
    [incidentId, reload, setData, t],
  );

  const onChanged = useCallback(
    (incident: Incident) => {
      setData((current) => current && { ...current, incident });
      // The change's own event comes live too; fetch the history in case live is down.
      void api.events(incident.id).then((events) => setData((current) => current && { ...current, events: events.items }));
    },
    [setData],
  );

  if (detail.error) {
    return (
      <div className="stack">
        <PageTitle>{t('detail.title')}</PageTitle>
        <ErrorNotice error={detail.error} />
      </div>
    );
  }
  if (!detail.data) return <Loading />;

  const { incident, events } = detail.data;
  const isMine = user.role === 'student' || incident.reporterId === user.id;
  const handler = user.role !== 'student';
  const moves = movesFor(user, incident, isMine);
  const place = campus?.locations.find((location) => location.code === incident.locationCode)?.name;
  const categoryName = campus?.categories.find((category) => category.code === incident.category)?.name ?? incident.category;
  const overdue = !incident.acknowledgedAt && ['pending', 'escalated'].includes(incident.status) && new Date(incident.slaDueAt).getTime() < Date.now();

  return (
    <div className="stack">
      <p className="breadcrumb">
        <Link to={handler ? '/board' : '/mine'}>← {handler ? t('nav.board') : t('nav.mine')}</Link>
      </p>
      <PageTitle>{incident.title}</PageTitle>
      <div className="row-meta">
        <StatusBadge status={incident.status} />
        <UrgencyBadge urgency={incident.urgency} />
        {overdue && <span className="badge badge-overdue">{t('detail.overdue')}</span>}
        <span className="affected-count">{t('incident.affected', { n: incident.affectedCount })}</span>
      </div>
      <div className="detail-grid">
        <div className="stack">
          <section className="card" aria-labelledby="detail-facts">
            <h2 id="detail-facts">{t('detail.facts')}</h2>
            <dl className="facts">
              <dt>{t('incident.category')}</dt>
              <dd>{tOr(`category.${incident.category}`, categoryName)}</dd>
              <dt>{t('incident.location')}</dt>
              <dd>{[place, incident.locationText].filter(Boolean).join(' — ') || '—'}</dd>
              <dt>{t('incident.department')}</dt>
              <dd>{departmentName(campus, incident.departmentId)}</dd>
              <dt>{t('incident.createdAt')}</dt>
              <dd>{date(incident.createdAt)}</dd>
              <dt>{t('incident.acknowledgedAt')}</dt>
              <dd>{date(incident.acknowledgedAt)}</dd>
              <dt>{t('incident.resolvedAt')}</dt>
              <dd>{date(incident.resolvedAt)}</dd>
              <dt>{t('incident.slaDue')}</dt>
              <dd>{date(incident.slaDueAt)}</dd>
              {(incident.anonymous || incident.reporterName) && (
                <>
                  <dt>{t('incident.reporter')}</dt>
                  <dd>{incident.reporterName ?? t('incident.anonymous')}</dd>
                </>
              )}
            </dl>
            <h3>{t('incident.description')}</h3>
            <p className="description">{incident.description}</p>
          </section>
          {(handler || (isMine && incident.status === 'resolved')) && (
            <section className="card" aria-labelledby="detail-actions">
              <h2 id="detail-actions">{t('detail.actions')}</h2>
              {handler ? <StatusChanger user={user} incident={incident} moves={moves} onChanged={onChanged} /> : <ReporterActions user={user} incident={incident} onChanged={onChanged} />}
            </section>
          )}
          {user.role === 'admin' && (
            <section className="card" aria-labelledby="detail-assign">
              <h2 id="detail-assign">{t('assign.title')}</h2>
              <DepartmentAssign incident={incident} onChanged={onChanged} />
            </section>
          )}
          <section className="card" aria-labelledby="detail-attachments">
            <h2 id="detail-attachments">{t('attachments.title')}</h2>
            <Attachments incidentId={incident.id} events={events} canAttach={handler || isMine} onUploaded={reload} />
          </section>
        </div>
        <div className="stack">
          <section className="card" aria-labelledby="detail-timeline">
            <h2 id="detail-timeline">{t('detail.timeline')}</h2>
            <Timeline events={events} user={user} departmentId={incident.departmentId} />
          </section>
          <section className="card" aria-labelledby="detail-comment">
            <h2 id="detail-comment">{t('comments.title')}</h2>
            <CommentForm
              incidentId={incident.id}
              canInternal={handler}
              onAdded={(event) => setData((current) => (current && !current.events.some((known) => known.seq === event.seq) ? { ...current, events: [...current.events, event] } : current))}
            />
          </section>
        </div>
      </div>
    </div>
  );
}
