// The product's system (built packages) on the bench's database: the SQLite file under
// DATA_DIR, or a PostgreSQL schema (DATABASE_URL + DATABASE_SCHEMA). Opening it runs the
// migrations and the first-start bootstrap (default tenant, catalog, demo accounts), as
// `npm start` does; nothing runs in the background.
import fs from 'node:fs';
import { createSystem, loadConfig } from '@alertautec/server';

export async function openBenchSystem(options = {}) {
  const env = { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', ALERTA_DEMO: '1', ALERTA_ROLES: 'api' };
  if (!env.DATABASE_URL) delete env.DATABASE_URL;
  const config = loadConfig(env);
  return createSystem(config, options);
}

const statusKiB = (field) => Number(fs.readFileSync('/proc/self/status', 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`))[1]) * 1024;

/** Linux: resets this process's peak resident set size (VmHWM) to the current one. */
export function resetPeakRss() {
  fs.writeFileSync('/proc/self/clear_refs', '5');
}

/** This process's resident set size now and its peak since the last reset (bytes). */
export const rss = () => ({ now: statusKiB('VmRSS'), peak: statusKiB('VmHWM') });
