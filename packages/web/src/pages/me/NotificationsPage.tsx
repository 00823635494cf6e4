import { announce } from '../../announcer.js';
import { EmptyState, ErrorNotice, ListFooter, Loading, PageTitle } from '../../components/ui.js';
import { useAction } from '../../hooks.js';
import { useT } from '../../i18n/index.js';
import { loadMore, markAllRead, markRead, useNotifications } from '../../notifications/store.js';
import { Link } from '../../router.js';

/** The notification centre: newest first, unread ones marked, each linking to its incident. */
export function NotificationsPage() {
  const { t, date, relative } = useT();
  const { items, unread, nextCursor, loaded, error } = useNotifications();
  const all = useAction(async () => {
    await markAllRead();
    announce(t('notifications.allRead'));
  });
  const one = useAction(async (id: string) => {
    await markRead(id);
    announce(t('notifications.oneRead'));
  });
  const more = useAction(loadMore);

  return (
    <div className="stack narrow">
      <PageTitle
        actions={
          unread > 0 ? (
            <button type="button" className="button" disabled={all.busy} onClick={() => void all.run()}>
              {t('notifications.markAll')}
            </button>
          ) : undefined
        }
      >
        {t('notifications.title')}
      </PageTitle>
      <p className="muted">{unread > 0 ? t(unread === 1 ? 'notifications.unreadOne' : 'notifications.unreadMany', { n: unread }) : t('notifications.allCaughtUp')}</p>
      <ErrorNotice error={error || all.error || one.error || more.error} />
      {!loaded ? (
        <Loading />
      ) : items.length === 0 ? (
        <EmptyState>{t('notifications.empty')}</EmptyState>
      ) : (
        <ul className="notification-list" aria-label={t('notifications.title')}>
          {items.map((item) => (
            <li key={item.id} className={item.readAt ? 'notification-item card' : 'notification-item card is-unread'}>
              <div className="notification-head">
                {!item.readAt && <span className="badge badge-unread">{t('notifications.new')}</span>}
                {item.incidentId ? (
                  <Link to={`/incidents/${encodeURIComponent(item.incidentId)}`} className="notification-title">
                    {item.title}
                  </Link>
                ) : (
                  <span className="notification-title">{item.title}</span>
                )}
              </div>
              {item.body && item.body !== item.title && <p className="notification-body">{item.body}</p>}
              <div className="row-meta">
                <time dateTime={item.createdAt} title={date(item.createdAt)}>
                  {relative(item.createdAt)}
                </time>
                {!item.readAt && (
                  <button type="button" className="button-link" disabled={one.busy} onClick={() => void one.run(item.id)}>
                    {t('notifications.markOne')}
                    <span className="visually-hidden">: {item.title}</span>
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {loaded && <ListFooter list={{ loading: more.busy, hasMore: nextCursor !== null, loadMore: () => void more.run() }} />}
    </div>
  );
}
