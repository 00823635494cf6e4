import type { Migration } from 'kysely';
import * as foundation from './0001-foundation.js';
import * as incidents from './0002-incidents.js';
import * as realtime from './0003-realtime.js';
import * as loginThrottle from './0004-login-throttle.js';
import * as sessions from './0005-sessions.js';
import * as workers from './0006-workers.js';
import * as notifications from './0007-notifications.js';
import * as escalation from './0008-escalation.js';
import * as reports from './0009-reports.js';
import * as incidentReports from './0010-incident-reports.js';
import * as reportFacts from './0011-report-facts.js';
import * as search from './0012-search.js';
import * as listOrders from './0013-list-orders.js';
import * as incidentStats from './0014-incident-stats.js';
import * as affected from './0016-affected.js';
import * as searchQueue from './0017-search-queue.js';
import * as resolvedIndex from './0018-resolved-index.js';

/** Every migration, in order. Bundled in code so a build carries its schema with it. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-incidents': incidents,
  '0003-realtime': realtime,
  '0004-login-throttle': loginThrottle,
  '0005-sessions': sessions,
  '0006-workers': workers,
  '0007-notifications': notifications,
  '0008-escalation': escalation,
  '0009-reports': reports,
  '0010-incident-reports': incidentReports,
  '0011-report-facts': reportFacts,
  '0012-search': search,
  '0013-list-orders': listOrders,
  '0014-incident-stats': incidentStats,
  '0016-affected': affected,
  '0017-search-queue': searchQueue,
  '0018-resolved-index': resolvedIndex,
};
