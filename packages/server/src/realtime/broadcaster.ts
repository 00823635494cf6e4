import {
  canSeeIncident,
  eventForViewer,
  eventViewKey,
  matchesFilters,
  type IncidentEvent,
  type SubscriptionFilters,
  type UserActor,
} from '@alertautec/core';
import type { Clock } from '../adapters.js';
import { eventLog, type LoggedEvent } from '../events/log.js';
import { LOG_CHANNEL, type Notices } from '../events/signal.js';
import type { Db } from '../store/executor.js';
import type { Connection, Subscription } from './connection.js';
import { textFrame, type Frame } from './frames.js';
import { loadIncidents, stateAsOf, type IncidentState } from './incident-state.js';
import type { RealtimeMetrics } from './metrics.js';
import type { ConnectionRegistry } from './registry.js';

/**
 * The broadcaster consumes the event log, tenant by tenant, and hands each event to the
 * connections that may see it and subscribed to it — route handlers never call it. It
 * keeps, per tenant, the seq it has fanned out up to; a subscription registered at cursor
 * C gets events after C live and (with `since`) events up to C replayed from the log, so
 * the seam between replay and live has neither gaps nor duplicates.
 */
export interface Retention {
  maxEvents: number;
  maxAgeMs: number;
}

const BATCH = 500;

/** Who may receive an event: its incident's viewers (for a reassignment, both departments'). */
function mayReceive(actor: UserActor, event: IncidentEvent, state: IncidentState): boolean {
  if (canSeeIncident(actor, state)) return true;
  return event.type === 'DepartmentAssigned' && canSeeIncident(actor, { ...state, departmentId: event.previousDepartmentId });
}

/** Frames for one event, built once per way of viewing it (eventViewKey) and subscription id. */
class EventFrames {
  private readonly texts = new Map<string, string | null>();
  private readonly frames = new Map<string, Frame>();
  constructor(
    private readonly logged: LoggedEvent,
    private readonly state: IncidentState,
  ) {}

  frameFor(actor: UserActor, subscriptionId: string): Frame | null {
    const view = eventViewKey(actor);
    let text = this.texts.get(view);
    if (text === undefined) {
      const shown = eventForViewer(actor, this.logged.event, this.logged.internal, this.state);
      text = shown ? JSON.stringify(shown) : null;
      this.texts.set(view, text);
    }
    if (text === null) return null;
    const key = `${view}|${subscriptionId}`;
    let frame = this.frames.get(key);
    if (!frame) {
      frame = textFrame(`{"subscriptionId":${JSON.stringify(subscriptionId)},${text.slice(1)}`);
      this.frames.set(key, frame);
    }
    return frame;
  }
}

export interface BroadcasterDeps {
  db: Db;
  clock: Clock;
  registry: ConnectionRegistry;
  notices: Notices;
  metrics: RealtimeMetrics;
  retention: Retention;
  onError(error: unknown): void;
}

export class Broadcaster {
  private readonly cursors = new Map<string, number>();
  private readonly starting = new Map<string, Promise<number>>();
  private readonly draining = new Set<string>();
  private readonly again = new Set<string>();
  private unsubscribe: () => void = () => undefined;
  private poll: NodeJS.Timeout | undefined;

  constructor(private readonly deps: BroadcasterDeps) {}

  /** Listens for log wake-ups and starts the poll (the realtime role of a process). */
  start(): void {
    if (this.poll) return;
    this.unsubscribe = this.deps.notices.on(LOG_CHANNEL, (tenantId) => this.wake(tenantId));
    // The safety net under the wake-ups: a lost signal delays an event by a second at most.
    this.poll = setInterval(() => {
      for (const tenantId of this.cursors.keys()) this.wake(tenantId);
    }, 1_000);
    this.poll.unref();
  }

  /** Starts following a tenant's log (from its head) before its first connection subscribes. */
  follow(tenantId: string): Promise<number> {
    const cursor = this.cursors.get(tenantId);
    if (cursor !== undefined) return Promise.resolve(cursor);
    let starting = this.starting.get(tenantId);
    if (!starting) {
      starting = eventLog.head(this.deps.db, tenantId).then(
        (head) => {
          if (!this.cursors.has(tenantId)) this.cursors.set(tenantId, head);
          this.starting.delete(tenantId);
          return this.cursors.get(tenantId)!;
        },
        (error: unknown) => {
          // The database is away: the next connection tries again (kept, the failure would
          // refuse this tenant's connections until a restart).
          this.starting.delete(tenantId);
          throw error;
        },
      );
      this.starting.set(tenantId, starting);
    }
    return starting;
  }

  cursorOf(tenantId: string): number {
    return this.cursors.get(tenantId) ?? 0;
  }

  wake(tenantId: string): void {
    if (!this.cursors.has(tenantId)) return;
    if (this.draining.has(tenantId)) {
      this.again.add(tenantId);
      return;
    }
    this.draining.add(tenantId);
    void this.drain(tenantId)
      .catch((error: unknown) => this.deps.onError(error))
      .finally(() => {
        this.draining.delete(tenantId);
        if (this.again.delete(tenantId)) this.wake(tenantId);
      });
  }

  private async drain(tenantId: string): Promise<void> {
    for (;;) {
      const cursor = this.cursors.get(tenantId)!;
      const batch = await eventLog.readAfter(this.deps.db, tenantId, cursor, BATCH);
      if (batch.length === 0) return;
      const incidents = await loadIncidents(this.deps.db, tenantId, batch.map((logged) => logged.incidentId));
      for (const logged of batch) {
        const incident = incidents.get(logged.incidentId);
        if (incident) this.fanOut(tenantId, logged, stateAsOf(incident, logged.event));
        this.cursors.set(tenantId, logged.event.seq);
      }
      if (batch.length < BATCH) return;
    }
  }

