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
};
