import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { DestinationStream, Logger } from 'pino';
import { systemClock, systemTimers, type Clock, type Timers } from './adapters.js';
import { createApiKeysService } from './api-keys/service.js';
import { createAccessTokens } from './auth/access-tokens.js';
import { createActiveSessions } from './auth/active-sessions.js';
import { createPasswordHasher } from './auth/passwords.js';
import { createLoginThrottle } from './auth/login-throttle.js';
import { refreshTokenRepository } from './auth/refresh-token-repository.js';
import { createAuthService } from './auth/service.js';
import { loadSigningKeys, type SigningKeys } from './auth/signing-keys.js';
import { createBlobStore } from './blobs/index.js';
import { createCatalogService } from './catalog/service.js';
import { createCatalogCache } from './catalog/snapshot.js';
import { createEscalationPolicyService, createEscalator } from './escalation/index.js';
import type { Config, ProcessRole } from './config.js';
import { LOG_CHANNEL, PUBLISH_CHANNEL, SESSION_CHANNEL, USER_CHANNEL, createLocalNotices, createPostgresNotices, type Notices } from './events/signal.js';
import { createAttachmentsService } from './incidents/attachments.js';
import { createIncidentsService } from './incidents/service.js';
import { createJobsService, type JobsService } from './jobs/service.js';
import { housekeepingJob } from './ops/housekeeping.js';
import { NOTIFICATION_CHANNEL, createNotifications, type NotificationsService } from './notifications/index.js';
import { createLogger } from './ops/logger.js';
import { createMetrics, type Metrics } from './ops/metrics.js';
import { Broadcaster } from './realtime/broadcaster.js';
import { DEFAULT_GATEWAY_OPTIONS, Gateway } from './realtime/gateway.js';
import { createRealtimeMetrics } from './realtime/metrics.js';
import { createPublisher, type Publisher } from './realtime/publisher.js';
import { ConnectionRegistry } from './realtime/registry.js';
import { openStore, postgresApplicationName, type Store } from './store/db.js';
import type { Write } from './store/group-commit.js';
import { bootstrap, type BootstrapResult } from './tenants/bootstrap.js';
import { createActiveUsers } from './users/active-users.js';
import { createUsersService } from './users/service.js';
import { createReportsService } from './reports/service.js';
import { createIncidentReports } from './reports/incident-reports.js';
import { JOB_CHANNEL, createWorkerRuntime, type JobDefinition, type WorkerRuntime } from './workers/index.js';

/**
 * The composition root: wires adapters (store, keys, clock, notices) into the services and
 * workers by config. The HTTP app, the CLI, the benchmarks and the tests all start from a
 * System. Creating one starts nothing in the background: `start()` does, for the roles this
 * process runs (ALERTA_ROLES), and `close()` drains the workers before the store closes.
 */
export interface System {
  config: Config;
  log: Logger;
  store: Store;
  clock: Clock;
  notices: Notices;
  keys: SigningKeys;
  boot: BootstrapResult;
  metrics: Metrics;
  services: Services;
  realtime: { registry: ConnectionRegistry; broadcaster: Broadcaster; gateway: Gateway; publisher: Publisher };
  /** The background runtime, declared whatever the roles (the API shows and enqueues its jobs). */
  workers: WorkerRuntime;
  /** The roles started so far. */
  readonly started: ReadonlySet<ProcessRole>;
  /** Starts the background side of these roles (default: the configured ones). */
  start(roles?: readonly ProcessRole[]): void;
  close(): Promise<void>;
}

export type Services = ReturnType<typeof createServices> & { jobs: JobsService; notifications: NotificationsService };

export interface SystemOptions {
  clock?: Clock;
  /**
   * The realtime side's timers (token expiry, close cut-off, keep-alive); tests pass a
   * manual clock's so that moving it fires them. The workers runtime keeps its own.
   */
  timers?: Timers;
  /** PostgreSQL schema to run in (tests isolate themselves with it); else DATABASE_SCHEMA. */
  databaseSchema?: string;
  /** Where log lines go instead of stdout (tests read what was logged). */
  logDestination?: DestinationStream;
  /** More job kinds for the runtime (tests declare failing or slow ones). */
  extraJobs?: readonly JobDefinition<never>[];
}

type ServiceDeps = Parameters<typeof createAuthService>[0] & { config: Config; write: Write; notices: Notices };

function createServices(deps: ServiceDeps) {
  const { config, notices } = deps;
  const committed = (tenantId: string) => notices.notify(LOG_CHANNEL, tenantId);
  const catalog = createCatalogCache(deps.db, deps.clock);
  const escalation = createEscalator({ ...deps, committed });
  const incidents = createIncidentsService({ ...deps, sla: config.sla, catalog, committed, onCreate: escalation.scheduleSlaCheck });
  const blobs = createBlobStore(config);
  const loginThrottle = createLoginThrottle({ ...deps, limits: config.loginThrottle });
  return {
    auth: createAuthService(deps),
    loginThrottle,
    users: createUsersService({
      ...deps,
      loginThrottle,
      revokeSessions: refreshTokenRepository.revokeAllForUser,
      userChanged: (tenantId, userId) => notices.notify(USER_CHANNEL, `${tenantId}/${userId}`),
    }),
    apiKeys: createApiKeysService(deps),
    catalog: createCatalogService({ ...deps, catalog }),
    incidents,
    escalation,
    escalationPolicy: createEscalationPolicyService(deps),
    attachments: createAttachmentsService({ ...deps, blobs, incidents, maxBytes: config.attachmentMaxBytes, committed }),
    reports: createReportsService({ ...deps, blobs, timeZone: config.timeZone, wake: () => notices.notify(JOB_CHANNEL, 'report.generate') }),
    blobs,
  };
}

