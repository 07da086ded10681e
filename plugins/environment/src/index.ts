// @polis/plugin-environment: air quality as a Polis plugin (FIWARE and plain ingest, US EPA and
// HJ 633-2012 AQI, station and zone alerts with hysteresis).
export { environmentPlugin as default } from './environment-plugin.js';
export { EnvironmentConfig } from './config.js';
