import type { paths } from './openapi.gen.js';

/**
 * Shapes of the HTTP API read from the server's OpenAPI document (openapi.gen.ts, generated
 * by scripts/api-types.mjs from the schemas the server validates with): a change of the
 * API changes these, and the web app stops compiling where it no longer fits.
 */
export type ApiPath = keyof paths;
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends ApiPath, M extends Method> = NonNullable<paths[P][M]>;
type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

/** The JSON body of a successful (2xx) answer to `M P`. */
export type ApiResponse<P extends ApiPath, M extends Method = 'get'> =
  Operation<P, M> extends { responses: infer Responses }
    ? JsonOf<Responses[Extract<keyof Responses, 200 | 201 | 202>]>
    : never;

/** The JSON body `M P` takes. */
export type ApiBody<P extends ApiPath, M extends Method> =
  Operation<P, M> extends { requestBody?: infer Body } ? JsonOf<NonNullable<Body>> : never;

/** One item of a paged list answer (`{ items, nextCursor }`). */
export type ApiItem<P extends ApiPath, M extends Method = 'get'> = ApiResponse<P, M> extends { items: (infer Item)[] } ? Item : never;
