import { common } from './es/common.js';
import { incidents } from './es/incidents.js';
import { account } from './es/account.js';
import { admin } from './es/admin.js';
import { reports } from './es/reports.js';

/**
 * Spanish (es-PE): the source dictionary, one file per area of the app under es/. Every key
 * here must exist in en.ts. Placeholders are `{name}`; counts use ICU plurals.
 */
export const es = { ...common, ...incidents, ...account, ...admin, ...reports };

export type MessageKey = keyof typeof es;
