import type WebSocket from 'ws';
import { CLOSE_CODES, type ServerMessage, type SubscriptionFilters, type UserActor } from '@alertautec/core';
import type { Timers } from '../adapters.js';
import { textFrame, writeFrame, type Frame } from './frames.js';

/** One subscription of one connection: its filters and where its stream stands. */
export interface Subscription {
  id: string;
  filters: SubscriptionFilters;
  /** Events with a seq at or below this were delivered (or are not wanted): skip them. */
  deliveredSeq: number;
  /** While a `since` replay runs, live events wait here, in order. */
  pending: { seq: number; frameFor: () => Frame }[] | null;
}

export interface ConnectionLimits {
  /** Bytes waiting to be written past which a reader is too slow (closed with 1013). */
  maxBufferedBytes: number;
  messagesPerSecond: number;
  burst: number;
  /** Malformed or refused messages tolerated within a minute before closing with 4008. */
  maxViolations: number;
}

/** How long a peer has to answer the close handshake before it is cut off. */
export const CLOSE_GRACE_MS = 2_000;

/** A signed-in WebSocket connection: who it is, what it subscribed to, its manners. */
export class Connection {
  readonly subscriptions = new Map<string, Subscription>();
  alive = true;
  closed = false;
  /** The session (`sid`) of the token it was opened or last reauthenticated with. */
  sessionId: string | null = null;
  private nextSubscription = 1;
  private tokens: number;
  private lastRefill: number;
  private violations: number[] = [];
  private expiryTimer: unknown;
  private cutOffTimer: unknown;

  constructor(
    readonly socket: WebSocket,
    public actor: UserActor,
    public exp: number,
    private readonly limits: ConnectionLimits,
    private readonly onSlow: (connection: Connection) => void,
    now: number,
    /** Expiry and close cut-off run on these (injected: tests fire them by moving a clock). */
    private readonly timers: Timers,
  ) {
    this.tokens = limits.burst;
    this.lastRefill = now;
  }

  newSubscriptionId(): string {
    return `s${this.nextSubscription++}`;
  }

  /** Token bucket: false when this message is over the connection's rate. */
  takeMessageToken(now: number): boolean {
    this.tokens = Math.min(this.limits.burst, this.tokens + ((now - this.lastRefill) / 1000) * this.limits.messagesPerSecond);
    this.lastRefill = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Counts a violation; true when the connection has used up its tolerance. */
  violation(now: number): boolean {
    this.violations = this.violations.filter((at) => now - at < 60_000);
    this.violations.push(now);
    return this.violations.length > this.limits.maxViolations;
  }

  send(message: ServerMessage): void {
    this.sendFrame(textFrame(JSON.stringify(message)));
  }

  sendFrame(frame: Frame): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    if (writeFrame(this.socket, frame) > this.limits.maxBufferedBytes) this.onSlow(this);
  }

  /** Closes when the token expires, unless a reauth moves the expiry first. */
  scheduleExpiry(now: number): void {
    this.timers.clearTimeout(this.expiryTimer);
    const delay = Math.max(0, this.exp * 1000 - now);
    // setTimeout holds at most ~24.8 days; tokens live minutes, but stay safe.
    this.expiryTimer = this.timers.setTimeout(() => this.close(CLOSE_CODES.tokenExpired, 'token expired'), Math.min(delay, 2 ** 31 - 1));
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.timers.clearTimeout(this.expiryTimer);
    this.socket.close(code, reason);
    // A peer that does not answer the close handshake is cut off.
    this.cutOffTimer = this.timers.setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS);
  }

  /** The socket is gone: nothing left to expire or cut off. */
  dispose(): void {
    this.closed = true;
    this.timers.clearTimeout(this.expiryTimer);
    this.timers.clearTimeout(this.cutOffTimer);
  }
}
