import assert from 'node:assert/strict';
import fs from 'node:fs';
import { it } from 'node:test';
import { createSystem, type System } from '../../src/system.js';
import { manualClock, startApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { createUser } from '../helpers/fixtures.js';
import { T0, escalations, reportCritical, waitForEscalations } from './helpers.js';

/**
 * Exactly once across restarts: the wake-up and the escalation's state live in the
 * database, so a system started after the due time escalates what the stopped one left,
 * and a later one does not escalate it again.
 */
const SLA_MS = 6_000;

await describeEachDatabase('SLA escalation across restarts', (dialect) => {
  it('stopped before the due time, the next system (started past it) escalates once; a third adds nothing', async () => {
    const clock = manualClock(T0);
    const t = await startApp({ dialect, clock, env: { SLA_CRITICAL_MINUTES: '0.1' } });
    const open: System[] = [];
    try {
      const student = await createUser(t, 'student');
      const incident = await reportCritical(t, student.token);
      await t.app.close();
      await t.system.close();
      assert.deepEqual(await escalationsIn(t.config, t.database.schema, clock, incident.id), []);

      clock.advance(SLA_MS + 1_000);
      const second = await createSystem(t.config, { clock, databaseSchema: t.database.schema });
      open.push(second);
      second.start();
      const [event] = await waitForEscalations(second, incident.id, 1);
      assert.equal(event!.reason, 'sla_breach');
      assert.equal(event!.level, 1);
      await second.close();
      open.pop();

      clock.advance(60_000); // still before the default policy's level 2 (15 minutes)
      const third = await createSystem(t.config, { clock, databaseSchema: t.database.schema });
      open.push(third);
      third.start();
      assert.equal(await third.services.escalation.check({ tenantId: third.boot.tenantId, incidentId: incident.id }), 'none');
      await third.services.escalation.sweep();
      await third.workers.tick();
      await third.workers.jobs.idle();
      assert.equal((await escalations(third, incident.id)).length, 1);
    } finally {
      for (const system of open) await system.close();
      await t.database.drop();
      fs.rmSync(t.database.dataDir, { recursive: true, force: true });
    }
  });
});

/** Reads the log with a system that is never started (nothing runs in the background). */
async function escalationsIn(config: Parameters<typeof createSystem>[0], schema: string | undefined, clock: ReturnType<typeof manualClock>, incidentId: string) {
  const reader = await createSystem(config, { clock, databaseSchema: schema });
  try {
    return await escalations(reader, incidentId);
  } finally {
    await reader.close();
  }
}
