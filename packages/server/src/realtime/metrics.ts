import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ConnectionRegistry } from './registry.js';

export function createRealtimeMetrics(registry: Registry, connections: () => ConnectionRegistry) {
  new Gauge({
    name: 'alertautec_ws_connections',
    help: 'Open WebSocket connections',
    registers: [registry],
    collect() {
      this.set(connections().size);
    },
  });
  new Gauge({
    name: 'alertautec_ws_subscriptions',
    help: 'Active incident subscriptions',
    registers: [registry],
    collect() {
      let total = 0;
      for (const connection of connections().all()) total += connection.subscriptions.size;
      this.set(total);
    },
  });
  return {
    eventsFannedOut: new Counter({ name: 'alertautec_ws_events_sent_total', help: 'Incident event frames sent to subscriptions', registers: [registry] }),
    publishedSent: new Counter({ name: 'alertautec_ws_published_sent_total', help: 'Published (custom) event frames sent', registers: [registry] }),
    fanOutSeconds: new Histogram({
      name: 'alertautec_ws_fanout_seconds',
      help: 'Time to hand one event to every matching connection',
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5],
      registers: [registry],
    }),
    commitToSendSeconds: new Histogram({
      name: 'alertautec_ws_commit_to_send_seconds',
      help: 'From an event’s commit to its fan-out',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    slowReadersDropped: new Counter({ name: 'alertautec_ws_slow_readers_dropped_total', help: 'Connections closed for reading too slowly', registers: [registry] }),
    violationsClosed: new Counter({ name: 'alertautec_ws_policy_closes_total', help: 'Connections closed for policy violations', registers: [registry] }),
  };
}

export type RealtimeMetrics = ReturnType<typeof createRealtimeMetrics>;
