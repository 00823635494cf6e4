import path from 'node:path';
import { DEFAULT_SLA, type SlaPolicy } from '@alertautec/core';

/**
 * The one place that reads the environment. Everything else receives a typed Config.
 * A bad value stops start-up with a message naming the variable.
 */
export interface Config {
  env: 'development' | 'production' | 'test';
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
  bodyLimitBytes: number;
  attachmentMaxBytes: number;
  /** Seconds each urgency may wait to be acknowledged. */
  sla: SlaPolicy;
  webDir: string | null;
  /** How far back a reconnecting client may resume; older answers ResyncRequired. */
  realtimeRetention: { maxEvents: number; maxAgeMs: number };
  wsMaxConnectionsPerUser: number;
  /** How often the gateway pings; a peer that misses a ping is dropped at the next. */
  wsPingIntervalMs: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be 1 or 0, got "${env[name]}"`);
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function databaseUrl(env: Env): string | null {
  const raw = env.DATABASE_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a valid URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', `must start with postgres://, got "${url.protocol}//"`);
  }
  return raw;
}

function databaseSchema(env: Env): string | null {
  const raw = env.DATABASE_SCHEMA?.trim();
  if (!raw) return null;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(raw)) throw new ConfigError('DATABASE_SCHEMA', `must be a lower-case SQL identifier, got "${raw}"`);
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
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1_048_576, 1_024, 64 * 1_048_576),
    attachmentMaxBytes: integer(env, 'ATTACHMENT_MAX_BYTES', 10 * 1_048_576, 1_024, 100 * 1_048_576),
    sla: {
      critical: integer(env, 'SLA_CRITICAL_MINUTES', DEFAULT_SLA.critical / 60, 1, 100_000) * 60,
      high: integer(env, 'SLA_HIGH_MINUTES', DEFAULT_SLA.high / 60, 1, 100_000) * 60,
      medium: integer(env, 'SLA_MEDIUM_MINUTES', DEFAULT_SLA.medium / 60, 1, 100_000) * 60,
      low: integer(env, 'SLA_LOW_MINUTES', DEFAULT_SLA.low / 60, 1, 100_000) * 60,
    },
    webDir: webDir ? path.resolve(cwd, webDir) : null,
    realtimeRetention: {
      maxEvents: integer(env, 'REALTIME_RETENTION_EVENTS', 100_000, 1, 100_000_000),
      maxAgeMs: integer(env, 'REALTIME_RETENTION_DAYS', 7, 1, 365) * 86_400_000,
    },
    wsMaxConnectionsPerUser: integer(env, 'WS_MAX_CONNECTIONS_PER_USER', 10, 1, 100_000),
    wsPingIntervalMs: integer(env, 'WS_PING_INTERVAL_MS', 25_000, 100, 600_000),
  };
}
