// The one place that reads the environment. Everything else receives a typed Config.
// A bad value stops start-up with a message naming the variable (parsers: config-values.ts).
import { isIP } from 'node:net';
import { Cron } from 'croner';
import path from 'node:path';
import { DEFAULT_SLA, DEMO_EMERGENCY_PHONE, type SlaPolicy } from '@alertautec/core';
import {
  ConfigError,
  databaseSchema,
  databaseUrl,
  emergencyPhone,
  flag,
  integer,
  mailFrom,
  minutes,
  oneOf,
  publicUrl,
  s3,
  smsWebhookUrl,
  smtpUrl,
  snsTopicArn,
  type Env,
} from './config-values.js';

export { ConfigError };

/** What a process runs (ALERTA_ROLES); health and metrics are always served. */
export const PROCESS_ROLES = ['api', 'realtime', 'workers'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

export interface Config {
  env: 'development' | 'production' | 'test';
  /** HTTP API and web app, WebSocket gateway, background workers (log consumers, jobs, schedules). */
  roles: ProcessRole[];
  /** The campus time zone (IANA name): schedules, quiet hours, report periods, dates in messages. */
  timeZone: string;
  /** Per job name: `off`, or a cron expression that replaces the schedule declared in code. */
  jobSchedules: Record<string, string>;
  /** REPORT_GLOBAL_SCHEDULE: the `report.global` job's cron expression, or `off` (JOB_SCHEDULES may still override it). */
  reportGlobalSchedule: string;
  /** How long a worker holds a job or a consumer without renewing: a dead node's work is taken over after this. */
  workerLeaseMs: number;
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  /** PostgreSQL schema for this deployment's tables (default: the search_path's first). */
  databaseSchema: string | null;
  adminEmail: string | null;
  adminPassword: string | null;
  demo: boolean;
  allowedEmailDomains: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Base-2 logarithm of scrypt's cost parameter N for new password hashes. */
  passwordHashCost: number;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** Failed-or-not login attempts allowed per e-mail and client address per minute. */
  loginRateLimit: number;
  /** Failed sign-ins per account and per client address (see auth/login-throttle.ts). */
  loginThrottle: {
    accountMaxFailures: number;
    accountLockSeconds: number;
    accountLockMaxSeconds: number;
    addressMaxFailures: number;
    addressWindowSeconds: number;
  };
  bodyLimitBytes: number;
  attachmentMaxBytes: number;
  /** Seconds each urgency may wait to be acknowledged (fractions allowed, for drills and tests). */
  sla: SlaPolicy;
  /** EMERGENCY_PHONE: the campus emergency number shown for critical reports (the demo campus has one). */
  emergencyPhone: string | null;
  webDir: string | null;
  /** Where people reach the app (e.g. https://alertas.example.edu); https makes cookies Secure. */
  publicUrl: string | null;
  /** The base of links in messages: PUBLIC_URL, or http://localhost:3000 when unset (links only; HSTS and cookies follow publicUrl). */
  linkBaseUrl: string;
  /** E-mail: SMTP_URL (null: the dev mailbox, or no e-mail in production) and the From address. */
  mail: { smtpUrl: string | null; from: string };
  /** How far back a reconnecting client may resume; older answers ResyncRequired. */
  realtimeRetention: { maxEvents: number; maxAgeMs: number };
  wsMaxConnectionsPerUser: number;
  /** How often the gateway pings; a peer that misses a ping is dropped at the next. */
  wsPingIntervalMs: number;
  /** Whether callers on this machine may read /metrics without credentials. */
  metricsAllowLoopback: boolean;
  /**
   * Reverse proxies whose X-Forwarded-For names the client: addresses, CIDR ranges, or
   * `loopback`, `linklocal`, `uniquelocal`. Empty: the header is ignored.
   */
  trustProxy: string[];
  /** Slow and half-open clients (http/server-limits.ts, http/connection-limits.ts). */
  httpLimits: {
    headersTimeoutMs: number;
    /** The whole request, headers and body, must arrive within this. */
    requestTimeoutMs: number;
    keepAliveTimeoutMs: number;
    /** Open connections (through a trusted proxy: requests in flight) per client address. */
    maxConnectionsPerAddress: number;
  };
  /** How long a graceful shutdown may take before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** Log bytes held for a slow stdout reader before lines are dropped. */
  logBufferBytes: number;
  /** SMS channel: `POST {to, body}` as JSON here (null: no SMS). */
  smsWebhookUrl: string | null;
  /** Amazon SNS channel: the topic alerts are published to (null: no SNS). The SDK reads its own AWS_* variables. */
  snsTopicArn: string | null;
  /** Blobs (attachments, reports) in this S3 bucket, keys under `prefix`; null: files under DATA_DIR/blobs. The SDK reads its own AWS_* variables. */
  s3: { bucket: string; prefix: string; forcePathStyle: boolean } | null;
}

function loginThrottle(env: Env): Config['loginThrottle'] {
  const accountLockSeconds = integer(env, 'LOGIN_ACCOUNT_LOCK_SECONDS', 60, 1, 86_400);
  const accountLockMaxSeconds = integer(env, 'LOGIN_ACCOUNT_LOCK_MAX_SECONDS', Math.max(3600, accountLockSeconds), 1, 86_400);
  if (accountLockMaxSeconds < accountLockSeconds) {
    throw new ConfigError('LOGIN_ACCOUNT_LOCK_MAX_SECONDS', `must be at least LOGIN_ACCOUNT_LOCK_SECONDS (${accountLockSeconds}), got ${accountLockMaxSeconds}`);
  }
  return {
    accountMaxFailures: integer(env, 'LOGIN_ACCOUNT_MAX_FAILURES', 5, 1, 1_000),
    accountLockSeconds,
    accountLockMaxSeconds,
    // A campus NAT puts thousands behind one address: only failures count, and generously.
    addressMaxFailures: integer(env, 'LOGIN_ADDRESS_MAX_FAILURES', 1_000, 1, 1_000_000),
    addressWindowSeconds: integer(env, 'LOGIN_ADDRESS_WINDOW_SECONDS', 900, 1, 86_400),
  };
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function trustProxy(env: Env): string[] {
  const entries = (env.TRUST_PROXY ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    if (PROXY_NAMES.includes(entry.toLowerCase())) continue;
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (!family || !bitsOk || extra !== undefined) {
      throw new ConfigError('TRUST_PROXY', `has "${entry}", which is not an IP address, a CIDR range or one of ${PROXY_NAMES.join(', ')}`);
    }
  }
  return entries;
}

function httpLimits(env: Env): Config['httpLimits'] {
  const requestTimeoutMs = integer(env, 'HTTP_REQUEST_TIMEOUT_MS', 120_000, 100, 3_600_000);
  const headersTimeoutMs = integer(env, 'HTTP_HEADERS_TIMEOUT_MS', Math.min(20_000, requestTimeoutMs), 100, 3_600_000);
  // Node refuses a headers timeout longer than the request timeout it is part of.
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError('HTTP_HEADERS_TIMEOUT_MS', `must not exceed HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs}), got ${headersTimeoutMs}`);
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: integer(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 65_000, 100, 600_000),
    maxConnectionsPerAddress: integer(env, 'HTTP_MAX_CONNECTIONS_PER_ADDRESS', 10_000, 1, 1_000_000),
  };
}

function roles(env: Env): ProcessRole[] {
  const raw = env.ALERTA_ROLES?.trim();
  if (!raw) return [...PROCESS_ROLES];
  const names = [...new Set(raw.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean))];
  const unknown = names.filter((name) => !(PROCESS_ROLES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new ConfigError('ALERTA_ROLES', `must list some of ${PROCESS_ROLES.join(', ')} (comma-separated), got "${raw}"`);
  }
  return names as ProcessRole[];
}

function timeZone(env: Env): string {
  const raw = env.ALERTA_TIMEZONE?.trim() || 'America/Lima';
  try {
    new Intl.DateTimeFormat('en', { timeZone: raw });
  } catch {
    throw new ConfigError('ALERTA_TIMEZONE', `must be an IANA time zone such as America/Lima, got "${raw}"`);
  }
  return raw;
}

/**
 * `JOB_SCHEDULES=housekeeping=0 3 * * *;report.global=off`: per job, a cron expression or
 * `off`. The expressions themselves are checked when the workers start (croner).
 */
function jobSchedules(env: Env): Record<string, string> {
  const schedules: Record<string, string> = {};
  for (const entry of (env.JOB_SCHEDULES ?? '').split(';').map((part) => part.trim()).filter(Boolean)) {
    const match = /^([a-z][a-z0-9_.-]{1,63})\s*=\s*(.+)$/.exec(entry);
    if (!match) throw new ConfigError('JOB_SCHEDULES', `must be name=cron pairs separated by ";", got "${entry}"`);
    schedules[match[1]!] = match[2]!.trim();
  }
  return schedules;
}

/** REPORT_GLOBAL_SCHEDULE: a cron expression (checked with croner, as the scheduler will) or `off`. */
function reportGlobalSchedule(env: Env): string {
  const raw = env.REPORT_GLOBAL_SCHEDULE?.trim();
  if (!raw) return '0 * * * *';
  if (raw.toLowerCase() === 'off') return 'off';
  try {
    new Cron(raw, { paused: true });
  } catch (error) {
    throw new ConfigError('REPORT_GLOBAL_SCHEDULE', `must be a cron expression such as "0 * * * *" or "off", got "${raw}" (${(error as Error).message})`);
  }
  return raw;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', 'development', ['development', 'production', 'test'] as const);
  const production = nodeEnv === 'production';

  const adminEmail = env.ALERTA_ADMIN_EMAIL?.trim() || null;
  const adminPassword = env.ALERTA_ADMIN_PASSWORD || null;
  if (adminEmail && !EMAIL.test(adminEmail)) throw new ConfigError('ALERTA_ADMIN_EMAIL', 'is not an e-mail address');
  if (adminEmail && !adminPassword) throw new ConfigError('ALERTA_ADMIN_PASSWORD', 'is required with ALERTA_ADMIN_EMAIL');
  if (adminPassword && !adminEmail) throw new ConfigError('ALERTA_ADMIN_EMAIL', 'is required with ALERTA_ADMIN_PASSWORD');
  if (adminPassword && adminPassword.length < 10) {
    throw new ConfigError('ALERTA_ADMIN_PASSWORD', 'must be at least 10 characters');
  }

  const demo = flag(env, 'ALERTA_DEMO', !production);
  if (demo && production) throw new ConfigError('ALERTA_DEMO', 'cannot be enabled when NODE_ENV=production');

  const domains = (env.ALLOWED_EMAIL_DOMAINS ?? '')
    .split(',')
    .map((domain) => domain.trim().toLowerCase().replace(/^@/, ''))
    .filter(Boolean);
  for (const domain of domains) {
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) {
      throw new ConfigError('ALLOWED_EMAIL_DOMAINS', `has an invalid domain "${domain}"`);
    }
  }

  const webDir = env.WEB_DIR?.trim();
  return {
    env: nodeEnv,
    roles: roles(env),
    timeZone: timeZone(env),
    jobSchedules: jobSchedules(env),
    reportGlobalSchedule: reportGlobalSchedule(env),
    // At least two poll rounds (1 s each), so a running job is renewed before its lease runs out.
    workerLeaseMs: integer(env, 'WORKER_LEASE_SECONDS', 30, 2, 3_600) * 1000,
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir: path.resolve(cwd, env.DATA_DIR?.trim() || './data'),
    databaseUrl: databaseUrl(env),
    databaseSchema: databaseSchema(env),
    adminEmail,
    adminPassword,
    demo,
    allowedEmailDomains: domains,
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    passwordHashCost: integer(env, 'PASSWORD_HASH_COST', 16, 10, 20),
    accessTokenTtlSeconds: integer(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86_400),
    refreshTokenTtlSeconds: integer(env, 'REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, 60, 365 * 86_400),
    loginRateLimit: integer(env, 'LOGIN_RATE_LIMIT', 10, 1, 10_000),
    loginThrottle: loginThrottle(env),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1_048_576, 1_024, 64 * 1_048_576),
    attachmentMaxBytes: integer(env, 'ATTACHMENT_MAX_BYTES', 10 * 1_048_576, 1_024, 100 * 1_048_576),
    sla: {
      critical: minutes(env, 'SLA_CRITICAL_MINUTES', DEFAULT_SLA.critical),
      high: minutes(env, 'SLA_HIGH_MINUTES', DEFAULT_SLA.high),
      medium: minutes(env, 'SLA_MEDIUM_MINUTES', DEFAULT_SLA.medium),
      low: minutes(env, 'SLA_LOW_MINUTES', DEFAULT_SLA.low),
    },
    emergencyPhone: emergencyPhone(env) ?? (demo ? DEMO_EMERGENCY_PHONE : null),
    webDir: webDir ? path.resolve(cwd, webDir) : null,
    publicUrl: publicUrl(env),
    linkBaseUrl: publicUrl(env) ?? 'http://localhost:3000',
    mail: { smtpUrl: smtpUrl(env), from: mailFrom(env) },
    realtimeRetention: {
      maxEvents: integer(env, 'REALTIME_RETENTION_EVENTS', 100_000, 1, 100_000_000),
      maxAgeMs: integer(env, 'REALTIME_RETENTION_DAYS', 7, 1, 365) * 86_400_000,
    },
    wsMaxConnectionsPerUser: integer(env, 'WS_MAX_CONNECTIONS_PER_USER', 10, 1, 100_000),
    wsPingIntervalMs: integer(env, 'WS_PING_INTERVAL_MS', 25_000, 100, 600_000),
    metricsAllowLoopback: flag(env, 'METRICS_ALLOW_LOOPBACK', true),
    trustProxy: trustProxy(env),
    httpLimits: httpLimits(env),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 15_000, 100, 600_000),
    logBufferBytes: integer(env, 'LOG_BUFFER_BYTES', 4 * 1_048_576, 65_536, 1_073_741_824),
    smsWebhookUrl: smsWebhookUrl(env),
    snsTopicArn: snsTopicArn(env),
    s3: s3(env),
  };
}
