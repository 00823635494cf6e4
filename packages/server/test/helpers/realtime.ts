import type { IncidentEvent, PublishedEvent } from '@alertautec/core';
import { RealtimeClient, type ConnectionState, type SocketFactory } from '@alertautec/client';
import WebSocket from 'ws';
import type { TestApp } from './app.js';

/** A realtime client (the SDK) on a test server, recording what it receives. */
export interface RecordingClient {
  client: RealtimeClient;
  events: IncidentEvent[];
  published: PublishedEvent[];
  states: ConnectionState[];
  errors: { code: string; message: string }[];
  close(): void;
}

export function connectClient(t: TestApp, token: string | (() => string | Promise<string>), options: { backoffMs?: number } = {}): RecordingClient {
  const client = new RealtimeClient({
    url: `${t.url.replace('http', 'ws')}/ws`,
    token: typeof token === 'string' ? () => token : token,
    WebSocket: WebSocket as unknown as SocketFactory,
    backoff: { initialMs: options.backoffMs ?? 20, maxMs: 200 },
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
