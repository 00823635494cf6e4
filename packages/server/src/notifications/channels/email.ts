import nodemailer from 'nodemailer';
import { newId, type Clock } from '../../adapters.js';
import type { Db } from '../../store/executor.js';
import { mailboxRepository } from '../mailbox-repository.js';
import { PermanentDeliveryError, TemporaryDeliveryError, type Channel, type OutgoingMessage } from './channel.js';

/**
 * The e-mail channel: SMTP through nodemailer when SMTP_URL is set, else the dev mailbox
 * (a table). Either way every message carries a Message-ID made from its outbox row, so a
 * resend after a crash is the same message (mail systems and clients drop the duplicate),
 * and `References`/`In-Reply-To` name one root per incident, so clients thread them.
 */
export interface MailHeaders {
  messageId: string;
  inReplyTo: string | null;
  references: string | null;
}

export function threadHeaders(message: OutgoingMessage, host: string): MailHeaders {
  const root = message.threadId ? `<incident-${message.threadId}@${host}>` : null;
  return { messageId: `<${message.id}@${host}>`, inReplyTo: root, references: root };
}

export interface SmtpChannel extends Channel {
  close(): void;
}

/** A pooled SMTP transport; SMTP replies decide the retry: 5xx permanent, anything else temporary. */
export function createSmtpChannel(options: { url: string; from: string; host: string }): SmtpChannel {
  const transport = nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: 4,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    name: 'email',
    async send(message, signal) {
      const headers = threadHeaders(message, options.host);
      signal.throwIfAborted();
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
          messageId: headers.messageId,
          ...(headers.inReplyTo ? { inReplyTo: headers.inReplyTo, references: headers.references! } : {}),
          headers: { 'Content-Language': message.language },
        });
        return { providerId: typeof info.response === 'string' ? info.response.slice(0, 200) : undefined };
      } catch (error) {
        throw classifySmtpError(error);
      }
    },
    close: () => transport.close(),
  };
}

/** 5xx replies (a rejected address, a refused message) are permanent; 4xx, timeouts and lost connections are not. */
export function classifySmtpError(error: unknown): Error {
  const responseCode = (error as { responseCode?: unknown }).responseCode;
  const text = error instanceof Error ? error.message : String(error);
  if (typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600) {
    return new PermanentDeliveryError(`SMTP ${responseCode}: ${text}`, { cause: error });
  }
  const code = (error as { code?: unknown }).code;
  return new TemporaryDeliveryError(`${typeof responseCode === 'number' ? `SMTP ${responseCode}` : String(code ?? 'error')}: ${text}`, undefined, { cause: error });
}

/** Development without SMTP: the message is stored (once per Message-ID) for GET /api/dev/mailbox. */
export function createDevMailboxChannel(options: { db: Db; clock: Clock; from: string; host: string }): Channel {
  return {
    name: 'email',
    async send(message) {
      const headers = threadHeaders(message, options.host);
      await mailboxRepository.insertOnce(options.db, {
        id: newId(),
        notification_id: message.id,
        message_id: headers.messageId,
        from_address: options.from,
        to_address: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html ?? null,
        in_reply_to: headers.inReplyTo,
        references_header: headers.references,
        created_at: options.clock.now(),
      });
      return { providerId: headers.messageId };
    },
  };
}
