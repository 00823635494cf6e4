export { buildApp } from './app.js';
export { loadConfig, ConfigError, type Config } from './config.js';
export { createSystem, type System, type SystemOptions } from './system.js';
// For the benchmarks (bench/workers, bench/reports): worker processes built from the same runtime.
export { openStore } from './store/db.js';
export { createWorkerRuntime, defineConsumer, defineJob, enqueue, onDemandRuntime } from './workers/index.js';
// For the benchmarks' bulk seeding (bench/lib/seed-incidents.mjs): counters rebuilt after writing incidents directly.
export { rebuildIncidentStats } from './store/migrations/0014-incident-stats.js';
