import type { IncidentEvent } from '@alertautec/core';
import { eventLog } from '../../src/events/log.js';
import type { System } from '../../src/system.js';
import type { TestApp } from '../helpers/app.js';
import { waitFor } from '../helpers/wait.js';

export type Escalated = Extract<IncidentEvent, { type: 'IncidentEscalated' }>;

/** A campus morning; every test moves its own manual clock from here. */
export const T0 = Date.UTC(2026, 3, 14, 13, 0, 0);

/** The incident's IncidentEscalated events, straight from the log. */
export async function escalations(system: System, incidentId: string): Promise<Escalated[]> {
  const logged = await eventLog.forIncident(system.store.db, system.boot.tenantId, incidentId);
  return logged.map(({ event }) => event).filter((event): event is Escalated => event.type === 'IncidentEscalated');
}

/** Waits until the incident has `count` escalation events (written by the running workers). */
export const waitForEscalations = (system: System, incidentId: string, count: number) =>
  waitFor(async () => {
    const found = await escalations(system, incidentId);
    return found.length >= count && found;
  }, 10_000, `${count} escalation event(s) of ${incidentId}`);

/** Waits until the check job of this incident's level `level` has run (whatever it decided). */
export const waitForCheck = (system: System, incidentId: string, level: number) =>
  waitFor(async () => {
    const job = await system.store.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'escalation.check')
      .where('dedupe_key', '=', `${system.boot.tenantId}/${incidentId}#${level}`)
      .executeTakeFirst();
    return job?.state === 'succeeded' && job;
  }, 10_000, `the level ${level} check of ${incidentId}`);

/** Reports a critical incident over HTTP. */
export async function reportCritical(t: TestApp, token: string): Promise<{ id: string; slaDueAt: string; version: number; status: string }> {
  const created = await t.request('POST', '/api/incidents', {
    token,
    body: { category: 'infrastructure', description: 'Humo en el laboratorio de química', urgency: 'critical', locationText: 'Pabellón B, piso 2' },
  });
  if (created.status !== 201) throw new Error(`create incident: ${created.status} ${created.text}`);
  return created.body;
}
