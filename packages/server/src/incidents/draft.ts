import { cleanText, foldText, slaDueAt, validationError, type Incident, type SlaPolicy, type UserActor } from '@alertautec/core';
import type { CreateIncidentBody } from '@alertautec/core/schemas';
import type { DepartmentRow } from '../catalog/repository.js';
import type { CatalogCache } from '../catalog/snapshot.js';

/**
 * Turns a report into the incident it would become: routed by its category, placed by its
 * location (whose coordinates it inherits), with a title and an SLA due time. Shared by
 * create and preview, so the preview shows exactly what would be stored.
 */
export interface Draft {
  incident: Incident;
  /** Where the category routes it (null if that department is gone). */
  department: DepartmentRow | null;
  searchText: string;
}

const TITLE_LENGTH = 80;

function titleFrom(description: string): string {
  const firstLine = description.split('\n')[0]!.trim();
  // Counted and cut in code points: cutting UTF-16 units could leave half an emoji behind.
  const chars = [...firstLine];
  return chars.length <= TITLE_LENGTH ? firstLine : `${chars.slice(0, TITLE_LENGTH - 1).join('').trimEnd()}…`;
}

export async function draftIncident(
  catalog: CatalogCache,
  actor: UserActor,
  body: CreateIncidentBody,
  ids: { id: string; now: number; sla: SlaPolicy },
): Promise<Draft> {
  const { categories, locations, departments } = await catalog.get(actor.tenantId);
  const category = categories.get(body.category);
  if (!category) {
    throw validationError('There is no such category.', [{ path: '/category', message: 'unknown category' }], 'unknown_category');
  }
  if (!body.locationCode && !body.locationText) {
    throw validationError('Say where the incident is: a location code or a description of the place.', [
      { path: '/locationText', message: 'a location code or a description is required' },
    ]);
  }
  if ((body.lat === undefined) !== (body.lng === undefined)) {
    throw validationError('Coordinates need both lat and lng.', [{ path: body.lat === undefined ? '/lat' : '/lng', message: 'is required with the other coordinate' }]);
  }
  const location = body.locationCode ? locations.get(body.locationCode.toUpperCase()) : undefined;
  if (body.locationCode && !location) {
    throw validationError('There is no location with this code.', [{ path: '/locationCode', message: 'unknown location' }], 'unknown_location');
  }
  const description = cleanText(body.description);
  const title = body.title ? cleanText(body.title) : titleFrom(description);
  const locationText = body.locationText ? cleanText(body.locationText) : null;
  const department = departments.get(category.department_id);

  const incident: Incident = {
    id: ids.id,
    tenantId: actor.tenantId,
    category: category.code,
    title,
    description,
    urgency: body.urgency,
    status: 'pending',
    locationCode: location?.code ?? null,
    locationText,
    lat: body.lat ?? location?.lat ?? null,
    lng: body.lng ?? location?.lng ?? null,
    departmentId: department?.id ?? null,
    reporterId: actor.userId,
    anonymous: body.anonymous ?? false,
    createdAt: ids.now,
    updatedAt: ids.now,
    acknowledgedAt: null,
    resolvedAt: null,
    slaDueAt: slaDueAt(ids.now, body.urgency, ids.sla),
    affectedCount: 1,
    version: 1,
  };
  const searchText = foldText([title, description, locationText, location?.code, location?.name, location?.building].filter(Boolean).join(' '));
  return { incident, department: department ?? null, searchText };
}
