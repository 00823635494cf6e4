export * from './errors.js';
export * from './roles.js';
export * from './policy.js';
export * from './text.js';
export * from './catalog/location-search.js';
export * from './catalog/default-catalog.js';
export * from './catalog/demo-campus.js';

export * from './incidents/model.js';
export * from './incidents/sla.js';
export * from './incidents/visibility.js';
export * from './incidents/lifecycle.js';
export * from './incidents/events.js';
export * from './incidents/geo.js';
export * from './incidents/duplicates.js';
export * from './realtime/protocol.js';
