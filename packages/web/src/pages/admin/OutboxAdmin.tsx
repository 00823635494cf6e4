import { NOTIFICATION_CHANNELS } from '@alertautec/core';
import { useState } from 'react';
import { notificationAdmin, type OutboxFilters } from '../../api/endpoints.js';
import type { NotificationChannel, NotificationStatus, OutboxItem } from '../../api/types.js';
import { EmptyState, ErrorNotice, ListFooter, Loading } from '../../components/ui.js';
import { useT } from '../../i18n/index.js';
import { Link } from '../../router.js';
import { ActionFeedback, useConfirmedAction } from './AdminFeedback.js';
import { useCursorList } from './useCursorList.js';

// The server's order (core NOTIFICATION_STATUSES is a schema value, kept out of the bundle).
const STATUSES: readonly NotificationStatus[] = ['pending', 'sent', 'skipped', 'failed', 'dead'];
const RETRYABLE: ReadonlySet<NotificationStatus> = new Set(['failed', 'dead']);

export function OutboxStatusBadge({ status }: { status: NotificationStatus }) {
  const { t } = useT();
  return <span className={`badge outbox-${status}`}>{t(`outbox.status.${status}`)}</span>;
}

/** The notification outbox: every message per recipient and channel, with a retry for the ones that failed. */
export function OutboxAdmin() {
  const { t, date } = useT();
  const [filters, setFilters] = useState<OutboxFilters>({});
  const rows = useCursorList((cursor) => notificationAdmin.outbox(filters, cursor), [filters.status, filters.channel]);
  const retry = useConfirmedAction(async (row: OutboxItem) => {
    await notificationAdmin.retry(row.id);
    rows.update((item) => item.id === row.id, (item) => ({ ...item, status: 'pending', lastError: null }));
    return t('outbox.retried', { to: row.to });
  });

  return (
    <div className="stack">
      <div className="filters-row">
        <div className="field">
          <label htmlFor="outbox-status">{t('outbox.status')}</label>
          <select id="outbox-status" value={filters.status ?? ''} onChange={(event) => setFilters((current) => ({ ...current, status: (event.target.value || undefined) as NotificationStatus | undefined }))}>
            <option value="">{t('common.all')}</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`outbox.status.${status}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="outbox-channel">{t('outbox.channel')}</label>
          <select id="outbox-channel" value={filters.channel ?? ''} onChange={(event) => setFilters((current) => ({ ...current, channel: (event.target.value || undefined) as NotificationChannel | undefined }))}>
            <option value="">{t('common.all')}</option>
            {NOTIFICATION_CHANNELS.map((channel) => (
              <option key={channel} value={channel}>
                {t(`outbox.channel.${channel}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" onClick={rows.reload}>
          {t('admin.refresh')}
        </button>
      </div>
      <ActionFeedback action={retry} />
      <ErrorNotice error={rows.error} />
      {!rows.items ? (
        <Loading />
      ) : rows.items.length === 0 ? (
        <EmptyState>{t('outbox.empty')}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="admin-table outbox-table">
            <caption className="visually-hidden">{t('outbox.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('outbox.subject')}</th>
                <th scope="col">{t('outbox.channel')}</th>
                <th scope="col">{t('outbox.to')}</th>
                <th scope="col">{t('outbox.status')}</th>
                <th scope="col">{t('outbox.createdAt')}</th>
                <th scope="col">{t('outbox.incident')}</th>
                <th scope="col">{t('outbox.action')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.items.map((row) => (
                <tr key={row.id} data-status={row.status}>
                  <th scope="row" data-label={t('outbox.subject')}>
                    {row.subject}
                  </th>
                  <td data-label={t('outbox.channel')}>{t(`outbox.channel.${row.channel}`)}</td>
                  <td data-label={t('outbox.to')} className="break-anywhere">
                    {row.to}
                  </td>
                  <td data-label={t('outbox.status')}>
                    <OutboxStatusBadge status={row.status} />
                    <span className="muted"> {t('outbox.attempts', { n: row.attempts })}</span>
                    {(row.lastError ?? row.skipReason) && <p className="hint break-anywhere">{row.lastError ?? row.skipReason}</p>}
                  </td>
                  <td data-label={t('outbox.createdAt')}>{date(row.createdAt)}</td>
                  <td data-label={t('outbox.incident')}>{row.incidentId ? <Link to={`/incidents/${row.incidentId}`}>{t('outbox.openIncident')}</Link> : '—'}</td>
                  <td data-label={t('outbox.action')}>
                    {RETRYABLE.has(row.status) ? (
                      <button type="button" disabled={retry.busy} onClick={() => void retry.run(row)} aria-label={t('outbox.retryTo', { to: row.to, subject: row.subject })}>
                        {t('outbox.retry')}
                      </button>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.items && <ListFooter list={rows} />}
    </div>
  );
}
