import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Ajv } from 'ajv';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE_CODES, ClientMessage, DomainError, toIso, type UserActor } from '@alertautec/core';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock, Timers } from '../adapters.js';
import type { AuthService } from '../auth/service.js';
import { SESSION_CHANNEL, USER_CHANNEL, type Notices } from '../events/signal.js';
import { RETRY_AFTER_SECONDS, storeFault } from '../store/faults.js';
import type { ActiveUsers } from '../users/active-users.js';
import { refuseUpgradeWith } from '../http/refuse-upgrade.js';
import type { Broadcaster } from './broadcaster.js';
import { Connection, type ConnectionLimits } from './connection.js';
import type { RealtimeMetrics } from './metrics.js';
import type { ConnectionRegistry } from './registry.js';

/**
 * The WebSocket gateway at /ws: checks the token before the upgrade, routes client
 * actions (the API Gateway `action` convention), keeps connections alive and in line.
 */
export interface GatewayOptions {
  maxFrameBytes: number;
  maxConnectionsPerUser: number;
  maxSubscriptionsPerConnection: number;
  pingIntervalMs: number;
  limits: ConnectionLimits;
}

export const DEFAULT_GATEWAY_OPTIONS: GatewayOptions = {
  maxFrameBytes: 64 * 1024,
  maxConnectionsPerUser: 10,
  maxSubscriptionsPerConnection: 20,
  pingIntervalMs: 25_000,
  limits: { maxBufferedBytes: 1024 * 1024, messagesPerSecond: 20, burst: 40, maxViolations: 20 },
};

export interface GatewayDeps {
  auth: AuthService;
  notices: Notices;
  activeUsers: ActiveUsers;
  broadcaster: Broadcaster;
  registry: ConnectionRegistry;
  metrics: RealtimeMetrics;
  clock: Clock;
  /** The keep-alive and each connection's expiry and close cut-off run on these. */
  timers: Timers;
  log: FastifyBaseLogger;
  options: GatewayOptions;
}

// JSON.parse would accept frames far larger than any action; ws refuses beyond this,
// and frames between maxFrameBytes and it are closed with 4008 by the gateway itself.
const HARD_FRAME_LIMIT = 1024 * 1024;

const refuse = refuseUpgradeWith;

