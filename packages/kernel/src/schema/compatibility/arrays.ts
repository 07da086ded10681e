/**
 * Arrays: Confluent's ArraySchemaDiff. A list (`items: schema`) compares its item schema; a tuple
 * (`prefixItems`, or draft 7's `items: [...]`) compares position by position, where the items
 * after the tuple follow a content model like an object's properties do: open (any further item),
 * closed (`additionalItems: false`) or partially open (further items must match a schema).
 */
import { allCompatible, emit, type SchemaDifference, type Walk } from './differences.js';
import { acceptsAnything, asSchema, child, subschemaAt, where, type Schema, type SchemaObject } from './schema-view.js';
import { compareBound } from './scalars.js';

interface ArrayView {
  /** The schema of every item, for a list. */
  readonly items: Schema | undefined;
  /** The schemas of the leading items, for a tuple, and the keyword holding them. */
  readonly tuple: readonly unknown[];
  readonly tupleKeyword: 'prefixItems' | 'items';
  /** What items after the tuple must match: `true` (anything), `false` (none allowed) or a schema. */
  readonly additional: Schema;
  readonly additionalKeyword: 'items' | 'additionalItems';
}

function arrayView(schema: SchemaObject): ArrayView {
  const anythingAsTrue = (s: Schema | undefined): Schema => (s === undefined || acceptsAnything(s) ? true : s);
  if (Array.isArray(schema.prefixItems)) {
    return { items: undefined, tuple: schema.prefixItems, tupleKeyword: 'prefixItems', additional: anythingAsTrue(subschemaAt(schema, 'items')), additionalKeyword: 'items' };
  }
  if (Array.isArray(schema.items)) {
    return { items: undefined, tuple: schema.items, tupleKeyword: 'items', additional: anythingAsTrue(subschemaAt(schema, 'additionalItems')), additionalKeyword: 'additionalItems' };
  }
  // Without a tuple, JSON Schema ignores additionalItems.
  return { items: subschemaAt(schema, 'items'), tuple: [], tupleKeyword: 'items', additional: true, additionalKeyword: 'additionalItems' };
}

export function compareArrays(w: Walk, original: SchemaObject, update: SchemaObject, path: string, out: SchemaDifference[]): void {
  const before = arrayView(original);
  const after = arrayView(update);
  compareItems(w, before, after, path, out);
  compareTuple(w, before, after, path, out);
  compareAdditionalItems(w, before, after, path, out);
  compareBound('maxItems', original, update, path, out);
  compareBound('minItems', original, update, path, out);
  const [wasUnique, isUnique] = [original.uniqueItems === true, update.uniqueItems === true];
  if (wasUnique && !isUnique) {
    emit(out, 'UNIQUE_ITEMS_REMOVED', child(path, 'uniqueItems'), `The array at ${where(path)} no longer requires unique items.`);
  } else if (!wasUnique && isUnique) {
    emit(out, 'UNIQUE_ITEMS_ADDED', child(path, 'uniqueItems'), `The array at ${where(path)} now requires unique items, so old data with duplicate items would be rejected.`);
  }
}

/** A list's item schema is compared recursively; gaining one is SCHEMA_ADDED, losing one SCHEMA_REMOVED. */
function compareItems(w: Walk, before: ArrayView, after: ArrayView, path: string, out: SchemaDifference[]): void {
  const at = child(path, 'items');
  if (before.items !== undefined && after.items !== undefined) {
    w.compare(before.items, after.items, at, out);
  } else if (before.items !== undefined) {
    emit(out, 'SCHEMA_REMOVED', at, `The items schema of ${where(path)} was removed, so it no longer constrains the items.`);
  } else if (after.items !== undefined && !acceptsAnything(after.items)) {
    emit(out, 'SCHEMA_ADDED', at, `An items schema was added to ${where(path)}, so old data with items that do not match it would be rejected.`);
  }
}

