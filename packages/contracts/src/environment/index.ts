export * from './events.js';
export { AlertArea, areaContains } from './alert-area.js';
export { CONCENTRATION_UNITS, ConcentrationUnit, Measurement, POLLUTANTS, Pollutant } from './pollutants.js';
