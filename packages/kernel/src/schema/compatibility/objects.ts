/**
 * Objects: Confluent's ObjectSchemaDiff. The heart of it is the content model of the object,
 * which decides whether a property may be added or removed:
 * - open: `additionalProperties` absent or `true` (JSON Schema's default) and no `patternProperties`.
 *   Old data may hold any undeclared property with any value.
 * - closed: `additionalProperties: false` and no `patternProperties`. Old data holds no undeclared property.
 * - partially open: undeclared properties are validated by a `patternProperties` entry or by an
 *   `additionalProperties` schema.
 */
import { allCompatible, emit, type SchemaDifference, type Walk } from './differences.js';
import { acceptsAnything, asSchema, child, isSchemaObject, stringsAt, subschemaAt, theSchemaAt, where, type Schema, type SchemaObject } from './schema-view.js';
import { compareBound } from './scalars.js';

export function compareObjects(w: Walk, original: SchemaObject, update: SchemaObject, path: string, out: SchemaDifference[]): void {
  compareRequired(original, update, path, out);
  compareProperties(w, original, update, path, out);
  compareDependencies(w, original, update, path, out);
  compareAdditionalProperties(w, original, update, path, out);
  compareBound('maxProperties', original, update, path, out);
  compareBound('minProperties', original, update, path, out);
}

function entriesAt(schema: SchemaObject, keyword: string): SchemaObject {
  const value = schema[keyword];
  return isSchemaObject(value) ? value : {};
}

function hasDefault(schema: unknown): boolean {
  return isSchemaObject(schema) && 'default' in schema;
}

/** `additionalProperties` as `true` (any value, also for `{}`), `false`, or the schema undeclared properties must match. */
function additionalProperties(schema: SchemaObject): Schema {
  const additional = subschemaAt(schema, 'additionalProperties') ?? true;
  return acceptsAnything(additional) ? true : additional;
}

function isOpenContentModel(schema: SchemaObject): boolean {
  return Object.keys(entriesAt(schema, 'patternProperties')).length === 0 && additionalProperties(schema) === true;
}

/** The schema an undeclared property `key` is validated by: a matching `patternProperties` entry, else `additionalProperties`. */
function schemaOfUndeclared(schema: SchemaObject, key: string): Schema {
  const patterns = Object.entries(entriesAt(schema, 'patternProperties'));
  const match = patterns.find(([pattern]) => matches(pattern, key));
  return match ? asSchema(match[1]) : additionalProperties(schema);
}

function matches(pattern: string, key: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(key);
  } catch {
    return false;
  }
}

/**
 * Making a property required rejects old data without it, unless the reader has a default to
 * fill in. Dropping a requirement is always safe.
 */
function compareRequired(original: SchemaObject, update: SchemaObject, path: string, out: SchemaDifference[]): void {
  const before = new Set(stringsAt(original, 'required'));
  const after = new Set(stringsAt(update, 'required'));
  const declaredBefore = entriesAt(original, 'properties');
  const declaredAfter = entriesAt(update, 'properties');
  for (const key of new Set([...before, ...after])) {
    // A property declared on one side only is judged together with its content model by compareProperties.
    if (Object.hasOwn(declaredBefore, key) !== Object.hasOwn(declaredAfter, key)) continue;
    const at = child(path, 'required', key);
    if (before.has(key) && !after.has(key)) {
      emit(out, 'REQUIRED_ATTRIBUTE_REMOVED', at, `Property "${key}" of ${where(path)} is no longer required.`);
    } else if (!before.has(key) && after.has(key) && hasDefault(declaredAfter[key])) {
      emit(out, 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED', at, `Property "${key}" of ${where(path)} became required with a default, which fills it in for old data that lacks it.`);
    } else if (!before.has(key) && after.has(key)) {
      emit(out, 'REQUIRED_ATTRIBUTE_ADDED', at, `Property "${key}" of ${where(path)} became required, so old data without it would be rejected.`);
    }
  }
}

function compareProperties(w: Walk, original: SchemaObject, update: SchemaObject, path: string, out: SchemaDifference[]): void {
  const before = entriesAt(original, 'properties');
  const after = entriesAt(update, 'properties');
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const at = child(path, 'properties', key);
    if (!Object.hasOwn(after, key)) propertyRemoved(w, key, before[key], update, at, out);
    else if (!Object.hasOwn(before, key)) propertyAdded(w, key, original, update, at, out);
    else w.compare(before[key], after[key], at, out);
  }
}

