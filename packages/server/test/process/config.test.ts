import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/databases.js';

/** Bad configuration stops the real process at start-up with a message naming the variable. */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const dirs: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function runWith(env: Record<string, string>) {
  const dataDir = tempDir('alertautec-config-');
  dirs.push(dataDir);
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      PASSWORD_HASH_COST: '12',
      ALERTA_ADMIN_EMAIL: 'root@config.example',
      ALERTA_ADMIN_PASSWORD: 'config-admin-password',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // A process that does not stop by itself is killed (and the test fails on its null exit code).
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(killer);
  return { code, stdout, stderr, dataDir };
}

after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('bad configuration stops the process', { concurrency: 2 }, () => {
  const cases: [string, Record<string, string>, string][] = [
    ['PORT=abc', { PORT: 'abc' }, 'PORT'],
    ['PORT out of range', { PORT: '70000' }, 'PORT'],
    ['DATABASE_URL=mysql://x', { DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    ['DATABASE_URL not a URL', { DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    ['ALERTA_DEMO=1 with NODE_ENV=production', { ALERTA_DEMO: '1', NODE_ENV: 'production' }, 'ALERTA_DEMO'],
    ['ALERTA_DEMO=maybe', { ALERTA_DEMO: 'maybe' }, 'ALERTA_DEMO'],
    ['ALERTA_ADMIN_EMAIL without a password', { ALERTA_ADMIN_PASSWORD: '' }, 'ALERTA_ADMIN_PASSWORD'],
    ['ALERTA_ADMIN_PASSWORD without an e-mail', { ALERTA_ADMIN_EMAIL: '' }, 'ALERTA_ADMIN_EMAIL'],
    ['ALERTA_ADMIN_EMAIL not an address', { ALERTA_ADMIN_EMAIL: 'root' }, 'ALERTA_ADMIN_EMAIL'],
    ['NODE_ENV=staging', { NODE_ENV: 'staging' }, 'NODE_ENV'],
    ['LOG_LEVEL=loud', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    ['PASSWORD_HASH_COST=4', { PASSWORD_HASH_COST: '4' }, 'PASSWORD_HASH_COST'],
  ];
  for (const [name, env, variable] of cases) {
    it(`${name} → exits non-zero by itself, naming ${variable}`, async () => {
      const result = await runWith(env);
      assert.notEqual(result.code, 0, `exit code ${result.code}; output:\n${result.stdout}${result.stderr}`);
      assert.notEqual(result.code, null, 'it exited by itself');
      assert.match(result.stderr, new RegExp(`\\b${variable}\\b`), `stderr names ${variable}:\n${result.stderr}`);
      assert.doesNotMatch(result.stderr, /^\s+at /m, 'a message, not a stack trace');
      assert.doesNotMatch(result.stdout, /listening/);
      assert.ok(!fs.existsSync(path.join(result.dataDir, 'alertautec.db')), 'nothing was created');
    });
  }
});
