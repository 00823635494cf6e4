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
  /** Names the connections in pg_stat_activity (see postgresApplicationName). */
  applicationName?: string;
}

/** Waits between attempts to LISTEN again: doubling from the first, up to the last. */
const LISTEN_BACKOFF_MS = { first: 250, max: 5_000 };

/**
 * Every notice goes through PostgreSQL, so this node hears its own as the others do.
 * A lost connection (PostgreSQL restarting, backends terminated) is reported to onError and
 * never ends the process: the LISTEN connection is opened again with backoff, the NOTIFY
 * pool opens a new connection when next needed. Notices sent meanwhile are lost, which
 * their consumers allow for (the broadcaster also polls its log).
 */
export function createPostgresNotices(options: PostgresNoticesOptions): Notices {
  const local = createLocalNotices();
  const connection = { connectionString: options.connectionString, ...(options.applicationName ? { application_name: options.applicationName } : {}) };
  const notifier = new pg.Pool({ ...connection, max: 2, connectionTimeoutMillis: 10_000 });
  // An idle NOTIFY connection that breaks: the pool drops it; without a listener the pool's
  // 'error' would crash the process. A lent one's error rejects its query (reported below).
  notifier.on('error', options.onError);
  notifier.on('connect', (client) => client.on('error', () => undefined));
  const fullName = (channel: string) => `${options.prefix}${channel}`;
  let listener: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let backoff = LISTEN_BACKOFF_MS.first;

  const retryLater = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      listen().catch(() => retryLater());
    }, backoff);
    backoff = Math.min(backoff * 2, LISTEN_BACKOFF_MS.max);
  };

  // Connects and LISTENs; on any failure (now or later) it tries again, with backoff.
  const listen = async (): Promise<void> => {
    const client = new pg.Client(connection);
    client.on('notification', (message) => {
      const channel = options.channels.find((name) => fullName(name) === message.channel);
      if (channel && message.payload !== undefined) local.notify(channel, message.payload);
    });
    let lost = false;
    const onLost = (error: unknown) => {
      if (lost) return;
      lost = true;
      options.onError(error);
      client.end().catch(() => undefined);
      if (listener === client) listener = undefined;
      retryLater();
    };
    client.on('error', onLost);
    // A connection closed without an error event (a clean server-side close) is lost too.
    client.on('end', () => {
      if (!closed) onLost(new Error('LISTEN connection closed'));
    });
    try {
      await client.connect();
      for (const channel of options.channels) await client.query(`LISTEN ${pg.escapeIdentifier(fullName(channel))}`);
    } catch (error) {
      lost = true;
      options.onError(error);
      await client.end().catch(() => undefined);
      throw error;
    }
    if (closed) await client.end().catch(() => undefined);
    else {
      listener = client;
      backoff = LISTEN_BACKOFF_MS.first;
    }
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
/** "Session T/U/S ended" (logout, refresh-token reuse): its access tokens stop working. */
export const SESSION_CHANNEL = 'session';

/** What writers call after their transaction committed. */
export type LogCommitted = (tenantId: string) => void;