/**
 * A property the reader no longer declares is fine if the reader's content model still accepts it
 * as an undeclared property (Confluent only looks at the update's content model here).
 */
function propertyRemoved(w: Walk, key: string, removed: unknown, update: SchemaObject, at: string, out: SchemaDifference[]): void {
  if (isOpenContentModel(update)) {
    emit(out, 'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', at, `Property "${key}" was removed from the schema, whose open content model still accepts it with any value.`);
    return;
  }
  const cover = schemaOfUndeclared(update, key);
  if (cover !== false) {
    const differences = w.trial(removed, cover, at);
    out.push(...differences);
    if (allCompatible(differences)) {
      emit(out, 'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', at, `Property "${key}" was removed from the schema, and every old value of it still matches the schema for undeclared properties.`);
    } else {
      emit(out, 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', at, `Property "${key}" was removed from the schema, and the schema for undeclared properties does not accept all its old values, so old data with it would be rejected.`);
    }
  } else if (removed === false) {
    emit(out, 'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL', at, `Property "${key}", which allowed no value, was removed from the closed schema.`);
  } else {
    emit(out, 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', at, `Property "${key}" was removed from a closed schema (additionalProperties: false), so old data with it would be rejected.`);
  }
}

/**
 * A property the writer did not declare: under an open writer, old data may already carry it with
 * any value, so only a schema that accepts anything is safe. Under a closed or partially open
 * writer, old data lacks it (or carries a value the writer's undeclared-property schema accepted),
 * so only its required-ness and that coverage matter (Confluent only looks at the original's
 * content model here).
 */
function propertyAdded(w: Walk, key: string, original: SchemaObject, update: SchemaObject, at: string, out: SchemaDifference[]): void {
  const added = entriesAt(update, 'properties')[key];
  const required = stringsAt(update, 'required').includes(key);
  if (isOpenContentModel(original)) {
    if (!acceptsAnything(asSchema(added))) {
      emit(out, 'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', at, `Property "${key}" was added, but the old schema had an open content model, so old data may already hold "${key}" with a value the new schema rejects.`);
    } else if (required && !hasDefault(added)) {
      // Confluent 7.x stops at PROPERTY_WITH_EMPTY_SCHEMA_ADDED here, but old data may lack the property.
      emit(out, 'REQUIRED_ATTRIBUTE_ADDED', at, `Property "${key}" was added as required without a default, so old data without it would be rejected.`);
    } else {
      emit(out, 'PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL', at, `Property "${key}" was added with a schema that accepts any value, so whatever old data holds under that name still matches.`);
    }
    return;
  }
  const cover = schemaOfUndeclared(original, key);
  if (cover !== false) {
    const differences = w.trial(cover, added, at);
    out.push(...differences);
    if (allCompatible(differences)) {
      emit(out, 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', at, `Property "${key}" was added, and it accepts every value the old schema allowed for it as an undeclared property.`);
    } else {
      emit(out, 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', at, `Property "${key}" was added with a schema narrower than the old schema for undeclared properties, so old data holding "${key}" could be rejected.`);
    }
  }
  if (!required) {
    emit(out, 'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', at, `Optional property "${key}" was added; the old schema did not accept it freely, so old data can only lack it or hold a value it accepts.`);
  } else if (hasDefault(added)) {
    emit(out, 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL', at, `Required property "${key}" was added with a default, which fills it in for old data that lacks it.`);
  } else {
    emit(out, 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', at, `Required property "${key}" was added without a default, so old data, which lacks it, would be rejected.`);
  }
}

/**
 * `dependencies` (draft 7) and `dependentRequired` / `dependentSchemas` (2019-09): more required
 * companions or a new dependent schema can reject old data; fewer cannot.
 */
function compareDependencies(w: Walk, original: SchemaObject, update: SchemaObject, path: string, out: SchemaDifference[]): void {
  for (const keyword of ['dependencies', 'dependentRequired', 'dependentSchemas']) {
    const before = entriesAt(original, keyword);
    const after = entriesAt(update, keyword);
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const at = child(path, keyword, key);
      const [o, u] = [before[key], after[key]];
      compareDependencyArray(key, Array.isArray(o) ? o : undefined, Array.isArray(u) ? u : undefined, at, out);
      const [oSchema, uSchema] = [o, u].map((d) => (Array.isArray(d) || d === undefined ? undefined : d));
      if (uSchema === undefined && oSchema !== undefined) {
        emit(out, 'DEPENDENCY_SCHEMA_REMOVED', at, `The schema that applied when "${key}" is present was removed.`);
      } else if (oSchema === undefined && uSchema !== undefined) {
        emit(out, 'DEPENDENCY_SCHEMA_ADDED', at, `A schema now applies when "${key}" is present, so old data with "${key}" that does not match it would be rejected.`);
      } else if (oSchema !== undefined) {
        w.compare(oSchema, uSchema, at, out);
      }
    }
  }
}

function compareDependencyArray(key: string, before: readonly unknown[] | undefined, after: readonly unknown[] | undefined, at: string, out: SchemaDifference[]): void {
  if (before === undefined && after === undefined) return;
  if (after === undefined) {
    emit(out, 'DEPENDENCY_ARRAY_REMOVED', at, `Property "${key}" no longer requires other properties to be present.`);
    return;
  }
  const list = (values: readonly unknown[]) => `[${values.join(',')}]`;
  if (before === undefined) {
    emit(out, 'DEPENDENCY_ARRAY_ADDED', at, `Property "${key}" now requires ${list(after)} to be present, so old data with "${key}" but without them would be rejected.`);
    return;
  }
  const gained = after.filter((name) => !before.includes(name));
  const lost = before.filter((name) => !after.includes(name));
  if (gained.length === 0 && lost.length > 0) {
    emit(out, 'DEPENDENCY_ARRAY_NARROWED', at, `Property "${key}" no longer requires ${list(lost)} to be present.`);
  } else if (gained.length > 0) {
    const type = lost.length === 0 ? 'DEPENDENCY_ARRAY_EXTENDED' : 'DEPENDENCY_ARRAY_CHANGED';
    emit(out, type, at, `Property "${key}" now also requires ${list(gained)} to be present, so old data with "${key}" but without them would be rejected.`);
  }
}

/**
 * Closing the model or giving undeclared properties a schema can reject old data; opening it
 * cannot. Both schemas present: compared like any subschema.
 */
function compareAdditionalProperties(w: Walk, original: SchemaObject, update: SchemaObject, path: string, out: SchemaDifference[]): void {
  const before = additionalProperties(original);
  const after = additionalProperties(update);
  const at = child(path, 'additionalProperties');
  if (before === after) return;
  if (before === false) {
    emit(out, 'ADDITIONAL_PROPERTIES_ADDED', at, `${theSchemaAt(path)} now accepts undeclared properties, where it was closed.`);
  } else if (after === false) {
    emit(out, 'ADDITIONAL_PROPERTIES_REMOVED', at, `${theSchemaAt(path)} no longer accepts undeclared properties (additionalProperties: false), so old data with any would be rejected.`);
  } else if (before === true) {
    emit(out, 'ADDITIONAL_PROPERTIES_NARROWED', at, `${theSchemaAt(path)} now validates undeclared properties against a schema, so old data with undeclared properties that do not match it would be rejected.`);
  } else if (after === true) {
    emit(out, 'ADDITIONAL_PROPERTIES_EXTENDED', at, `${theSchemaAt(path)} now accepts undeclared properties with any value.`);
  } else {
    w.compare(before, after, at, out);
  }
}
