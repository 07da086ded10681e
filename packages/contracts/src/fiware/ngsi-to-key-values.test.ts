import { describe, expect, it } from 'vitest';
import { toKeyValues } from './ngsi-to-key-values.js';

// Shapes from ETSI GS CIM 009 (NGSI-LD): normalized, concise, multi-attribute with datasetId,
// LanguageProperty; and from Orion-LD's simplified (key-values) notifications.
describe('toKeyValues', () => {
  it('takes the value of normalized NGSI-LD and NGSI-v2 attributes, the object of relationships and typed literals', () => {
    const entity = {
      id: 'urn:ngsi-ld:Vehicle:A4567',
      type: 'Vehicle',
      '@context': 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld',
      speed: { type: 'Property', value: 55, unitCode: 'KMH', observedAt: '2024-05-01T10:00:00Z' },
      owner: { type: 'Relationship', object: 'urn:ngsi-ld:Person:1' },
      seen: { type: 'Property', value: { '@type': 'DateTime', '@value': '2024-05-01T10:00:00Z' } },
      location: { type: 'GeoProperty', value: { type: 'Point', coordinates: [114.05, 22.53] } },
      colour: { type: 'Text', value: 'red', metadata: {} },
    };
    expect(toKeyValues(entity)).toEqual({
      id: 'urn:ngsi-ld:Vehicle:A4567',
      type: 'Vehicle',
      speed: 55,
      owner: 'urn:ngsi-ld:Person:1',
      seen: '2024-05-01T10:00:00Z',
      location: { type: 'Point', coordinates: [114.05, 22.53] },
      colour: 'red',
    });
  });

  it('reads the concise form: attributes without type, bare values, GeoJSON as it is', () => {
    const entity = {
      id: 'urn:ngsi-ld:Vehicle:B1',
      type: 'Vehicle',
      speed: { value: 55, unitCode: 'KMH' },
      wheels: 4,
      owner: { object: 'urn:ngsi-ld:Person:2' },
      location: { type: 'Point', coordinates: [114.05, 22.53] },
      tags: ['bus', 'electric'],
    };
    expect(toKeyValues(entity)).toEqual({ id: 'urn:ngsi-ld:Vehicle:B1', type: 'Vehicle', speed: 55, wheels: 4, owner: 'urn:ngsi-ld:Person:2', location: entity.location, tags: ['bus', 'electric'] });
  });

  it('keeps a key-values object that merely has a `value` member, unless the sender says the entity is concise', () => {
    const entity = { id: 'x', type: 'Thing', reading: { value: 3, sensor: 'north' } };
    expect(toKeyValues(entity).reading).toEqual({ value: 3, sensor: 'north' });
    expect(toKeyValues(entity, { format: 'concise' }).reading).toBe(3);
  });

  it('picks one instance of a multi-attribute: the requested datasetId, else the default instance, else the first', () => {
    const speed = [
      { type: 'Property', value: 55, datasetId: 'urn:ngsi-ld:Property:speedometerA4567-speed', source: { type: 'Property', value: 'Speedometer' } },
      { type: 'Property', value: 54.5, datasetId: 'urn:ngsi-ld:Property:gpsBxyz123-speed' },
      { type: 'Property', value: 56 },
    ];
    const entity = { id: 'urn:ngsi-ld:Vehicle:A4567', type: 'Vehicle', speed };
    expect(toKeyValues(entity).speed).toBe(56);
    expect(toKeyValues(entity, { datasetId: 'urn:ngsi-ld:Property:gpsBxyz123-speed' }).speed).toBe(54.5);
    expect(toKeyValues({ ...entity, speed: speed.slice(0, 2) }).speed).toBe(55);
    expect(toKeyValues({ ...entity, speed: [{ value: 1, datasetId: 'urn:a' }, { value: 2, datasetId: 'urn:b' }] }, { datasetId: 'urn:b' }).speed).toBe(2);
  });

  it('leaves arrays of plain values and of objects alone', () => {
    const entity = { id: 'x', type: 'Thing', readings: [{ at: 1, level: 3 }], levels: [1, 2] };
    expect(toKeyValues(entity)).toEqual(entity);
  });

  it('picks one language of a LanguageProperty, normalized, concise or simplified', () => {
    const languageMap = { en: 'Futian People’s Hospital', zh: '福田区人民医院' };
    expect(toKeyValues({ id: 'h', type: 'Hospital', name: { type: 'LanguageProperty', languageMap } }).name).toBe('Futian People’s Hospital');
    expect(toKeyValues({ id: 'h', type: 'Hospital', name: { languageMap } }, { language: 'zh' }).name).toBe('福田区人民医院');
    expect(toKeyValues({ id: 'h', type: 'Hospital', name: { languageMap } }, { format: 'simplified', language: 'zh' }).name).toBe('福田区人民医院');
    expect(toKeyValues({ id: 'h', type: 'Hospital', name: { type: 'LanguageProperty', languageMap: { '@none': 'Futian', fr: 'Futian (fr)' } } }).name).toBe('Futian');
    expect(toKeyValues({ id: 'h', type: 'Hospital', name: { type: 'LanguageProperty', languageMap: { fr: 'Hôpital', de: 'Krankenhaus' } } }, { language: 'es' }).name).toBe('Hôpital');
  });

  it('converts nothing in a simplified (key-values) entity', () => {
    const entity = { id: 'x', type: 'Thing', speed: { type: 'Property', value: 5 } };
    expect(toKeyValues(entity, { format: 'simplified' })).toEqual(entity);
  });

  it('reads the other NGSI-LD 1.8 attribute kinds by their member', () => {
    const entity = {
      id: 'x',
      type: 'Thing',
      config: { type: 'JsonProperty', json: { a: [1, 2] } },
      category: { type: 'VocabProperty', vocab: 'industrial' },
      route: { type: 'ListProperty', valueList: [1, 2, 3] },
      stops: { type: 'ListRelationship', objectList: [{ object: 'urn:a' }] },
    };
    expect(toKeyValues(entity)).toMatchObject({ config: { a: [1, 2] }, category: 'industrial', route: [1, 2, 3], stops: [{ object: 'urn:a' }] });
  });
});
