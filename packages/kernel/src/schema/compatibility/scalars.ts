/**
 * Strings, numbers, enums and the size bounds shared with objects and arrays: Confluent's
 * StringSchemaDiff, NumberSchemaDiff, EnumSchemaDiff and ConstSchemaDiff.
 */
import { emit, type BoundPrefix, type SchemaDifference } from './differences.js';
import { allowedValues, canonical, child, numberAt, typeList, where, type SchemaObject } from './schema-view.js';

interface Bound {
  readonly prefix: BoundPrefix;
  /** An upper bound may grow (or go) without rejecting old data; a lower bound may shrink. */
  readonly upper: boolean;
  /** The values a limit rejects, e.g. 'strings longer than 5 characters'. */
  readonly rejects: (limit: number) => string;
}

const BOUNDS = {
  maxLength: { prefix: 'MAX_LENGTH', upper: true, rejects: (n) => `strings longer than ${count(n, 'character')}` },
  minLength: { prefix: 'MIN_LENGTH', upper: false, rejects: (n) => `strings shorter than ${count(n, 'character')}` },
  maximum: { prefix: 'MAXIMUM', upper: true, rejects: (n) => `numbers above ${n}` },
  minimum: { prefix: 'MINIMUM', upper: false, rejects: (n) => `numbers below ${n}` },
  exclusiveMaximum: { prefix: 'EXCLUSIVE_MAXIMUM', upper: true, rejects: (n) => `numbers of ${n} or more` },
  exclusiveMinimum: { prefix: 'EXCLUSIVE_MINIMUM', upper: false, rejects: (n) => `numbers of ${n} or less` },
  maxProperties: { prefix: 'MAX_PROPERTIES', upper: true, rejects: (n) => `objects with more than ${count(n, 'property', 'properties')}` },
  minProperties: { prefix: 'MIN_PROPERTIES', upper: false, rejects: (n) => `objects with fewer than ${count(n, 'property', 'properties')}` },
  maxItems: { prefix: 'MAX_ITEMS', upper: true, rejects: (n) => `arrays with more than ${count(n, 'item')}` },
  minItems: { prefix: 'MIN_ITEMS', upper: false, rejects: (n) => `arrays with fewer than ${count(n, 'item')}` },
} as const satisfies Record<string, Bound>;

function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/**
 * The *_ADDED / *_REMOVED / *_INCREASED / *_DECREASED rule of every numeric keyword. Adding a bound
 * is incompatible, removing one is compatible, and moving one is compatible only when it loosens
 * (a maximum increased, a minimum decreased).
 */
export function compareBound(keyword: keyof typeof BOUNDS, original: SchemaObject, update: SchemaObject, path: string, out: SchemaDifference[]): void {
  const before = numberAt(original, keyword);
  const after = numberAt(update, keyword);
  if (before === after) return;
  const { prefix, upper, rejects }: Bound = BOUNDS[keyword];
  const at = child(path, keyword);
  const subject = `The ${keyword} of ${where(path)}`;
  if (after === undefined) {
    emit(out, `${prefix}_REMOVED`, at, `${subject} (${before}) was removed, so it no longer limits the data.`);
  } else if (before === undefined) {
    emit(out, `${prefix}_ADDED`, at, `${subject} was added as ${after}, so old ${rejects(after)} would be rejected.`);
  } else {
    const type = after > before ? 'INCREASED' : 'DECREASED';
    const change = `${subject} ${type.toLowerCase()} from ${before} to ${after}`;
    const loosened = upper === after > before;
    emit(out, `${prefix}_${type}`, at, loosened ? `${change}, which still allows all old data.` : `${change}, so old ${rejects(after)} would be rejected.`);
  }
}

/** StringSchemaDiff: length bounds, and any new or different `pattern` may reject old strings. */
export function compareStrings(original: SchemaObject, update: SchemaObject, path: string, out: SchemaDifference[]): void {
  compareBound('maxLength', original, update, path, out);
  compareBound('minLength', original, update, path, out);
  const before = typeof original.pattern === 'string' ? original.pattern : undefined;
  const after = typeof update.pattern === 'string' ? update.pattern : undefined;
  const at = child(path, 'pattern');
  if (before === after) return;
  if (after === undefined) {
    emit(out, 'PATTERN_REMOVED', at, `The pattern /${before}/ of ${where(path)} was removed, so strings are no longer restricted by it.`);
  } else if (before === undefined) {
    emit(out, 'PATTERN_ADDED', at, `The pattern /${after}/ was added to ${where(path)}, so old strings that do not match it would be rejected.`);
  } else {
    // Confluent does not try to decide whether one regular expression contains the other.
    emit(out, 'PATTERN_CHANGED', at, `The pattern of ${where(path)} changed from /${before}/ to /${after}/, so old strings that match only the old pattern would be rejected.`);
  }
}

