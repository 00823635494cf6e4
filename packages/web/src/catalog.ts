import { useSyncExternalStore } from 'react';
import { catalog } from './api/endpoints.js';
import type { CampusLocation, Category, Department } from './api/types.js';

/**
 * The small catalogs (categories, departments, locations), fetched once per sign-in and
 * shared by every screen; admin screens call `reloadCatalog()` after changing them.
 */
export interface Catalog {
  categories: Category[];
  departments: Department[];
  locations: CampusLocation[];
}

let value: Catalog | null = null;
let pending: Promise<void> | null = null;
const listeners = new Set<() => void>();

export function reloadCatalog(): Promise<void> {
  pending = Promise.all([catalog.categories(), catalog.departments(), catalog.locations()])
    .then(([categories, departments, locations]) => {
      value = { categories: categories.items, departments: departments.items, locations: locations.items };
      listeners.forEach((listener) => listener());
    })
    .catch(() => {
      pending = null; // try again on the next use
    });
  return pending;
}

export function forgetCatalog(): void {
  value = null;
  pending = null;
}

/** The catalog, or null while it loads. */
export function useCatalog(): Catalog | null {
  const current = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    () => value,
  );
  if (!current && !pending) void reloadCatalog();
  return current;
}

export const departmentName = (catalogValue: Catalog | null, departmentId: string | null): string =>
  (departmentId && catalogValue?.departments.find((department) => department.id === departmentId)?.name) || '—';
