import { awaitsAcknowledgement, escalateOnSlaBreach, escalationLevelEvent, nextEscalationAt, policyLevelFor, type Incident } from '@alertautec/core';
import type { Clock } from '../adapters.js';
import { appendEvent } from '../events/log.js';
import type { LogCommitted } from '../events/signal.js';
import { incidentsRepository } from '../incidents/repository.js';
import type { Db } from '../store/executor.js';
import type { Write } from '../store/group-commit.js';
import { defineJob, enqueue, type ScheduledPayload } from '../workers/index.js';
import { escalationPolicyRepository } from './policy-repository.js';
import { incidentEscalationsRepository, type DueIncident } from './repository.js';

export interface EscalatorDeps {
  db: Db;
  write: Write;
  clock: Clock;
  /** Wakes the log's readers (broadcaster, notifier) after an escalation commits. */
  committed: LogCommitted;
}

/** What one check did. */
export type CheckOutcome = 'breach' | 'level' | 'none';

/** Rows the sweep takes per query, and queries per run (the rest waits for the next minute). */
const SWEEP_BATCH = 100;
const SWEEP_MAX_BATCHES = 20;

/**
 * SLA escalation and the escalation policy (docs/escalation.md).
 *
 * Precise wake-ups: creating an incident enqueues, in the creating transaction, an
 * `escalation.check` job that runs at its slaDueAt; each escalation enqueues the next
 * level's check at its due time the same way. The job runner polls every second, so an
 * escalation fires about a second after it is due. A sweep (`escalation.sweep`, every
 * minute) is the safety net: incidents created before this existed, or whose check job
 * died, are escalated within a minute.
 *
 * Exactly once: every check is one transaction that re-reads the incident and writes
 * only through a conditional update (the incident's version for the breach, the level it
 * read for a policy level) before appending the event. Two processes checking the same
 * incident at once produce one event: the second update matches no row and nothing of
 * its transaction is written. Job delivery being at-least-once does not matter.
 */
export function createEscalator({ db, write, clock, committed }: EscalatorDeps) {
  const checkJob = defineJob<DueIncident>({
    kind: 'escalation.check',
    maxAttempts: 5,
    backoff: { baseMs: 1_000, maxMs: 60_000 },
    handler: async (payload) => void (await check(payload)),
  });

  const sweepJob = defineJob<ScheduledPayload>({
    kind: 'escalation.sweep',
    cron: '* * * * *',
    maxAttempts: 1,
    handler: async (_payload, context) => void (await sweep(context.signal)),
  });

  /** Enqueues the check of `level`'s due time inside the caller's transaction. */
  const scheduleCheck = (trx: Db, key: DueIncident, runAt: number, level: number, now: number) =>
    enqueue(trx, { job: checkJob, payload: key, now, runAt, tenantId: key.tenantId, dedupeKey: `${key.tenantId}/${key.incidentId}#${level}` });

  /** For the incident-creating transaction: check it when its SLA runs out. */
  async function scheduleSlaCheck(trx: Db, incident: Incident, now: number): Promise<void> {
    await scheduleCheck(trx, { tenantId: incident.tenantId, incidentId: incident.id }, incident.slaDueAt, 1, now);
  }

  /** Escalates the incident if its SLA or its next policy level is due now; safe to repeat. */
  async function check(key: DueIncident): Promise<CheckOutcome> {
    const now = clock.now();
    const outcome = await write(async (trx): Promise<CheckOutcome> => {
      const incident = await incidentsRepository.findById(trx, key.tenantId, key.incidentId);
      if (!incident) {
        await incidentEscalationsRepository.finish(trx, key, now);
        return 'none';
      }
      const breach = escalateOnSlaBreach(incident, now);
      if (breach) {
        if (!(await incidentsRepository.updateIfVersion(trx, breach.next, incident))) return 'none';
        const policy = await escalationPolicyRepository.get(trx, key.tenantId);
        const nextAt = nextEscalationAt(policy, 1, now);
        await incidentEscalationsRepository.start(trx, { tenant_id: key.tenantId, incident_id: key.incidentId, level: 1, next_at: nextAt, escalated_version: breach.next.version, started_at: now, updated_at: now });
        if (nextAt !== null) await scheduleCheck(trx, key, nextAt, 2, now);
        await appendEvent(trx, key.tenantId, breach.event, now); // last: keeps the log head's lock short
        return 'breach';
      }

      const standing = await incidentEscalationsRepository.find(trx, key.tenantId, key.incidentId);
      if (!standing || standing.next_at === null || Number(standing.next_at) > now) return 'none';
      const policy = await escalationPolicyRepository.get(trx, key.tenantId);
      const level = standing.level + 1;
      // Acknowledged (a person moved it), or the policy was shortened since: it stops here.
      if (!awaitsAcknowledgement(incident, standing.escalated_version) || !policyLevelFor(policy, level)) {
        await incidentEscalationsRepository.finish(trx, key, now);
        return 'none';
      }
      const nextAt = nextEscalationAt(policy, level, now);
      if (!(await incidentEscalationsRepository.advance(trx, key, standing.level, level, nextAt, now))) return 'none';
      if (nextAt !== null) await scheduleCheck(trx, key, nextAt, level + 1, now);
      await appendEvent(trx, key.tenantId, escalationLevelEvent(incident, level, now), now);
      return 'level';
    });
    if (outcome !== 'none') committed(key.tenantId);
    return outcome;
  }

  /** Checks everything due (overdue pending incidents, then policy levels); returns how many escalated. */
  async function sweep(signal?: AbortSignal): Promise<number> {
    let escalated = 0;
    for (const find of [incidentEscalationsRepository.overdue, incidentEscalationsRepository.levelsDue]) {
      for (let batch = 0; batch < SWEEP_MAX_BATCHES && !signal?.aborted; batch++) {
        const due = await find(db, clock.now(), SWEEP_BATCH);
        for (const key of due) if ((await check(key)) !== 'none') escalated += 1;
        if (due.length < SWEEP_BATCH) break;
      }
    }
    return escalated;
  }

  return { jobs: [checkJob, sweepJob] as const, scheduleSlaCheck, check, sweep };
}

export type Escalator = ReturnType<typeof createEscalator>;
