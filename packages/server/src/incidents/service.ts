import { createHash } from 'node:crypto';
import {
  DEFAULT_INCIDENT_SORT,
  DUPLICATE_WINDOW_MS,
  DomainError,
  actedAs,
  applyTransition,
  assertReasonGiven,
  assertRoleMayMove,
  assertCan,
  canSeeIncident,
  canSeeInternal,
  canSeeReporterName,
  commentAddedEvent,
  departmentAssignedEvent,
  distanceMeters,
  eventForViewer,
  forbidden,
  foldText,
  incidentAffectedEvent,
  incidentCreatedEvent,
  incidentScope,
  joinAsAffected,
  seesOwnReports,
  isPossibleDuplicate,
  notFound,
  stampedEvent,
  statusChangeEvent,
  validationError,
  cleanText,
  type Incident,
  type IncidentEvent,
  type SlaPolicy,
  type UserActor,
} from '@alertautec/core';
import type { CommentBody, CreateIncidentBody, IncidentListQuery, StatsQuery, UpdateStatusBody } from '@alertautec/core/schemas';
import { newId, type Clock } from '../adapters.js';
import { presentDepartment } from '../catalog/presenter.js';
import type { CatalogCache } from '../catalog/snapshot.js';
import { departmentsRepository } from '../catalog/repository.js';
import { appendEvent, eventLog } from '../events/log.js';
import { periodOf } from '../http/period.js';
import type { LogCommitted } from '../events/signal.js';
import { pageOf } from '../store/pagination.js';
import { isUniqueViolation, type Db } from '../store/executor.js';
import type { Write } from '../store/group-commit.js';
import { usersRepository } from '../users/repository.js';
import { draftIncident } from './draft.js';
import { followersRepository } from './followers-repository.js';
import { incidentStats } from './stats.js';
import { cursorKey, keyFromCursor } from './list-order.js';
import { presentDuplicate, presentIncident } from './presenter.js';
import { IDEMPOTENCY_WINDOW_MS, idempotencyRepository, incidentsRepository, toRow } from './repository.js';

export interface IncidentsDeps {
  db: Db;
  write: Write;
  clock: Clock;
  sla: SlaPolicy;
  catalog: CatalogCache;
  /** Tells log consumers (the broadcaster) that a tenant's log grew. */
  committed: LogCommitted;
  /** Runs inside the creating transaction (the SLA escalation schedules its check there). */
  onCreate?: (trx: Db, incident: Incident, now: number) => Promise<void>;
}

const MAX_WRITE_ATTEMPTS = 3;

const staleVersion = (current: number) =>
  new DomainError('precondition_failed', 'version_mismatch', `The incident has changed since you read it (now version ${current}); reload and retry.`);

export type IncidentsService = ReturnType<typeof createIncidentsService>;

