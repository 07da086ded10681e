import { Type } from '@polis/plugin-api';
import type { JsonSchema } from '@polis/plugin-api';
import { describe, expect, it } from 'vitest';
import { compileConversion, conversionProblems } from './version-conversion.js';

const convert = (writer: JsonSchema, reader: JsonSchema, data: unknown) => compileConversion(writer, reader)(data);
const problemTypes = (writer: JsonSchema, reader: JsonSchema) => conversionProblems(writer, reader).map((p) => `${p.type} ${p.path}`);

describe('converting event data between versions', () => {
  it('drops properties the reader does not declare, at every level', () => {
    const writer = Type.Object({ kwh: Type.Number(), meterId: Type.String(), site: Type.Object({ name: Type.String(), floor: Type.Integer() }) });
    const reader = Type.Object({ kwh: Type.Number(), site: Type.Object({ name: Type.String() }) });
    expect(convert(writer, reader, { kwh: 1, meterId: 'm-7', site: { name: 'depot', floor: 2 } })).toEqual({ kwh: 1, site: { name: 'depot' } });
    expect(problemTypes(writer, reader)).toEqual([]);
  });

  it("fills the reader's defaults for properties the writer does not have", () => {
    const writer = Type.Object({ kwh: Type.Number() });
    const reader = Type.Object({ kwh: Type.Number(), unit: Type.String({ default: 'kWh' }), tags: Type.Array(Type.String(), { default: [] }) });
    const converted = convert(writer, reader, { kwh: 3 }) as { tags: string[] };
    expect(converted).toEqual({ kwh: 3, unit: 'kWh', tags: [] });
    // Defaults are shared by every converted event, so they are frozen: events are read-only.
    expect(Object.isFrozen(converted.tags)).toBe(true);
    expect(problemTypes(writer, reader)).toEqual([]);
  });

  it("drops a stray the writer's open schema let through and fills the reader's default instead", () => {
    // An open writer may carry `unit` with any value; only the declared contract is converted.
    const writer = Type.Object({ kwh: Type.Number() });
    const reader = Type.Object({ kwh: Type.Number(), unit: Type.String({ default: 'kWh' }) });
    expect(convert(writer, reader, { kwh: 3, unit: 42 })).toEqual({ kwh: 3, unit: 'kWh' });
  });

  it('converts each item of an array', () => {
    const writer = Type.Object({ lanes: Type.Array(Type.Object({ id: Type.String(), speed: Type.Number() })) });
    const reader = Type.Object({ lanes: Type.Array(Type.Object({ id: Type.String(), open: Type.Boolean({ default: true }) })) });
    expect(convert(writer, reader, { lanes: [{ id: 'a', speed: 40 }, { id: 'b', speed: 0 }] })).toEqual({ lanes: [{ id: 'a', open: true }, { id: 'b', open: true }] });
    expect(problemTypes(writer, reader)).toEqual([]);
  });

  it('keeps undeclared properties when the reader admits them explicitly', () => {
    const writer = Type.Object({ kwh: Type.Number(), note: Type.String() });
    const reader = Type.Object({ kwh: Type.Number() }, { additionalProperties: Type.String() });
    expect(convert(writer, reader, { kwh: 1, note: 'ok' })).toEqual({ kwh: 1, note: 'ok' });
    expect(problemTypes(writer, reader)).toEqual([]);
  });

  it('is unsound when the reader requires what the writer may lack and has no default for it', () => {
    const writer = Type.Object({ kwh: Type.Number() });
    const reader = Type.Object({ kwh: Type.Number(), meterId: Type.String() });
    expect(problemTypes(writer, reader)).toEqual(['REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/meterId']);
    // Optional in the writer, required in the reader: the same.
    expect(problemTypes(Type.Object({ id: Type.Optional(Type.String()) }), Type.Object({ id: Type.String() }))).toEqual(['REQUIRED_ATTRIBUTE_ADDED #/required/id']);
  });

  it('is unsound when the reader narrows what the writer allows', () => {
    expect(problemTypes(Type.Object({ kwh: Type.Number() }), Type.Object({ kwh: Type.Integer() }))).toEqual(['TYPE_NARROWED #/properties/kwh']);
    expect(problemTypes(Type.Object({ level: Type.Integer({ maximum: 10 }) }), Type.Object({ level: Type.Integer({ maximum: 5 }) }))).toEqual(['MAXIMUM_DECREASED #/properties/level/maximum']);
    expect(problemTypes(Type.Object({ kind: Type.String() }), Type.Object({ kind: Type.Number() }))).toEqual(['TYPE_CHANGED #/properties/kind']);
  });

  it('passes combinations through as they are, and compares them strictly', () => {
    const writer = Type.Object({ at: Type.Union([Type.Object({ lat: Type.Number(), extra: Type.String() }), Type.String()]) });
    const reader = Type.Object({ at: Type.Union([Type.Object({ lat: Type.Number(), extra: Type.String() }), Type.String()]) });
    const value = { at: { lat: 1, extra: 'x' } };
    expect(convert(writer, reader, value)).toEqual(value);
    expect(problemTypes(writer, reader)).toEqual([]);
  });

  it('passes free-form objects (no declared properties) through whole', () => {
    const schema = Type.Object({ kwh: Type.Number(), extra: Type.Object({}, { additionalProperties: true }), blob: Type.Unsafe<object>({ type: 'object' }) });
    const data = { kwh: 1, extra: { anything: [1, 2] }, blob: { deep: { x: 1 } } };
    expect(convert(schema, schema, data)).toEqual(data);
  });

  it('leaves data that is not of the described shape to the validation that follows', () => {
    const schema = Type.Object({ kwh: Type.Number() });
    expect(convert(schema, schema, 'not an object')).toBe('not an object');
    expect(convert(schema, schema, null)).toBe(null);
  });
});

describe('the generated conversion', () => {
  it('takes a property named __proto__ as data, never as a prototype, and ignores inherited properties', () => {
    const writer = { type: 'object', properties: { ['__proto__']: { type: 'object' }, toString: { type: 'string' } } };
    const reader = writer;
    const data = JSON.parse('{"__proto__": {"polluted": true}}') as object;
    const converted = compileConversion(writer, reader)(data) as Record<string, unknown>;
    expect(Object.getPrototypeOf(converted)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(converted, '__proto__')?.value).toEqual({ polluted: true });
    expect(Object.hasOwn(converted, 'toString')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('treats keys as data: quotes and backslashes in property names stay names', () => {
    const schema = Type.Object({ 'a"b': Type.Number(), 'c\\\\d': Type.Number(), '\u2028': Type.Number() });
    expect(convert(schema, schema, { 'a"b': 1, 'c\\\\d': 2, '\u2028': 3, extra: 4 })).toEqual({ 'a"b': 1, 'c\\\\d': 2, '\u2028': 3 });
  });
});
