/**
 * Converting event data written under one version of a schema (the writer) into the shape of
 * another version (the reader), and deciding statically whether that is sound.
 *
 * The conversion, compiled once per (writer, reader) pair, walks the reader's schema:
 * - an object whose schema declares `properties` keeps the properties the reader declares, each
 *   converted in turn; a property the reader does not declare is dropped (unless the reader
 *   explicitly admits undeclared ones with `additionalProperties` or `patternProperties`); an
 *   object schema without `properties` describes free-form data, passed through whole;
 * - a property the reader declares but the writer's contract does not is dropped too (an open
 *   writer may carry it with any value), and so is one missing from the data: either way the
 *   reader's `default` for it, if it has one, is filled in;
 * - an array whose `items` is one schema is converted item by item;
 * - anything else (scalars, `anyOf`/`oneOf`/`allOf`/`not`, `$ref`, tuples) is passed through as is.
 *
 * It is sound for a pair when every document the writer's schema accepts, once converted, is
 * accepted by the reader's schema. That is decided with the registry's own compatibility rules
 * (Confluent's, see compatibility.ts), applied to the pair as the conversion sees it: the writer
 * with every plainly open object closed (its undeclared properties are dropped), the reader with
 * every object it would prune opened (what it does not declare never reaches it). So adding or
 * removing a property, or making one required with a default, converts; a required property
 * without a default that the writer lacks, a narrowed type, enum or bound does not. Combinators
 * and `$ref`s are compared as they are, strictly, since the conversion passes them through. The
 * reader's schema still validates every converted document, so a difference these rules miss
 * becomes a refused event, never a handler reading data its schema does not describe.
 */
import type { JsonSchema } from '@polis/plugin-api';
import { deepFreeze } from '../bus/deep-freeze.js';
import { diffSchemas } from './compatibility.js';
import type { SchemaDifference } from './compatibility.js';
import { isSchemaObject } from './compatibility/schema-view.js';
import type { SchemaObject } from './compatibility/schema-view.js';

export type Conversion = (data: unknown) => unknown;

/** The incompatible differences that make converting writer data for the reader unsound (none: sound). */
export function conversionProblems(writer: JsonSchema, reader: JsonSchema): SchemaDifference[] {
  return diffSchemas(rewrite(writer, closeOpenObject), rewrite(reader, openPrunedObject)).filter((difference) => !difference.compatible);
}

/** Compiles the conversion of writer data into the reader's shape. */
export function compileConversion(writer: JsonSchema, reader: JsonSchema): Conversion {
  return compileNode(writer, reader) ?? ((data) => data);
}

