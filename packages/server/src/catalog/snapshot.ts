import type { Clock } from '../adapters.js';
import type { Db } from '../store/executor.js';
import { categoriesRepository, departmentsRepository, locationsRepository, type CategoryRow, type DepartmentRow, type LocationRow } from './repository.js';

/**
 * The catalog in memory, per tenant: reporting an incident looks up its category,
 * location and department, and the catalog changes rarely. Writes through this process
 * drop the tenant's snapshot at once; writes through another process are seen within
 * the TTL.
 */
export interface CatalogSnapshot {
  categories: Map<string, CategoryRow>;
  locations: Map<string, LocationRow>;
  departments: Map<string, DepartmentRow>;
}

export interface CatalogCache {
  get(tenantId: string): Promise<CatalogSnapshot>;
  invalidate(tenantId: string): void;
}

export function createCatalogCache(db: Db, clock: Clock, ttlMs = 5_000): CatalogCache {
  const snapshots = new Map<string, { loadedAt: number; snapshot: Promise<CatalogSnapshot> }>();

  async function load(tenantId: string): Promise<CatalogSnapshot> {
    const [categories, locations, departments] = await Promise.all([
      categoriesRepository.list(db, tenantId),
      locationsRepository.list(db, tenantId),
      departmentsRepository.list(db, tenantId),
    ]);
    return {
      categories: new Map(categories.map((row) => [row.code, row])),
      locations: new Map(locations.map((row) => [row.code, row])),
      departments: new Map(departments.map((row) => [row.id, row])),
    };
  }

  return {
    get(tenantId) {
      const cached = snapshots.get(tenantId);
      if (cached && clock.now() - cached.loadedAt < ttlMs) return cached.snapshot;
      const snapshot = load(tenantId);
      snapshots.set(tenantId, { loadedAt: clock.now(), snapshot });
      snapshot.catch(() => snapshots.delete(tenantId));
      return snapshot;
    },
    invalidate: (tenantId) => void snapshots.delete(tenantId),
  };
}
