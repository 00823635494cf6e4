import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyHttpOptions } from 'fastify';
import type { Config } from '../config.js';
import { problem } from './problem.js';
import type { TrustedProxies } from './trusted-proxies.js';

/**
 * The HTTP server's own limits, as Fastify constructor options. Fastify's defaults leave
 * the request timeout off: a client that announces a body and then sends a byte now and
 * then keeps its socket (and a file descriptor) forever. Here the headers must arrive
 * within HTTP_HEADERS_TIMEOUT_MS and the whole request, body included, within
 * HTTP_REQUEST_TIMEOUT_MS, or the client gets a 408 and the connection is closed. Idle
 * keep-alive connections close after HTTP_KEEP_ALIVE_TIMEOUT_MS. A WebSocket is past all
 * of these: Node stops timing a socket once it is upgraded.
 */
export function serverLimitOptions(config: Config, proxies: TrustedProxies): Partial<FastifyHttpOptions<Server>> {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs } = config.httpLimits;
  return {
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    http: {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      // Node looks for expired requests only this often (30 s by default), so a timeout is
      // enforced within a quarter of itself rather than up to 30 s late.
      connectionsCheckingInterval: Math.max(50, Math.min(5_000, Math.floor(Math.min(headersTimeoutMs, requestTimeoutMs) / 4))),
    },
    trustProxy: proxies.any ? (address: string) => proxies.isTrusted(address) : false,
    clientErrorHandler: answerClientError,
  };
}

/** How long a refused client may keep sending before its connection is cut outright. */
const LINGER_MS = 2_000;

/**
 * Requests Node itself gives up on (timed out, headers too large, unparseable) are
 * answered as problem+json too. The connection is half-closed and read to nothing for a
 * moment before it is destroyed: closing a socket with unread bytes sends a reset, which
 * would lose the answer on its way to a client that is still sending.
 */
function answerClientError(error: ConnectionError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request_timeout', 'The request did not arrive in time.']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', 'The request headers are too large.']
        : [400, 'bad_request', 'The request is not valid HTTP.'];
  if (!socket.writable) return void socket.destroy();
  endWith(socket, status, code, detail);
}

/** Writes a problem+json answer on a raw socket and closes it (shared with upgrade refusals). */
export function endWith(socket: Socket, status: number, code: string, detail: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(problem(status, code, detail));
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${extra}\r\n${body}`,
  );
  socket.resume();
  const cut = setTimeout(() => socket.destroy(), LINGER_MS);
  cut.unref();
  socket.once('close', () => clearTimeout(cut));
}
