import { useEffect, type ReactNode } from 'react';
import type { Role } from './api/types.js';
import { LiveRegion } from './announcer.js';
import { Layout } from './components/Layout.js';
import { PageTitle } from './components/ui.js';
import { useSession } from './hooks.js';
import { useT } from './i18n/index.js';
import { homePath } from './navigation.js';
import { AdminPage } from './pages/admin/AdminPage.js';
import { RegisterPage } from './pages/auth/RegisterPage.js';
import { SignInPage } from './pages/auth/SignInPage.js';
import { DashboardPage } from './pages/dashboard/DashboardPage.js';
import { BoardPage } from './pages/incidents/BoardPage.js';
import { IncidentPage } from './pages/incidents/IncidentPage.js';
import { NotificationsPage } from './pages/me/NotificationsPage.js';
import { PreferencesPage } from './pages/me/PreferencesPage.js';
import { ReportDetailPage } from './pages/reports/ReportDetailPage.js';
import { ReportsPage } from './pages/reports/ReportsPage.js';
import { MyIncidentsPage } from './pages/student/MyIncidentsPage.js';
import { ReportPage } from './pages/student/ReportPage.js';
import { matchPath, navigate, useCurrentLocation } from './router.js';

interface Route {
  pattern: string;
  /** Who may open it; absent = anyone signed in. */
  roles?: readonly Role[];
  render: (params: Record<string, string>) => ReactNode;
}

const HANDLERS: readonly Role[] = ['staff', 'authority', 'admin'];

const ROUTES: readonly Route[] = [
  { pattern: '/report', render: () => <ReportPage /> },
  { pattern: '/mine', render: () => <MyIncidentsPage /> },
  { pattern: '/notifications', render: () => <NotificationsPage /> },
  { pattern: '/preferences', render: () => <PreferencesPage /> },
  { pattern: '/incidents/:id', render: (params) => <IncidentPage key={params.id} incidentId={params.id ?? ''} /> },
  { pattern: '/board', roles: HANDLERS, render: () => <BoardPage /> },
  { pattern: '/dashboard', roles: HANDLERS, render: () => <DashboardPage /> },
  // Open to everyone signed in: the page itself tells students they may not use reports.
  { pattern: '/reports', render: () => <ReportsPage /> },
  { pattern: '/reports/:id', render: (params) => <ReportDetailPage key={params.id} reportId={params.id ?? ''} /> },
  { pattern: '/admin', roles: ['admin'], render: () => <AdminPage section="users" /> },
  { pattern: '/admin/:section', roles: ['admin'], render: (params) => <AdminPage section={params.section ?? 'users'} /> },
];

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function NotFound() {
  const { t } = useT();
  return <PageTitle>{t('page.notFound')}</PageTitle>;
}

export function App() {
  const session = useSession();
  const { path, query } = useCurrentLocation();

  let page: ReactNode;
  if (!session) {
    if (path === '/register') page = <RegisterPage />;
    else if (path === '/login') page = <SignInPage />;
    else page = <Redirect to={`/login${path !== '/' ? `?next=${encodeURIComponent(path + (query.size ? `?${query}` : ''))}` : ''}`} />;
  } else if (path === '/' || path === '/login' || path === '/register') {
    page = <Redirect to={homePath(session.user.role)} />;
  } else {
    page = <NotFound />;
    for (const route of ROUTES) {
      const params = matchPath(route.pattern, path);
      if (!params) continue;
      page = route.roles && !route.roles.includes(session.user.role) ? <NotFound /> : route.render(params);
      break;
    }
  }

  return (
    <>
      <Layout>{page}</Layout>
      <LiveRegion />
    </>
  );
}
