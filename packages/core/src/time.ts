/** Instants travel as epoch milliseconds inside the system and as ISO 8601 (UTC) on the wire. */
export const toIso = (ms: number): string => new Date(ms).toISOString();
export const toIsoOrNull = (ms: number | null): string | null => (ms === null ? null : toIso(ms));
