import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError, type ErrorKind, type FieldError } from '@alertautec/core';
import { RETRY_AFTER_SECONDS, storeFault, type StoreFault } from '../store/faults.js';

/** Every error leaves the server here, as RFC 9457 problem+json. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: FieldError[];
}

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

export function problem(status: number, code: string, detail: string, errors?: FieldError[]): ProblemBody {
  return {
    type: `urn:alertautec:problem:${code}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors ? { errors } : {}),
  };
}

interface AjvError {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

function fieldErrors(validation: AjvError[]): FieldError[] {
  return validation.map((error) => {
    const child = error.params.missingProperty ?? error.params.additionalProperty;
    const path = child === undefined ? error.instancePath || '/' : `${error.instancePath}/${String(child)}`;
    const message =
      error.keyword === 'additionalProperties' ? 'is not an accepted field' : error.message ?? 'is not valid';
    return { path, message };
  });
}

// Fastify's own errors for requests it cannot even parse.
const FASTIFY_CODES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'Send JSON with Content-Type: application/json.'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large', 'The request body is too large.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed_json', 'The request body is empty but its Content-Type says JSON.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_request', 'The Content-Length does not match the body.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed_json', 'The request body is not valid JSON.'],
  // Router errors, raised before any route matches (see frameworkErrors below).
  FST_ERR_BAD_URL: [400, 'bad_url', 'The URL is not valid (bad percent-encoding).'],
  FST_ERR_MAX_PARAM_LENGTH: [400, 'invalid_path_parameter', 'A path parameter is too long.'],
  FST_ERR_ASYNC_CONSTRAINT: [400, 'bad_request', 'The request does not match any route constraint.'],
};

// A passing fault of the database or the disk: retryable, so 503 with Retry-After, not 500.
const STORE_FAULT_DETAILS: Record<StoreFault, string> = {
  database_unavailable: 'The database cannot be reached right now; retry shortly.',
  storage_full: 'There is no space left to store this; retry later.',
  storage_unavailable: 'Storage is failing right now; retry later.',
};

export function toProblem(error: FastifyError | Error): ProblemBody & { retryAfter?: number } {
  if (isDomainError(error)) {
    const status = STATUS_BY_KIND[error.kind];
    return { ...problem(status, error.code, error.message, error.details.errors), retryAfter: error.details.retryAfterSeconds };
  }
  const fault = storeFault(error);
  if (fault) return { ...problem(503, fault, STORE_FAULT_DETAILS[fault]), retryAfter: RETRY_AFTER_SECONDS[fault] };
  const fastifyError = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (fastifyError.validation) {
    const where = fastifyError.validationContext ?? 'request';
    return problem(400, 'validation_failed', `The ${where} is not valid.`, fieldErrors(fastifyError.validation));
  }
  const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) return problem(...known);
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return problem(400, 'malformed_json', 'The request body is not valid JSON.');
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    return problem(status, status === 429 ? 'rate_limited' : 'bad_request', error.message);
  }
  return problem(500, 'internal_error', 'Something went wrong on our side; it has been logged.');
}

/**
 * The client closed the connection before sending all of its request (a closed tab, a lost
 * signal): whatever failed then is not our fault, and nobody is left to read the answer.
 */
const clientAborted = (request: FastifyRequest) => request.raw.readableAborted && (request.raw.socket?.destroyed ?? true);

export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: FastifyError | Error) {
  const { retryAfter, ...body } = toProblem(error);
  if (clientAborted(request)) request.log.info({ err: error }, 'client closed the connection mid-request');
  else if (body.status >= 500) request.log.error({ err: error }, 'request failed');
  if (retryAfter !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfter))));
  // RFC 6750 §3.1: no error code when no credentials were sent at all.
  if (body.status === 401) {
    reply.header('www-authenticate', body.code === 'unauthenticated' ? 'Bearer realm="alertautec"' : 'Bearer realm="alertautec", error="invalid_token"');
  }
  return reply
    .status(body.status)
    .type('application/problem+json')
    .send({ ...body, instance: request.url.split('?')[0] });
}

/**
 * For Fastify's `frameworkErrors` option: the router's own refusals (a path parameter over
 * maxParamLength, bad percent-encoding) otherwise bypass the error handler and answer
 * plain JSON (and 414 for a long id).
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  return sendProblem(reply, request, error);
}
