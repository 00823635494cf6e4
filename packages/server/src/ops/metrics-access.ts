import type { FastifyRequest } from 'fastify';
import { assertCan, unauthenticated } from '@alertautec/core';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/**
 * A caller on this machine (a Prometheus or node exporter beside the server). A request a
 * proxy forwarded never counts: a reverse proxy on the same host connects from loopback
 * for every visitor, and it is the proxy that says so by adding a forwarding header.
 */
export function isLoopbackCaller(request: FastifyRequest): boolean {
  const { headers } = request;
  if (headers['x-forwarded-for'] !== undefined || headers.forwarded !== undefined || headers['x-real-ip'] !== undefined) return false;
  return LOOPBACK.test(request.ip);
}

/** Metrics show traffic and internals: an admin, a `metrics:read` key, or loopback when allowed. */
export function assertMayReadMetrics(request: FastifyRequest, allowLoopback: boolean): void {
  if (allowLoopback && isLoopbackCaller(request)) return;
  if (!request.actor) throw unauthenticated('Metrics need an admin token, an API key with scope metrics:read, or a call from this machine.');
  assertCan(request.actor, 'metrics:read');
}
