import { common } from './en/common.js';
import { incidents } from './en/incidents.js';
import { account } from './en/account.js';
import { admin } from './en/admin.js';
import { reports } from './en/reports.js';
import type { MessageKey } from './es.js';

/** English, one file per area of the app under en/. Must have every key of es.ts (the type checks it). */
export const en: Record<MessageKey, string> = { ...common, ...incidents, ...account, ...admin, ...reports };

/**
 * English names of the default categories. Category names come from the server (an
 * admin may rename them), so Spanish shows the server's name and English uses these
 * for the codes it knows.
 */
export const enCategoryNames: Record<string, string> = {
  infrastructure: 'Infrastructure',
  security: 'Security',
  health: 'Health',
  cleaning: 'Cleaning',
  technology: 'Technology',
  other: 'Other',
};
