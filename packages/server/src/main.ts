import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { drainLogs } from './ops/logger.js';
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
  // Signals are handled before the server says it listens: whoever reacts to that line at once
  // (a supervisor, a test) must find the graceful shutdown in place.
  /** Exits after the log lines still buffered reach stdout, or after `graceMs` if they cannot. */
  const exit = async (code: number, graceMs: number) => {
    await drainLogs(graceMs);
    process.exit(code);
  };
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    // The deadline holds because nothing blocks the event loop: logging never waits for a
    // stalled stdout reader (ops/logger.ts), and exit does not flush synchronously.
    const force = setTimeout(() => {
      app.log.error({ deadlineMs: config.shutdownTimeoutMs }, 'shutdown took longer than SHUTDOWN_TIMEOUT_MS; exiting');
      void exit(1, 100);
    }, config.shutdownTimeoutMs);
    force.unref();
    // app.close() closes the connections idle right now; one that finishes its in-flight
    // request afterwards would stay open (keep-alive) and hold the exit until it times out.
    const reap = setInterval(() => app.server.closeIdleConnections(), 100);
    reap.unref();
    try {
      await app.close();
      await system.close();
      app.log.info('shut down cleanly');
      clearTimeout(force);
      await exit(0, 1_000);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      clearTimeout(force);
      await exit(1, 1_000);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  system.start();

  const base = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  app.log.info(
    { store: system.store.dialect, dataDir: config.dataDir, roles: config.roles },
    `AlertaUTEC listening on ${base} (API docs at ${base}/docs)`,
  );
  if (system.boot.demoAccounts.length > 0) {
    const lines = system.boot.demoAccounts.map((a) => `  ${a.role.padEnd(10)} ${a.email.padEnd(28)} ${a.password}`);
    console.log(`\nDemo campus accounts (ALERTA_DEMO; never in production):\n${lines.join('\n')}\n`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
