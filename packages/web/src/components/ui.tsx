import { useEffect, useRef, type ReactNode } from 'react';
import { ApiError } from '../api/http.js';
import type { Status, Urgency } from '../api/types.js';
import { useT, type MessageKey } from '../i18n/index.js';
import { setPageTitle } from '../page-title.js';

export function StatusBadge({ status }: { status: Status }) {
  const { t } = useT();
  return <span className={`badge status-${status}`}>{t(`status.${status}`)}</span>;
}

export function UrgencyBadge({ urgency }: { urgency: Urgency }) {
  const { t } = useT();
  return <span className={`badge urgency-${urgency}`}>{t(`urgency.${urgency}`)}</span>;
}

const KNOWN_ERRORS = new Set([
  'invalid_credentials',
  'email_taken',
  'account_disabled',
  'rate_limited',
  'invalid_transition',
  'version_mismatch',
  'concurrent_update',
  'too_many_attachments',
  'file_too_large',
  'unsupported_file_type',
  'validation_failed',
  'not_found',
  'forbidden',
  'network',
  'last_admin',
  'unknown_department',
  'notification_not_retryable',
  'unknown_user',
  'dev_mailbox_disabled',
]);

/** A translated sentence for a failed call (the server's detail when we have no words). */
export function useErrorText(): (error: unknown) => string {
  const { t } = useT();
  return (error) => {
    if (error instanceof ApiError) {
      if (KNOWN_ERRORS.has(error.code)) {
        const fields = error.fieldErrors.map((field) => `${field.path.replace(/^\//, '')}: ${field.message}`).join('; ');
        return t(`error.${error.code}` as MessageKey) + (error.code === 'validation_failed' && fields ? ` (${fields})` : '');
      }
      return `${t('error.generic')} ${error.message}`;
    }
    return t('error.generic');
  };
}

export function ErrorNotice({ error }: { error: unknown }) {
  const text = useErrorText();
  if (!error) return null;
  return (
    <p className="notice notice-error" role="alert">
      {text(error)}
    </p>
  );
}

export function Loading() {
  const { t } = useT();
  return (
    <p className="muted" role="status">
      {t('common.loading')}
    </p>
  );
}

/** The foot of a paged list: loading, or a button for the next page while there is one. */
export function ListFooter({ list }: { list: { loading: boolean; hasMore: boolean; loadMore: () => void } }) {
  const { t } = useT();
  if (list.loading) return <Loading />;
  if (!list.hasMore) return null;
  return (
    <button type="button" onClick={list.loadMore}>
      {t('common.loadMore')}
    </button>
  );
}

/** The page's h1; it takes focus when the page opens so screen readers start there. */
export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (typeof children === 'string') setPageTitle(children);
  }, [children]);
  useEffect(() => {
    if (document.activeElement === document.body || document.activeElement?.closest('nav')) heading.current?.focus();
  }, []);
  return (
    <div className="page-title">
      <h1 ref={heading} tabIndex={-1}>
        {children}
      </h1>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function formatDuration(seconds: number | null, t: (key: MessageKey, vars?: Record<string, string | number>) => string): string {
  if (seconds === null) return '—';
  if (seconds < 60) return t('duration.seconds', { n: Math.round(seconds) });
  if (seconds < 3600) return t('duration.minutes', { n: Math.round(seconds / 60) });
  if (seconds < 86_400) return t('duration.hours', { n: (seconds / 3600).toFixed(1) });
  return t('duration.days', { n: (seconds / 86_400).toFixed(1) });
}
