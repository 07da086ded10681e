/**
 * The vocabulary of the JSON Schema diff: Confluent Schema Registry's difference types
 * (`json-schema-provider/.../json/diff/Difference.java`) and the set of them it treats as
 * compatible (`SchemaDiff.COMPATIBLE_CHANGES`). Only the types this module emits are listed.
 */

export interface SchemaDifference {
  /** Confluent's difference type, e.g. 'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', 'TYPE_EXTENDED'. */
  readonly type: string;
  /** JSON Pointer-like path into the schema where it happens, e.g. '#/properties/speed'. */
  readonly path: string;
  /** True if this change keeps a reader using the NEW schema able to read data written with the OLD one. */
  readonly compatible: boolean;
  /** One human sentence: what changed and, if incompatible, why old data could now be rejected. */
  readonly message: string;
}

/** Keywords that bound a size or a value; each has ADDED / REMOVED / INCREASED / DECREASED types. */
export type BoundPrefix =
  | 'MAX_LENGTH'
  | 'MIN_LENGTH'
  | 'MAXIMUM'
  | 'MINIMUM'
  | 'EXCLUSIVE_MAXIMUM'
  | 'EXCLUSIVE_MINIMUM'
  | 'MAX_PROPERTIES'
  | 'MIN_PROPERTIES'
  | 'MAX_ITEMS'
  | 'MIN_ITEMS';

export type DifferenceType =
  | `${BoundPrefix}_${'ADDED' | 'REMOVED' | 'INCREASED' | 'DECREASED'}`
  // Any schema
  | 'ID_CHANGED'
  | 'DESCRIPTION_CHANGED'
  | 'TITLE_CHANGED'
  | 'DEFAULT_CHANGED'
  | 'SCHEMA_ADDED'
  | 'SCHEMA_REMOVED'
  | 'TYPE_EXTENDED'
  | 'TYPE_NARROWED'
  | 'TYPE_CHANGED'
  // Strings and numbers
  | 'PATTERN_ADDED'
  | 'PATTERN_REMOVED'
  | 'PATTERN_CHANGED'
  | 'MULTIPLE_OF_ADDED'
  | 'MULTIPLE_OF_REMOVED'
  | 'MULTIPLE_OF_EXPANDED'
  | 'MULTIPLE_OF_REDUCED'
  | 'MULTIPLE_OF_CHANGED'
  // Objects
  | 'REQUIRED_ATTRIBUTE_ADDED'
  | 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED'
  | 'REQUIRED_ATTRIBUTE_REMOVED'
  | 'ADDITIONAL_PROPERTIES_ADDED'
  | 'ADDITIONAL_PROPERTIES_REMOVED'
  | 'ADDITIONAL_PROPERTIES_EXTENDED'
  | 'ADDITIONAL_PROPERTIES_NARROWED'
  | 'DEPENDENCY_ARRAY_ADDED'
  | 'DEPENDENCY_ARRAY_REMOVED'
  | 'DEPENDENCY_ARRAY_EXTENDED'
  | 'DEPENDENCY_ARRAY_NARROWED'
  | 'DEPENDENCY_ARRAY_CHANGED'
  | 'DEPENDENCY_SCHEMA_ADDED'
  | 'DEPENDENCY_SCHEMA_REMOVED'
  | 'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL'
  | 'PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL'
  | 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL'
  | 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL'
  | 'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL'
  | 'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL'
  | 'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL'
  | 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL'
  | 'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
  | 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
  | 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
  | 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
  // Arrays
  | 'UNIQUE_ITEMS_ADDED'
  | 'UNIQUE_ITEMS_REMOVED'
  | 'ADDITIONAL_ITEMS_ADDED'
  | 'ADDITIONAL_ITEMS_REMOVED'
  | 'ADDITIONAL_ITEMS_EXTENDED'
  | 'ADDITIONAL_ITEMS_NARROWED'
  | 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL'
  | 'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL'
  | 'ITEM_ADDED_TO_CLOSED_CONTENT_MODEL'
  | 'ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL'
  | 'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL'
  | 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL'
  | 'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
  | 'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
  | 'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
  | 'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
  // Enums and const
  | 'ENUM_ARRAY_EXTENDED'
  | 'ENUM_ARRAY_NARROWED'
  | 'ENUM_ARRAY_CHANGED'
  // allOf / anyOf / oneOf / not
  | 'COMBINED_TYPE_EXTENDED'
  | 'COMBINED_TYPE_CHANGED'
  | 'PRODUCT_TYPE_EXTENDED'
  | 'PRODUCT_TYPE_NARROWED'
  | 'SUM_TYPE_EXTENDED'
  | 'SUM_TYPE_NARROWED'
  | 'COMBINED_TYPE_SUBSCHEMAS_CHANGED'
  | 'NOT_TYPE_EXTENDED'
  | 'NOT_TYPE_NARROWED';

