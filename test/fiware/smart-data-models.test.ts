import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaRegistry } from '@polis/kernel';
import type { JsonSchema } from '@polis/plugin-api';
import { describe, expect, it } from 'vitest';

// Real FIWARE Smart Data Models (CC BY 4.0, "FIWARE Smart Data Models, smart-data-models on
// GitHub"), validated by the kernel's schema registry with every remote $ref resolved offline.
const root = join(import.meta.dirname, '../fixtures/smart-data-models');
const json = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8')) as JsonSchema & Record<string, unknown>;

/** The shared schemas, under every URL the models reference them by. */
const SHARED: Array<[file: string, urls: string[]]> = [
  ['_shared/common-schema.json', ['https://smart-data-models.github.io/data-models/common-schema.json']],
  [
    '_shared/Environment-schema.json',
    ['https://smart-data-models.github.io/dataModel.Environment/Environment-schema.json', 'https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/Environment-schema.json'],
  ],
  ['_shared/alert-schema.json', ['https://smart-data-models.github.io/dataModel.Alert/alert-schema.json']],
  ['_shared/weather-schema.json', ['https://smart-data-models.github.io/dataModel.Weather/weather-schema.json']],
];

async function registryWithModels(): Promise<SchemaRegistry> {
  const registry = new SchemaRegistry();
  for (const [file, urls] of SHARED) for (const url of urls) registry.addReferencedSchema(url, json(file));
  for (const model of MODELS) await registry.register(`fiware.${model.toLowerCase()}.observed`, 1, json(`${model}/schema.json`));
  return registry;
}

const MODELS = ['AirQualityObserved', 'TrafficFlowObserved', 'WasteContainer', 'EVChargingStation', 'Alert'];

describe('FIWARE Smart Data Models in the schema registry', () => {
  it.each(MODELS.filter((m) => m !== 'AirQualityObserved'))('accepts the real %s key-values example', async (model) => {
    const registry = await registryWithModels();
    expect(() => registry.assertValid(`fiware.${model.toLowerCase()}.observed`, 1, json(`${model}/examples/example.json`))).not.toThrow();
  });

  it('rejects the AirQualityObserved example, whose tsp is 73.3 where its own schema says integer', async () => {
    // Its dateObserved, 2016-03-15T11:00:00, has no time zone, which RFC 3339 date-time requires:
    // a second real defect of the example, reported alongside.
    const registry = await registryWithModels();
    let error: unknown;
    try {
      registry.assertValid('fiware.airqualityobserved.observed', 1, json('AirQualityObserved/examples/example.json'));
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({
      code: 'POLIS_EVENT_INVALID',
      message: expect.stringContaining('/tsp must be integer (type)'),
      details: {
        problems: [
          { path: '/dateObserved', rule: 'format' },
          { path: '/tsp', rule: 'type' },
        ],
      },
    });
  });

  it('treats the models as the open content models they are: unknown attributes pass', async () => {
    const registry = await registryWithModels();
    const example = { ...json('TrafficFlowObserved/examples/example.json'), vendorExtension: { anything: true } };
    expect(() => registry.assertValid('fiware.trafficflowobserved.observed', 1, example)).not.toThrow();
  });
});
