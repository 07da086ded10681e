import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fiwareEntityValidator, fiwareModelSchema, smartDataModelSchema } from '@polis/contracts';
import type { FiwareModelName } from '@polis/contracts';
import { SchemaRegistry } from '@polis/kernel';
import type { JsonSchema } from '@polis/plugin-api';
import { describe, expect, it } from 'vitest';

// Real FIWARE Smart Data Models (CC BY 4.0, "FIWARE Smart Data Models, smart-data-models on
// GitHub"): their schemas ship in @polis/contracts with every remote $ref bundled offline; the
// examples are test fixtures.
const examples = join(import.meta.dirname, '../fixtures/smart-data-models');
const example = (model: string, file = 'example.json') => JSON.parse(readFileSync(join(examples, model, 'examples', file), 'utf8')) as Record<string, unknown>;

const MODELS: FiwareModelName[] = ['AirQualityObserved', 'TrafficFlowObserved', 'WasteContainer', 'EVChargingStation', 'Alert'];

async function registryWithModels(): Promise<SchemaRegistry> {
  const registry = new SchemaRegistry();
  for (const model of MODELS) await registry.register(`fiware.${model.toLowerCase()}.observed`, 1, fiwareModelSchema(model));
  return registry;
}

describe('FIWARE Smart Data Models in the schema registry', () => {
  it('bundles every model into a schema with no reference left outside itself', () => {
    for (const model of MODELS) {
      const text = JSON.stringify(fiwareModelSchema(model));
      expect(text, model).not.toMatch(/"\$ref":"(?!#)/);
    }
  });

  it.each(MODELS.filter((m) => m !== 'AirQualityObserved'))('accepts the real %s key-values example', async (model) => {
    const registry = await registryWithModels();
    expect(() => registry.assertValid(`fiware.${model.toLowerCase()}.observed`, 1, example(model))).not.toThrow();
  });

  it('rejects the AirQualityObserved example, whose tsp is 73.3 where its own schema says integer', async () => {
    // Its dateObserved, 2016-03-15T11:00:00, has no time zone, which RFC 3339 date-time requires:
    // a second real defect of the example, reported alongside.
    const registry = await registryWithModels();
    let error: unknown;
    try {
      registry.assertValid('fiware.airqualityobserved.observed', 1, example('AirQualityObserved'));
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
    const entity = { ...example('TrafficFlowObserved'), vendorExtension: { anything: true } };
    expect(() => registry.assertValid('fiware.trafficflowobserved.observed', 1, entity)).not.toThrow();
  });

  it("checks EVChargingStation's idn-email contact address, which ajv-formats lacks, without a warning", async () => {
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      const registry = await registryWithModels();
      expect(() => registry.assertValid('fiware.evchargingstation.observed', 1, example('EVChargingStation'))).not.toThrow();
      // RFC 6531 allows Unicode in the mailbox, which plain `email` would refuse.
      expect(() => registry.assertValid('fiware.evchargingstation.observed', 1, { ...example('EVChargingStation'), contactPoint: { email: 'zhan@深圳.cn' } })).not.toThrow();
      expect(() => registry.assertValid('fiware.evchargingstation.observed', 1, { ...example('EVChargingStation'), contactPoint: { email: 'not an address' } })).toThrow(/\/contactPoint\/email must match pattern/);
    } finally {
      console.warn = warn;
    }
    expect(warnings).toEqual([]);
  });

  it('validates normalized NGSI-LD entities by their key-values, naming the failing attribute', () => {
    const validate = fiwareEntityValidator('WasteContainer');
    expect(validate(example('WasteContainer', 'example-normalized.json') as never)).toMatchObject({ ok: true });
    const broken = { ...example('WasteContainer', 'example-normalized.json'), fillingLevel: { type: 'Property', value: 'full' } };
    expect(validate(broken as never)).toMatchObject({ ok: false, path: '/entity/fillingLevel' });
  });
});

describe('smartDataModelSchema', () => {
  const shared = { 'https://example.org/units.json': { $defs: { celsius: { type: 'number', minimum: -273.15 } } } };

  it('bundles a vendor model whose references point into the shared FIWARE schemas and documents of its own', async () => {
    const model: JsonSchema = {
      $id: 'https://example.org/WeatherObserved/schema.json',
      type: 'object',
      allOf: [{ $ref: 'https://smart-data-models.github.io/data-models/common-schema.json#/definitions/Location-Commons' }],
      properties: { temperature: { $ref: 'https://example.org/units.json#/$defs/celsius' } },
    };
    const registry = new SchemaRegistry();
    await registry.register('vendor.weather.observed', 1, smartDataModelSchema(model, shared));
    expect(() => registry.assertValid('vendor.weather.observed', 1, { temperature: 21, location: { type: 'Point', coordinates: [114.06, 22.54] } })).not.toThrow();
    expect(() => registry.assertValid('vendor.weather.observed', 1, { temperature: -300 })).toThrow(/\/temperature must be >= -273.15/);
    expect(() => registry.assertValid('vendor.weather.observed', 1, { location: { type: 'Point', coordinates: 'here' } })).toThrow(/\/location/);
  });

  it('names the document that is missing and where it was referenced', () => {
    const model: JsonSchema = { properties: { a: { $ref: 'https://example.org/missing.json#/x' } } };
    expect(() => smartDataModelSchema(model)).toThrow(expect.objectContaining({ code: 'POLIS_SCHEMA_INVALID', message: expect.stringContaining("'https://example.org/missing.json' at /properties/a") }));
  });

  it('names a pointer that leads nowhere in a bundled document', () => {
    const model: JsonSchema = { properties: { a: { $ref: 'https://example.org/units.json#/$defs/kelvin' } } };
    expect(() => smartDataModelSchema(model, shared)).toThrow(/no such location/);
  });
});
