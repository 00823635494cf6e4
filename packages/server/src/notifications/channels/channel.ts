/**
 * The notification channel port: declared here, by the delivery job that uses it; the
 * adapters (SMTP and the dev mailbox, the SMS webhook, Amazon SNS, in-app) implement it.
 * A channel sends one rendered message and says how a failure should be treated.
 */
export const CHANNELS = ['email', 'sms', 'sns', 'inapp'] as const;
export type ChannelName = (typeof CHANNELS)[number];

export interface OutgoingMessage {
  /** The outbox row's id: stable across retries, so a channel can make a resend harmless (Message-ID, idempotency keys). */
  id: string;
  /** The tenant the row belongs to (the in-app channel addresses connections by tenant and user). */
  tenantId?: string;
  channel: ChannelName;
  /** An e-mail address, a phone number in E.164, an SNS topic ARN, or a user id (in-app). */
  to: string;
  /** Recipient language the message was rendered in. */
  language: 'es' | 'en';
  subject: string;
  text: string;
  html?: string;
  /** The incident the message is about, when it is about one. */
  incidentId: string | null;
  /** E-mail threading: messages with the same thread id share `References`, so mail clients group them. */
  threadId?: string;
  /** Extra facts some channels carry (SNS message attributes: urgency, category, incidentId). */
  attributes?: Record<string, string>;
}

export interface SendResult {
  /** The provider's own id (SMTP response, SNS MessageId), kept for the admins' outbox view. */
  providerId?: string;
}

export interface Channel {
  readonly name: ChannelName;
  /** Sends one message; throws a DeliveryError subclass to steer the retry, anything else counts as temporary. */
  send(message: OutgoingMessage, signal: AbortSignal): Promise<SendResult>;
}

/** A failure no retry can fix (a rejected address, 5xx SMTP, an invalid SNS parameter): the row goes to `dead` at once. */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}

/** A failure worth retrying later (connection refused, timeout, 4xx SMTP, 5xx HTTP, throttling). */
export class TemporaryDeliveryError extends Error {
  override name = 'TemporaryDeliveryError';
  constructor(
    message: string,
    /** What the provider asked for (Retry-After), if anything. */
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
