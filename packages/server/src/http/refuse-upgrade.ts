import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { problem } from './problem.js';

/** Answers a WebSocket upgrade with an HTTP error (problem+json) and closes the socket. */
export function refuseUpgradeWith(socket: Duplex, status: number, reason: string, headers: Record<string, string> = {}) {
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  const body = JSON.stringify(problem(status, reason, `The WebSocket upgrade was refused: ${reason}.`));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${extra}\r\n${body}`,
  );
}

/** A process without the realtime role has no gateway: every upgrade is a 404. */
export const refuseUpgrade = (_request: IncomingMessage, socket: Duplex): void => refuseUpgradeWith(socket, 404, 'route_not_found');