function compareTuple(w: Walk, before: ArrayView, after: ArrayView, path: string, out: SchemaDifference[]): void {
  const shared = Math.min(before.tuple.length, after.tuple.length);
  for (let i = 0; i < shared; i++) w.compare(before.tuple[i], after.tuple[i], child(path, after.tupleKeyword, i), out);
  for (let i = shared; i < before.tuple.length; i++) itemRemoved(w, before.tuple[i], after, child(path, before.tupleKeyword, i), out);
  for (let i = shared; i < after.tuple.length; i++) itemAdded(w, before, after.tuple[i], child(path, after.tupleKeyword, i), out);
}

/** A position the reader's tuple no longer declares must still be accepted as an additional item. */
function itemRemoved(w: Walk, removed: unknown, after: ArrayView, at: string, out: SchemaDifference[]): void {
  if (after.additional === true) {
    emit(out, 'ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL', at, `Tuple item ${at} was removed, and the new schema still accepts any item there.`);
  } else if (after.additional !== false) {
    const differences = w.trial(removed, after.additional, at);
    out.push(...differences);
    if (allCompatible(differences)) {
      emit(out, 'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', at, `Tuple item ${at} was removed, and its old values still match the schema for additional items.`);
    } else {
      emit(out, 'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', at, `Tuple item ${at} was removed, and the schema for additional items does not accept all its old values, so old data would be rejected.`);
    }
  } else if (removed === false) {
    emit(out, 'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL', at, `Tuple item ${at}, which allowed no value, was removed from the closed tuple.`);
  } else {
    emit(out, 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL', at, `Tuple item ${at} was removed from a closed tuple (no additional items), so old data with that item would be rejected.`);
  }
}

/** A position the writer's tuple did not declare: old data had any item there if the writer was open. */
function itemAdded(w: Walk, before: ArrayView, added: unknown, at: string, out: SchemaDifference[]): void {
  if (before.additional === true) {
    if (acceptsAnything(asSchema(added))) {
      emit(out, 'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL', at, `Tuple item ${at} was added with a schema that accepts any value.`);
    } else {
      emit(out, 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL', at, `Tuple item ${at} was added, but the old schema accepted any item there, so old data may hold a value the new schema rejects.`);
    }
  } else if (before.additional !== false) {
    const differences = w.trial(before.additional, added, at);
    out.push(...differences);
    if (allCompatible(differences)) {
      emit(out, 'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', at, `Tuple item ${at} was added, and it accepts every value the old schema allowed for additional items.`);
    } else {
      emit(out, 'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', at, `Tuple item ${at} was added with a schema narrower than the old schema for additional items, so old data could be rejected.`);
    }
  } else {
    emit(out, 'ITEM_ADDED_TO_CLOSED_CONTENT_MODEL', at, `Tuple item ${at} was added; the old tuple was closed, so old data never has that item.`);
  }
}

/** Like additionalProperties: forbidding or constraining further items can reject old data. */
function compareAdditionalItems(w: Walk, before: ArrayView, after: ArrayView, path: string, out: SchemaDifference[]): void {
  const at = child(path, after.additionalKeyword);
  if (before.additional === after.additional) return;
  if (before.additional === false) {
    emit(out, 'ADDITIONAL_ITEMS_ADDED', at, `The array at ${where(path)} now accepts items after its tuple, where it was closed.`);
  } else if (after.additional === false) {
    emit(out, 'ADDITIONAL_ITEMS_REMOVED', at, `The array at ${where(path)} no longer accepts items after its tuple, so old data with more items would be rejected.`);
  } else if (before.additional === true) {
    emit(out, 'ADDITIONAL_ITEMS_NARROWED', at, `The array at ${where(path)} now validates items after its tuple against a schema, so old data with items that do not match it would be rejected.`);
  } else if (after.additional === true) {
    emit(out, 'ADDITIONAL_ITEMS_EXTENDED', at, `The array at ${where(path)} now accepts any item after its tuple.`);
  } else {
    w.compare(before.additional, after.additional, at, out);
  }
}
