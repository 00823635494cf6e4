import { PageTitle } from '../../components/ui.js';
import { useT, type MessageKey } from '../../i18n/index.js';
import { Link } from '../../router.js';
import { ApiKeysAdmin } from './ApiKeysAdmin.js';
import { CategoriesAdmin } from './CategoriesAdmin.js';
import { DepartmentsAdmin } from './DepartmentsAdmin.js';
import { LocationsAdmin } from './LocationsAdmin.js';
import { UsersAdmin } from './UsersAdmin.js';

const SECTIONS: { key: string; label: MessageKey; render: () => React.ReactNode }[] = [
  { key: 'users', label: 'admin.users', render: () => <UsersAdmin /> },
  { key: 'departments', label: 'admin.departments', render: () => <DepartmentsAdmin /> },
  { key: 'categories', label: 'admin.categories', render: () => <CategoriesAdmin /> },
  { key: 'locations', label: 'admin.locations', render: () => <LocationsAdmin /> },
  { key: 'api-keys', label: 'admin.apiKeys', render: () => <ApiKeysAdmin /> },
];

export function AdminPage({ section }: { section: string }) {
  const { t } = useT();
  const current = SECTIONS.find((item) => item.key === section) ?? SECTIONS[0]!;
  return (
    <div className="stack">
      <PageTitle>{t('admin.title')}</PageTitle>
      <nav aria-label={t('admin.sections')} className="tabs">
        <ul>
          {SECTIONS.map((item) => (
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
        {current.render()}
      </section>
    </div>
  );
}