export class Gateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: HARD_FRAME_LIMIT, perMessageDeflate: false, clientTracking: false });
  private readonly validate = new Ajv({ allErrors: false, strict: false }).compile(ClientMessage);
  private keepAlive: unknown;
  private started = false;
  /** Upgrades past the token check, not yet registered, per tenant|user. */
  private readonly upgrading = new Map<string, number>();

  private stopUserChanges: () => void = () => undefined;
  private stopSessionEnds: () => void = () => undefined;

  constructor(private readonly deps: GatewayDeps) {}

  /** Starts the keep-alive pings and follows user and session changes (the realtime role). */
  start(): void {
    if (this.started) return;
    this.started = true;
    const { deps } = this;
    const ping = () => {
      this.keepAlive = deps.timers.setTimeout(() => {
        this.pingAll();
        ping();
      }, deps.options.pingIntervalMs);
    };
    ping();
    this.stopUserChanges = deps.notices.on(USER_CHANNEL, (payload) => {
      const [tenantId, userId] = payload.split('/');
      if (tenantId && userId) void this.userChanged(tenantId, userId).catch((error: unknown) => deps.log.error({ err: error }, 'user change not applied'));
    });
    // A session ended (logout, refresh-token reuse): its connections close as its tokens die.
    this.stopSessionEnds = deps.notices.on(SESSION_CHANNEL, (payload) => {
      const [tenantId, userId, sessionId] = payload.split('/');
      if (!tenantId || !userId || !sessionId) return;
      for (const connection of deps.registry.forUser(tenantId, userId)) {
        if (connection.sessionId === sessionId) connection.close(CLOSE_CODES.tokenExpired, 'session ended');
      }
    });
  }

  /**
   * A person's role, department or standing changed: their open connections follow at once
   * (re-indexed for what they may now see), or close with 4001 if they may no longer sign in.
   */
  private async userChanged(tenantId: string, userId: string): Promise<void> {
    const { registry, activeUsers } = this.deps;
    const connections = registry.forUser(tenantId, userId);
    if (connections.length === 0) return;
    activeUsers.forget(userId);
    const user = await activeUsers.get(tenantId, userId);
    for (const connection of connections) {
      if (!user) {
        connection.close(CLOSE_CODES.tokenExpired, 'account changed');
        continue;
      }
      registry.remove(connection);
      connection.actor = { ...connection.actor, role: user.role as UserActor['role'], departmentId: user.department_id };
      if (!connection.closed) registry.add(connection);
    }
  }

  /** For the HTTP server's `upgrade` event. */
  handleUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== '/ws') return refuse(socket, 404, 'route_not_found');
    const token = url.searchParams.get('token');
    if (!token) return refuse(socket, 401, 'unauthenticated', { 'WWW-Authenticate': 'Bearer realm="alertautec"' });
    this.deps.auth
      .actorFromAccessToken(token)
      .then(async (actor) => {
        const { registry, options, broadcaster } = this.deps;
        // Upgrades still in flight count too, so that a burst cannot slip past the cap.
        const key = `${actor.tenantId}|${actor.userId}`;
        const upgrading = this.upgrading.get(key) ?? 0;
        if (registry.countForUser(actor.tenantId, actor.userId) + upgrading >= options.maxConnectionsPerUser) {
          return refuse(socket, 429, 'too_many_connections', { 'Retry-After': '10' });
        }
        this.upgrading.set(key, upgrading + 1);
        try {
          await broadcaster.follow(actor.tenantId);
        } finally {
          const left = (this.upgrading.get(key) ?? 1) - 1;
          if (left > 0) this.upgrading.set(key, left);
          else this.upgrading.delete(key);
        }
        if (socket.destroyed) return;
        this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, actor, actor.exp));
      })
      .catch((error: unknown) => {
        if (error instanceof DomainError) return refuse(socket, 401, error.code, { 'WWW-Authenticate': 'Bearer realm="alertautec", error="invalid_token"' });
        // The database is away (or full): a retryable 503, as HTTP requests get, not a dropped socket.
        const fault = storeFault(error);
        if (fault) {
          this.deps.log.warn({ err: error, fault }, 'websocket upgrade refused: the store is unavailable');
          return refuse(socket, 503, fault, { 'Retry-After': String(RETRY_AFTER_SECONDS[fault]) });
        }
        this.deps.log.error({ err: error }, 'websocket upgrade failed');
        socket.destroy();
      });
  };

  private accept(ws: WebSocket, actor: UserActor & { sessionId: string | null }, exp: number): void {
    const { registry, metrics, clock, timers, options } = this.deps;
    const connection = new Connection(ws, actor, exp, options.limits, (slow) => {
      metrics.slowReadersDropped.inc();
      // Nothing more is written to it; the close frame follows what it has not read, and
      // Connection.close cuts it off if it does not answer within its grace period.
      slow.close(CLOSE_CODES.overloaded, 'client too slow to read');
    }, clock.now(), timers);
    connection.sessionId = actor.sessionId;
    // Frames past ws's own hard limit are closed by ws itself, with 1009; the contract
    // says a frame too large closes with 4008, whatever its size.
    const closeSocket = ws.close.bind(ws);
    ws.close = (code?: number, reason?: string | Buffer) =>
      code === 1009 ? closeSocket(CLOSE_CODES.policyViolation, 'frame too large') : closeSocket(code, reason);
    registry.add(connection);
    connection.scheduleExpiry(clock.now());
    ws.on('pong', () => (connection.alive = true));
    ws.on('message', (data: Buffer, isBinary) => this.onMessage(connection, data, isBinary));
    ws.on('error', () => undefined);
    ws.on('close', () => {
      connection.dispose();
      registry.remove(connection);
    });
  }

  private violation(connection: Connection, code: string, message: string): void {
    connection.send({ type: 'Error', code, message });
    if (connection.violation(this.deps.clock.now())) {
      this.deps.metrics.violationsClosed.inc();
      connection.close(CLOSE_CODES.policyViolation, 'policy violation');
    }
  }

  private onMessage(connection: Connection, data: Buffer, isBinary: boolean): void {
    if (connection.closed) return;
    if (data.length > this.deps.options.maxFrameBytes) {
      this.deps.metrics.violationsClosed.inc();
      return connection.close(CLOSE_CODES.policyViolation, 'frame too large');
    }
    if (!connection.takeMessageToken(this.deps.clock.now())) return this.violation(connection, 'rate_limited', 'Too many messages; slow down.');
    if (isBinary) return this.violation(connection, 'unsupported', 'Frames are JSON text.');
    let message: unknown;
    try {
      message = JSON.parse(data.toString('utf8'));
    } catch {
      return this.violation(connection, 'malformed_json', 'The frame is not valid JSON.');
    }
    if (!this.validate(message)) {
      const error = this.validate.errors?.[0];
      return this.violation(connection, 'invalid_message', `Not a valid action${error ? `: ${error.instancePath || '/'} ${error.message}` : ''}.`);
    }
    void this.dispatch(connection, message as ClientMessage).catch((error: unknown) => {
      const fault = storeFault(error);
      if (fault) {
        this.deps.log.warn({ err: error, fault }, 'websocket action failed: the store is unavailable');
        return connection.send({ type: 'Error', code: fault, message: `The server cannot reach its data right now; retry in ${RETRY_AFTER_SECONDS[fault]} s.` });
      }
      this.deps.log.error({ err: error }, 'websocket action failed');
      connection.send({ type: 'Error', code: 'internal_error', message: 'Something went wrong on our side.' });
    });
  }

  private async dispatch(connection: Connection, message: ClientMessage): Promise<void> {
    switch (message.action) {
      case 'ping':
        return connection.send({ type: 'Pong', at: toIso(this.deps.clock.now()) });
      case 'subscribeIncidents':
        if (connection.subscriptions.size >= this.deps.options.maxSubscriptionsPerConnection) {
          return this.violation(connection, 'too_many_subscriptions', `At most ${this.deps.options.maxSubscriptionsPerConnection} subscriptions per connection.`);
        }
        return this.deps.broadcaster.subscribe(connection, message.filters ?? {}, message.since, message.ref);
      case 'unsubscribe':
        if (!connection.subscriptions.delete(message.subscriptionId)) {
          return connection.send({ type: 'Error', code: 'unknown_subscription', message: 'There is no such subscription.' });
        }
        return connection.send({ type: 'Unsubscribed', subscriptionId: message.subscriptionId });
      case 'reauth':
        return this.reauth(connection, message.token);
    }
  }

  private async reauth(connection: Connection, token: string): Promise<void> {
    let actor;
    try {
      actor = await this.deps.auth.actorFromAccessToken(token);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return connection.send({ type: 'Error', code: error.code, message: error.message });
    }
    if (actor.userId !== connection.actor.userId || actor.tenantId !== connection.actor.tenantId) {
      return this.violation(connection, 'reauth_mismatch', 'A connection stays with the user who opened it.');
    }
    // Role or department may have changed: index the connection anew.
    this.deps.registry.remove(connection);
    connection.actor = actor;
    connection.sessionId = actor.sessionId;
    connection.exp = actor.exp;
    if (!connection.closed) this.deps.registry.add(connection);
    connection.scheduleExpiry(this.deps.clock.now());
    connection.send({ type: 'Reauthenticated', exp: actor.exp });
  }

  private pingAll(): void {
    for (const connection of this.deps.registry.all()) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }

  /** Closes every connection (going away) and stops the keep-alive. */
  close(): void {
    this.deps.timers.clearTimeout(this.keepAlive);
    this.stopUserChanges();
    this.stopSessionEnds();
    for (const connection of [...this.deps.registry.all()]) connection.close(1001, 'server shutting down');
    this.wss.close();
  }
}
