export { buildApp } from './app.js';
export { loadConfig, ConfigError, type Config } from './config.js';
export { createSystem, type System, type SystemOptions } from './system.js';
// For the benchmarks (bench/workers): worker processes built from the same runtime.
export { openStore } from './store/db.js';
export { createWorkerRuntime, defineConsumer, defineJob, enqueue } from './workers/index.js';
