import type { IncidentEvent, NotificationMessage, PublishedEvent, ServerMessage, SubscriptionFilters } from '@alertautec/core';
import { backoffDelay, tokenExpiry, type BackoffOptions } from './backoff.js';

/**
 * The realtime client: one WebSocket to the gateway, subscriptions that survive
 * reconnects, and no event lost across a drop — each subscription resumes from the last
 * `seq` it saw. Works in browsers (the global WebSocket) and in Node (pass `ws`).
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'closed';

/** The subset of the WebSocket API the client uses (browsers' and `ws` both have it). */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}
export type SocketFactory = new (url: string) => SocketLike;

/** Where the client reads the time (default `Date.now`). */
export interface ClientClock {
  now(): number;
}

/** Where the client's timers run (default the global setTimeout): reconnect backoff, reauth, idle check. */
export interface ClientTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const globalTimers: ClientTimers = {
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    // In Node, a client's pending retry or reauth does not hold the process open.
    (timer as { unref?: () => void }).unref?.();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
const globalClock: ClientClock = { now: () => Date.now() };

export interface RealtimeClientOptions {
  /** The gateway, e.g. `ws://localhost:3000/ws`. */
  url: string;
  /** Gives a current access token; called on every connect and before expiry. */
  token: () => string | Promise<string>;
  WebSocket?: SocketFactory;
  backoff?: BackoffOptions;
  /** Re-authenticate this many seconds before the token expires (default 60). */
  reauthLeadSeconds?: number;
  /** A connection silent this long is presumed dead and replaced (default 60 s). */
  idleTimeoutMs?: number;
  /** Tests move time by hand with these two; the defaults are the real clock and timers. */
  clock?: ClientClock;
  timers?: ClientTimers;
}

export interface Subscription {
  readonly filters: SubscriptionFilters;
  /** The highest seq this subscription has caught up to. */
  readonly cursor: number | undefined;
  unsubscribe(): void;
}

/** An in-app notification for the signed-in user, as the gateway pushes it (no subscription needed). */
export type InAppNotification = Omit<NotificationMessage, 'type'>;

export interface RealtimeEvents {
  event: (event: IncidentEvent, subscription: Subscription) => void;
  /** One of the user's in-app notifications; not replayed after a drop (refetch the list over HTTP then). */
  notification: (notification: InAppNotification) => void;
  published: (event: PublishedEvent) => void;
  state: (state: ConnectionState) => void;
  /** The server registered a subscription (again, after a reconnect) at `headSeq`. */
  subscribed: (subscription: Subscription, headSeq: number) => void;
  /** The server no longer keeps what this subscription missed: refetch over HTTP. */
  resync: (subscription: Subscription, headSeq: number) => void;
  error: (error: { code: string; message: string }) => void;
}

interface LocalSubscription extends Subscription {
  ref: string;
  serverId: string | undefined;
  cursor: number | undefined;
  active: boolean;
}

const OPEN = 1;
const INCIDENT_EVENT = /^(IncidentCreated|IncidentStatusChanged|CommentAdded|DepartmentAssigned|AttachmentAdded|IncidentEscalated|IncidentAffected)$/;

export class RealtimeClient {
  private socket: SocketLike | undefined;
  private readonly subscriptions = new Map<string, LocalSubscription>();
  private readonly listeners: { [K in keyof RealtimeEvents]: Set<RealtimeEvents[K]> } = {
    event: new Set(),
    notification: new Set(),
    published: new Set(),
    state: new Set(),
    subscribed: new Set(),
    resync: new Set(),
    error: new Set(),
  };
  private nextRef = 1;
  private attempt = 0;
  private stateValue: ConnectionState = 'closed';
  private stopped = true;
  private pending: unknown[] = [];
  private lastHeard = 0;
  /** The newest seq any subscription of this client has caught up to. */
  private knownHead: number | undefined;

  private readonly clock: ClientClock;
  private readonly timers: ClientTimers;

