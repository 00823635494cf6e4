import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

// What `npm run alerta` runs, read from the root package.json so the two cannot drift apart.
const SCRIPT = (JSON.parse(fs.readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: { alerta: string } }).scripts.alerta.split(' ');

/**
 * The operator's CLI as operators run it, in a child process configured by the environment
 * only (`env` overrides the defaults below): the `alerta` script's command line, or
 * `npm run alerta -- <args>` itself with `viaNpm` (slower: npm starts first).
 */
export function alerta(args: string[], env: Record<string, string> = {}, options: { viaNpm?: boolean } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const [command, ...scriptArgs] = options.viaNpm ? ['npm', 'run', '--silent', 'alerta', '--'] : SCRIPT;
    const child = spawn(command === 'node' ? process.execPath : command!, [...scriptArgs, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PASSWORD_HASH_COST: '10', ALERTA_DEMO: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