const OPAQUE_KEYWORDS = ['$ref', '$dynamicRef', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else'];

/** A node the conversion walks into: a plain schema object, not a combination or a reference. */
function plain(schema: unknown): SchemaObject | undefined {
  if (!isSchemaObject(schema)) return undefined;
  for (const keyword of OPAQUE_KEYWORDS) if (keyword in schema) return undefined;
  return schema;
}

/**
 * An object whose properties are declared: the only kind the conversion prunes. An object schema
 * without `properties` (`{ type: 'object' }`, free-form data) is passed through whole.
 */
function describesObject(schema: SchemaObject): boolean {
  return isSchemaObject(schema.properties);
}

function describesArray(schema: SchemaObject): boolean {
  const type = schema.type;
  return type === 'array' || (Array.isArray(type) && type.includes('array')) || isSchemaObject(schema.items);
}

/** Whether undeclared properties pass: an explicit `additionalProperties` other than false, or `patternProperties`. */
function admitsUndeclared(schema: SchemaObject): boolean {
  const additional = schema.additionalProperties;
  const patterns = schema.patternProperties;
  return (additional !== undefined && additional !== false) || (isSchemaObject(patterns) && Object.keys(patterns).length > 0);
}

/** A plainly open object: no `additionalProperties`, no `patternProperties`. Its undeclared properties are dropped. */
function plainlyOpen(schema: SchemaObject): boolean {
  return schema.additionalProperties === undefined && !(isSchemaObject(schema.patternProperties) && Object.keys(schema.patternProperties).length > 0);
}

function propertiesOf(schema: SchemaObject | undefined): SchemaObject {
  return schema !== undefined && isSchemaObject(schema.properties) ? schema.properties : {};
}

/** undefined: the node converts to itself (no work at run time). */
function compileNode(writerSchema: unknown, readerSchema: unknown): Conversion | undefined {
  const reader = plain(readerSchema);
  if (reader === undefined) return undefined;
  const writer = plain(writerSchema);
  if (describesObject(reader)) return compileObject(writer !== undefined && describesObject(writer) ? writer : undefined, reader);
  if (describesArray(reader) && isSchemaObject(reader.items)) {
    const item = compileNode(writer !== undefined && describesArray(writer) ? writer.items : undefined, reader.items);
    if (item === undefined) return undefined;
    return (data) => (Array.isArray(data) ? data.map(item) : data);
  }
  return undefined;
}

interface PropertyPlan {
  readonly key: string;
  /** Whether a value in the data may be kept: the writer's contract declares (or admits) it. */
  readonly keep: boolean;
  readonly convert: Conversion | undefined;
  readonly hasDefault: boolean;
  readonly fallback: unknown;
}

function compileObject(writer: SchemaObject | undefined, reader: SchemaObject): Conversion {
  const writerProperties = propertiesOf(writer);
  // Without a plain writer object (absent, or a combination) nothing is known to be a stray.
  const writerClosed = writer !== undefined && plainlyOpen(writer);
  const plans: PropertyPlan[] = Object.entries(propertiesOf(reader)).map(([key, schema]) => ({
    key,
    keep: !writerClosed || Object.hasOwn(writerProperties, key),
    convert: compileNode(writerProperties[key], schema),
    hasDefault: isSchemaObject(schema) && 'default' in schema,
    fallback: isSchemaObject(schema) ? frozenCopy(schema.default) : undefined,
  }));
  const declared = new Set(plans.map((plan) => plan.key));
  const keepUndeclared = admitsUndeclared(reader);
  const undeclared = keepUndeclared
    ? (source: Record<string, unknown>, out: Record<string, unknown>) => {
        for (const key of Object.keys(source)) {
          if (!declared.has(key) && (!writerClosed || Object.hasOwn(writerProperties, key))) setOwn(out, key, source[key]);
        }
      }
    : undefined;
  return generate(plans, undeclared);
}

/**
 * The object conversion as generated code, as ajv compiles validators: one statement per
 * property with the key as a literal, so V8 builds every converted object with one fixed shape.
 * A loop over plans with computed keys cost ten times as much per event. Keys enter the code only
 * as JSON string literals; `__proto__` goes through defineProperty, never an assignment.
 */
function generate(plans: readonly PropertyPlan[], undeclared: ((source: Record<string, unknown>, out: Record<string, unknown>) => void) | undefined): Conversion {
  const lines = ['if (data === null || typeof data !== "object" || Array.isArray(data)) return data;', 'const out = {};', 'let v;'];
  plans.forEach((plan, i) => {
    const key = JSON.stringify(plan.key);
    const assign = (expression: string) => (plan.key === '__proto__' ? `setOwn(out, ${key}, ${expression});` : `out[${key}] = ${expression};`);
    const fallback = plan.hasDefault ? assign(`fallbacks[${i}]`) : '';
    if (!plan.keep) {
      lines.push(fallback);
      return;
    }
    // An own property only (not one inherited), and undefined counts as missing, as it does for ajv.
    lines.push(`v = hasOwn(data, ${key}) ? data[${key}] : undefined;`);
    lines.push(`if (v !== undefined) ${assign(plan.convert === undefined ? 'v' : `converts[${i}](v)`)}${fallback ? ` else ${fallback}` : ''}`);
  });
  if (undeclared) lines.push('undeclared(data, out);');
  lines.push('return out;');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the code is built from JSON literals only
  const factory = new Function('hasOwn', 'setOwn', 'converts', 'fallbacks', 'undeclared', `return function convert(data) {\n${lines.filter(Boolean).join('\n')}\n};`);
  return factory(
    Object.hasOwn,
    setOwn,
    plans.map((plan) => plan.convert),
    plans.map((plan) => plan.fallback),
    undeclared,
  ) as Conversion;
}

/** An own data property, even under the name `__proto__`. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Applies `change` to every plain object node of a copy of `schema`, walking where the conversion walks. */
function rewrite(schema: JsonSchema, change: (node: Record<string, unknown>) => void): JsonSchema {
  const copy = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
  const visit = (node: unknown): void => {
    const target = plain(node) as Record<string, unknown> | undefined;
    if (target === undefined) return;
    if (describesObject(target)) {
      change(target);
      for (const property of Object.values(propertiesOf(target))) visit(property);
      if (isSchemaObject(target.additionalProperties)) visit(target.additionalProperties);
    }
    if (describesArray(target) && isSchemaObject(target.items)) visit(target.items);
  };
  visit(copy);
  return copy;
}

/** The writer as the conversion sees it: a plainly open object holds nothing undeclared. */
function closeOpenObject(node: Record<string, unknown>): void {
  if (plainlyOpen(node)) node.additionalProperties = false;
}

/** The reader as the conversion sees it: an object that prunes undeclared properties accepts any. */
function openPrunedObject(node: Record<string, unknown>): void {
  if (!admitsUndeclared(node)) delete node.additionalProperties;
}

/** A default as every converted event shares it: a private copy, frozen, since events are read-only. */
function frozenCopy(value: unknown): unknown {
  const copy = structuredClone(value);
  deepFreeze(copy);
  return copy;
}