  constructor(private readonly options: RealtimeClientOptions) {
    this.clock = options.clock ?? globalClock;
    this.timers = options.timers ?? globalTimers;
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  on<K extends keyof RealtimeEvents>(name: K, listener: RealtimeEvents[K]): () => void {
    this.listeners[name].add(listener);
    return () => this.listeners[name].delete(listener);
  }

  private emit<K extends keyof RealtimeEvents>(name: K, ...args: Parameters<RealtimeEvents[K]>): void {
    for (const listener of this.listeners[name]) (listener as (...a: Parameters<RealtimeEvents[K]>) => void)(...args);
  }

  private setState(state: ConnectionState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.emit('state', state);
  }

  connect(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.setState('connecting');
    void this.open();
  }

  /** Subscribes to incident events; `since` resumes from a seq the caller already has. */
  subscribe(filters: SubscriptionFilters = {}, since?: number): Subscription {
    const ref = `r${this.nextRef++}`;
    const subscription: LocalSubscription = {
      ref,
      filters,
      serverId: undefined,
      cursor: since,
      active: true,
      unsubscribe: () => {
        subscription.active = false;
        this.subscriptions.delete(ref);
        if (subscription.serverId) this.sendAction({ action: 'unsubscribe', subscriptionId: subscription.serverId });
      },
    };
    this.subscriptions.set(ref, subscription);
    if (this.socket?.readyState === OPEN) this.sendSubscribe(subscription);
    return subscription;
  }

  close(): void {
    this.stopped = true;
    this.clearTimers();
    this.socket?.close(1000, 'client closed');
    this.socket = undefined;
    // Server ids belong to the closed connection; a later connect() gets new ones.
    for (const subscription of this.subscriptions.values()) subscription.serverId = undefined;
    this.setState('closed');
  }

  private clearTimers(): void {
    for (const timer of this.pending) this.timers.clearTimeout(timer);
    this.pending = [];
  }

  private later(ms: number, run: () => void): void {
    const timer = this.timers.setTimeout(() => {
      this.pending = this.pending.filter((pending) => pending !== timer);
      run();
    }, ms);
    this.pending.push(timer);
  }

  private async open(): Promise<void> {
    this.clearTimers();
    let token: string;
    try {
      token = await this.options.token();
    } catch {
      return this.retry();
    }
    if (this.stopped) return;
    const Factory = this.options.WebSocket ?? (globalThis as unknown as { WebSocket: SocketFactory }).WebSocket;
    const url = `${this.options.url}${this.options.url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
    const socket = new Factory(url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.lastHeard = this.clock.now();
      this.setState('live');
      for (const subscription of this.subscriptions.values()) this.sendSubscribe(subscription);
      this.scheduleReauth(token);
      this.watchIdle();
    };
    socket.onmessage = (message) => {
      this.lastHeard = this.clock.now();
      this.onMessage(String(message.data));
    };
    socket.onerror = () => undefined;
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      for (const subscription of this.subscriptions.values()) subscription.serverId = undefined;
      if (!this.stopped) this.retry();
    };
  }

  private retry(): void {
    if (this.stopped) return;
    this.setState('reconnecting');
    const delay = backoffDelay(this.attempt++, this.options.backoff);
    this.later(delay, () => void this.open());
  }

  private sendAction(message: object): void {
    if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify(message));
  }

  private sendSubscribe(subscription: LocalSubscription): void {
    this.sendAction({
      action: 'subscribeIncidents',
      filters: subscription.filters,
      ref: subscription.ref,
      // A subscription whose first Subscribed never arrived resumes from the newest
      // position this client knows, so a drop in that moment loses nothing either.
      ...(subscription.cursor !== undefined ? { since: subscription.cursor } : this.knownHead !== undefined ? { since: this.knownHead } : {}),
    });
  }

  private scheduleReauth(token: string): void {
    const exp = tokenExpiry(token);
    if (exp === undefined) return;
    const lead = (this.options.reauthLeadSeconds ?? 60) * 1000;
    this.later(Math.max(1_000, exp * 1000 - this.clock.now() - lead), () => {
      void Promise.resolve(this.options.token()).then(
        (fresh) => {
          if (fresh === token) return this.later(10_000, () => this.scheduleReauth(token)); // not renewed yet
          this.sendAction({ action: 'reauth', token: fresh });
          this.scheduleReauth(fresh);
        },
        () => this.later(10_000, () => this.scheduleReauth(token)),
      );
    });
  }

  /** Browsers cannot see protocol pings: a silent connection is checked with an action ping. */
  private watchIdle(): void {
    const idle = this.options.idleTimeoutMs ?? 60_000;
    this.later(idle / 2, () => {
      if (this.socket?.readyState !== OPEN) return;
      if (this.clock.now() - this.lastHeard > idle) {
        this.socket.close(4000, 'idle');
        return;
      }
      this.sendAction({ action: 'ping' });
      this.watchIdle();
    });
  }

  private onMessage(text: string): void {
    let message: Exclude<ServerMessage, PublishedEvent>;
    try {
      // Published events have open-ended types; they are told apart below by their `data`.
      message = JSON.parse(text) as Exclude<ServerMessage, PublishedEvent>;
    } catch {
      return;
    }
    // Anything but an object with a type (null, a number, a string) is no message of ours.
    if (typeof message !== 'object' || message === null || typeof message.type !== 'string') return;
    switch (message.type) {
      case 'Subscribed': {
        const subscription = message.ref ? this.subscriptions.get(message.ref) : undefined;
        if (!subscription) {
          this.sendAction({ action: 'unsubscribe', subscriptionId: message.subscriptionId });
          return;
        }
        subscription.serverId = message.subscriptionId;
        if (subscription.cursor === undefined) subscription.cursor = message.headSeq;
        this.knownHead = Math.max(this.knownHead ?? 0, message.headSeq);
        this.emit('subscribed', subscription, message.headSeq);
        return;
      }
      case 'ResyncRequired': {
        const subscription = this.byServerId(message.subscriptionId);
        if (!subscription) return;
        subscription.cursor = message.headSeq;
        this.emit('resync', subscription, message.headSeq);
        return;
      }
      case 'Error':
        this.emit('error', { code: message.code, message: message.message });
        return;
      case 'Notification': {
        if (typeof message.id !== 'string') return;
        const { type: _type, ...notification } = message;
        this.emit('notification', notification);
        return;
      }
      case 'Pong':
      case 'Unsubscribed':
      case 'Reauthenticated':
        return;
    }
    if ('subscriptionId' in message && INCIDENT_EVENT.test(message.type)) {
      const subscription = this.byServerId(message.subscriptionId);
      if (!subscription?.active) return;
      const { subscriptionId: _id, ...event } = message;
      if (subscription.cursor !== undefined && event.seq <= subscription.cursor) return; // already seen
      subscription.cursor = event.seq;
      this.knownHead = Math.max(this.knownHead ?? 0, event.seq);
      this.emit('event', event as IncidentEvent, subscription);
      return;
    }
    if ('data' in message) this.emit('published', message as unknown as PublishedEvent);
  }

  private byServerId(serverId: string | undefined): LocalSubscription | undefined {
    if (!serverId) return undefined;
    for (const subscription of this.subscriptions.values()) if (subscription.serverId === serverId) return subscription;
    return undefined;
  }
}
