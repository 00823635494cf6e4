import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
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
import { LOG_CHANNEL, PUBLISH_CHANNEL, USER_CHANNEL, createLocalNotices, createPostgresNotices, type Notices } from './events/signal.js';
import { createAttachmentsService } from './incidents/attachments.js';
import { createIncidentsService } from './incidents/service.js';
import { startHousekeeping } from './ops/housekeeping.js';
import { createMetrics, type Metrics } from './ops/metrics.js';
import { Broadcaster } from './realtime/broadcaster.js';
import { DEFAULT_GATEWAY_OPTIONS, Gateway } from './realtime/gateway.js';
import { createRealtimeMetrics } from './realtime/metrics.js';
import { createPublisher, type Publisher } from './realtime/publisher.js';
import { ConnectionRegistry } from './realtime/registry.js';
import { openStore, type Store } from './store/db.js';
import type { Write } from './store/group-commit.js';
import { bootstrap, type BootstrapResult } from './tenants/bootstrap.js';
import { createActiveUsers } from './users/active-users.js';
import { createUsersService } from './users/service.js';

/**
 * The composition root: wires adapters (store, keys, clock, notices) into the services and
 * workers by config. The HTTP app, the benchmarks and the tests all start from a System.
 */
export interface System {
  config: Config;
  log: Logger;
  store: Store;
  clock: Clock;
  keys: SigningKeys;
  boot: BootstrapResult;
  metrics: Metrics;
  services: ReturnType<typeof createServices>;
  realtime: { registry: ConnectionRegistry; broadcaster: Broadcaster; gateway: Gateway; publisher: Publisher };
  close(): Promise<void>;
}

export interface SystemOptions {
  clock?: Clock;
  /** PostgreSQL schema to run in (tests isolate themselves with it); else DATABASE_SCHEMA. */
  databaseSchema?: string;
}

type ServiceDeps = Parameters<typeof createAuthService>[0] & { config: Config; write: Write; notices: Notices };

function createServices(deps: ServiceDeps) {
  const { config, notices } = deps;
  const committed = (tenantId: string) => notices.notify(LOG_CHANNEL, tenantId);
  const catalog = createCatalogCache(deps.db, deps.clock);
  const incidents = createIncidentsService({ ...deps, sla: config.sla, catalog, committed });
  const blobs = createFilesystemBlobStore(config.dataDir);
  return {
    auth: createAuthService(deps),
    users: createUsersService({ ...deps, userChanged: (tenantId, userId) => notices.notify(USER_CHANNEL, `${tenantId}/${userId}`) }),
    apiKeys: createApiKeysService(deps),
    catalog: createCatalogService({ ...deps, catalog }),
    incidents,
    attachments: createAttachmentsService({ ...deps, blobs, incidents, maxBytes: config.attachmentMaxBytes, committed }),
  };
}

export const defaultWebDir = fileURLToPath(new URL('../../web/dist', import.meta.url));

export async function createSystem(config: Config, options: SystemOptions = {}): Promise<System> {
  const clock = options.clock ?? systemClock;
  const log = pino({ level: config.logLevel, redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] });
  const onError = (error: unknown) => log.error({ err: error }, 'background work failed');
  const schema = options.databaseSchema ?? config.databaseSchema ?? undefined;
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema });
  const notices = config.databaseUrl
    ? createPostgresNotices({ connectionString: config.databaseUrl, prefix: `alertautec_${schema ? `${schema}_` : ''}`, channels: [LOG_CHANNEL, PUBLISH_CHANNEL, USER_CHANNEL], onError })
    : createLocalNotices();
  try {
    await notices.ready;
    const keys = await loadSigningKeys(config.dataDir);
    const passwords = await createPasswordHasher(config.passwordHashCost);
    const tokens = createAccessTokens(keys, config.accessTokenTtlSeconds, clock);
    const activeUsers = createActiveUsers(store.db, clock);
    const services = createServices({
      db: store.db,
      write: store.write,
      clock,
      passwords,
      tokens,
      refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
      allowedEmailDomains: config.allowedEmailDomains,
      activeUsers,
      config,
      notices,
    });
    const boot = await bootstrap({ db: store.db, clock, passwords }, config);

    const metrics = createMetrics();
    const registry = new ConnectionRegistry();
    const realtimeMetrics = createRealtimeMetrics(metrics.registry, () => registry);
    const broadcaster = new Broadcaster({ db: store.db, clock, registry, notices, metrics: realtimeMetrics, retention: config.realtimeRetention, onError });
    const gateway = new Gateway({
      auth: services.auth,
      notices,
      activeUsers,
      broadcaster,
      registry,
      metrics: realtimeMetrics,
      clock,
      log,
      options: { ...DEFAULT_GATEWAY_OPTIONS, maxConnectionsPerUser: config.wsMaxConnectionsPerUser, pingIntervalMs: config.wsPingIntervalMs },
    });
    const publisher = createPublisher({ db: store.db, clock, notices, registry, metrics: realtimeMetrics, onError });
    const stopHousekeeping = startHousekeeping(store.db, clock, onError);

    return {
      config,
      log,
      store,
      clock,
      keys,
      boot,
      metrics,
      services,
      realtime: { registry, broadcaster, gateway, publisher },
      close: async () => {
        stopHousekeeping();
        gateway.close();
        broadcaster.close();
        publisher.close();
        await notices.close();
        await store.close();
      },
    };
  } catch (error) {
    await notices.close();
    await store.close();
    throw error;
  }
}
