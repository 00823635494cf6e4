export { buildApp } from './app.js';
export { loadConfig, ConfigError, type Config } from './config.js';
export { createSystem, type System, type SystemOptions } from './system.js';
