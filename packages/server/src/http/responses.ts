import { Problem } from '@alertautec/core/schemas';

/** Documents the problem answers a route may give, for the OpenAPI document. */
export function problems(...statuses: number[]) {
  return Object.fromEntries([400, ...statuses].map((status) => [status, Problem]));
}

export const NoContent = { type: 'null', description: 'No content' } as const;
