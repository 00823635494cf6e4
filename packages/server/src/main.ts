import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createSystem } from './system.js';

/** `npm start`: the whole system in one process. */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const system = await createSystem(config);
  const app = await buildApp(system);
  await app.listen({ port: config.port, host: config.host });

  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  app.log.info(
    { store: system.store.dialect, dataDir: config.dataDir },
    `AlertaUTEC listening on ${base} (API docs at ${base}/docs)`,
  );
  if (system.boot.demoAccounts.length > 0) {
    const lines = system.boot.demoAccounts.map((a) => `  ${a.role.padEnd(10)} ${a.email.padEnd(28)} ${a.password}`);
    console.log(`\nDemo campus accounts (ALERTA_DEMO; never in production):\n${lines.join('\n')}\n`);
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      app.log.error('shutdown took longer than 15 s; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    // app.close() closes the connections idle right now; one that finishes its in-flight
    // request afterwards would stay open (keep-alive) and hold the exit until it times out.
    const reap = setInterval(() => app.server.closeIdleConnections(), 100);
    reap.unref();
    try {
      await app.close();
      await system.close();
      app.log.info('shut down cleanly');
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
