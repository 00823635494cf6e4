import type { Role } from './api/types.js';
import type { MessageKey } from './i18n/index.js';
import { REPORT_ROLES } from './pages/reports/report-access.js';

export interface NavItem {
  to: string;
  label: MessageKey;
  roles: readonly Role[];
}

const EVERYONE: readonly Role[] = ['student', 'staff', 'authority', 'admin'];
const HANDLERS: readonly Role[] = ['staff', 'authority', 'admin'];

/**
 * The main navigation, by role. Alerts get their screen with their own issue: add
 * `{ to: '/alerts', … }` before Reports. Reports: whoever the policy lets see some.
 */
export const NAV: readonly NavItem[] = [
  { to: '/report', label: 'nav.report', roles: EVERYONE },
  { to: '/mine', label: 'nav.mine', roles: EVERYONE },
  { to: '/board', label: 'nav.board', roles: HANDLERS },
  { to: '/dashboard', label: 'nav.dashboard', roles: HANDLERS },
  { to: '/reports', label: 'nav.reports', roles: REPORT_ROLES },
  { to: '/admin', label: 'nav.admin', roles: ['admin'] },
];

export const homePath = (role: Role): string => (role === 'student' ? '/report' : '/board');
