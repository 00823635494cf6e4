import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../../src/config.js';
import { boundedDestination, type LogOutput } from '../../src/ops/logger.js';
import { tempDir } from '../helpers/databases.js';
import { freePort } from '../helpers/process.js';

/**
 * A log reader that stalls (stdout is a pipe nobody reads) neither stops the server nor
 * its shutdown: lines past LOG_BUFFER_BYTES are dropped, and SIGTERM still ends the
 * process — cleanly, or at SHUTDOWN_TIMEOUT_MS when something holds the shutdown up.
 */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const children = new Set<ChildProcess>();
const dirs: string[] = [];

after(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

interface Stalled {
  child: ChildProcess;
  url: string;
  port: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the server wrote to stdout, read only once it has exited. */
  stdoutAfterExit(): Promise<string>;
}

/** The real server whose stdout is a pipe this test does not read until the process is gone. */
async function spawnWithStalledStdout(env: Record<string, string>): Promise<Stalled> {
  const port = await freePort();
  const dataDir = tempDir('alertautec-stalled-');
  dirs.push(dataDir);
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ALERTA_DEMO: '0', PASSWORD_HASH_COST: '10', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.stdout!.pause(); // nobody reads: once the pipe is full, the server's writes cannot proceed
  child.stderr!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  // Ready once /healthz answers (its start-up line is in the unread pipe).
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    if (await get(port, '/healthz').then((status) => status === 200, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    exited,
    stdoutAfterExit: async () => {
      await exited;
      let text = '';
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => (text += chunk));
      child.stdout!.resume();
      await new Promise((resolve) => child.stdout!.once('end', resolve));
      return text;
    },
  };
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 4 });

function get(port: number, path: string, agent: http.Agent | false = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
  });
}

/** Enough logging to fill any pipe many times over: each request logs its 8 KB URL. */
async function floodTheLog(port: number, requests = 600) {
  const pad = 'x'.repeat(8_000);
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next++;
      assert.equal(await get(port, `/healthz?pad=${pad}`, keepAlive), 200);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return requests;
}

describe('a stalled log reader', { timeout: 60_000 }, () => {
  it('does not stop the server, and SIGTERM still exits cleanly; lines past the buffer were dropped', async () => {
    const server = await spawnWithStalledStdout({ LOG_LEVEL: 'info', LOG_BUFFER_BYTES: '65536' });
    const requests = await floodTheLog(server.port);
    // Still answering after ~5 MB of log nobody read.
    assert.equal(await get(server.port, '/healthz'), 200);
    keepAlive.destroy();

    server.child.kill('SIGTERM');
    const { code, signal } = await server.exited;
    assert.equal(signal, null);
    assert.equal(code, 0);

    const logged = await server.stdoutAfterExit();
    const lines = logged.split('\n').filter(Boolean);
    for (const line of lines) JSON.parse(line); // whole lines only: dropped, never torn
    const incoming = lines.filter((line) => line.includes('"incoming request"')).length;
    assert.ok(incoming < requests, `lines were dropped (${incoming} of ${requests} requests logged)`);
  });

  it('a shutdown held up by an in-flight request ends at SHUTDOWN_TIMEOUT_MS, exit 1', async () => {
    const server = await spawnWithStalledStdout({ LOG_LEVEL: 'info', LOG_BUFFER_BYTES: '65536', SHUTDOWN_TIMEOUT_MS: '500' });
    await floodTheLog(server.port, 200);
    keepAlive.destroy();
    // A request whose body never finishes keeps app.close() waiting (the request timeout is the default 120 s).
    // Its `100 Continue` says the server has taken the request in.
    const held = http.request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/auth/login', agent: false, headers: { 'content-type': 'application/json', 'content-length': 1000, expect: '100-continue' } });
    held.on('error', () => undefined);
    await new Promise((resolve) => held.once('continue', resolve));
    held.write('{');

    const signalled = Date.now();
    server.child.kill('SIGTERM');
    const { code, signal } = await server.exited;
    held.destroy();
    assert.equal(signal, null);
    assert.equal(code, 1, 'the deadline, not a clean shutdown, ended it');
    assert.ok(Date.now() - signalled >= 500, 'it waited for the in-flight request until the deadline');
  });
});

describe('the log buffer', () => {
  it('holds at most LOG_BUFFER_BYTES for a reader that never reads, dropping and counting the rest', () => {
    let buffered = 0;
    const neverDrains: LogOutput = {
      write: (chunk) => ((buffered += Buffer.byteLength(chunk)), false),
      get writableLength() {
        return buffered;
      },
      on: () => undefined,
      once: () => undefined,
      removeListener: () => undefined,
    };
    const destination = boundedDestination(neverDrains, 10_000);
    const line = `${JSON.stringify({ msg: 'x'.repeat(90) })}\n`;
    for (let i = 0; i < 1_000; i++) destination.write(line);
    assert.ok(buffered <= 10_000, `${buffered} bytes held`);
    assert.ok(buffered > 10_000 - line.length * 2, 'up to the limit');
    assert.equal(destination.dropped(), 1_000 - buffered / line.length);
  });

  it('LOG_BUFFER_BYTES, SHUTDOWN_TIMEOUT_MS and the HTTP limits are validated, naming the variable', () => {
    const base = { DATA_DIR: tempDir('alertautec-config-') };
    dirs.push(base.DATA_DIR);
    const bad: Record<string, string>[] = [
      { LOG_BUFFER_BYTES: '100' },
      { SHUTDOWN_TIMEOUT_MS: 'soon' },
      { HTTP_REQUEST_TIMEOUT_MS: '0' },
      { HTTP_MAX_CONNECTIONS_PER_ADDRESS: '0' },
      { HTTP_KEEP_ALIVE_TIMEOUT_MS: '-1' },
      { TRUST_PROXY: 'proxy.example' },
      { TRUST_PROXY: '10.0.0.0/33' },
    ];
    for (const env of bad) {
      const variable = Object.keys(env)[0]!;
      assert.throws(() => loadConfig({ ...base, ...env }), (error: unknown) => error instanceof ConfigError && error.variable === variable, variable);
    }
    assert.throws(() => loadConfig({ ...base, HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_HEADERS_TIMEOUT_MS: '2000' }), { variable: 'HTTP_HEADERS_TIMEOUT_MS' });
    const good = loadConfig({ ...base, TRUST_PROXY: '10.0.0.1, 192.168.0.0/16, ::1, loopback', LOG_BUFFER_BYTES: '65536', SHUTDOWN_TIMEOUT_MS: '500' });
    assert.deepEqual(good.trustProxy, ['10.0.0.1', '192.168.0.0/16', '::1', 'loopback']);
    assert.equal(good.logBufferBytes, 65_536);
    assert.equal(good.shutdownTimeoutMs, 500);
  });
});
