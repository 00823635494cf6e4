export * from './common.js';
export * from './auth.js';
export * from './users.js';
export * from './api-keys.js';
export * from './catalog.js';
export * from './incidents.js';
export * from './jobs.js';