/** NumberSchemaDiff: the four bounds, `multipleOf`, and integer <-> number. */
export function compareNumbers(original: SchemaObject, update: SchemaObject, path: string, out: SchemaDifference[]): void {
  for (const keyword of ['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum'] as const) {
    compareBound(keyword, original, update, path, out);
  }
  compareMultipleOf(original, update, path, out);
  const wasInteger = typeList(original).includes('integer');
  const isInteger = typeList(update).includes('integer');
  if (wasInteger && !isInteger) {
    emit(out, 'TYPE_EXTENDED', path, `The type of ${where(path)} widened from integer to number, which still accepts every integer.`);
  } else if (!wasInteger && isInteger) {
    emit(out, 'TYPE_NARROWED', path, `The type of ${where(path)} narrowed from number to integer, so old data with fractional numbers would be rejected.`);
  }
}

/**
 * A new multipleOf that divides the old one (6 -> 3) still accepts every old value: REDUCED.
 * One that is a multiple of the old one (3 -> 6) rejects some: EXPANDED. Otherwise CHANGED.
 */
function compareMultipleOf(original: SchemaObject, update: SchemaObject, path: string, out: SchemaDifference[]): void {
  const before = numberAt(original, 'multipleOf');
  const after = numberAt(update, 'multipleOf');
  const at = child(path, 'multipleOf');
  const subject = `The multipleOf of ${where(path)}`;
  if (before === after) return;
  if (after === undefined) {
    emit(out, 'MULTIPLE_OF_REMOVED', at, `${subject} (${before}) was removed, so it no longer limits the data.`);
  } else if (before === undefined) {
    emit(out, 'MULTIPLE_OF_ADDED', at, `${subject} was added as ${after}, so old numbers that are not multiples of ${after} would be rejected.`);
  } else if (isMultiple(before, after)) {
    emit(out, 'MULTIPLE_OF_REDUCED', at, `${subject} went from ${before} to ${after}, and every multiple of ${before} is a multiple of ${after}.`);
  } else {
    const type = isMultiple(after, before) ? 'MULTIPLE_OF_EXPANDED' : 'MULTIPLE_OF_CHANGED';
    emit(out, type, at, `${subject} went from ${before} to ${after}, so old multiples of ${before} that are not multiples of ${after} would be rejected.`);
  }
}

/** Whether `value` is an integer multiple of `factor`, tolerating binary floating point (0.3 / 0.1). */
function isMultiple(value: number, factor: number): boolean {
  const quotient = value / factor;
  return Math.abs(quotient - Math.round(quotient)) < 1e-9 * Math.max(1, Math.abs(quotient));
}

/**
 * EnumSchemaDiff / ConstSchemaDiff, with `const` read as a one-value enum so that `const` <-> `enum`
 * compare by their values. More values is compatible; losing any value rejects old data.
 */
export function compareEnums(original: SchemaObject, update: SchemaObject, path: string, out: SchemaDifference[]): void {
  const before = allowedValues(original);
  const after = allowedValues(update);
  if (before === undefined && after === undefined) return;
  const at = child(path, 'enum' in update || after === undefined ? 'enum' : 'const');
  if (after === undefined) {
    emit(out, 'ENUM_ARRAY_EXTENDED', at, `The values of ${where(path)} are no longer restricted to ${canonical(before)}.`);
    return;
  }
  if (before === undefined) {
    emit(out, 'ENUM_ARRAY_NARROWED', at, `The values of ${where(path)} are now restricted to ${canonical(after)}, so old data with any other value would be rejected.`);
    return;
  }
  const afterKeys = new Set(after.map(canonical));
  const beforeKeys = new Set(before.map(canonical));
  const lost = [...beforeKeys].filter((value) => !afterKeys.has(value));
  const gained = [...afterKeys].filter((value) => !beforeKeys.has(value));
  const values = (list: readonly string[]) => `[${list.join(',')}]`;
  if (lost.length === 0 && gained.length > 0) {
    emit(out, 'ENUM_ARRAY_EXTENDED', at, `The allowed values of ${where(path)} gained ${values(gained)}, and every old value is still allowed.`);
  } else if (lost.length > 0) {
    const type = gained.length === 0 ? 'ENUM_ARRAY_NARROWED' : 'ENUM_ARRAY_CHANGED';
    emit(out, type, at, `The allowed values of ${where(path)} no longer include ${values(lost)}, so old data with those values would be rejected.`);
  }
}
