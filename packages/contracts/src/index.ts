// @polis/contracts: the city's data model. Every event and query is versioned and documented;
// plugins import these instead of each other.
export * as traffic from './traffic/index.js';
export * as safety from './safety/index.js';
export * as health from './health/index.js';
export * as environment from './environment/index.js';
export * as waste from './waste/index.js';
export { GeoPoint, Id, Timestamp } from './shared/geo.js';
export { EARTH_MEAN_RADIUS_M, haversineM, straightLineEtaS } from './shared/distance.js';
export type { LatLon } from './shared/distance.js';
export { pointInPolygon } from './shared/polygon.js';
export { ReadableIds } from './shared/readable-ids.js';
export { toKeyValues } from './fiware/ngsi-to-key-values.js';
export type { EntityFormat, FiwareEntity, KeyValuesOptions } from './fiware/ngsi-to-key-values.js';
export { fiwareEntityEventSchema, fiwareEntityValidator } from './fiware/fiware-entity.js';
export type { FiwareProblem, FiwareValidation } from './fiware/fiware-entity.js';
export { fiwareModelSchema, isFiwareModelName, smartDataModelReferences, smartDataModelSchema } from './fiware/smart-data-models.js';
export type { FiwareModelName, SmartDataModelReference } from './fiware/smart-data-models.js';
export { bundleSchema } from './fiware/bundle-schema.js';
