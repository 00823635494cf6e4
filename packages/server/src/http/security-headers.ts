import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Browser-facing protections on every response: the web app, the API, errors, /docs.
 *
 * One onSend hook with headers computed once, rather than @fastify/helmet: helmet sets its
 * headers in an onRequest hook, which requests the router refuses never reach (nor answers
 * given by hooks that run before it), and builds its middleware anew on every request; the
 * no-store rule below depends on the request anyway.
 *
 * The policy allows no inline script and no inline style: the Vite build and Swagger UI load
 * every script from files, and React sets `style` through the DOM, which style-src does not
 * block (/docs alone relaxes styles, see allowInlineStyles). Images may be `blob:`
 * (attachment previews) and `data:` (Swagger UI's icons).
 */
export function contentSecurityPolicy(https: boolean): string {
  return [
    "default-src 'self'",
    "base-uri 'self'",
    "connect-src 'self'",
    "font-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "img-src 'self' data: blob:",
    "object-src 'none'",
    "script-src 'self'",
    "script-src-attr 'none'",
    "style-src 'self'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/**
 * Swagger UI sets a few style attributes from markup, which style-src 'self' refuses; on
 * /docs only, inline styles are allowed (styles cannot run code; scripts stay 'self').
 */
export const allowInlineStyles = (csp: string) => csp.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

export function securityHeaders(options: { https: boolean }): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(options.https),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // For browsers that predate frame-ancestors.
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    // Only over TLS: a browser that saw this on plain http would lock itself out of a dev server.
    ...(options.https ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/** Answers that may hold someone's data: every API answer and anything asked with credentials. */
function mustNotBeStored(request: FastifyRequest): boolean {
  return (
    request.url.startsWith('/api/') ||
    request.headers.authorization !== undefined ||
    request.headers['x-api-key'] !== undefined ||
    request.actor != null
  );
}

export type ApplySecurityHeaders = (request: FastifyRequest, reply: FastifyReply) => FastifyReply;

export function securityHeadersFor(config: { publicUrl: string | null }): ApplySecurityHeaders {
  const headers = Object.entries(securityHeaders({ https: config.publicUrl?.startsWith('https:') ?? false }));
  return (request, reply) => {
    // A route may tighten a header (an attachment download sandboxes its own CSP).
    for (const [name, value] of headers) if (!reply.hasHeader(name)) reply.header(name, value);
    if (mustNotBeStored(request)) reply.header('cache-control', 'no-store');
    return reply;
  };
}

/**
 * On every answer, errors included. Requests the router refuses never reach hooks: the
 * app's `frameworkErrors` applies the same function.
 */
export function registerSecurityHeaders(app: FastifyInstance, apply: ApplySecurityHeaders) {
  app.addHook('onSend', async (request, reply) => {
    apply(request, reply);
  });
}
