// @polis/contracts: the city's data model. Every event and query is versioned and documented;
// plugins import these instead of each other.
export * as traffic from './traffic/index.js';
export * as safety from './safety/index.js';
export * as health from './health/index.js';
export * as energy from './energy/index.js';
export { GeoPoint, Id, Timestamp } from './shared/geo.js';
export { EARTH_MEAN_RADIUS_M, haversineM, straightLineEtaS } from './shared/distance.js';
export type { LatLon } from './shared/distance.js';
export { ReadableIds } from './shared/readable-ids.js';
export { toKeyValues } from './fiware/ngsi-to-key-values.js';
export type { FiwareEntity } from './fiware/ngsi-to-key-values.js';
export { fiwareEntityEventSchema, fiwareEntityValidator } from './fiware/fiware-entity.js';
export type { FiwareValidation } from './fiware/fiware-entity.js';
export { fiwareModelSchema, smartDataModelSchema } from './fiware/smart-data-models.js';
export type { FiwareModelName } from './fiware/smart-data-models.js';
export { bundleSchema } from './fiware/bundle-schema.js';
