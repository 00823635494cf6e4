import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_DIST = path.join(WEB_ROOT, 'dist');
const CORE_SRC = path.resolve(WEB_ROOT, '../core/src');
// The SDK is bundled into the app too: a change to it must rebuild.
const CLIENT_SRC = path.resolve(WEB_ROOT, '../client/src');

function newestMtime(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

function isStale(): boolean {
  const built = path.join(WEB_DIST, 'index.html');
  const sources = Math.max(
    newestMtime(path.join(WEB_ROOT, 'src')),
    newestMtime(path.join(WEB_ROOT, 'index.html')),
    newestMtime(path.join(WEB_ROOT, 'public')),
    newestMtime(path.join(WEB_ROOT, 'vite.config.ts')),
    newestMtime(CORE_SRC),
    newestMtime(CLIENT_SRC),
  );
  return !fs.existsSync(built) || fs.statSync(built).mtimeMs < sources;
}

const LOCK = path.join(WEB_ROOT, '.build-lock');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Builds the web app (vite) when dist is missing or older than its sources. Test files
 * run in parallel processes, so one builds while the others wait on a lock directory.
 */
export async function ensureWebBuild(): Promise<void> {
  if (!isStale()) return;
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      // A lock older than five minutes was left by a killed run.
      if (fs.existsSync(LOCK) && Date.now() - fs.statSync(LOCK).mtimeMs > 300_000) fs.rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK}`);
      await sleep(250);
    }
  }
  try {
    if (isStale()) build();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Builds into a fresh folder and swaps it in: vite empties its output folder first, and a
 * server of another test file may be serving dist at that moment.
 */
function build(): void {
  const fresh = `${WEB_DIST}.building-${process.pid}`;
  const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', fresh, '--emptyOutDir'], { cwd: WEB_ROOT, stdio: ['ignore', 'inherit', 'inherit'], timeout: 300_000 });
  if (result.status !== 0) {
    fs.rmSync(fresh, { recursive: true, force: true });
    throw new Error('vite build of the web app failed');
  }
  const old = `${WEB_DIST}.old-${process.pid}`;
  if (fs.existsSync(WEB_DIST)) fs.renameSync(WEB_DIST, old);
  fs.renameSync(fresh, WEB_DIST);
  fs.rmSync(old, { recursive: true, force: true });
}
