import { distanceMeters } from './geo.js';
import { OPEN_STATUSES, type Incident } from './model.js';

export const DUPLICATE_WINDOW_MS = 24 * 60 * 60 * 1000;
export const DUPLICATE_RADIUS_METERS = 50;

type Candidate = Pick<Incident, 'category' | 'status' | 'locationCode' | 'lat' | 'lng' | 'createdAt'>;

/**
 * A possible duplicate: still open, the same category, reported in the last 24 hours, at the
 * same location code or within 50 metres.
 */
export function isPossibleDuplicate(
  draft: Pick<Incident, 'category' | 'locationCode' | 'lat' | 'lng'>,
  other: Candidate,
  now: number,
): boolean {
  if (other.category !== draft.category || !OPEN_STATUSES.includes(other.status)) return false;
  if (now - other.createdAt > DUPLICATE_WINDOW_MS) return false;
  if (draft.locationCode && other.locationCode && draft.locationCode.toUpperCase() === other.locationCode.toUpperCase()) return true;
  if (draft.lat === null || draft.lng === null || other.lat === null || other.lng === null) return false;
  return distanceMeters({ lat: draft.lat, lng: draft.lng }, { lat: other.lat, lng: other.lng }) <= DUPLICATE_RADIUS_METERS;
}
