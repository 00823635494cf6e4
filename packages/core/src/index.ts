export * from './errors.js';
export * from './roles.js';
export * from './policy.js';
export * from './text.js';
export * from './catalog/location-search.js';
export * from './catalog/default-catalog.js';
export * from './catalog/demo-campus.js';

