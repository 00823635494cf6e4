import type { Period } from '../http/period.js';

export const DAY_MS = 86_400_000;
/** Days in a block, the rollup's coarser bucket (any aligned run of days would do). */
export const BLOCK_DAYS = 32;

/**
 * One piece of a period: counters of buckets `[from, to)` of one span (0: all time, 1: UTC
 * days, 32: blocks of 32 UTC days), or the incidents created in `[from, to)` ms, counted one
 * by one (the partial days at either end). A null bound is open.
 */
export type PeriodPiece =
  | { kind: 'buckets'; spanDays: 0 | 1 | typeof BLOCK_DAYS; from: number | null; to: number | null }
  | { kind: 'incidents'; from: number | null; to: number | null };

const ceilDiv = (value: number | null, by: number) => (value === null ? null : Math.ceil(value / by));
const floorDiv = (value: number | null, by: number) => (value === null ? null : Math.floor(value / by));
/** a < b, where a null `a` is -∞ and a null `b` is +∞. */
const before = (a: number | null, b: number | null) => a === null || b === null || a < b;

/**
 * Splits `[from, to)` into disjoint pieces that cover it exactly: the partial UTC days at its
 * ends (counted from the incidents, at most two days of them), whole days up to the first
 * and from the last whole block (at most 2 × 31 day buckets), and whole blocks in between
 * (one per 32 days). No period at all is the single all-time bucket.
 */
export function planPeriod({ from, to }: Period): PeriodPiece[] {
  if (from === null && to === null) return [{ kind: 'buckets', spanDays: 0, from: 0, to: 1 }];
  // Whole days inside the period: [firstDay, endDay).
  const firstDay = ceilDiv(from, DAY_MS);
  const endDay = floorDiv(to, DAY_MS);
  if (!before(firstDay, endDay)) return [{ kind: 'incidents', from, to }];
  const pieces: PeriodPiece[] = [];
  if (from !== null && from < firstDay! * DAY_MS) pieces.push({ kind: 'incidents', from, to: firstDay! * DAY_MS });
  if (to !== null && endDay! * DAY_MS < to) pieces.push({ kind: 'incidents', from: endDay! * DAY_MS, to });
  // Whole blocks inside the whole days: [firstBlock, endBlock).
  const firstBlock = ceilDiv(firstDay, BLOCK_DAYS);
  const endBlock = floorDiv(endDay, BLOCK_DAYS);
  if (!before(firstBlock, endBlock)) {
    pieces.push({ kind: 'buckets', spanDays: 1, from: firstDay, to: endDay });
    return pieces;
  }
  if (firstDay !== null && firstDay < firstBlock! * BLOCK_DAYS) pieces.push({ kind: 'buckets', spanDays: 1, from: firstDay, to: firstBlock! * BLOCK_DAYS });
  pieces.push({ kind: 'buckets', spanDays: BLOCK_DAYS, from: firstBlock, to: endBlock });
  if (endDay !== null && endBlock! * BLOCK_DAYS < endDay) pieces.push({ kind: 'buckets', spanDays: 1, from: endBlock! * BLOCK_DAYS, to: endDay });
  return pieces;
}
