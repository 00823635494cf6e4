import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { canSeeIncident, matchesFilters, type IncidentEvent, type PublishedEvent, type Role, type Status, type SubscriptionFilters, type Urgency } from '@alertautec/core';
import { RealtimeClient, type ConnectionState, type SocketFactory } from '@alertautec/client';
import WebSocket from 'ws';
import type { ManualClock, TestApp } from './app.js';

/** A realtime client (the SDK) on a test server, recording what it receives. */
export interface RecordingClient {
  client: RealtimeClient;
  events: IncidentEvent[];
  published: PublishedEvent[];
  states: ConnectionState[];
  errors: { code: string; message: string }[];
  close(): void;
}

export function connectClient(
  t: TestApp,
  token: string | (() => string | Promise<string>),
  /** `clock`: a manualClock the SDK reads the time from and runs its timers on (else the real ones). */
  options: { backoffMs?: number; reauthLeadSeconds?: number; clock?: ManualClock } = {},
): RecordingClient {
  const client = new RealtimeClient({
    url: `${t.url.replace('http', 'ws')}/ws`,
    token: typeof token === 'string' ? () => token : token,
    WebSocket: WebSocket as unknown as SocketFactory,
    backoff: { initialMs: options.backoffMs ?? 20, maxMs: 200 },
    ...(options.reauthLeadSeconds !== undefined ? { reauthLeadSeconds: options.reauthLeadSeconds } : {}),
    ...(options.clock ? { clock: options.clock, timers: options.clock } : {}),
  });
  const recording: RecordingClient = { client, events: [], published: [], states: [], errors: [], close: () => client.close() };
  client.on('event', (event) => recording.events.push(event));
  client.on('published', (event) => recording.published.push(event));
  client.on('state', (state) => recording.states.push(state));
  client.on('error', (error) => recording.errors.push(error));
  client.connect();
  return recording;
}

/** Waits until `check` holds (polling), or fails after `ms` with what was last seen. */
export async function eventually<T>(check: () => T | undefined | false, ms = 5_000, what = 'condition'): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A raw socket, for speaking the protocol by hand (bad frames, crafted filters). */
export function rawSocket(t: TestApp, token: string): Promise<{ ws: WebSocket; messages: unknown[]; closed: Promise<{ code: number; reason: string }> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/ws?token=${encodeURIComponent(token)}`);
    const messages: unknown[] = [];
    const closed = new Promise<{ code: number; reason: string }>((done) => ws.on('close', (code, reason) => done({ code, reason: reason.toString() })));
    ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
    ws.once('open', () => resolve({ ws, messages, closed }));
    ws.once('unexpected-response', (_request, response) => reject(Object.assign(new Error(`upgrade refused: ${response.statusCode}`), { status: response.statusCode })));
    ws.once('error', reject);
  });
}

/** Creates an incident over HTTP (fails the test on anything but 201). */
export async function report(
  t: TestApp,
  token: string,
  body: { category?: string; urgency?: 'low' | 'medium' | 'high' | 'critical'; anonymous?: boolean; description?: string } = {},
): Promise<{ id: string; departmentId: string | null; reporterId: string | null }> {
  const created = await t.request('POST', '/api/incidents', {
    token,
    body: { category: 'infrastructure', description: 'Fuga de agua en el baño', urgency: 'medium', locationText: 'Pabellón A, piso 3', ...body },
  });
  if (created.status !== 201) throw new Error(`create incident: ${created.status} ${created.text}`);
  return created.body;
}

/** Who a connection is, for the test oracle below. */
export interface Viewer {
  userId: string;
  tenantId: string;
  role: Role;
  departmentId: string | null;
}

export async function viewerOf(t: TestApp, token: string): Promise<Viewer> {
  const actor = await t.system.services.auth.actorFromAccessToken(token);
  return { userId: actor.userId, tenantId: actor.tenantId, role: actor.role, departmentId: actor.departmentId };
}

/**
 * The test's own oracle: the seqs (after `afterSeq`) a viewer may receive through a
 * subscription with these filters, read straight from the log. Each event is judged by
 * the incident as the log stood at that event (department, status), the reporter by the
 * incident row; internal comments never go to students.
 */
export async function expectedSeqs(t: TestApp, viewer: Viewer, filters: SubscriptionFilters = {}, afterSeq = 0): Promise<number[]> {
  const { db } = t.system.store;
  const rows = await db.selectFrom('incident_events').selectAll().where('tenant_id', '=', viewer.tenantId).orderBy('seq').execute();
  const incidents = new Map(
    (await db.selectFrom('incidents').select(['id', 'reporter_id', 'anonymous']).where('tenant_id', '=', viewer.tenantId).execute()).map((row) => [row.id, row]),
  );
  const states = new Map<string, { id: string; status: Status; urgency: Urgency; category: string; departmentId: string | null }>();
  const actor = { kind: 'user' as const, ...viewer };
  const seqs: number[] = [];
  for (const row of rows) {
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    let state = states.get(row.incident_id);
    let previousDepartmentId: string | null | undefined;
    if (row.type === 'IncidentCreated') {
      state = {
        id: row.incident_id,
        status: payload.status as Status,
        urgency: payload.urgency as Urgency,
        category: payload.category as string,
        departmentId: payload.departmentId as string | null,
      };
      states.set(row.incident_id, state);
    } else if (!state) {
      throw new Error(`event ${row.seq} before its incident's creation`);
    } else if (row.type === 'IncidentStatusChanged' || row.type === 'IncidentEscalated') {
      state.status = payload.status as Status;
    } else if (row.type === 'DepartmentAssigned') {
      previousDepartmentId = payload.previousDepartmentId as string | null;
      state.departmentId = payload.departmentId as string | null;
    }
    if (Number(row.seq) <= afterSeq) continue;
    const incident = incidents.get(row.incident_id)!;
    const seen = { tenantId: viewer.tenantId, reporterId: incident.reporter_id };
    const visible =
      canSeeIncident(actor, { ...seen, departmentId: state.departmentId }) ||
      (previousDepartmentId !== undefined && canSeeIncident(actor, { ...seen, departmentId: previousDepartmentId }));
    if (!visible || (row.internal === 1 && viewer.role === 'student') || !matchesFilters(filters, state)) continue;
    seqs.push(Number(row.seq));
  }
  return seqs;
}

/** The tenant's log head. */
export async function headSeq(t: TestApp, tenantId = 'default'): Promise<number> {
  const row = await t.system.store.db.selectFrom('log_heads').select('seq').where('tenant_id', '=', tenantId).executeTakeFirst();
  return row ? Number(row.seq) : 0;
}

/**
 * Attempts a WebSocket upgrade by hand and answers the HTTP status the server gave
 * (101 when it upgraded).
 */
export function upgradeStatus(t: TestApp, path: string): Promise<number> {
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const request = http.request({
      hostname,
      port,
      path,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64') },
    });
    request.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.statusCode ?? 0);
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end();
  });
}

/** Sends a frame and waits for the next message matching `match`. */
export async function nextMessage(
  socket: { ws: WebSocket; messages: unknown[] },
  match: (message: Record<string, unknown>) => boolean,
  what = 'message',
): Promise<Record<string, unknown>> {
  return eventually(() => socket.messages.find((message) => match(message as Record<string, unknown>)) as Record<string, unknown> | undefined, 5_000, what);
}
