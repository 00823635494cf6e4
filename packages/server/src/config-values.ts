import { checkBlobKey } from './blobs/keys.js';
import type { Config } from './config.js';

/**
 * The parsers config.ts builds the Config with: plain values (whole numbers, flags, choices,
 * minutes) and the addresses of outside services (database, SMTP, SMS, SNS, S3). Each takes
 * the environment it is given and names the variable when it refuses a value; only
 * config.ts hands them process.env.
 */

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

export function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be 1 or 0, got "${env[name]}"`);
}

export function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

export function databaseUrl(env: Env): string | null {
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

export function databaseSchema(env: Env): string | null {
  const raw = env.DATABASE_SCHEMA?.trim();
  if (!raw) return null;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(raw)) throw new ConfigError('DATABASE_SCHEMA', `must be a lower-case SQL identifier, got "${raw}"`);
  return raw;
}

export function publicUrl(env: Env): string | null {
  const raw = env.PUBLIC_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('PUBLIC_URL', `is not a valid URL, got "${raw}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('PUBLIC_URL', `must start with https:// or http://, got "${raw}"`);
  return url.origin;
}

export function smsWebhookUrl(env: Env): string | null {
  const raw = env.SMS_WEBHOOK_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not echoed: the URL may carry the provider's token.
    throw new ConfigError('SMS_WEBHOOK_URL', 'is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('SMS_WEBHOOK_URL', `must start with https:// or http://, got "${url.protocol}//"`);
  return url.href;
}

export function snsTopicArn(env: Env): string | null {
  const raw = env.SNS_TOPIC_ARN?.trim();
  if (!raw) return null;
  if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(raw)) {
    throw new ConfigError('SNS_TOPIC_ARN', `must be a topic ARN such as arn:aws:sns:us-east-1:123456789012:alerts, got "${raw}"`);
  }
  return raw;
}

/** S3's bucket naming rules (general purpose buckets), so a typo fails at start, not at the first upload. */
export function s3(env: Env): Config['s3'] {
  const bucket = env.S3_BUCKET?.trim();
  const rawPrefix = env.S3_PREFIX?.trim() ?? '';
  const forcePathStyle = flag(env, 'S3_FORCE_PATH_STYLE', false);
  if (!bucket) {
    if (rawPrefix) throw new ConfigError('S3_PREFIX', 'is set but S3_BUCKET is not');
    return null;
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) {
    throw new ConfigError('S3_BUCKET', `must be an S3 bucket name (3-63 lower-case letters, digits, "." and "-"), got "${bucket}"`);
  }
  const prefix = rawPrefix.replace(/\/+$/, '');
  if (prefix) {
    try {
      checkBlobKey(prefix);
    } catch {
      throw new ConfigError('S3_PREFIX', `must be path segments of letters, digits, ".", "_" and "-" (none starting with "."), such as alertautec/prod, got "${rawPrefix}"`);
    }
  }
  return { bucket, prefix, forcePathStyle };
}

export function smtpUrl(env: Env): string | null {
  const raw = env.SMTP_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not echoed: the URL may carry the SMTP password.
    throw new ConfigError('SMTP_URL', 'is not a valid URL');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new ConfigError('SMTP_URL', `must start with smtp:// or smtps://, got "${url.protocol}//"`);
  if (!url.hostname) throw new ConfigError('SMTP_URL', 'must name a host');
  return raw;
}

export function mailFrom(env: Env): string {
  const raw = env.MAIL_FROM?.trim();
  if (!raw) return 'AlertaUTEC <alertas@localhost>';
  // `address@host` or `Name <address@host>`, on one line (it becomes a header).
  if (/[\r\n]/.test(raw) || !/^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/.test(raw)) {
    throw new ConfigError('MAIL_FROM', `must be an address or "Name <address>", got "${raw}"`);
  }
  return raw;
}

/** A positive number of minutes, fractions allowed (`0.1` = 6 s), as seconds. */
export function minutes(env: Env, name: string, fallbackSeconds: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallbackSeconds;
  if (!/^\d+(\.\d+)?$/.test(raw)) throw new ConfigError(name, `must be a number of minutes such as 15 or 0.5, got "${raw}"`);
  const value = Number(raw);
  if (value <= 0 || value > 100_000) throw new ConfigError(name, `must be more than 0 and at most 100000 minutes, got ${value}`);
  return value * 60;
}

/**
 * EMERGENCY_PHONE: the campus emergency number, as people dial it (`+51 1 555 0100`, `105`):
 * digits, an optional leading `+`, spaces, dashes and parentheses.
 */
export function emergencyPhone(env: Env): string | null {
  const raw = env.EMERGENCY_PHONE?.trim();
  if (!raw) return null;
  const digits = raw.replace(/\D/g, '').length;
  if (!/^\+?[0-9( ][0-9 ()-]*$/.test(raw) || digits < 3 || digits > 15 || raw.length > 32) {
    throw new ConfigError('EMERGENCY_PHONE', `must be a phone number such as +51 1 555 0100 or 105 (digits, spaces, "-", "(", ")", an optional leading "+"), got "${raw}"`);
  }
  return raw;
}
