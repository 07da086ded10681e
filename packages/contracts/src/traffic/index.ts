export * from './events.js';
export * from './queries.js';
export * from './signal-and-vehicle-events.js';
export * from './travel-times.js';
export { rankByEta } from './route-eta.js';
export type { Eta, EtaOptions, EtaRanking, RouteAnswer, RouteLeg } from './route-eta.js';
export * from './inflow-gating.js';
