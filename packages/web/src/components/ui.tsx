import { useEffect, useRef, type ReactNode } from 'react';
import { ApiError } from '../api/http.js';
import type { Status, Urgency } from '../api/types.js';
import { hasMessage, useT, type MessageKey } from '../i18n/index.js';
import { setPageTitle } from '../page-title.js';

export function StatusBadge({ status }: { status: Status }) {
  const { t } = useT();
  return <span className={`badge status-${status}`}>{t(`status.${status}`)}</span>;
}

export function UrgencyBadge({ urgency }: { urgency: Urgency }) {
  const { t } = useT();
  return <span className={`badge urgency-${urgency}`}>{t(`urgency.${urgency}`)}</span>;
}

/**
 * A sentence in the user's language for a failed call: the web app's own words for the
 * problem `code` (`error.<code>` in the dictionaries), or a generic sentence for a code it
 * does not know. The server's `detail` (English, for programs and logs) is never shown.
 */
export function useErrorText(): (error: unknown) => string {
  const { t } = useT();
  return (error) => {
    if (!(error instanceof ApiError)) return t('error.generic');
    const key = `error.${error.code}`;
    const sentence = hasMessage(key) ? t(key) : t('error.generic');
    if (error.code !== 'validation_failed') return sentence;
    // Which fields to check, by their names in the user's language (those we have words for).
    const fields = [...new Set(error.fieldErrors.map((field) => `field.${field.path.split('/')[1] ?? ''}`))].filter(hasMessage).map((field) => t(field));
    return fields.length > 0 ? `${sentence} ${t('error.validation_failedFields', { fields: fields.join(', ') })}` : sentence;
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

interface PagedList<T> {
  items: T[] | null | undefined;
  error: unknown;
  loading: boolean;
  hasMore: boolean;
  loadMore: () => void;
}

/**
 * A paged list as every list page shows it: its error, a loading notice until the first page
 * arrives, `empty` when there is nothing, otherwise `children(items)` and the "more" footer.
 */
export function PagedItems<T>({ list, empty, children }: { list: PagedList<T>; empty: ReactNode; children: (items: T[]) => ReactNode }) {
  return (
    <>
      <ErrorNotice error={list.error} />
      {!list.items ? (list.error ? null : <Loading />) : list.items.length === 0 ? <EmptyState>{empty}</EmptyState> : children(list.items)}
      {list.items && <ListFooter list={list} />}
    </>
  );
}

export function formatDuration(seconds: number | null, t: (key: MessageKey, vars?: Record<string, string | number>) => string): string {
  if (seconds === null) return '—';
  if (seconds < 60) return t('duration.seconds', { n: Math.round(seconds) });
  if (seconds < 3600) return t('duration.minutes', { n: Math.round(seconds / 60) });
  if (seconds < 86_400) return t('duration.hours', { n: (seconds / 3600).toFixed(1) });
  return t('duration.days', { n: (seconds / 86_400).toFixed(1) });
}
