import { v7 as uuidv7 } from 'uuid';

/** Time and identity are adapters so tests can pin them. */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

/** Opaque, time-ordered ids (UUIDv7): sorting by id sorts by creation. */
export const newId = (): string => uuidv7();

export const toIso = (ms: number): string => new Date(ms).toISOString();
export const toIsoOrNull = (ms: number | null): string | null => (ms === null ? null : toIso(ms));
