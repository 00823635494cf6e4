// Child process: the product's HTTP API (built packages, ALERTA_ROLES=api: no workers, no
// realtime) on the bench's seeded database; sends its port once listening, closes on SIGINT.
import { buildApp } from '@alertautec/server';
import { openBenchSystem } from '../reports/system.mjs';

const system = await openBenchSystem();
const app = await buildApp(system);
await app.listen({ port: 0, host: '127.0.0.1' });
process.send({ type: 'ready', port: app.server.address().port });
process.on('SIGINT', () => void app.close().then(() => system.close()).then(() => process.exit(0)));