export function createIncidentsService({ db, write, clock, sla, catalog, committed, onCreate }: IncidentsDeps) {
  /** The incident if this actor may see it; otherwise 404, never 403 (existence does not leak). */
  async function findVisible(actor: UserActor, id: string): Promise<Incident> {
    const incident = await incidentsRepository.findById(db, actor.tenantId, id);
    if (!incident || !canSeeIncident(actor, incident)) {
      // A student also sees what they follow (read only when it is the question).
      const follows =
        incident !== undefined && seesOwnReports(actor) && (await followersRepository.follows(db, actor.tenantId, incident.id, actor.userId));
      if (!incident || !follows || !canSeeIncident(actor, { ...incident, followerIds: [actor.userId] })) throw notFound('Incident');
    }
    return incident;
  }

  /**
   * Read, decide, write-if-unchanged: a change computed from a version someone else has
   * since replaced is recomputed (or refused with 412 when the caller named a version).
   */
  async function changeIncident(
    actor: UserActor,
    id: string,
    expectedVersion: number | undefined,
    decide: (incident: Incident, now: number) => { next: Incident; event: Parameters<typeof appendEvent>[2] } | null,
    authorize: (incident: Incident) => void = () => undefined,
  ): Promise<Incident> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const incident = await findVisible(actor, id);
      // The role's permission first: 403 before 412 (a stale version).
      authorize(incident);
      if (expectedVersion !== undefined && expectedVersion !== incident.version) throw staleVersion(incident.version);
      const now = clock.now();
      const change = decide(incident, now);
      if (!change) return incident;
      const written = await write(async (trx) => {
        if (!(await incidentsRepository.updateIfVersion(trx, change.next, incident))) return false;
        await appendEvent(trx, actor.tenantId, change.event, now);
        return true;
      });
      if (written) {
        committed(actor.tenantId);
        return change.next;
      }
      if (expectedVersion !== undefined) throw staleVersion(incident.version + 1);
    }
    throw new DomainError('conflict', 'concurrent_update', 'The incident is being changed by others; retry.');
  }

  async function list(actor: UserActor, query: IncidentListQuery & { departmentId?: string }) {
    const limit = query.limit ?? 50;
    const sort = query.sort ?? DEFAULT_INCIDENT_SORT;
    // Words are matched folded (accents and case ignored). Tokens with LIKE metacharacters or
    // made only of punctuation, which folding would erase, must also appear literally.
    const tokens = query.q ? query.q.split(/\s+/).filter(Boolean) : [];
    const words = tokens.flatMap((token) => foldText(token).split(' ').filter(Boolean));
    const literals = tokens.filter((token) => /[%_]/.test(token) || foldText(token) === '');
    const rows = await incidentsRepository.list(db, incidentScope(actor), {
      limit,
      sort,
      after: keyFromCursor(sort, query.cursor),
      status: query.status,
      urgency: query.urgency,
      category: query.category,
      departmentId: query.departmentId,
      reporterId: query.mine ? actor.userId : undefined,
      words,
      literals,
    });
    return pageOf(rows, limit, (incident) => presentIncident(incident, actor), (incident) => cursorKey(sort, incident));
  }

  return {
    async create(actor: UserActor, body: CreateIncidentBody, idempotencyKey?: string) {
      // Key order does not make a different request: hash the fields sorted.
      const requestHash = createHash('sha256').update(JSON.stringify(body, Object.keys(body).sort())).digest('base64url');
      const replay = async () => {
        const previous = idempotencyKey ? await idempotencyRepository.find(db, actor.userId, idempotencyKey) : undefined;
        if (!previous || clock.now() - Number(previous.created_at) > IDEMPOTENCY_WINDOW_MS) return undefined;
        if (previous.request_hash !== requestHash) {
          throw new DomainError('conflict', 'idempotency_key_reused', 'This Idempotency-Key was used for a different request.');
        }
        const incident = await incidentsRepository.findById(db, actor.tenantId, previous.incident_id);
        return incident && { incident: presentIncident(incident, actor), replayed: true };
      };

      const earlier = await replay();
      if (earlier) return earlier;
      const now = clock.now();
      const { incident, searchText } = await draftIncident(catalog, actor, body, { id: newId(), now, sla });
      try {
        await write(async (trx) => {
          if (idempotencyKey) {
            await idempotencyRepository.removeExpired(trx, actor.userId, idempotencyKey, now - IDEMPOTENCY_WINDOW_MS);
            await idempotencyRepository.insert(trx, {
              user_id: actor.userId,
              key: idempotencyKey,
              tenant_id: actor.tenantId,
              request_hash: requestHash,
              incident_id: incident.id,
              created_at: now,
            });
          }
          await incidentsRepository.insert(trx, toRow(incident, searchText));
          await onCreate?.(trx, incident, now);
          await appendEvent(trx, actor.tenantId, incidentCreatedEvent(incident), now);
        });
      } catch (error) {
        // A concurrent request with the same key won the race: answer with its incident.
        const winner = idempotencyKey && isUniqueViolation(error) ? await replay() : undefined;
        if (winner) return winner;
        throw error;
      }
      committed(actor.tenantId);
      return { incident: presentIncident(incident, actor), replayed: false };
    },

    async preview(actor: UserActor, body: CreateIncidentBody) {
      const now = clock.now();
      const { incident, department } = await draftIncident(catalog, actor, body, { id: 'preview', now, sla });
      const candidates = await incidentsRepository.openOfCategorySince(db, actor.tenantId, incident.category, now - DUPLICATE_WINDOW_MS);
      const possibleDuplicates = candidates
        .filter((other) => isPossibleDuplicate(incident, other, now))
        .map((other) => {
          const distance =
            incident.lat !== null && incident.lng !== null && other.lat !== null && other.lng !== null
              ? distanceMeters({ lat: incident.lat, lng: incident.lng }, { lat: other.lat, lng: other.lng })
              : null;
          return presentDuplicate(other, distance, canSeeIncident(actor, other));
        });
      const { id: _id, version: _version, acknowledgedAt: _ack, resolvedAt: _resolved, ...shown } = presentIncident(incident, actor);
      return { incident: shown, department: department ? presentDepartment(department) : null, possibleDuplicates };
    },

    list,

    async listForDepartment(actor: UserActor, departmentId: string, query: IncidentListQuery) {
      if (!(await departmentsRepository.findById(db, actor.tenantId, departmentId))) throw notFound('Department');
      const scope = incidentScope(actor);
      if (scope.kind === 'reporter' || (scope.kind === 'department' && scope.departmentId !== departmentId)) {
        throw forbidden('You may list only your own department’s incidents.');
      }
      return list(actor, { ...query, departmentId });
    },

    async get(actor: UserActor, id: string) {
      const incident = await findVisible(actor, id);
      const view = presentIncident(incident, actor);
      if (!incident.reporterId || !canSeeReporterName(actor, incident)) return view;
      const reporter = await usersRepository.findById(db, actor.tenantId, incident.reporterId);
      return { ...view, reporterName: reporter?.name ?? null };
    },

    async changeStatus(actor: UserActor, id: string, body: UpdateStatusBody, ifMatch: number | undefined) {
      if (ifMatch !== undefined && body.version !== undefined && ifMatch !== body.version) {
        throw validationError('If-Match and version disagree.', [{ path: '/version', message: 'differs from If-Match' }]);
      }
      const note = body.note === undefined ? undefined : cleanText(body.note);
      const next = await changeIncident(
        actor,
        id,
        ifMatch ?? body.version,
        (incident, now) => {
          const changed = applyTransition(actor, incident, body.status, now);
          return { next: changed, event: actedAs(statusChangeEvent(incident, changed, actor.userId, note), actor.role) };
        },
        (incident) => {
          assertRoleMayMove(actor, incident, body.status);
          assertReasonGiven(actor, incident, body.status, note);
        },
      );
      return presentIncident(next, actor);
    },

    async assignDepartment(actor: UserActor, id: string, departmentId: string) {
      // Existence first: those who may not see the incident get 404, never 403.
      await findVisible(actor, id);
      assertCan(actor, 'incidents:assign');
      if (!(await departmentsRepository.findById(db, actor.tenantId, departmentId))) {
        throw validationError('The department does not exist.', [{ path: '/departmentId', message: 'unknown department' }], 'unknown_department');
      }
      const next = await changeIncident(actor, id, undefined, (incident, now) =>
        incident.departmentId === departmentId
          ? null
          : {
              next: { ...incident, departmentId, updatedAt: now, version: incident.version + 1 },
              event: departmentAssignedEvent(incident.id, actor.userId, departmentId, incident.departmentId),
            },
      );
      return presentIncident(next, actor);
    },

    async comment(actor: UserActor, id: string, body: CommentBody): Promise<IncidentEvent> {
      const internal = body.internal ?? false;
      const incident = await findVisible(actor, id); // 404 before 403: existence does not leak
      if (internal && !canSeeInternal(actor)) throw forbidden('Students cannot write internal comments.', 'internal_comment_not_allowed');
      const event = actedAs(commentAddedEvent(incident.id, newId(), actor.userId, cleanText(body.text), internal), actor.role);
      const now = clock.now();
      const seq = await write((trx) => appendEvent(trx, actor.tenantId, event, now));
      committed(actor.tenantId);
      return eventForViewer(actor, stampedEvent(event, seq, now), internal, incident)!;
    },

    async events(actor: UserActor, id: string) {
      const incident = await findVisible(actor, id);
      const logged = await eventLog.forIncident(db, actor.tenantId, id);
      return {
        items: logged
          .map(({ event, internal }) => eventForViewer(actor, event, internal, incident))
          .filter((event): event is IncidentEvent => event !== null),
      };
    },

    /**
     * "It affects me too" (docs/incidents.md): the student follows the incident and its
     * affected count goes up by one, with an IncidentAffected event, in one transaction.
     * Saying it again changes nothing and answers the same count. The version does not move:
     * a count is not a change anyone working the incident must reload for.
     */
    async affected(actor: UserActor, id: string): Promise<{ affectedCount: number }> {
      // Any open incident of the tenant: the preview offers them whoever reported them.
      const incident = await incidentsRepository.findById(db, actor.tenantId, id);
      if (!incident) throw notFound('Incident');
      if (joinAsAffected(actor, incident) === 'reporter') return { affectedCount: incident.affectedCount };
      const now = clock.now();
      const joined = await write(async (trx) => {
        if (!(await followersRepository.follow(trx, { tenant_id: actor.tenantId, incident_id: id, user_id: actor.userId, created_at: now }))) return null;
        const affectedCount = await followersRepository.countOneMore(trx, actor.tenantId, id);
        await appendEvent(trx, actor.tenantId, incidentAffectedEvent(id, actor.userId, affectedCount), now);
        return affectedCount;
      });
      if (joined === null) return { affectedCount: (await incidentsRepository.findById(db, actor.tenantId, id))?.affectedCount ?? incident.affectedCount };
      committed(actor.tenantId);
      return { affectedCount: joined };
    },

    stats: (actor: UserActor, query: StatsQuery) => incidentStats(db, incidentScope(actor), periodOf(query), clock.now()),

    findVisible,
  };
}