export const defaultWebDir = fileURLToPath(new URL('../../web/dist', import.meta.url));

export async function createSystem(config: Config, options: SystemOptions = {}): Promise<System> {
  const clock = options.clock ?? systemClock;
  const log = createLogger({ level: config.logLevel, bufferBytes: config.logBufferBytes }, options.logDestination);
  const onError = (error: unknown) => log.error({ err: error }, 'background work failed');
  const schema = options.databaseSchema ?? config.databaseSchema ?? undefined;
  const onConnectionError = (error: unknown) => log.warn({ err: error }, 'database connection lost; a new one is opened when needed');
  const migrationLog = (fields: Record<string, unknown>, message: string) => log.info(fields, message);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema, onConnectionError, log: migrationLog });
  const notices = config.databaseUrl
    ? createPostgresNotices({ connectionString: config.databaseUrl, prefix: `alertautec_${schema ? `${schema}_` : ''}`, channels: [LOG_CHANNEL, PUBLISH_CHANNEL, USER_CHANNEL, SESSION_CHANNEL, JOB_CHANNEL, NOTIFICATION_CHANNEL], onError, applicationName: postgresApplicationName(schema) })
    : createLocalNotices();
  try {
    await notices.ready;
    const keys = await loadSigningKeys(config.dataDir);
    const passwords = await createPasswordHasher(config.passwordHashCost);
    const tokens = createAccessTokens(keys, config.accessTokenTtlSeconds, clock);
    const activeUsers = createActiveUsers(store.db, clock);
    const sessions = createActiveSessions(store.db, clock, notices);
    const services = createServices({
      db: store.db,
      write: store.write,
      clock,
      passwords,
      tokens,
      refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
      allowedEmailDomains: config.allowedEmailDomains,
      activeUsers,
      sessions,
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
      timers: options.timers ?? systemTimers,
      log,
      options: { ...DEFAULT_GATEWAY_OPTIONS, maxConnectionsPerUser: config.wsMaxConnectionsPerUser, pingIntervalMs: config.wsPingIntervalMs },
    });
    const publisher = createPublisher({ db: store.db, clock, notices, registry, metrics: realtimeMetrics, onError });
    const notifications = createNotifications({ config, store, clock, notices, registry, log });
    for (const warning of notifications.warnings()) log.warn(warning);
    const incidentReports = createIncidentReports({
      db: store.db,
      write: store.write,
      clock,
      blobs: services.blobs,
      timeZone: config.timeZone,
      linkBaseUrl: config.linkBaseUrl,
      available: notifications.available,
      deliveryJob: notifications.job,
      wake: () => notices.notify(JOB_CHANNEL, 'notification.deliver'),
    });
    const workers = createWorkerRuntime({
      store,
      clock,
      notices,
      registry: metrics.registry,
      log,
      nodeId: `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`,
      jobs: [housekeepingJob({ db: store.db, clock, dialect: store.dialect }), ...services.escalation.jobs, ...(services.reports.jobs as JobDefinition<never>[]), incidentReports.job as JobDefinition<never>, notifications.job as JobDefinition<never>, ...(options.extraJobs ?? [])],
      consumers: [notifications.consumer, incidentReports.consumer],
      // REPORT_GLOBAL_SCHEDULE sets the global report's schedule; a JOB_SCHEDULES entry for it wins.
      scheduleOverrides: { 'report.global': config.reportGlobalSchedule, ...config.jobSchedules },
      timeZone: config.timeZone,
      leaseMs: config.workerLeaseMs,
    });
    const allServices = { ...services, jobs: createJobsService({ db: store.db, clock, runtime: workers }), notifications: notifications.service };

    const started = new Set<ProcessRole>();
    return {
      config,
      log,
      store,
      clock,
      notices,
      keys,
      boot,
      metrics,
      services: allServices,
      realtime: { registry, broadcaster, gateway, publisher },
      workers,
      started,
      start(roles = config.roles) {
        if (roles.includes('realtime') && !started.has('realtime')) {
          broadcaster.start();
          gateway.start();
          publisher.start();
          notifications.push.start();
        }
        if (roles.includes('workers') && !started.has('workers')) workers.start();
        for (const role of roles) started.add(role);
      },
      close: async () => {
        gateway.close();
        broadcaster.close();
        publisher.close();
        // In-flight jobs finish (or are handed back) while the store is still open.
        await workers.stop();
        notifications.close();
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
