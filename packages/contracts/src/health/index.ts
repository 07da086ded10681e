export * from './events.js';
export * from './respiratory-readiness.js';
