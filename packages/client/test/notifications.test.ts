import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { RealtimeClient, type InAppNotification, type SocketLike } from '../src/index.js';

/** A WebSocket the test opens and feeds by hand. */
class FakeSocket implements SocketLike {
  static made: FakeSocket[] = [];
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  send() {}
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(message: unknown) {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
}

let client: RealtimeClient | undefined;
afterEach(() => {
  client?.close();
  client = undefined;
  FakeSocket.made = [];
});

async function connected() {
  client = new RealtimeClient({ url: 'ws://example.test/ws', token: () => 'tok', WebSocket: FakeSocket });
  const heard = { notifications: [] as InAppNotification[], published: [] as unknown[], events: [] as unknown[] };
  client.on('notification', (notification) => heard.notifications.push(notification));
  client.on('published', (event) => heard.published.push(event));
  client.on('event', (event) => heard.events.push(event));
  client.connect();
  // The token provider resolves on the next turn; then the socket exists.
  await new Promise((resolve) => setImmediate(resolve));
  const socket = FakeSocket.made[0];
  assert.ok(socket, 'the client opened a socket');
  socket.open();
  return { socket, heard };
}

describe('RealtimeClient in-app notifications', () => {
  it("emits a typed 'notification' for a Notification frame, without any subscription", async () => {
    const { socket, heard } = await connected();
    const frame = { type: 'Notification', id: 'n1', title: 'Nuevo incidente de urgencia crítica: Humo', body: 'Humo en el aula A-301', incidentId: 'inc1', createdAt: '2025-03-10T15:30:00.000Z' };
    socket.receive(frame);
    socket.receive({ ...frame, id: 'n2', incidentId: null });
    assert.deepEqual(heard.notifications, [
      { id: 'n1', title: frame.title, body: frame.body, incidentId: 'inc1', createdAt: frame.createdAt },
      { id: 'n2', title: frame.title, body: frame.body, incidentId: null, createdAt: frame.createdAt },
    ]);
    // It is neither a published event nor an incident event.
    assert.deepEqual(heard.published, []);
    assert.deepEqual(heard.events, []);
  });

  it('ignores a Notification frame without an id, and published events are still published', async () => {
    const { socket, heard } = await connected();
    socket.receive({ type: 'Notification', title: 'x' });
    socket.receive({ type: 'campus.alert', data: { text: 'hola' }, at: '2025-03-10T15:30:00.000Z' });
    assert.deepEqual(heard.notifications, []);
    assert.equal(heard.published.length, 1);
  });
});
