import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/app.js';
import type { Clock, Timers } from '../../src/adapters.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { App } from '../../src/http/types.js';
import type { DialectName } from '../../src/store/db.js';
import { createSystem, type System, type SystemOptions } from '../../src/system.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

export const ADMIN = { email: 'admin@test.example', password: 'admin-password-1' };

/**
 * A clock the test moves by hand, and timers that run on it: startApp hands them to the
 * realtime side, so a test proves that a timer did (or did not) fire by moving time, not by
 * waiting for it.
 */
export interface ManualClock extends Clock, Timers {
  /** Moves time on by `ms`, firing on the way, in order of their due time, the timers that fall due. */
  advance(ms: number): void;
  /** How many timers are waiting to fire. */
  pendingTimers(): number;
}

export function manualClock(start = Date.now()): ManualClock {
  let now = start;
  let nextHandle = 1;
  // Insertion order is scheduling order: timers due at the same moment fire in that order.
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimeout: (callback, ms) => {
      const handle = nextHandle++;
      timers.set(handle, { at: now + Math.max(0, ms), callback });
      return handle;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
    advance: (ms) => {
      const until = now + ms;
      for (;;) {
        let next: [number, { at: number; callback: () => void }] | undefined;
        for (const entry of timers) if (entry[1].at <= until && (!next || entry[1].at < next[1].at)) next = entry;
        if (!next) break;
        timers.delete(next[0]);
        // A timer sees the time it was due at (a repeating one re-arms from there).
        now = Math.max(now, next[1].at);
        next[1].callback();
      }
      now = until;
    },
    pendingTimers: () => timers.size,
  };
}

const isTimers = (clock: Clock | undefined): clock is Clock & Timers => clock !== undefined && 'setTimeout' in clock && 'clearTimeout' in clock;

export interface TestApp {
  url: string;
  app: App;
  system: System;
  config: Config;
  database: TestDatabase;
  /** fetch against the server, JSON in and out. */
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  /** Signs in and returns the access token. */
  login(email: string, password: string): Promise<string>;
  adminToken(): Promise<string>;
  close(): Promise<void>;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** A raw body sent as is (with its own content type). */
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  // Tests look into answers freely; the schemas are what they check.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

export interface StartOptions {
  env?: Record<string, string>;
  dialect?: DialectName;
  /** A manualClock also drives the realtime side's timers (unless `timers` says otherwise). */
  clock?: Clock;
  timers?: Timers;
  /** Where the server's log lines go (tests that check what was logged). */
  logDestination?: SystemOptions['logDestination'];
  /** More job kinds for the worker runtime. */
  extraJobs?: SystemOptions['extraJobs'];
}

/** Starts a real server on a free port over a fresh database (SQLite unless told). */
export async function startApp(options: StartOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase(options.dialect ?? 'sqlite');
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: database.dataDir,
    LOG_LEVEL: 'silent',
    ALERTA_DEMO: '0',
    PASSWORD_HASH_COST: '12',
    ALERTA_ADMIN_EMAIL: ADMIN.email,
    ALERTA_ADMIN_PASSWORD: ADMIN.password,
    ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    ...options.env,
  });
  const timers = options.timers ?? (isTimers(options.clock) ? options.clock : undefined);
  const system = await createSystem(config, { clock: options.clock, timers, databaseSchema: database.schema, logDestination: options.logDestination, extraJobs: options.extraJobs });
  const app = await buildApp(system);
  await app.listen({ port: 0, host: '127.0.0.1' });
  system.start();
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  const request = async (method: string, path: string, opts: RequestOptions = {}): Promise<TestResponse> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | Buffer | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(url + path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text && /json/.test(response.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed, text };
  };

  const login = async (email: string, password: string) => {
    const response = await request('POST', '/api/auth/login', { body: { email, password } });
    if (response.status !== 200) throw new Error(`login ${email} failed: ${response.status} ${response.text}`);
    return response.body.accessToken as string;
  };

  let adminToken: string | undefined;
  return {
    url,
    app,
    system,
    config,
    database,
    request,
    login,
    adminToken: async () => (adminToken ??= await login(ADMIN.email, ADMIN.password)),
    close: async () => {
      await app.close();
      await system.close();
      await database.drop();
      fs.rmSync(database.dataDir, { recursive: true, force: true });
    },
  };
}
