import { canSeeReporter, toIso, toIsoOrNull, type Incident, type UserActor } from '@alertautec/core';
import type { DuplicateSummary, IncidentView } from '@alertautec/core/schemas';

export function presentIncident(incident: Incident, viewer: UserActor): IncidentView {
  return {
    id: incident.id,
    category: incident.category,
    title: incident.title,
    description: incident.description,
    urgency: incident.urgency,
    status: incident.status,
    locationCode: incident.locationCode,
    locationText: incident.locationText,
    lat: incident.lat,
    lng: incident.lng,
    departmentId: incident.departmentId,
    reporterId: canSeeReporter(viewer, incident) ? incident.reporterId : null,
    anonymous: incident.anonymous,
    createdAt: toIso(incident.createdAt),
    updatedAt: toIso(incident.updatedAt),
    acknowledgedAt: toIsoOrNull(incident.acknowledgedAt),
    resolvedAt: toIsoOrNull(incident.resolvedAt),
    slaDueAt: toIso(incident.slaDueAt),
    affectedCount: incident.affectedCount,
    version: incident.version,
  };
}

/**
 * What a reporter is shown of a possible duplicate before submitting. Of an incident they
 * may see, its title; of one they may not, only what makes it recognisable as the same
 * problem — category, place code, status, urgency, time, distance, how many it affects —
 * and nothing its reporter wrote. The id is always there: it is what "it affects me too"
 * (POST /api/incidents/:id/affected) names, and reveals nothing by itself (GET answers 404).
 */
export const presentDuplicate = (incident: Incident, distanceMeters: number | null, visible: boolean): DuplicateSummary => ({
  id: incident.id,
  title: visible ? incident.title : null,
  category: incident.category,
  status: incident.status,
  urgency: incident.urgency,
  locationCode: incident.locationCode,
  locationText: visible ? incident.locationText : null,
  createdAt: toIso(incident.createdAt),
  distanceMeters: distanceMeters === null ? null : Math.round(distanceMeters),
  affectedCount: incident.affectedCount,
});
