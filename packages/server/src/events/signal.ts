import { EventEmitter } from 'node:events';
import pg from 'pg';

/**
 * Notices between the parts of the system, on named channels: "tenant T's log has grown",
 * "a message was published". In one process they are in-process events; on PostgreSQL
 * they also cross processes with LISTEN/NOTIFY, so an event committed on node A wakes
 * node B's broadcaster. Log wake-ups are only hints (a consumer that misses one catches up
 * on its next read), so they may be lost or duplicated.
 */
export interface Notices {
  notify(channel: string, payload: string): void;
  on(channel: string, listener: (payload: string) => void): () => void;
  ready: Promise<void>;
  close(): Promise<void>;
}

export function createLocalNotices(): Notices {
  const emitter = new EventEmitter().setMaxListeners(0);
  return {
    notify: (channel, payload) => void emitter.emit(channel, payload),
    on(channel, listener) {
      emitter.on(channel, listener);
      return () => emitter.off(channel, listener);
    },
    ready: Promise.resolve(),
    close: async () => void emitter.removeAllListeners(),
  };
}

export interface PostgresNoticesOptions {
  connectionString: string;
  /** Prefixed to channel names, so isolated schemas (tests) do not hear each other. */
  prefix: string;
  channels: readonly string[];
  onError: (error: unknown) => void;
}

/** Every notice goes through PostgreSQL, so this node hears its own as the others do. */
export function createPostgresNotices(options: PostgresNoticesOptions): Notices {
  const local = createLocalNotices();
  const notifier = new pg.Pool({ connectionString: options.connectionString, max: 2 });
  const fullName = (channel: string) => `${options.prefix}${channel}`;
  let listener: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const retryLater = () => {
    if (!closed) retry = setTimeout(() => void listen().catch(() => retryLater()), 1_000);
  };

  // Connects and LISTENs; on any failure (now or later) it tries again every second.
  const listen = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: options.connectionString });
    client.on('notification', (message) => {
      const channel = options.channels.find((name) => fullName(name) === message.channel);
      if (channel && message.payload !== undefined) local.notify(channel, message.payload);
    });
    client.on('error', (error) => {
      options.onError(error);
      client.end().catch(() => undefined);
      if (listener === client) listener = undefined;
      retryLater();
    });
    try {
      await client.connect();
      for (const channel of options.channels) await client.query(`LISTEN ${pg.escapeIdentifier(fullName(channel))}`);
    } catch (error) {
      options.onError(error);
      await client.end().catch(() => undefined);
      throw error;
    }
    if (closed) await client.end().catch(() => undefined);
    else listener = client;
  };

  return {
    ready: listen(),
    notify(channel, payload) {
      notifier.query('select pg_notify($1, $2)', [fullName(channel), payload]).catch(options.onError);
    },
    on: local.on,
    async close() {
      closed = true;
      clearTimeout(retry);
      await local.close();
      await listener?.end().catch(() => undefined);
      await notifier.end();
    },
  };
}

export const LOG_CHANNEL = 'log';
export const PUBLISH_CHANNEL = 'published';
/** "User T/U changed" (role, department, disabled): open connections take it up. */
export const USER_CHANNEL = 'user';

/** What writers call after their transaction committed. */
export type LogCommitted = (tenantId: string) => void;
