import type { ReactNode } from 'react';
import { endSession } from '../api/session.js';
import { forgetCatalog } from '../catalog.js';
import { useSession } from '../hooks.js';
import { setLang, useT } from '../i18n/index.js';
import { NAV } from '../navigation.js';
import { Link, navigate, useCurrentLocation } from '../router.js';
import { ConnectionIndicator } from './ConnectionIndicator.js';
import { NotificationBell } from './NotificationBell.js';

export async function signOut(): Promise<void> {
  const ended = endSession(); // forgets the session at once; the server call follows
  forgetCatalog();
  navigate('/login');
  await ended;
}

export function LanguageSwitch() {
  const { t, lang } = useT();
  const other = lang === 'es' ? 'en' : 'es';
  return (
    <button type="button" className="button-ghost" lang={other === 'es' ? 'es-PE' : 'en'} onClick={() => setLang(other)}>
      {t('lang.switch')}
    </button>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useT();
  const session = useSession();
  const { path } = useCurrentLocation();
  const role = session?.user.role;
  const items = role ? NAV.filter((item) => item.roles.includes(role)) : [];

  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="app-header">
        <div className="header-row">
          <Link to="/" className="brand">
            <span aria-hidden="true" className="brand-mark">
              ▲
            </span>
            AlertaUTEC
          </Link>
          <div className="header-tools">
            {session && <ConnectionIndicator />}
            <LanguageSwitch />
            {session && (
              <>
                <NotificationBell />
                <span className="user-chip" title={`${session.user.name} · ${t(`role.${session.user.role}`)} · ${session.user.email}`}>
                  {session.user.name} · {t(`role.${session.user.role}`)}
                </span>
                <Link to="/preferences" className="button-ghost header-link" aria-current={path === '/preferences' ? 'page' : undefined}>
                  {t('preferences.link')}
                </Link>
                <button type="button" className="button-ghost" onClick={() => void signOut()}>
                  {t('auth.signOut')}
                </button>
              </>
            )}
          </div>
        </div>
        {items.length > 0 && (
          <nav aria-label={t('nav.label')} className="main-nav">
            <ul>
              {items.map((item) => {
                const current = path === item.to || path.startsWith(`${item.to}/`);
                return (
                  <li key={item.to}>
                    <Link to={item.to} aria-current={current ? 'page' : undefined}>
                      {t(item.label)}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
        )}
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
