import type { IncidentEvent, User } from '../../api/types.js';
import { departmentName, useCatalog } from '../../catalog.js';
import { useT } from '../../i18n/index.js';

/** Moves whose note is their reason (the server requires one): rejecting, and reopening. */
const reasonShown = (event: { status: string; previousStatus: string }) =>
  event.status === 'rejected' || (event.previousStatus === 'resolved' && event.status === 'in_progress');

/** The incident's history, oldest first, one line per event. */
export function Timeline({ events, user, departmentId }: { events: IncidentEvent[]; user: User; departmentId: string | null }) {
  const { t, date } = useT();
  const campus = useCatalog();

  /** Who acted, as the reporter may know it: a role (and the department for staff), never a name. */
  const by = (event: IncidentEvent): string | null => {
    if (event.actorId !== null && event.actorId === user.id) return t('timeline.byYou');
    if (event.type === 'IncidentEscalated' && event.reason === 'sla_breach') return null;
    if (event.type !== 'IncidentStatusChanged' && event.type !== 'IncidentEscalated' && event.type !== 'CommentAdded') return null;
    if (!event.actorRole) return event.actorId === null ? t('timeline.bySystem') : null;
    if (event.actorRole === 'staff') return t('timeline.byStaff', { department: departmentName(campus, departmentId) });
    return t(`timeline.by.${event.actorRole}` as 'timeline.by.admin');
  };
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
                  {by(event) && ` · ${by(event)}`}
                </span>
              </p>
              {text && (
                <p className="timeline-text">
                  {event.type === 'IncidentStatusChanged' && reasonShown(event) && <strong>{t('timeline.reason')}: </strong>}
                  {text}
                </p>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