  private fanOut(tenantId: string, logged: LoggedEvent, state: IncidentState): void {
    const started = performance.now();
    const { event } = logged;
    const departments = event.type === 'DepartmentAssigned' ? [state.departmentId, event.previousDepartmentId] : [state.departmentId];
    const frames = new EventFrames(logged, state);
    let sent = 0;
    for (const connection of this.deps.registry.forIncident(tenantId, departments, [state.reporterId, ...state.followerIds])) {
      if (connection.closed || connection.subscriptions.size === 0 || !mayReceive(connection.actor, event, state)) continue;
      for (const subscription of connection.subscriptions.values()) {
        if (!matchesFilters(subscription.filters, state)) continue;
        if (subscription.pending) {
          subscription.pending.push({ seq: event.seq, frameFor: () => frames.frameFor(connection.actor, subscription.id) ?? Buffer.alloc(0) });
          continue;
        }
        if (event.seq <= subscription.deliveredSeq) continue;
        const frame = frames.frameFor(connection.actor, subscription.id);
        subscription.deliveredSeq = event.seq;
        if (!frame) continue;
        connection.sendFrame(frame);
        sent += 1;
      }
    }
    const { metrics, clock } = this.deps;
    metrics.eventsFannedOut.inc(sent);
    metrics.fanOutSeconds.observe((performance.now() - started) / 1000);
    metrics.commitToSendSeconds.observe(Math.max(0, clock.now() - Date.parse(event.at)) / 1000);
  }

  /**
   * Registers a subscription at the tenant's cursor and, with `since`, replays what came
   * after `since` up to that cursor while live events wait in the subscription's queue.
   */
  async subscribe(connection: Connection, filters: SubscriptionFilters, since: number | undefined, ref?: string): Promise<void> {
    const { tenantId } = connection.actor;
    // The gateway follows the tenant before it accepts a connection, so this rarely waits;
    // skipping the await when already following keeps actions in order (a subscribe, then
    // at once its unsubscribe).
    if (!this.cursors.has(tenantId)) await this.follow(tenantId);
    // From here to the registration nothing awaits: the cursor cannot move in between.
    const cursor = this.cursorOf(tenantId);
    const replaying = since !== undefined && since < cursor;
    const subscription: Subscription = { id: connection.newSubscriptionId(), filters, deliveredSeq: cursor, pending: replaying ? [] : null };
    connection.subscriptions.set(subscription.id, subscription);
    connection.send({ type: 'Subscribed', subscriptionId: subscription.id, headSeq: cursor, ...(ref !== undefined ? { ref } : {}) });
    if (since === undefined) return;
    if (!replaying) {
      if (since > (await eventLog.head(this.deps.db, tenantId))) {
        // Not a position this log ever had (a bogus value, or a log restored from backup).
        connection.send({ type: 'ResyncRequired', headSeq: cursor, subscriptionId: subscription.id });
        return;
      }
      // The client is ahead of this node (it saw events through another): skip what it has.
      subscription.deliveredSeq = Math.max(subscription.deliveredSeq, since);
      return;
    }
    try {
      if (await this.tooOld(tenantId, since, cursor)) {
        connection.send({ type: 'ResyncRequired', headSeq: cursor, subscriptionId: subscription.id });
      } else {
        subscription.deliveredSeq = since;
        await this.replay(connection, subscription, since, cursor);
      }
    } finally {
      const waiting = connection.subscriptions.get(subscription.id) === subscription ? (subscription.pending ?? []) : [];
      subscription.pending = null;
      for (const { seq, frameFor } of waiting) {
        if (seq <= subscription.deliveredSeq) continue;
        subscription.deliveredSeq = seq;
        const frame = frameFor();
        if (frame.length > 0) connection.sendFrame(frame);
      }
    }
  }

  private async tooOld(tenantId: string, since: number, cursor: number): Promise<boolean> {
    const { retention, clock, db } = this.deps;
    if (cursor - since > retention.maxEvents) return true;
    const [first] = await eventLog.readAfter(db, tenantId, since, 1);
    return first !== undefined && Date.parse(first.event.at) < clock.now() - retention.maxAgeMs;
  }

  private async replay(connection: Connection, subscription: Subscription, since: number, upTo: number): Promise<void> {
    const { tenantId } = connection.actor;
    let position = since;
    // Stops when the connection closes or the client unsubscribes meanwhile.
    while (position < upTo && !connection.closed && connection.subscriptions.get(subscription.id) === subscription) {
      const batch = (await eventLog.readAfter(this.deps.db, tenantId, position, BATCH)).filter((logged) => logged.event.seq <= upTo);
      if (batch.length === 0) return;
      const incidents = await loadIncidents(this.deps.db, tenantId, batch.map((logged) => logged.incidentId));
      for (const logged of batch) {
        position = logged.event.seq;
        const incident = incidents.get(logged.incidentId);
        if (!incident) continue;
        const state = stateAsOf(incident, logged.event);
        if (!mayReceive(connection.actor, logged.event, state) || !matchesFilters(subscription.filters, state)) continue;
        const frame = new EventFrames(logged, state).frameFor(connection.actor, subscription.id);
        subscription.deliveredSeq = logged.event.seq;
        if (frame) connection.sendFrame(frame);
      }
    }
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.poll);
  }
}
