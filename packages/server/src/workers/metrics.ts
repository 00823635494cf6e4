import { Counter, Gauge, type Registry } from 'prom-client';

export type LagSource = () => Promise<{ consumer: string; tenantId: string; lag: number }[]>;

/**
 * Worker metrics. Lag is read from the database at scrape time, so every node reports the
 * same true value whichever one holds the lease; a failed read keeps the last values.
 */
export function createWorkerMetrics(registry: Registry, lags: LagSource, onError: (error: unknown) => void) {
  new Gauge({
    name: 'alertautec_consumer_lag_events',
    help: 'Events in a tenant’s log that a consumer has not handled yet (head seq − cursor)',
    labelNames: ['consumer', 'tenant'] as const,
    registers: [registry],
    async collect() {
      try {
        const rows = await lags();
        this.reset();
        for (const row of rows) this.set({ consumer: row.consumer, tenant: row.tenantId }, row.lag);
      } catch (error) {
        onError(error);
      }
    },
  });
  return {
    consumerEvents: new Counter({
      name: 'alertautec_consumer_events_total',
      help: 'Events a consumer moved its cursor past (handled or not applicable)',
      labelNames: ['consumer'] as const,
      registers: [registry],
    }),
    consumerFailures: new Counter({
      name: 'alertautec_consumer_failures_total',
      help: 'Consumer batches that failed and were rolled back',
      labelNames: ['consumer'] as const,
      registers: [registry],
    }),
    jobsFinished: new Counter({
      name: 'alertautec_jobs_finished_total',
      help: 'Job attempts by outcome: succeeded, retry, dead, lease_lost',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
