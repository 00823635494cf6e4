import type { Migration } from 'kysely';
import * as foundation from './0001-foundation.js';
import * as incidents from './0002-incidents.js';

/** Every migration, in order. Bundled in code so a build carries its schema with it. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-incidents': incidents,
};
