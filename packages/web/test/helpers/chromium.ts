import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * Debian's Chromium for the browser tests. When it is missing and this machine can
 * install packages (root with apt-get), it is installed; otherwise the reason is returned
 * so the tests can skip (or fail, under CI=true).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let ensured: { path: string | null; reason: string | null } | undefined;

function run(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 600_000 });
  if (result.status !== 0) process.stderr.write(`${command} ${args.join(' ')} failed: ${result.stderr?.toString().slice(-2000)}\n`);
  return result.status === 0;
}

export function ensureChromium(): { path: string | null; reason: string | null } {
  if (ensured) return ensured;
  if (fs.existsSync(CHROMIUM_PATH)) return (ensured = { path: CHROMIUM_PATH, reason: null });
  const aptGet = ['/usr/bin/apt-get', '/bin/apt-get'].find((candidate) => fs.existsSync(candidate));
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!aptGet || !isRoot) {
    return (ensured = { path: null, reason: `${CHROMIUM_PATH} is missing and apt-get cannot install it here (install the "chromium" package)` });
  }
  process.stderr.write('Installing Chromium for the browser tests (apt-get install chromium)…\n');
  // Test files run in parallel processes: they take turns on one lock, and whoever comes
  // second finds Chromium installed instead of failing on apt's own lock.
  const install = `test -x ${CHROMIUM_PATH} || { ${aptGet} update -qq && ${aptGet} install -y -qq chromium; }`;
  const flock = ['/usr/bin/flock', '/bin/flock'].find((candidate) => fs.existsSync(candidate));
  const installed = flock ? run(flock, ['/tmp/alertautec-chromium-install.lock', 'sh', '-c', install]) : run('sh', ['-c', install]);
  if (!installed || !fs.existsSync(CHROMIUM_PATH)) {
    return (ensured = { path: null, reason: 'apt-get could not install chromium' });
  }
  return (ensured = { path: CHROMIUM_PATH, reason: null });
}
