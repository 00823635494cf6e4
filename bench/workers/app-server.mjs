// The AlertaUTEC server as `npm start` runs it (built packages, roles from ALERTA_ROLES), on
// a free port. With BENCH_CONSUMER=1 it also runs a durable log consumer that counts events, in a
// worker runtime of its own in this process on the system's store, clock and notices (the same
// wake-ups and write path a product consumer gets). It answers `lag` (the
// runtime's alertautec_consumer_lag_events gauge, head seq − cursor read from the database)
// and `stats` (events handled and the delay from each event's `at` to its handler).
import { buildApp, createSystem, createWorkerRuntime, defineConsumer, defineJob, loadConfig } from '@alertautec/server';
import { Registry } from 'prom-client';

const config = loadConfig({ ...process.env, NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'warn', ALERTA_DEMO: '1' });
const system = await createSystem(config);
const app = await buildApp(system);
await app.listen({ port: 0, host: '127.0.0.1' });
system.start();

let consumer = null;
const registry = new Registry();
let handled = 0;
const delays = [];
// With or without the product's workers role, BENCH_CONSUMER=1 runs the runtime with a
// counting consumer and one scheduled job (so its job runner polls and claims as in
// production): with ALERTA_ROLES=api,realtime that is the runtime's own cost alone.
if (process.env.BENCH_CONSUMER === '1') {
  consumer = createWorkerRuntime({
    store: system.store,
    clock: system.clock,
    notices: system.notices,
    registry,
    log: system.log,
    consumers: [
      defineConsumer({
        name: 'bench.count',
        // Added to a running system: history is not its business (the demo seed is).
        startAt: 'head',
        async handler(_trx, events) {
          const now = Date.now();
          handled += events.length;
          for (const { event } of events) delays.push(now - Date.parse(event.at));
        },
      }),
    ],
    jobs: [defineJob({ kind: 'bench.tick', cron: '* * * * *', handler: async () => undefined })],
  });
  consumer.start();
}

async function lag() {
  if (!consumer) return null;
  const { values } = await registry.getSingleMetric('alertautec_consumer_lag_events').get();
  return values.reduce((sum, value) => sum + value.value, 0);
}

process.on('message', async (message) => {
  if (message.type === 'lag') process.send({ type: 'lag', lag: await lag(), at: Date.now() });
  if (message.type === 'reset') {
    handled = 0;
    delays.length = 0;
    process.send({ type: 'reset' });
  }
  if (message.type === 'stats') process.send({ type: 'stats', consumer: Boolean(consumer), handled, delays, lag: await lag() });
});
process.send?.({ type: 'ready', port: app.server.address().port });
process.on('SIGINT', () => void app.close().then(() => consumer?.stop()).then(() => system.close()).then(() => process.exit(0)));
