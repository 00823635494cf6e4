import { assertCan, cleanText, conflict, matchLocation, notFound, validationError, type Actor } from '@alertautec/core';
import type {
  CreateCategoryBody,
  CreateDepartmentBody,
  CreateLocationBody,
  LocationValidation,
  UpdateCategoryBody,
  UpdateDepartmentBody,
  UpdateLocationBody,
  ValidateLocationBody,
} from '@alertautec/core/schemas';
import { newId, type Clock } from '../adapters.js';
import { isUniqueViolation, type Db } from '../store/executor.js';
import { presentCategory, presentDepartment, presentLocation } from './presenter.js';
import type { CatalogCache } from './snapshot.js';
import { categoriesRepository, departmentsRepository, locationsRepository } from './repository.js';

export type CatalogService = ReturnType<typeof createCatalogService>;

const all = <T>(items: T[]) => ({ items, nextCursor: null });
const optionalText = (value: string | null | undefined) => (value == null ? value : cleanText(value));

async function insertOnce(insert: () => Promise<unknown>, message: string, code: string) {
  try {
    await insert();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(message, code);
    throw error;
  }
}

export function createCatalogService({ db, clock, catalog }: { db: Db; clock: Clock; catalog: CatalogCache }) {
  async function requireDepartment(tenantId: string, id: string) {
    if (!(await departmentsRepository.findById(db, tenantId, id))) {
      throw validationError('The department does not exist.', [{ path: '/departmentId', message: 'unknown department' }], 'unknown_department');
    }
  }

  return {
    // Departments
    listDepartments: async (actor: Actor) =>
      all((await departmentsRepository.list(db, actor.tenantId)).map(presentDepartment)),

    async createDepartment(actor: Actor, body: CreateDepartmentBody) {
      assertCan(actor, 'catalog:manage');
      const now = clock.now();
      const row = {
        id: newId(),
        tenant_id: actor.tenantId,
        name: cleanText(body.name),
        email: body.email?.toLowerCase() ?? null,
        phone: body.phone ?? null,
        created_at: now,
        updated_at: now,
      };
      await insertOnce(() => departmentsRepository.insert(db, row), 'A department with this name exists.', 'department_exists');
      catalog.invalidate(actor.tenantId);
      return presentDepartment(row);
    },

    async updateDepartment(actor: Actor, id: string, body: UpdateDepartmentBody) {
      assertCan(actor, 'catalog:manage');
      const current = await departmentsRepository.findById(db, actor.tenantId, id);
      if (!current) throw notFound('Department');
      const patch = {
        ...(body.name !== undefined && { name: cleanText(body.name) }),
        ...(body.email !== undefined && { email: body.email?.toLowerCase() ?? null }),
        ...(body.phone !== undefined && { phone: body.phone }),
        updated_at: clock.now(),
      };
      await insertOnce(() => departmentsRepository.update(db, actor.tenantId, id, patch), 'A department with this name exists.', 'department_exists');
      catalog.invalidate(actor.tenantId);
      return presentDepartment({ ...current, ...patch });
    },

    // Categories
    listCategories: async (actor: Actor) => all((await categoriesRepository.list(db, actor.tenantId)).map(presentCategory)),

    async createCategory(actor: Actor, body: CreateCategoryBody) {
      assertCan(actor, 'catalog:manage');
      await requireDepartment(actor.tenantId, body.departmentId);
      const now = clock.now();
      const row = {
        tenant_id: actor.tenantId,
        code: body.code,
        name: cleanText(body.name),
        department_id: body.departmentId,
        created_at: now,
        updated_at: now,
      };
      await insertOnce(() => categoriesRepository.insert(db, row), 'A category with this code exists.', 'category_exists');
      catalog.invalidate(actor.tenantId);
      return presentCategory(row);
    },

    async updateCategory(actor: Actor, code: string, body: UpdateCategoryBody) {
      assertCan(actor, 'catalog:manage');
      const current = await categoriesRepository.findByCode(db, actor.tenantId, code);
      if (!current) throw notFound('Category');
      if (body.departmentId) await requireDepartment(actor.tenantId, body.departmentId);
      const patch = {
        ...(body.name !== undefined && { name: cleanText(body.name) }),
        ...(body.departmentId !== undefined && { department_id: body.departmentId }),
        updated_at: clock.now(),
      };
      await categoriesRepository.update(db, actor.tenantId, code, patch);
      catalog.invalidate(actor.tenantId);
      return presentCategory({ ...current, ...patch });
    },

    // Locations
    listLocations: async (actor: Actor) => all((await locationsRepository.list(db, actor.tenantId)).map(presentLocation)),

    async createLocation(actor: Actor, body: CreateLocationBody) {
      assertCan(actor, 'catalog:manage');
      const now = clock.now();
      const row = {
        tenant_id: actor.tenantId,
        code: body.code.toUpperCase(),
        name: cleanText(body.name),
        building: cleanText(body.building),
        floor: cleanText(body.floor),
        lat: body.lat ?? null,
        lng: body.lng ?? null,
        created_at: now,
        updated_at: now,
      };
      await insertOnce(() => locationsRepository.insert(db, row), 'A location with this code exists.', 'location_exists');
      catalog.invalidate(actor.tenantId);
      return presentLocation(row);
    },

    async updateLocation(actor: Actor, code: string, body: UpdateLocationBody) {
      assertCan(actor, 'catalog:manage');
      const key = code.toUpperCase();
      const current = await locationsRepository.findByCode(db, actor.tenantId, key);
      if (!current) throw notFound('Location');
      const patch = {
        ...(body.name !== undefined && { name: cleanText(body.name) }),
        ...(body.building !== undefined && { building: cleanText(body.building) }),
        ...(body.floor !== undefined && { floor: cleanText(body.floor) }),
        ...(body.lat !== undefined && { lat: body.lat }),
        ...(body.lng !== undefined && { lng: body.lng }),
        updated_at: clock.now(),
      };
      await locationsRepository.update(db, actor.tenantId, key, patch);
      catalog.invalidate(actor.tenantId);
      return presentLocation({ ...current, ...patch });
    },

    async deleteLocation(actor: Actor, code: string) {
      assertCan(actor, 'catalog:manage');
      if (!(await locationsRepository.delete(db, actor.tenantId, code.toUpperCase()))) throw notFound('Location');
      catalog.invalidate(actor.tenantId);
    },

    async validateLocation(actor: Actor, body: ValidateLocationBody): Promise<LocationValidation> {
      // Asked as people type: answered from the catalog snapshot, not the database.
      const locations = [...(await catalog.get(actor.tenantId)).locations.values()].map(presentLocation);
      const match = matchLocation({ locationCode: body.locationCode, locationText: optionalText(body.locationText) ?? undefined }, locations);
      return match.location ? { valid: true, location: match.location, suggestions: [] } : { valid: false, suggestions: match.suggestions };
    },
  };
}
