import { useT } from '../i18n/index.js';
import { useNotifications } from '../notifications/store.js';
import { Link, useCurrentLocation } from '../router.js';

/**
 * The header's bell: a link to the notification centre whose accessible name carries the
 * unread count; a polite live region says the count when it changes.
 */
export function NotificationBell() {
  const { t, number } = useT();
  const { unread } = useNotifications();
  const { path } = useCurrentLocation();
  const label = unread > 0 ? t(unread === 1 ? 'notifications.bellOne' : 'notifications.bellMany', { n: number(unread) }) : t('notifications.bellNone');
  return (
    <>
      <Link to="/notifications" className="bell" aria-label={label} title={label} aria-current={path === '/notifications' ? 'page' : undefined}>
        <svg className="bell-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {unread > 0 && (
          <span className="bell-count" aria-hidden="true" data-count={unread}>
            {unread > 99 ? '99+' : number(unread)}
          </span>
        )}
      </Link>
      <span className="visually-hidden" aria-live="polite" aria-atomic="true">
        {unread > 0 ? label : ''}
      </span>
    </>
  );
}
