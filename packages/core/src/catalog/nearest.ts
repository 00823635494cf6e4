import { distanceMeters } from '../incidents/geo.js';

/** A point on the map: where the reporter's device says it is. */
export interface GeoPoint {
  lat: number;
  lng: number;
}

export interface NearbyLocation<T> {
  location: T;
  distanceMeters: number;
}

/**
 * The catalog locations nearest to a point, closest first (ties by code), within
 * `maxMeters`. Locations without coordinates are left out. Catalogs are small, so every
 * location is measured; the web app calls this on the catalog it already holds.
 */
export function nearestLocations<T extends { code: string; lat?: number | null; lng?: number | null }>(
  point: GeoPoint,
  locations: readonly T[],
  options: { limit?: number; maxMeters?: number } = {},
): NearbyLocation<T>[] {
  const { limit = 5, maxMeters = 2_000 } = options;
  const measured: NearbyLocation<T>[] = [];
  for (const location of locations) {
    if (typeof location.lat !== 'number' || typeof location.lng !== 'number') continue;
    const distance = distanceMeters(point, { lat: location.lat, lng: location.lng });
    if (distance <= maxMeters) measured.push({ location, distanceMeters: distance });
  }
  measured.sort((a, b) => a.distanceMeters - b.distanceMeters || a.location.code.localeCompare(b.location.code));
  return measured.slice(0, limit);
}
