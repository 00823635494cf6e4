import type { Migration } from 'kysely';
import * as foundation from './0001-foundation.js';
import * as incidents from './0002-incidents.js';
import * as realtime from './0003-realtime.js';

/** Every migration, in order. Bundled in code so a build carries its schema with it. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-incidents': incidents,
  '0003-realtime': realtime,
};
