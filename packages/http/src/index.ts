// @polis/http: the city's front door on express 5.
export { asyncApiDocument } from './describe/asyncapi-document.js';
export type { CityDescription, SourceDescription } from './describe/city-description.js';
