import { fileURLToPath } from 'node:url';
import { systemClock, type Clock } from './adapters.js';
import { createApiKeysService } from './api-keys/service.js';
import { createAccessTokens } from './auth/access-tokens.js';
import { createPasswordHasher } from './auth/passwords.js';
import { createAuthService } from './auth/service.js';
import { loadSigningKeys, type SigningKeys } from './auth/signing-keys.js';
import { createFilesystemBlobStore } from './blobs/filesystem.js';
import { createCatalogService } from './catalog/service.js';
import { createCatalogCache } from './catalog/snapshot.js';
import type { Config } from './config.js';
import { openStore, type Store } from './store/db.js';
import type { Write } from './store/group-commit.js';
import { bootstrap, type BootstrapResult } from './tenants/bootstrap.js';
import { createAttachmentsService } from './incidents/attachments.js';
import { createIncidentsService } from './incidents/service.js';
import { createActiveUsers } from './users/active-users.js';
import { createUsersService } from './users/service.js';

/**
 * The composition root: wires adapters (store, keys, clock) into the services by config.
 * The HTTP app, the workers and the tests all start from a System.
 */
export interface System {
  config: Config;
  store: Store;
  clock: Clock;
  keys: SigningKeys;
  boot: BootstrapResult;
  services: ReturnType<typeof createServices>;
  close(): Promise<void>;
}

export interface SystemOptions {
  clock?: Clock;
  /** PostgreSQL schema to run in (tests isolate themselves with it). */
  databaseSchema?: string;
}

function createServices(deps: Parameters<typeof createAuthService>[0] & { config: Config; write: Write }) {
  const { config } = deps;
  const catalog = createCatalogCache(deps.db, deps.clock);
  const incidents = createIncidentsService({ ...deps, sla: config.sla, catalog });
  const blobs = createFilesystemBlobStore(config.dataDir);
  return {
    auth: createAuthService(deps),
    users: createUsersService(deps),
    apiKeys: createApiKeysService(deps),
    catalog: createCatalogService({ ...deps, catalog }),
    incidents,
    attachments: createAttachmentsService({ ...deps, blobs, incidents, maxBytes: config.attachmentMaxBytes }),
  };
}

export const defaultWebDir = fileURLToPath(new URL('../../web/dist', import.meta.url));

export async function createSystem(config: Config, options: SystemOptions = {}): Promise<System> {
  const clock = options.clock ?? systemClock;
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: options.databaseSchema });
  try {
    const keys = await loadSigningKeys(config.dataDir);
    const passwords = await createPasswordHasher(config.passwordHashCost);
    const tokens = createAccessTokens(keys, config.accessTokenTtlSeconds, clock);
    const services = createServices({
      db: store.db,
      write: store.write,
      clock,
      passwords,
      tokens,
      refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
      allowedEmailDomains: config.allowedEmailDomains,
      activeUsers: createActiveUsers(store.db, clock),
      config,
    });
    const boot = await bootstrap({ db: store.db, clock, passwords }, config);
    return { config, store, clock, keys, boot, services, close: () => store.close() };
  } catch (error) {
    await store.close();
    throw error;
  }
}
