// The AlertaUTEC server as `npm start` runs it (the built packages), on a free port, e-mail
// through SMTP_URL (the bench's SMTP sink). It starts the api and realtime roles at once and
// the workers role (the notifier consumer and the delivery jobs, concurrency as in
// production) when the harness says `workers`, so notifications can be queued first and
// drained afterwards. `breakdown` answers where each e-mail's time went, read from the
// product's own rows: the event (commit), the outbox row (notifier), the delivery job's
// start and finish, the row's `sent` write.
import { buildApp, createSystem, loadConfig } from '@alertautec/server';

const config = loadConfig({ ...process.env, NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'warn', ALERTA_DEMO: '1' });
const system = await createSystem(config);
const app = await buildApp(system);
await app.listen({ port: 0, host: '127.0.0.1' });
system.start(config.roles.filter((role) => role !== 'workers'));

async function breakdown() {
  const { db } = system.store;
  const rows = await db
    .selectFrom('notifications')
    .select(['id', 'delivery_token', 'tenant_id', 'event_seq', 'incident_id', 'status', 'created_at', 'sent_at'])
    .where('channel', '=', 'email')
    .execute();
  const events = new Map((await db.selectFrom('incident_events').select(['tenant_id', 'seq', 'at']).execute()).map((e) => [`${e.tenant_id}/${e.seq}`, e.at]));
  const jobs = new Map(
    (await db.selectFrom('jobs').select(['dedupe_key', 'created_at', 'started_at', 'finished_at']).where('kind', '=', 'notification.deliver').execute()).map((j) => [j.dedupe_key, j]),
  );
  return rows.map((row) => {
    const job = jobs.get(`${row.id}/${row.delivery_token}`);
    return {
      incidentId: row.incident_id,
      status: row.status,
      eventAt: events.get(`${row.tenant_id}/${row.event_seq}`) ?? null,
      rowAt: row.created_at,
      jobStartedAt: job?.started_at ?? null,
      jobFinishedAt: job?.finished_at ?? null,
      sentAt: row.sent_at,
    };
  });
}

process.on('message', async (message) => {
  if (message.type === 'workers') {
    const at = Date.now();
    system.start(['workers']);
    process.send({ type: 'workers', at });
  } else if (message.type === 'breakdown') {
    process.send({ type: 'breakdown', rows: await breakdown() });
  }
});
process.send?.({ type: 'ready', port: app.server.address().port });
process.on('SIGINT', () => void app.close().then(() => system.close()).then(() => process.exit(0)));
