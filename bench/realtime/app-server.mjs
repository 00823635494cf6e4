// The AlertaUTEC server as `npm start` runs it (the built packages), on a free port, for
// bench/realtime. Started with --expose-gc so the RSS readings can be taken after a full GC
// (the same is done for the baselines).
import { buildApp, createSystem, loadConfig } from '@alertautec/server';

const config = loadConfig({ ...process.env, NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'warn', ALERTA_DEMO: '1' });
const system = await createSystem(config);
const app = await buildApp(system);
await app.listen({ port: 0, host: '127.0.0.1', backlog: 4096 });
system.start();
process.on('message', (message) => {
  if (message?.cmd === 'gc') {
    globalThis.gc?.();
    process.send?.({ type: 'gc' });
  }
});
process.send?.({ type: 'ready', port: app.server.address().port });
process.on('SIGINT', () => void app.close().then(() => system.close()).then(() => process.exit(0)));
