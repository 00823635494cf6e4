import { Problem } from '@alertautec/core/schemas';
import type { FastifyInstance } from 'fastify';

/**
 * The problem body, registered once (`registerProblemSchema`) and referenced by every route:
 * the OpenAPI document names it in `components.schemas` instead of repeating it per answer.
 */
const ProblemRef = { $ref: 'Problem#' } as const;

export function registerProblemSchema(app: FastifyInstance) {
  app.addSchema({ $id: 'Problem', ...Problem });
}

/** Documents the problem answers a route may give, for the OpenAPI document. */
export function problems(...statuses: number[]) {
  return Object.fromEntries([400, ...statuses].map((status) => [status, ProblemRef]));
}

export const NoContent = { type: 'null', description: 'No content' } as const;
