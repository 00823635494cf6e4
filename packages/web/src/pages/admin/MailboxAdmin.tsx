import { useEffect, useState } from 'react';
import { ApiError } from '../../api/http.js';
import { notificationAdmin } from '../../api/endpoints.js';
import { PagedItems } from '../../components/ui.js';
import { useT } from '../../i18n/index.js';
import { useCursorList } from './useCursorList.js';

// Asked once per page load: the server answers 404 in production, where the tab is hidden.
let availability: Promise<boolean> | null = null;
const mailboxAvailable = () =>
  (availability ??= notificationAdmin.mailbox(null, 1).then(
    () => true,
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 404) return false;
      availability = null; // a network failure says nothing; ask again next time
      return false;
    },
  ));

/** Whether this server has a dev mailbox (not in production); null while asking. */
export function useMailboxAvailable(): boolean | null {
  const [available, setAvailable] = useState<boolean | null>(null);
  useEffect(() => {
    let current = true;
    void mailboxAvailable().then((value) => current && setAvailable(value));
    return () => {
      current = false;
    };
  }, []);
  return available;
}

/** The dev mailbox: the e-mails the server would have sent, when it has no SMTP server (development). */
export function MailboxAdmin() {
  const { t, date } = useT();
  const mails = useCursorList((cursor) => notificationAdmin.mailbox(cursor), []);

  return (
    <div className="stack">
      <div className="admin-item">
        <p className="muted">{t('mailbox.lead')}</p>
        <button type="button" onClick={mails.reload}>
          {t('admin.refresh')}
        </button>
      </div>
      <PagedItems list={mails} empty={t('mailbox.empty')}>
        {(items) => (
          <ul className="admin-list">
            {items.map((mail) => (
              <li key={mail.id} className="card">
                <details className="mail">
                  <summary>
                    <strong lang={mail.language}>{mail.subject}</strong>
                    <span className="row-meta">
                      <span>{t('mailbox.to', { to: mail.to })}</span>
                      <span>{date(mail.createdAt)}</span>
                      <span className="badge mail-lang">{t(`mailbox.lang.${mail.language}`)}</span>
                    </span>
                  </summary>
                  <pre className="mail-body" lang={mail.language}>
                    {mail.text}
                  </pre>
                </details>
              </li>
            ))}
          </ul>
        )}
      </PagedItems>
    </div>
  );
}
