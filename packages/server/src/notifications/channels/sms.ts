import { PermanentDeliveryError, TemporaryDeliveryError, type Channel, type OutgoingMessage, type SendResult } from './channel.js';
import { deadline } from './deadline.js';

/**
 * The SMS channel: `POST {to, body}` as JSON to SMS_WEBHOOK_URL (CONTRACT §2), for a gateway
 * the campus runs or a provider's webhook. The outbox row's id goes out as `Idempotency-Key`,
 * so a provider that honours it drops the resend after a lost response.
 */
export interface SmsChannelOptions {
  /** SMS_WEBHOOK_URL. `https://user:secret@host/…` is sent as HTTP Basic auth (fetch refuses credentials in URLs). */
  webhookUrl: string;
  /** Node's global fetch unless given (tests, a proxy-aware fetch). */
  fetch?: typeof fetch;
  /** One attempt's whole budget, connect to last body byte (default 10 s); then it is a temporary failure. */
  timeoutMs?: number;
  /** Longest body sent (default 480 characters: three concatenated GSM-7 segments and change). */
  maxLength?: number;
  /** For Retry-After given as an HTTP date. */
  now?: () => number;
}

export const SMS_MAX_LENGTH = 480;
const DEFAULT_TIMEOUT_MS = 10_000;
/** What of a provider's error answer is kept for the admins' outbox view. */
const ERROR_SNIPPET = 200;

export function createSmsChannel(options: SmsChannelOptions): Channel {
  const { url, authorization } = splitCredentials(options.webhookUrl);
  const send = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxLength = options.maxLength ?? SMS_MAX_LENGTH;
  const now = options.now ?? Date.now;

  return {
    name: 'sms',
    async send(message: OutgoingMessage, signal: AbortSignal): Promise<SendResult> {
      const to = phoneNumber(message.to);
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
        'idempotency-key': message.id,
      };
      if (authorization) headers.authorization = authorization;
      const body = JSON.stringify({ to, body: smsBody(message, maxLength) });

      const limit = deadline(signal, timeoutMs);
      try {
        // Redirects are not followed: a 301/302 would turn the POST into a GET and lose the message.
        const response = await send(url, { method: 'POST', headers, body, redirect: 'manual', signal: limit.signal });
        const answer = await response.text();
        if (response.ok) return { providerId: providerId(answer) };
        throw classifyStatus(response.status, response.headers.get('retry-after'), answer, now());
      } catch (error) {
        if (error instanceof PermanentDeliveryError || error instanceof TemporaryDeliveryError) throw error;
        // The caller's abort (job timeout, lost lease, shutdown) is the runner's business: hand its reason back.
        if (signal.aborted) throw signal.reason;
        if (limit.timedOut()) throw new TemporaryDeliveryError(`SMS webhook did not answer within ${timeoutMs} ms`, undefined, { cause: error });
        throw new TemporaryDeliveryError(`SMS webhook unreachable: ${networkReason(error)}`, undefined, { cause: error });
      } finally {
        limit.dispose();
      }
    },
  };
}

/**
 * The SMS text: the rendered text when it fits; otherwise the subject and the incident link
 * (the last URL in the text), since the link is what the reader needs; without a link, the
 * text cut with an ellipsis. Whitespace runs collapse: line layout costs characters in SMS.
 */
export function smsBody(message: Pick<OutgoingMessage, 'subject' | 'text'>, maxLength = SMS_MAX_LENGTH): string {
  const text = compact(message.text) || compact(message.subject);
  if (text.length <= maxLength) return text;
  const link = [...text.matchAll(/https?:\/\/\S+/g)].at(-1)?.[0];
  if (link && link.length < maxLength - 1) {
    const subject = cut(compact(message.subject) || text, maxLength - link.length - 1);
    return subject ? `${subject} ${link}` : link;
  }
  return cut(text, maxLength);
}

function compact(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

function cut(value: string, length: number): string {
  if (value.length <= length) return value;
  if (length <= 1) return '';
  return `${value.slice(0, length - 1).trimEnd()}…`;
}

/** E.164 after dropping the separators people type ("+51 987-654-321"); anything else no retry can fix. */
function phoneNumber(raw: string): string {
  const number = raw.replace(/[\s().-]/g, '');
  if (!/^\+[1-9]\d{6,14}$/.test(number)) throw new PermanentDeliveryError(`"${raw}" is not a phone number in E.164 form (+51987654321)`);
  return number;
}

function splitCredentials(webhookUrl: string): { url: string; authorization: string | null } {
  const url = new URL(webhookUrl);
  if (!url.username && !url.password) return { url: url.href, authorization: null };
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url: url.href, authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

/** 408, 425, 429 and 5xx may pass; any other refusal (400, 401, 403, 404, 422, a redirect) will not. */
function classifyStatus(status: number, retryAfter: string | null, answer: string, now: number): Error {
  const detail = `SMS webhook answered ${status}${snippet(answer)}`;
  if (status >= 500 || status === 408 || status === 425 || status === 429) {
    return new TemporaryDeliveryError(detail, retryAfterMs(retryAfter, now));
  }
  return new PermanentDeliveryError(detail);
}

/** Retry-After in seconds or as an HTTP date, as milliseconds from now (at most a day; nonsense ignored). */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), 86_400_000);
}

function snippet(answer: string): string {
  const text = compact(answer);
  if (!text) return '';
  return `: ${text.length > ERROR_SNIPPET ? `${text.slice(0, ERROR_SNIPPET)}…` : text}`;
}

/** A provider's message id, when its JSON answer names one. */
function providerId(answer: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(answer);
    if (parsed && typeof parsed === 'object') {
      for (const key of ['id', 'messageId', 'sid']) {
        const value = (parsed as Record<string, unknown>)[key];
        if (typeof value === 'string' || typeof value === 'number') return String(value);
      }
    }
  } catch {
    // Not JSON, or empty: the provider gave no id, which is fine.
  }
  return undefined;
}

/** undici hides the socket error in `cause` ("fetch failed" ← ECONNREFUSED). */
function networkReason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `${code} ${cause.message}` : cause.message;
  }
  return String(cause);
}
