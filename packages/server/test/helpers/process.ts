import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * The real server in a child process (`node … src/main.ts`), configured by its environment
 * only, for tests that need what only a process shows: that it starts, stays alive, and
 * stops on signals. `env` overrides the test defaults below.
 */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** Settles when the process has exited, with how. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  /** Whether the process is still running. */
  alive(): boolean;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves once /readyz answers 200 (asking again and again); fails if the process exits. */
  ready(timeoutMs?: number): Promise<void>;
  // Tests look into answers freely.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request(method: string, route: string, options?: { token?: string; body?: unknown }): Promise<{ status: number; headers: Headers; body: any }>;
  stop(): Promise<void>;
}

export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', PASSWORD_HASH_COST: '10', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const waiter of waiters) waiter();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
      for (const waiter of waiters) waiter();
    }),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  const url = `http://127.0.0.1:${port}`;
  return {
    child,
    port,
    url,
    exited,
    output: () => output,
    alive,
    waitForOutput: (pattern, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern}; output:\n${output}`));
        }, timeoutMs);
        const check = () => {
          if (pattern.test(output)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          } else if (!alive()) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`the server exited (${child.exitCode ?? child.signalCode}) before ${pattern}; output:\n${output}`));
          }
        };
        waiters.add(check);
        check();
      }),
    ready: async (timeoutMs = 30_000) => {
      const started = Date.now();
      for (;;) {
        if (!alive()) throw new Error(`the server exited (${child.exitCode ?? child.signalCode}); output:\n${output}`);
        if (await fetch(`${url}/readyz`).then((response) => response.status === 200, () => false)) return;
        if (Date.now() - started > timeoutMs) throw new Error(`the server did not become ready; output:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    request: async (method, route, opts = {}) => {
      const headers: Record<string, string> = {};
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      if (opts.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(url + route, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text && /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text };
    },
    stop: async () => {
      if (alive()) {
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }
      await exited;
    },
  };
}

/**
 * A TCP proxy in front of a server (PostgreSQL here): `stop()` cuts every connection and
 * refuses new ones, as a database restart or a network partition would; `start()` lets
 * connections through again, on the same port.
 */
export interface TcpProxy {
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      const listening = net.createServer((inbound) => {
        const outbound = net.connect(target.port, target.host);
        sockets.add(inbound).add(outbound);
        const drop = () => {
          inbound.destroy();
          outbound.destroy();
          sockets.delete(inbound);
          sockets.delete(outbound);
        };
        inbound.on('error', drop).on('close', drop);
        outbound.on('error', drop).on('close', drop);
        inbound.pipe(outbound).pipe(inbound);
      });
      listening.once('error', reject);
      listening.listen(port, '127.0.0.1', () => {
        server = listening;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      const closing = server;
      server = undefined;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (!closing) return resolve();
      closing.close(() => resolve());
    });
  await start();
  return { port, start, stop };
}
