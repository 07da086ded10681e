import { describe, expect, it } from 'vitest';
import type { CompatibilityMode, JsonSchema } from '@polis/plugin-api';
import { checkCompatibility, diffSchemas } from './compatibility.js';

const str = { type: 'string' } as const;
const num = { type: 'number' } as const;
const int = { type: 'integer' } as const;
const bool = { type: 'boolean' } as const;
/** An object with an open content model (JSON Schema's default). */
const open = (properties: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema => ({ type: 'object', properties, ...extra });
/** An object with a closed content model. */
const closed = (properties: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema => open(properties, { additionalProperties: false, ...extra });

interface Case {
  readonly name: string;
  /** Versions registered before `original`, oldest first; they matter to the transitive modes. */
  readonly older?: readonly JsonSchema[];
  /** The latest registered version. */
  readonly original: JsonSchema;
  readonly update: JsonSchema;
  readonly mode: CompatibilityMode;
  readonly compatible: boolean;
  /** The Confluent difference type of the rule: a problem's type when incompatible. */
  readonly type?: string;
  /** Part of the problem's message: why data written with the old schema could now be rejected. */
  readonly because?: string;
  /** Where the problem is reported, when the case is about the path. */
  readonly at?: string;
}

const cases: readonly Case[] = [
  // Types
  { name: 'changing a string to a number is incompatible', original: str, update: num, mode: 'BACKWARD', compatible: false, type: 'TYPE_CHANGED', because: 'changed from string to number' },
  { name: 'widening integer to number is compatible', original: int, update: num, mode: 'BACKWARD', compatible: true, type: 'TYPE_EXTENDED' },
  { name: 'narrowing number to integer is incompatible', original: num, update: int, mode: 'BACKWARD', compatible: false, type: 'TYPE_NARROWED', because: 'old data with fractional numbers would be rejected' },
  { name: 'adding null to the type makes a union that is compatible', original: str, update: { type: ['string', 'null'] }, mode: 'BACKWARD', compatible: true, type: 'SUM_TYPE_EXTENDED' },
  { name: 'removing a type from a type array is incompatible', original: { type: ['string', 'null', 'number'] }, update: { type: ['string', 'number'] }, mode: 'BACKWARD', compatible: false, type: 'SUM_TYPE_NARROWED', because: 'old data matching a removed one would be rejected' },
  { name: 'adding null to the type is incompatible, as the old reader rejects null', original: str, update: { type: ['string', 'null'] }, mode: 'FORWARD', compatible: false, type: 'SUM_TYPE_NARROWED', because: 'old data matching the others would be rejected' },
  { name: 'a schema that accepts anything can read any old data', original: open({ a: str }), update: {}, mode: 'BACKWARD', compatible: true },

  // Objects: content models
  { name: 'adding a property to an open content model is incompatible', original: open({ a: str }), update: open({ a: str, speed: num }), mode: 'BACKWARD', compatible: false, type: 'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', because: 'old data may already hold "speed" with a value the new schema rejects', at: '#/properties/speed' },
  { name: 'adding a property that accepts anything to an open content model is compatible', original: open({ a: str }), update: open({ a: str, extra: { description: 'free form' } }), mode: 'BACKWARD', compatible: true, type: 'PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL' },
  { name: 'removing a property from an open content model is compatible', original: open({ a: str, b: num }), update: open({ a: str }), mode: 'BACKWARD', compatible: true, type: 'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL' },
  { name: 'adding an optional property to a closed content model is compatible', original: closed({ a: str }), update: closed({ a: str, speed: num }), mode: 'BACKWARD', compatible: true, type: 'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL' },
  { name: 'adding a required property without a default to a closed content model is incompatible', original: closed({ a: str }), update: closed({ a: str, speed: num }, { required: ['speed'] }), mode: 'BACKWARD', compatible: false, type: 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', because: 'old data, which lacks it, would be rejected' },
  { name: 'adding a required property with a default to a closed content model is compatible', original: closed({ a: str }), update: closed({ a: str, speed: { ...num, default: 0 } }, { required: ['speed'] }), mode: 'BACKWARD', compatible: true, type: 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL' },
  { name: 'removing a property from a closed content model is incompatible', original: closed({ a: str, b: num }), update: closed({ a: str }), mode: 'BACKWARD', compatible: false, type: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', because: 'old data with it would be rejected' },
  { name: 'adding an optional property to an open content model is compatible', original: open({ a: str }), update: open({ a: str, speed: num }), mode: 'FORWARD', compatible: true, type: 'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL' },
  { name: 'adding an optional property to a closed content model is incompatible', original: closed({ a: str }), update: closed({ a: str, speed: num }), mode: 'FORWARD', compatible: false, type: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', because: 'old data with it would be rejected' },
  { name: 'adding a property covered by the additionalProperties schema is compatible', original: open({}, { additionalProperties: str }), update: open({ note: { ...str, title: 'Note' } }, { additionalProperties: str }), mode: 'BACKWARD', compatible: true, type: 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL' },
  { name: 'adding a property not covered by its patternProperties schema is incompatible', original: closed({}, { patternProperties: { '^x_': str } }), update: closed({ x_speed: num }, { patternProperties: { '^x_': str } }), mode: 'BACKWARD', compatible: false, type: 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', because: 'old data holding "x_speed" could be rejected' },
  { name: 'removing a property covered by the additionalProperties schema is compatible', original: open({ note: str }, { additionalProperties: str }), update: open({}, { additionalProperties: str }), mode: 'BACKWARD', compatible: true, type: 'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL' },
  { name: 'removing a property not covered by the additionalProperties schema is incompatible', original: open({ count: num }, { additionalProperties: str }), update: open({}, { additionalProperties: str }), mode: 'BACKWARD', compatible: false, type: 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', because: 'does not accept all its old values' },

  // Objects: required, additionalProperties, size, nesting, dependencies
  { name: 'making a property required is incompatible', original: open({ a: str }), update: open({ a: str }, { required: ['a'] }), mode: 'BACKWARD', compatible: false, type: 'REQUIRED_ATTRIBUTE_ADDED', because: 'old data without it would be rejected', at: '#/required/a' },
  { name: 'making a property required with a default is compatible', original: open({ a: str }), update: open({ a: { ...str, default: 'n/a' } }, { required: ['a'] }), mode: 'BACKWARD', compatible: true, type: 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED' },
  { name: 'making a required property optional is compatible', original: open({ a: str }, { required: ['a'] }), update: open({ a: str }), mode: 'BACKWARD', compatible: true, type: 'REQUIRED_ATTRIBUTE_REMOVED' },
  { name: 'closing an open content model is incompatible', original: open({ a: str }), update: closed({ a: str }), mode: 'BACKWARD', compatible: false, type: 'ADDITIONAL_PROPERTIES_REMOVED', because: 'old data with any would be rejected' },
  { name: 'opening a closed content model is compatible', original: closed({ a: str }), update: open({ a: str }), mode: 'BACKWARD', compatible: true, type: 'ADDITIONAL_PROPERTIES_ADDED' },
  { name: 'giving additional properties a schema is incompatible', original: open({ a: str }), update: open({ a: str }, { additionalProperties: num }), mode: 'BACKWARD', compatible: false, type: 'ADDITIONAL_PROPERTIES_NARROWED', because: 'undeclared properties that do not match it would be rejected' },
  { name: 'freeing additional properties from their schema is compatible', original: open({ a: str }, { additionalProperties: num }), update: open({ a: str }), mode: 'BACKWARD', compatible: true, type: 'ADDITIONAL_PROPERTIES_EXTENDED' },
  { name: 'lowering maxProperties is incompatible', original: open({}, { maxProperties: 5 }), update: open({}, { maxProperties: 3 }), mode: 'BACKWARD', compatible: false, type: 'MAX_PROPERTIES_DECREASED', because: 'objects with more than 3 properties' },
  { name: 'adding minProperties is incompatible', original: open({}), update: open({}, { minProperties: 1 }), mode: 'BACKWARD', compatible: false, type: 'MIN_PROPERTIES_ADDED', because: 'objects with fewer than 1 property' },
  { name: 'a nested property changing type is incompatible at its path', original: open({ location: open({ lat: num }) }), update: open({ location: open({ lat: str }) }), mode: 'BACKWARD', compatible: false, type: 'TYPE_CHANGED', because: 'changed from number to string', at: '#/properties/location/properties/lat' },
  { name: 'a property of a nullable object changing type is incompatible at its path', original: { ...open({ lat: num }), type: ['object', 'null'] }, update: { ...open({ lat: str }), type: ['object', 'null'] }, mode: 'BACKWARD', compatible: false, type: 'TYPE_CHANGED', because: 'changed from number to string', at: '#/properties/lat' },
  { name: 'a new dependentRequired entry is incompatible', original: open({ a: str, b: str }), update: open({ a: str, b: str }, { dependentRequired: { a: ['b'] } }), mode: 'BACKWARD', compatible: false, type: 'DEPENDENCY_ARRAY_ADDED', because: 'old data with "a" but without them would be rejected' },

  // Strings
  { name: 'raising maxLength is compatible', original: { ...str, maxLength: 5 }, update: { ...str, maxLength: 10 }, mode: 'BACKWARD', compatible: true, type: 'MAX_LENGTH_INCREASED' },
  { name: 'lowering maxLength is incompatible', original: { ...str, maxLength: 10 }, update: { ...str, maxLength: 5 }, mode: 'BACKWARD', compatible: false, type: 'MAX_LENGTH_DECREASED', because: 'strings longer than 5 characters would be rejected' },
  { name: 'removing maxLength is compatible', original: { ...str, maxLength: 10 }, update: str, mode: 'BACKWARD', compatible: true, type: 'MAX_LENGTH_REMOVED' },
  { name: 'adding minLength is incompatible', original: str, update: { ...str, minLength: 2 }, mode: 'BACKWARD', compatible: false, type: 'MIN_LENGTH_ADDED', because: 'strings shorter than 2 characters would be rejected' },
  { name: 'lowering minLength is compatible', original: { ...str, minLength: 3 }, update: { ...str, minLength: 1 }, mode: 'BACKWARD', compatible: true, type: 'MIN_LENGTH_DECREASED' },
  { name: 'adding a pattern is incompatible', original: str, update: { ...str, pattern: '^[A-Z]+$' }, mode: 'BACKWARD', compatible: false, type: 'PATTERN_ADDED', because: 'old strings that do not match it would be rejected' },
  { name: 'changing a pattern is incompatible', original: { ...str, pattern: '^[a-z]+$' }, update: { ...str, pattern: '^[a-z0-9]+$' }, mode: 'BACKWARD', compatible: false, type: 'PATTERN_CHANGED', because: 'match only the old pattern would be rejected' },
  { name: 'removing a pattern is compatible', original: { ...str, pattern: '^[a-z]+$' }, update: str, mode: 'BACKWARD', compatible: true, type: 'PATTERN_REMOVED' },

  // Numbers
  { name: 'raising maximum is compatible', original: { ...num, maximum: 100 }, update: { ...num, maximum: 200 }, mode: 'BACKWARD', compatible: true, type: 'MAXIMUM_INCREASED' },
  { name: 'raising minimum is incompatible', original: { ...num, minimum: 0 }, update: { ...num, minimum: 10 }, mode: 'BACKWARD', compatible: false, type: 'MINIMUM_INCREASED', because: 'numbers below 10 would be rejected' },
  { name: 'adding exclusiveMaximum is incompatible', original: num, update: { ...num, exclusiveMaximum: 50 }, mode: 'BACKWARD', compatible: false, type: 'EXCLUSIVE_MAXIMUM_ADDED', because: 'numbers of 50 or more would be rejected' },
  { name: 'lowering exclusiveMinimum is compatible', original: { ...num, exclusiveMinimum: 5 }, update: { ...num, exclusiveMinimum: 0 }, mode: 'BACKWARD', compatible: true, type: 'EXCLUSIVE_MINIMUM_DECREASED' },
  { name: 'reducing multipleOf to a divisor is compatible', original: { ...num, multipleOf: 10 }, update: { ...num, multipleOf: 5 }, mode: 'BACKWARD', compatible: true, type: 'MULTIPLE_OF_REDUCED' },
  { name: 'reducing a fractional multipleOf to a divisor is compatible', original: { ...num, multipleOf: 0.3 }, update: { ...num, multipleOf: 0.1 }, mode: 'BACKWARD', compatible: true, type: 'MULTIPLE_OF_REDUCED' },
  { name: 'expanding multipleOf to a multiple is incompatible', original: { ...num, multipleOf: 5 }, update: { ...num, multipleOf: 10 }, mode: 'BACKWARD', compatible: false, type: 'MULTIPLE_OF_EXPANDED', because: 'old multiples of 5 that are not multiples of 10 would be rejected' },

  // Enums and const
  { name: 'adding an enum value is compatible', original: { enum: ['open', 'closed'] }, update: { enum: ['open', 'closed', 'pending'] }, mode: 'BACKWARD', compatible: true, type: 'ENUM_ARRAY_EXTENDED' },
  { name: 'removing an enum value is incompatible', original: { enum: ['open', 'closed'] }, update: { enum: ['open'] }, mode: 'BACKWARD', compatible: false, type: 'ENUM_ARRAY_NARROWED', because: 'no longer include ["closed"]' },
  { name: 'replacing an enum value is incompatible', original: { ...str, enum: ['open', 'closed'] }, update: { ...str, enum: ['open', 'shut'] }, mode: 'BACKWARD', compatible: false, type: 'ENUM_ARRAY_CHANGED', because: 'old data with those values would be rejected' },
  { name: 'changing a const is incompatible', original: { const: 'v1' }, update: { const: 'v2' }, mode: 'BACKWARD', compatible: false, type: 'ENUM_ARRAY_CHANGED', because: 'no longer include ["v1"]' },
  { name: 'widening a const to an enum that contains it is compatible', original: { const: 'a' }, update: { enum: ['a', 'b'] }, mode: 'BACKWARD', compatible: true, type: 'ENUM_ARRAY_EXTENDED' },
  { name: 'adding an enum value is incompatible, as the old reader lacks it', original: { enum: ['open'] }, update: { enum: ['open', 'pending'] }, mode: 'FULL', compatible: false, type: 'ENUM_ARRAY_NARROWED', because: 'no longer include ["pending"]' },

  // Arrays
  { name: 'changing the item type is incompatible', original: { type: 'array', items: str }, update: { type: 'array', items: num }, mode: 'BACKWARD', compatible: false, type: 'TYPE_CHANGED', because: 'changed from string to number', at: '#/items' },
  { name: 'lowering maxItems is incompatible', original: { type: 'array', items: str, maxItems: 10 }, update: { type: 'array', items: str, maxItems: 3 }, mode: 'BACKWARD', compatible: false, type: 'MAX_ITEMS_DECREASED', because: 'arrays with more than 3 items would be rejected' },
  { name: 'removing minItems is compatible', original: { type: 'array', items: str, minItems: 1 }, update: { type: 'array', items: str }, mode: 'BACKWARD', compatible: true, type: 'MIN_ITEMS_REMOVED' },
  { name: 'requiring unique items is incompatible', original: { type: 'array', items: str }, update: { type: 'array', items: str, uniqueItems: true }, mode: 'BACKWARD', compatible: false, type: 'UNIQUE_ITEMS_ADDED', because: 'old data with duplicate items would be rejected' },
  { name: 'dropping uniqueItems is compatible', original: { type: 'array', items: str, uniqueItems: true }, update: { type: 'array', items: str }, mode: 'BACKWARD', compatible: true, type: 'UNIQUE_ITEMS_REMOVED' },
  { name: 'adding an item to a closed tuple is compatible', original: { type: 'array', items: [str], additionalItems: false }, update: { type: 'array', items: [str, num], additionalItems: false }, mode: 'BACKWARD', compatible: true, type: 'ITEM_ADDED_TO_CLOSED_CONTENT_MODEL' },

  // Combined
  { name: 'adding an anyOf alternative is compatible', original: { anyOf: [str, num] }, update: { anyOf: [str, num, bool] }, mode: 'BACKWARD', compatible: true, type: 'SUM_TYPE_EXTENDED' },
  { name: 'removing a oneOf alternative is incompatible', original: { oneOf: [str, num, bool] }, update: { oneOf: [str, num] }, mode: 'BACKWARD', compatible: false, type: 'SUM_TYPE_NARROWED', because: 'old data matching a removed one would be rejected' },
  { name: 'adding a schema to an allOf is incompatible', original: { allOf: [open({ a: str })] }, update: { allOf: [open({ a: str }), { required: ['a'] }] }, mode: 'BACKWARD', compatible: false, type: 'PRODUCT_TYPE_EXTENDED', because: 'old data must now match them too' },
  { name: 'removing a schema from an allOf is compatible', original: { allOf: [open({ a: str }), { required: ['a'] }] }, update: { allOf: [open({ a: str })] }, mode: 'BACKWARD', compatible: true, type: 'PRODUCT_TYPE_NARROWED' },
  { name: 'turning a oneOf into an anyOf is compatible', original: { oneOf: [str, num] }, update: { anyOf: [str, num] }, mode: 'BACKWARD', compatible: true, type: 'COMBINED_TYPE_EXTENDED' },
  { name: 'turning an anyOf into an allOf is incompatible', original: { anyOf: [str, { maxLength: 3 }] }, update: { allOf: [str, { maxLength: 3 }] }, mode: 'BACKWARD', compatible: false, type: 'COMBINED_TYPE_CHANGED', because: 'old data that matched it could be rejected' },
  { name: 'a schema becoming a union that contains it is compatible', original: open({ a: str }), update: { oneOf: [open({ a: str }), { type: 'null' }] }, mode: 'BACKWARD', compatible: true, type: 'SUM_TYPE_EXTENDED' },
  { name: 'replacing a union alternative by an unrelated one is incompatible', original: { anyOf: [str, num] }, update: { anyOf: [str, bool] }, mode: 'BACKWARD', compatible: false, type: 'COMBINED_TYPE_SUBSCHEMAS_CHANGED', because: 'not every old one has a new one accepting all its data' },
  { name: 'adding a not schema is incompatible', original: str, update: { ...str, not: { const: '' } }, mode: 'BACKWARD', compatible: false, type: 'NOT_TYPE_EXTENDED', because: 'old data matching it would be rejected' },

  // Annotations and $ref
  { name: 'changing only title, description, $comment, examples and default is compatible', original: { ...str, title: 'A', description: 'a', $comment: 'x', examples: ['a'], default: 'a' }, update: { ...str, title: 'B', description: 'b', $comment: 'y', examples: ['b'], default: 'b' }, mode: 'FULL', compatible: true, type: 'TITLE_CHANGED' },
  { name: 'a $ref is compared by its target in $defs', original: open({ a: { $ref: '#/$defs/Name' } }, { $defs: { Name: str } }), update: open({ a: { $ref: '#/$defs/Label' } }, { $defs: { Label: { ...str, maxLength: 8 } } }), mode: 'BACKWARD', compatible: false, type: 'MAX_LENGTH_ADDED', because: 'strings longer than 8 characters would be rejected', at: '#/properties/a/maxLength' },
  { name: 'moving a definition from definitions to $defs is compatible', original: open({ a: { $ref: '#/definitions/Name' } }, { definitions: { Name: str } }), update: open({ a: { $ref: '#/$defs/Name' } }, { $defs: { Name: str } }), mode: 'FULL', compatible: true },

  // Modes
  { name: 'adding a property to an open content model is incompatible, as it breaks backward', original: open({ a: str }), update: open({ a: str, b: num }), mode: 'FULL', compatible: false, type: 'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', because: 'open content model' },
  { name: 'raising maxLength again is compatible with the latest version', older: [str], original: { ...str, maxLength: 5 }, update: { ...str, maxLength: 8 }, mode: 'BACKWARD', compatible: true, type: 'MAX_LENGTH_INCREASED' },
  { name: 'raising maxLength again is incompatible with version 1, which had none', older: [str], original: { ...str, maxLength: 5 }, update: { ...str, maxLength: 8 }, mode: 'BACKWARD_TRANSITIVE', compatible: false, type: 'MAX_LENGTH_ADDED', because: 'strings longer than 8 characters would be rejected' },
  { name: 'bringing back a maxLength is compatible with the latest version', older: [{ ...str, maxLength: 5 }], original: str, update: { ...str, maxLength: 8 }, mode: 'FORWARD', compatible: true, type: 'MAX_LENGTH_REMOVED' },
  { name: 'bringing back a larger maxLength is incompatible with version 1', older: [{ ...str, maxLength: 5 }], original: str, update: { ...str, maxLength: 8 }, mode: 'FORWARD_TRANSITIVE', compatible: false, type: 'MAX_LENGTH_DECREASED', because: 'strings longer than 5 characters would be rejected' },
  { name: 'keeping the type number is compatible with the latest version', older: [int], original: num, update: num, mode: 'FULL', compatible: true },
  { name: 'keeping the type number is incompatible with version 1, an integer', older: [int], original: num, update: num, mode: 'FULL_TRANSITIVE', compatible: false, type: 'TYPE_NARROWED', because: 'fractional numbers would be rejected' },
  { name: 'changing a string to a number is compatible', original: str, update: num, mode: 'NONE', compatible: true },
];

/** The differences the mode looks at against the latest version. */
function differencesAgainstLatest({ original, update, mode }: Case) {
  return [
    ...(mode.startsWith('FORWARD') ? [] : diffSchemas(original, update)),
    ...(mode.startsWith('BACKWARD') ? [] : diffSchemas(update, original)),
  ];
}

describe('checkCompatibility with Confluent JSON Schema rules', () => {
  it.each(cases.map((c) => [`${c.mode}: ${c.name}`, c] as const))('%s', (_title, c) => {
    const previous = [...(c.older ?? []), c.original].map((schema, i) => [i + 1, schema] as const);
    const verdict = checkCompatibility(previous, c.update, c.mode);

    expect(verdict.compatible).toBe(c.compatible);
    if (c.compatible) {
      expect(verdict.problems).toEqual([]);
      if (c.type) expect(differencesAgainstLatest(c)).toContainEqual(expect.objectContaining({ type: c.type, compatible: true }));
      return;
    }
    const problem = verdict.problems.find((p) => p.difference.type === c.type);
    expect(problem, `expected ${c.type} among ${JSON.stringify(verdict.problems, null, 2)}`).toBeDefined();
    expect(problem?.difference.compatible).toBe(false);
    expect(problem?.difference.message).toMatch(/^[A-Z].*\.$/);
    expect(problem?.difference.message).toContain(c.because);
    if (c.at) expect(problem?.difference.path).toBe(c.at);
  });

  it('has a data table covering every mode and at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.mode))).toEqual(new Set(['BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE', 'NONE']));
    for (const c of cases.filter((c) => !c.compatible)) {
      expect(c.type, c.name).toBeDefined();
      expect(c.because, c.name).toBeDefined();
    }
  });

  it('is compatible when nothing is registered yet', () => {
    expect(checkCompatibility([], str, 'FULL_TRANSITIVE')).toEqual({ compatible: true, problems: [] });
  });

  it('names the version a problem breaks against and its direction', () => {
    const verdict = checkCompatibility([[1, int], [2, num]], num, 'FULL_TRANSITIVE');
    expect(verdict.problems).toEqual([
      { againstVersion: 1, direction: 'forward', difference: expect.objectContaining({ type: 'TYPE_NARROWED', path: '#' }) },
    ]);
  });

  it('reports problems in both directions under FULL', () => {
    const verdict = checkCompatibility([[1, { ...str, maxLength: 5 }]], { ...str, minLength: 1 }, 'FULL');
    expect(verdict.problems.map((p) => [p.direction, p.difference.type])).toEqual([
      ['backward', 'MIN_LENGTH_ADDED'],
      ['forward', 'MAX_LENGTH_ADDED'],
    ]);
  });
});

describe('diffSchemas', () => {
  it('finds no differences between equal schemas', () => {
    expect(diffSchemas(open({ a: str, b: { type: 'array', items: num } }, { required: ['a'] }), open({ a: str, b: { type: 'array', items: num } }, { required: ['a'] }))).toEqual([]);
  });

  it('ignores symbol keys, as TypeBox adds them', () => {
    const kind = Symbol.for('TypeBox.Kind');
    expect(diffSchemas({ [kind]: 'String', type: 'string' }, { [kind]: 'Number', type: 'string' })).toEqual([]);
  });

  it('compares recursive schemas without looping and reports a change inside them', () => {
    const tree = (leaf: JsonSchema): JsonSchema => ({
      $defs: { Node: open({ value: leaf, children: { type: 'array', items: { $ref: '#/$defs/Node' } } }) },
      $ref: '#/$defs/Node',
    });
    expect(diffSchemas(tree(str), tree(str))).toEqual([]);
    expect(diffSchemas(tree(str), tree({ ...str, maxLength: 3 }))).toEqual([
      expect.objectContaining({ type: 'MAX_LENGTH_ADDED', path: '#/properties/value/maxLength', compatible: false }),
    ]);
  });

  it('explains an incompatible union member by its counterpart of the same kind', () => {
    const nullable = (lat: JsonSchema): JsonSchema => ({ anyOf: [open({ lat }), { type: 'null' }] });
    expect(diffSchemas(nullable(num), nullable(str)).map((d) => [d.type, d.path])).toEqual([
      ['TYPE_CHANGED', '#/anyOf/0/properties/lat'],
      ['COMBINED_TYPE_SUBSCHEMAS_CHANGED', '#'],
    ]);
  });

  it('reports an annotation change as compatible, with a sentence', () => {
    expect(diffSchemas({ ...str, description: 'Speed' }, { ...str, description: 'Speed in km/h' })).toEqual([
      { type: 'DESCRIPTION_CHANGED', path: '#/description', compatible: true, message: 'The description of the root schema changed; it is an annotation and does not change which data is valid.' },
    ]);
  });
});
