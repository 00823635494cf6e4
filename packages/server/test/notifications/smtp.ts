import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server for tests (smtp-server), keeping every message it accepts parsed by
 * mailparser. It can refuse chosen recipients with 550, stop (connections are refused) and
 * start again on the same port.
 */
export interface TestSmtp {
  url: string;
  port: number;
  messages: ParsedMail[];
  /** Recipients refused with 550 (lower-case addresses). */
  rejecting: Set<string>;
  /** While true, messages are read but never answered: the sender waits, nothing is accepted. */
  holding: boolean;
  /** Messages read while holding (never accepted). */
  held: ParsedMail[];
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startSmtp(options: { port?: number; running?: boolean } = {}): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  const held: ParsedMail[] = [];
  const rejecting = new Set<string>();
  const state = { holding: false };
  let server: SMTPServer | null = null;
  let port = options.port ?? 0;

  const start = async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      // Idle pooled connections from the sender are cut at once on stop.
      closeTimeout: 10,
      onRcptTo(address, _session, callback) {
        if (rejecting.has(address.address.toLowerCase())) {
          callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
          return;
        }
        callback();
      },
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((mail) => {
            if (state.holding) return void held.push(mail);
            messages.push(mail);
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', () => resolve());
    });
    port = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
    // A sender killed mid-message resets its connections (one error per pooled connection):
    // expected here, and without a listener the second one would throw in the test process.
    server.on('error', () => undefined);
  };
  const stop = async () => {
    const current = server;
    server = null;
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  };

  await start();
  if (options.running === false) await stop();
  return {
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    messages,
    rejecting,
    held,
    get holding() {
      return state.holding;
    },
    set holding(value: boolean) {
      state.holding = value;
    },
    stop,
    start,
  };
}

/** The address a parsed message was sent to. */
export const recipientOf = (mail: ParsedMail): string => {
  const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
  return (to?.value[0]?.address ?? '').toLowerCase();
};
