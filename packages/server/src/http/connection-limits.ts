import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { DomainError } from '@alertautec/core';
import { endWith } from './server-limits.js';
import { normalizeAddress, type TrustedProxies } from './trusted-proxies.js';
import type { App } from './types.js';

/**
 * At most HTTP_MAX_CONNECTIONS_PER_ADDRESS connections per client address, so that one
 * address cannot take every file descriptor the process has. What counts:
 * - a direct client: each open socket, for as long as it is open — kept-alive, waiting
 *   for its request, or upgraded to a WebSocket;
 * - a client behind a trusted proxy (TRUST_PROXY): each request in flight and each
 *   WebSocket, by the address X-Forwarded-For names. The proxy's own sockets do not
 *   count: one proxy connection carries many people's requests.
 * A connection over the limit is still answered — 429 problem+json `too_many_connections`
 * with Retry-After, then closed — rather than reset, so a client behind a busy campus NAT
 * sees why and retries. The default limit is generous for that reason (docs/operations.md).
 */
export interface ConnectionLimits {
  /** Wraps the WebSocket gateway's `upgrade` handler: over-limit upgrades get the same 429. */
  guardUpgrade(handler: UpgradeHandler): UpgradeHandler;
  /** Connections counted for an address now (tests and diagnostics). */
  count(address: string): number;
}

type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

const RETRY_AFTER_SECONDS = 10;
const DETAIL = 'Too many connections from your address; retry shortly.';

export function registerConnectionLimits(app: App, options: { maxPerAddress: number; proxies: TrustedProxies }): ConnectionLimits {
  const { maxPerAddress, proxies } = options;
  const counts = new Map<string, number>();
  const overLimit = new WeakSet<object>();

  /** Counts one more for `address`; false when that makes it more than allowed. */
  const take = (address: string): boolean => {
    const count = (counts.get(address) ?? 0) + 1;
    counts.set(address, count);
    return count <= maxPerAddress;
  };
  const release = (address: string) => {
    const count = (counts.get(address) ?? 1) - 1;
    if (count > 0) counts.set(address, count);
    else counts.delete(address);
  };

  app.server.on('connection', (socket: Socket) => {
    if (socket.remoteAddress === undefined) return; // already gone
    const address = normalizeAddress(socket.remoteAddress);
    if (proxies.isTrusted(address)) return;
    // Counted while open even when over the limit: it holds a descriptor all the same.
    if (!take(address)) overLimit.add(socket);
    socket.once('close', () => release(address));
  });

  app.addHook('onRequest', async (request, reply) => {
    const socket = request.raw.socket;
    if (overLimit.has(socket)) {
      reply.header('connection', 'close');
      throw tooManyConnections();
    }
    if (!proxies.isTrusted(socket.remoteAddress ?? '')) return;
    const client = normalizeAddress(request.ip);
    if (!take(client)) {
      release(client);
      throw tooManyConnections();
    }
    reply.raw.once('close', () => release(client));
  });

  return {
    guardUpgrade: (handler) => (request, socket, head) => {
      const refuse = () => endWith(socket as Socket, 429, 'too_many_connections', DETAIL, { 'Retry-After': String(RETRY_AFTER_SECONDS) });
      if (overLimit.has(socket)) return refuse();
      const peer = normalizeAddress(request.socket.remoteAddress ?? '');
      if (proxies.isTrusted(peer)) {
        const client = proxies.clientAddress(peer, request.headers['x-forwarded-for']);
        if (!take(client)) {
          release(client);
          return refuse();
        }
        socket.once('close', () => release(client));
      }
      handler(request, socket, head);
    },
    count: (address) => counts.get(normalizeAddress(address)) ?? 0,
  };
}

function tooManyConnections() {
  return new DomainError('rate_limited', 'too_many_connections', DETAIL, { retryAfterSeconds: RETRY_AFTER_SECONDS });
}
