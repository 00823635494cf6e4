// The AlertaUTEC server as `npm start` runs it (the built packages), on a free port.
import { buildApp, createSystem, loadConfig } from '@alertautec/server';

const config = loadConfig({ ...process.env, NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'warn', ALERTA_DEMO: '1' });
const system = await createSystem(config);
const app = await buildApp(system);
await app.listen({ port: 0, host: '127.0.0.1' });
system.start();
process.send?.({ port: app.server.address().port });
process.on('SIGINT', () => void app.close().then(() => system.close()).then(() => process.exit(0)));