/**
 * Confluent's `SchemaDiff.COMPATIBLE_CHANGES`: a change is compatible when every document the old
 * (writer's) schema accepts is still accepted by the new (reader's) one. Everything else is not.
 */
const COMPATIBLE_CHANGES: ReadonlySet<DifferenceType> = new Set<DifferenceType>([
  'ID_CHANGED',
  'DESCRIPTION_CHANGED',
  'TITLE_CHANGED',
  'DEFAULT_CHANGED',
  'SCHEMA_REMOVED',
  'TYPE_EXTENDED',

  'MAX_LENGTH_INCREASED',
  'MAX_LENGTH_REMOVED',
  'MIN_LENGTH_DECREASED',
  'MIN_LENGTH_REMOVED',
  'PATTERN_REMOVED',

  'MAXIMUM_INCREASED',
  'MAXIMUM_REMOVED',
  'MINIMUM_DECREASED',
  'MINIMUM_REMOVED',
  'EXCLUSIVE_MAXIMUM_INCREASED',
  'EXCLUSIVE_MAXIMUM_REMOVED',
  'EXCLUSIVE_MINIMUM_DECREASED',
  'EXCLUSIVE_MINIMUM_REMOVED',
  'MULTIPLE_OF_REDUCED',
  'MULTIPLE_OF_REMOVED',

  'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED',
  'REQUIRED_ATTRIBUTE_REMOVED',
  'DEPENDENCY_ARRAY_NARROWED',
  'DEPENDENCY_ARRAY_REMOVED',
  'DEPENDENCY_SCHEMA_REMOVED',
  'MAX_PROPERTIES_INCREASED',
  'MAX_PROPERTIES_REMOVED',
  'MIN_PROPERTIES_DECREASED',
  'MIN_PROPERTIES_REMOVED',
  'ADDITIONAL_PROPERTIES_ADDED',
  'ADDITIONAL_PROPERTIES_EXTENDED',
  'PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL',
  'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL',
  'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
  'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL',
  'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL',
  'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',

  'MAX_ITEMS_INCREASED',
  'MAX_ITEMS_REMOVED',
  'MIN_ITEMS_DECREASED',
  'MIN_ITEMS_REMOVED',
  'UNIQUE_ITEMS_REMOVED',
  'ADDITIONAL_ITEMS_ADDED',
  'ADDITIONAL_ITEMS_EXTENDED',
  'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL',
  'ITEM_ADDED_TO_CLOSED_CONTENT_MODEL',
  'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL',
  'ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL',
  'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',

  'ENUM_ARRAY_EXTENDED',

  'COMBINED_TYPE_EXTENDED',
  'PRODUCT_TYPE_NARROWED',
  'SUM_TYPE_EXTENDED',
  'NOT_TYPE_NARROWED',
]);

/** Records one difference; whether it is compatible comes from Confluent's set, never from the caller. */
export function emit(out: SchemaDifference[], type: DifferenceType, path: string, message: string): void {
  out.push({ type, path, compatible: COMPATIBLE_CHANGES.has(type), message });
}

export function allCompatible(differences: readonly SchemaDifference[]): boolean {
  return differences.every((difference) => difference.compatible);
}

/**
 * One comparison of an original (writer) schema with an update (reader) schema. The schema
 * families receive it to recurse into subschemas, so they need not import the dispatcher.
 */
export interface Walk {
  /** Compares two subschemas at `path`, appending their differences to `out`. */
  compare(original: unknown, update: unknown, path: string, out: SchemaDifference[]): void;
  /** Compares two subschemas on the side, to ask whether they are compatible before reporting. */
  trial(original: unknown, update: unknown, path: string): SchemaDifference[];
  /** The same comparison with writer and reader swapped (for `not`, which inverts the direction). */
  reversed(): Walk;
}
