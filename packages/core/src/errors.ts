/**
 * Typed domain errors with stable codes. The core decides *what* went wrong; the host maps
 * each kind to a transport status (HTTP problem+json) in exactly one place.
 */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unavailable';

export interface FieldError {
  /** JSON pointer into the request part, e.g. `/email`. */
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: { errors?: FieldError[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const validationError = (message: string, errors: FieldError[] = [], code = 'validation_failed') =>
  new DomainError('validation', code, message, { errors });

export const unauthenticated = (message = 'Authentication is required.', code = 'unauthenticated') =>
  new DomainError('unauthenticated', code, message);

export const forbidden = (message = 'Your role does not allow this action.', code = 'forbidden') =>
  new DomainError('forbidden', code, message);

export const notFound = (what: string, code = 'not_found') =>
  new DomainError('not_found', code, `${what} was not found.`);

export const conflict = (message: string, code: string) => new DomainError('conflict', code, message);

export const rateLimited = (retryAfterSeconds: number, message = 'Too many attempts; try again later.') =>
  new DomainError('rate_limited', 'rate_limited', message, { retryAfterSeconds });

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
