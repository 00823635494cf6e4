import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP SMS gateway for browser tests (SMS_WEBHOOK_URL): it keeps every `{to, body}`
 * it is sent and refuses chosen numbers with 400, which the SMS channel treats as a
 * permanent failure (the outbox row is dead at once).
 */
export interface TestSmsGateway {
  url: string;
  received: { to: string; body: string; status: number }[];
  /** Numbers answered with 400. */
  refusing: Set<string>;
  close(): Promise<void>;
}

export async function startSmsGateway(): Promise<TestSmsGateway> {
  const received: TestSmsGateway['received'] = [];
  const refusing = new Set<string>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to: string; body: string };
      const status = refusing.has(message.to) ? 400 : 200;
      received.push({ ...message, status });
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(status === 200 ? { id: `sms-${received.length}` } : { error: 'refused' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`,
    received,
    refusing,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
