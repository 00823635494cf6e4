import type * as Sdk from '@aws-sdk/client-sns';
import type { MessageAttributeValue, PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { PermanentDeliveryError, TemporaryDeliveryError, type Channel, type OutgoingMessage, type SendResult } from './channel.js';
import { deadline } from './deadline.js';

/**
 * The Amazon SNS channel: publishes each alert to SNS_TOPIC_ARN with the AWS SDK v3, carrying
 * urgency, category and incident id as message attributes so subscriptions can filter on them.
 * The SDK reads its own variables (AWS_REGION, credentials, AWS_ENDPOINT_URL_SNS); this file
 * never reads the environment. The SDK is loaded at the first send, so a deployment without
 * SNS never pays for it (nor sees its start-up warnings).
 */
export interface SnsChannelOptions {
  /** SNS_TOPIC_ARN, `arn:aws:sns:<region>:<account>:<name>`. */
  topicArn: string;
  /**
   * A ready client (tests, a custom endpoint). Without it the channel builds one with
   * `maxAttempts: 1`: the delivery job retries with its own backoff and counts every attempt,
   * so the SDK retrying inside one attempt would only hide attempts and stretch timeouts.
   */
  client?: Pick<SNSClient, 'send'>;
  /** One attempt's whole budget (default 10 s); then it is a temporary failure. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** SNS: "less than 100 characters", printable ASCII, no line breaks. */
const SUBJECT_MAX = 99;
/** SNS allows 10 message attributes per message. */
const MAX_ATTRIBUTES = 10;

export function createSnsChannel(options: SnsChannelOptions): Channel {
  const topicArn = options.topicArn;
  const topicRegion = parseTopicArn(topicArn).region;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let client: Promise<Pick<SNSClient, 'send'>> | null = options.client ? Promise.resolve(options.client) : null;

  return {
    name: 'sns',
    async send(message: OutgoingMessage, signal: AbortSignal): Promise<SendResult> {
      const input = publishInput(topicArn, message);
      const limit = deadline(signal, timeoutMs);
      try {
        const { PublishCommand } = await loadSdk();
        client ??= defaultClient(topicRegion);
        const output = await (await client).send(new PublishCommand(input), { abortSignal: limit.signal });
        return { providerId: output.MessageId };
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        if (limit.timedOut()) throw new TemporaryDeliveryError(`SNS did not answer within ${timeoutMs} ms`, undefined, { cause: error });
        throw classifySnsError(error);
      } finally {
        limit.dispose();
      }
    },
  };
}

/**
 * The SDK's own client, so AWS_REGION, credentials and AWS_ENDPOINT_URL_SNS apply as the SDK
 * defines them. With no region configured anywhere, the topic's own region is used: a topic
 * can only be published to in its region anyway.
 */
async function defaultClient(topicRegion: string): Promise<SNSClient> {
  const { SNSClient } = await loadSdk();
  const client = new SNSClient({ maxAttempts: 1 });
  try {
    await client.config.region();
    return client;
  } catch {
    client.destroy();
    return new SNSClient({ maxAttempts: 1, region: topicRegion });
  }
}

let sdk: Promise<typeof Sdk> | null = null;
function loadSdk(): Promise<typeof Sdk> {
  sdk ??= import('@aws-sdk/client-sns');
  return sdk;
}

export function parseTopicArn(arn: string): { partition: string; region: string; account: string; name: string } {
  const match = /^arn:(aws[a-z-]*):sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$/.exec(arn);
  if (!match) throw new Error(`"${arn}" is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)`);
  return { partition: match[1]!, region: match[2]!, account: match[3]!, name: match[4]! };
}

export function publishInput(topicArn: string, message: OutgoingMessage): PublishCommandInput {
  const subject = snsSubject(message.subject);
  const input: PublishCommandInput = {
    TopicArn: topicArn,
    // SNS refuses an empty message; a subject-only notice still says something.
    Message: message.text.trim() ? message.text : message.subject,
    MessageAttributes: messageAttributes(message),
  };
  if (subject) input.Subject = subject;
  if (topicArn.endsWith('.fifo')) {
    // A FIFO topic drops a second publish with the same deduplication id for five minutes:
    // the outbox row's id makes a resend after a lost answer harmless. One group per incident keeps its alerts in order.
    input.MessageDeduplicationId = message.id.slice(0, 128);
    input.MessageGroupId = (message.incidentId ?? 'alerts').slice(0, 128);
  }
  return input;
}

/**
 * SNS takes a subject of printable ASCII under 100 characters without line breaks: accents
 * are folded ("crítico" → "critico"), other characters dropped, whitespace collapsed. Empty
 * means no subject (it is optional).
 */
export function snsSubject(subject: string): string {
  const ascii = subject
    .normalize('NFKD')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  return ascii.length <= SUBJECT_MAX ? ascii : `${ascii.slice(0, SUBJECT_MAX - 3).trimEnd()}...`;
}

/** The message's attributes (urgency, category, incidentId…) as String attributes; names SNS would refuse are left out. */
function messageAttributes(message: OutgoingMessage): Record<string, MessageAttributeValue> {
  const values: Record<string, string> = { ...message.attributes };
  if (message.incidentId && !values.incidentId) values.incidentId = message.incidentId;
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(values)) {
    if (Object.keys(attributes).length >= MAX_ATTRIBUTES) break;
    if (!validAttributeName(name) || value === '') continue;
    attributes[name] = { DataType: 'String', StringValue: value };
  }
  return attributes;
}

function validAttributeName(name: string): boolean {
  return (
    /^[A-Za-z0-9_.-]{1,256}$/.test(name) && !/^(aws|amazon)\./i.test(name) && !name.startsWith('.') && !name.endsWith('.') && !name.includes('..')
  );
}

/** Codes that say "not now": throttling, the service's own trouble, credentials about to be refreshed, clock skew. */
const TEMPORARY_CODES = new Set([
  'Throttled',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'KMSThrottling',
  'KMSThrottlingException',
  'InternalError',
  'InternalErrorException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'RequestTimeTooSkewed',
]);

/**
 * SNS answered with a client fault (InvalidParameter, InvalidParameterValue, NotFound for the
 * topic, AuthorizationError, KMSDisabled…): no retry changes that, so the row is dead at once.
 * Throttling, 5xx and anything that never got an answer (refused, reset, no credentials yet) may pass.
 */
export function classifySnsError(error: unknown): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  const name = failure.name;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  const fault = (error as { $fault?: string } | null)?.$fault;
  const detail = `SNS ${name}${status ? ` (${status})` : ''}: ${failure.message}`;
  if (TEMPORARY_CODES.has(name) || (status !== undefined && (status >= 500 || status === 429)) || fault === 'server') {
    return new TemporaryDeliveryError(detail, undefined, { cause: error });
  }
  if (status !== undefined && status >= 400) return new PermanentDeliveryError(detail, { cause: error });
  return new TemporaryDeliveryError(detail, undefined, { cause: error });
}
