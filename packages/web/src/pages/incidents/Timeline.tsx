import type { IncidentEvent, User } from '../../api/types.js';
import { departmentName, useCatalog } from '../../catalog.js';
import { useT } from '../../i18n/index.js';

/** The incident's history, oldest first, one line per event. */
export function Timeline({ events, user }: { events: IncidentEvent[]; user: User }) {
  const { t, date } = useT();
  const campus = useCatalog();
  const status = (value: string) => t(`status.${value}` as 'status.pending');

  const describe = (event: IncidentEvent) => {
    switch (event.type) {
      case 'IncidentCreated':
        return t('timeline.created');
      case 'IncidentStatusChanged':
        return t('timeline.status', { from: status(event.previousStatus), to: status(event.status) });
      case 'IncidentEscalated':
        return event.reason === 'sla_breach' ? t('timeline.escalatedSla') : t('timeline.escalated');
      case 'CommentAdded':
        return event.internal ? t('timeline.internalComment') : t('timeline.comment');
      case 'DepartmentAssigned':
        return t('timeline.assigned', { department: departmentName(campus, event.departmentId) });
      case 'AttachmentAdded':
        return t('timeline.attachment', { name: event.filename });
    }
  };

  const body = (event: IncidentEvent) => {
    if (event.type === 'CommentAdded') return event.text;
    if ((event.type === 'IncidentStatusChanged' || event.type === 'IncidentEscalated') && event.note) return event.note;
    return null;
  };

  return (
    <ol className="timeline">
      {events.map((event) => {
        const text = body(event);
        const internal = event.type === 'CommentAdded' && event.internal;
        return (
          <li key={event.seq} className={`timeline-item timeline-${event.type}${internal ? ' is-internal' : ''}`}>
            <span className="timeline-dot" aria-hidden="true" />
            <div className="timeline-content">
              <p className="timeline-head">
                <strong>{describe(event)}</strong>
                {internal && <span className="badge badge-internal">{t('comments.internalBadge')}</span>}
                <span className="muted">
                  {' · '}
                  <time dateTime={event.at}>{date(event.at)}</time>
                  {event.actorId === user.id && ` · ${t('timeline.byYou')}`}
                </span>
              </p>
              {text && <p className="timeline-text">{text}</p>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
