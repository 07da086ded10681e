import type { JsonSchema } from '@polis/plugin-api';
import airQualityObserved from './schemas/AirQualityObserved.json' with { type: 'json' };
import alert from './schemas/Alert.json' with { type: 'json' };
import evChargingStation from './schemas/EVChargingStation.json' with { type: 'json' };
import trafficFlowObserved from './schemas/TrafficFlowObserved.json' with { type: 'json' };
import wasteContainer from './schemas/WasteContainer.json' with { type: 'json' };
import alertCommon from './schemas/alert-schema.json' with { type: 'json' };
import common from './schemas/common-schema.json' with { type: 'json' };
import environment from './schemas/Environment-schema.json' with { type: 'json' };
import weather from './schemas/weather-schema.json' with { type: 'json' };
import { withAssertableFormats } from './assertable-formats.js';
import { bundleSchema } from './bundle-schema.js';

/**
 * The schemas Smart Data Models reference remotely, by every URL they are referenced by
 * (CC BY 4.0, "FIWARE Smart Data Models, smart-data-models on GitHub"; see NOTICE.md).
 */
const SHARED_DOCUMENTS: ReadonlyArray<readonly [url: string, schema: JsonSchema]> = [
  ['https://smart-data-models.github.io/data-models/common-schema.json', common],
  ['https://smart-data-models.github.io/dataModel.Environment/Environment-schema.json', environment],
  ['https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/Environment-schema.json', environment],
  ['https://smart-data-models.github.io/dataModel.Alert/alert-schema.json', alertCommon],
  ['https://smart-data-models.github.io/dataModel.Weather/weather-schema.json', weather],
];

/** The Smart Data Models whose schemas ship with Polis. */
const MODELS = {
  AirQualityObserved: airQualityObserved,
  Alert: alert,
  EVChargingStation: evChargingStation,
  TrafficFlowObserved: trafficFlowObserved,
  WasteContainer: wasteContainer,
} satisfies Record<string, JsonSchema>;

export type FiwareModelName = keyof typeof MODELS;

/** Whether a Smart Data Model of this name ships with Polis (its schema bundled offline). */
export function isFiwareModelName(name: string): name is FiwareModelName {
  return Object.hasOwn(MODELS, name);
}

/**
 * Makes any Smart Data Model schema usable offline as an event schema: its `$ref`s to the
 * shared FIWARE schemas (common, Environment, Alert, Weather) are bundled in, and `shared` adds
 * documents of your own, by URL; formats no validator here implements (`idn-email`) become the
 * equivalent patterns. A vendor adds a model in a few lines:
 *
 * ```ts
 * import schema from './WeatherObserved.schema.json' with { type: 'json' };
 * const weatherObserved = smartDataModelSchema(schema);
 * ```
 */
export function smartDataModelSchema(model: JsonSchema, shared: Readonly<Record<string, JsonSchema>> = {}): JsonSchema {
  return withAssertableFormats(bundleSchema(model, new Map([...SHARED_DOCUMENTS, ...Object.entries(shared)])));
}

const bundled = new Map<FiwareModelName, JsonSchema>();

/** The bundled, self-contained schema of a Smart Data Model that ships with Polis (bundled once). */
export function fiwareModelSchema(name: FiwareModelName): JsonSchema {
  let schema = bundled.get(name);
  if (schema === undefined) {
    schema = smartDataModelSchema(MODELS[name]);
    bundled.set(name, schema);
  }
  return schema;
}

/** A Smart Data Model an event schema embeds: its title, schema version and published schema. */
export interface SmartDataModelReference {
  readonly title: string;
  readonly schemaVersion: string;
  /** The model's published JSON Schema (for the models that ship with Polis). */
  readonly url: string | undefined;
}

const PUBLISHED = new Map(
  Object.values(MODELS).map((model) => [(model as { title: string }).title, (model as { $id: string }).$id] as const),
);

/**
 * The Smart Data Models a schema embeds (found by the markers every model carries,
 * `$schemaVersion` and `modelTags`), so descriptions of a city (AsyncAPI) can cite them.
 */
export function smartDataModelReferences(schema: JsonSchema): SmartDataModelReference[] {
  const found = new Map<string, SmartDataModelReference>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.$schemaVersion === 'string' && 'modelTags' in record && typeof record.title === 'string') {
      found.set(record.title, { title: record.title, schemaVersion: record.$schemaVersion, url: PUBLISHED.get(record.title) });
    }
    for (const value of Object.values(record)) visit(value);
  };
  visit(schema);
  return [...found.values()];
}
