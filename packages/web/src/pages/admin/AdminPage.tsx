import { useEffect } from 'react';
import { clearSaved, SavedStatus } from '../../components/SavedStatus.js';
import { PageTitle } from '../../components/ui.js';
import { useT, type MessageKey } from '../../i18n/index.js';
import { Link } from '../../router.js';
import { ApiKeysAdmin } from './ApiKeysAdmin.js';
import { CategoriesAdmin } from './CategoriesAdmin.js';
import { DepartmentsAdmin } from './DepartmentsAdmin.js';
import { EscalationAdmin } from './EscalationAdmin.js';
import { JobsAdmin } from './JobsAdmin.js';
import { LocationsAdmin } from './LocationsAdmin.js';
import { MailboxAdmin, useMailboxAvailable } from './MailboxAdmin.js';
import { OutboxAdmin } from './OutboxAdmin.js';
import { RulesAdmin } from './RulesAdmin.js';
import { UsersAdmin } from './UsersAdmin.js';

const SECTIONS: { key: string; label: MessageKey; render: () => React.ReactNode; devOnly?: boolean }[] = [
  { key: 'users', label: 'admin.users', render: () => <UsersAdmin /> },
  { key: 'departments', label: 'admin.departments', render: () => <DepartmentsAdmin /> },
  { key: 'categories', label: 'admin.categories', render: () => <CategoriesAdmin /> },
  { key: 'locations', label: 'admin.locations', render: () => <LocationsAdmin /> },
  { key: 'api-keys', label: 'admin.apiKeys', render: () => <ApiKeysAdmin /> },
  { key: 'outbox', label: 'admin.outbox', render: () => <OutboxAdmin /> },
  { key: 'rules', label: 'admin.rules', render: () => <RulesAdmin /> },
  { key: 'escalation', label: 'admin.escalation', render: () => <EscalationAdmin /> },
  // Only where the server has one (not in production: GET /api/dev/mailbox answers 404).
  { key: 'mailbox', label: 'admin.mailbox', render: () => <MailboxAdmin />, devOnly: true },
  { key: 'jobs', label: 'admin.jobs', render: () => <JobsAdmin /> },
];

export function AdminPage({ section }: { section: string }) {
  const { t } = useT();
  const mailbox = useMailboxAvailable();
  const current = SECTIONS.find((item) => item.key === section) ?? SECTIONS[0]!;
  const shown = SECTIONS.filter((item) => !item.devOnly || mailbox === true || item === current);
  // A confirmation belongs to the section it was given in.
  useEffect(() => clearSaved(), [current.key]);
  return (
    <div className="stack">
      <PageTitle>{t('admin.title')}</PageTitle>
      <nav aria-label={t('admin.sections')} className="tabs">
        <ul>
          {shown.map((item) => (
            <li key={item.key}>
              <Link to={`/admin/${item.key}`} aria-current={item === current ? 'page' : undefined}>
                {t(item.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <section aria-labelledby="admin-section-title" className="stack">
        <h2 id="admin-section-title" className="visually-hidden">{t(current.label)}</h2>
        <SavedStatus />
        {current.render()}
      </section>
    </div>
  );
}
