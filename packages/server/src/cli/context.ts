import type { Actor } from '@alertautec/core';
import { ConfigError, loadConfig } from '../config.js';
import { createSystem, type System } from '../system.js';
import { DEFAULT_TENANT_ID } from '../tenants/bootstrap.js';
import type { Output } from './output.js';

/** Exit codes scripts can trust: 0 only on success. */
export const EXIT = { ok: 0, failed: 1, usage: 2, config: 78 } as const;

/** A failure the CLI reports as one line, without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const operator = (tenantId = DEFAULT_TENANT_ID): Actor => ({ kind: 'operator', tenantId });

/**
 * Opens the system the way the server does (same config, same database), runs nothing in
 * the background, and closes it afterwards whatever happens.
 */
export async function withSystem<T>(output: Output, options: { verbose: boolean }, work: (system: System) => Promise<T>): Promise<T> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, EXIT.config);
    throw error;
  }
  // The server's log lines would drown the command's own output; --verbose brings them back.
  const system = await createSystem({ ...config, logLevel: options.verbose ? config.logLevel : 'warn', roles: [] });
  try {
    return await work(system);
  } finally {
    await system.close().catch((error: unknown) => output.error(`closing the database failed: ${(error as Error).message}`));
  }
}
