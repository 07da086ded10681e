/**
 * Reading raw JSON Schema the way Confluent's diff sees it. Confluent compares schemas after the
 * Everit library has loaded them into classes (StringSchema, ObjectSchema, CombinedSchema, ...);
 * here `kindOf` plays the role of that class and `combinedView` the role of CombinedSchema.
 */

export type SchemaObject = Readonly<Record<string, unknown>>;
/** A JSON Schema node: an object, or the boolean schemas `true` (anything) and `false` (nothing). */
export type Schema = boolean | SchemaObject;

export function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value that is not a schema (e.g. a malformed keyword) constrains nothing. */
export function asSchema(value: unknown): Schema {
  return typeof value === 'boolean' || isSchemaObject(value) ? value : true;
}

/** Appends JSON Pointer segments to a path, escaping `~` and `/` as RFC 6901 requires. */
export function child(path: string, ...segments: readonly (string | number)[]): string {
  return [path, ...segments.map((s) => String(s).replaceAll('~', '~0').replaceAll('/', '~1'))].join('/');
}

/** How a path reads inside a sentence. */
export function where(path: string): string {
  return path === '#' ? 'the root schema' : path;
}

/** How a path reads as the subject of a sentence. */
export function theSchemaAt(path: string): string {
  return path === '#' ? 'The root schema' : `The schema at ${path}`;
}

/** JSON with sorted keys, so that equal values compare equal whatever their key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isSchemaObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
  );
}

export function numberAt(schema: SchemaObject, keyword: string): number | undefined {
  const value = schema[keyword];
  return typeof value === 'number' ? value : undefined;
}

export function stringsAt(schema: SchemaObject, keyword: string): string[] {
  const value = schema[keyword];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A subschema keyword (`items`, `additionalProperties`, ...), or undefined when absent or malformed. */
export function subschemaAt(schema: SchemaObject, keyword: string): Schema | undefined {
  const value = schema[keyword];
  return typeof value === 'boolean' || isSchemaObject(value) ? value : undefined;
}

/** Keywords grouped by the instance type they apply to, as Everit infers a type when `type` is absent. */
const FAMILY_KEYWORDS = {
  object: ['properties', 'required', 'additionalProperties', 'patternProperties', 'minProperties', 'maxProperties',
    'dependencies', 'dependentRequired', 'dependentSchemas', 'propertyNames', 'unevaluatedProperties'],
  array: ['items', 'prefixItems', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems', 'contains',
    'minContains', 'maxContains', 'unevaluatedItems'],
  string: ['minLength', 'maxLength', 'pattern'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
} as const;

const COMBINATORS = ['allOf', 'anyOf', 'oneOf'] as const;
type Criterion = (typeof COMBINATORS)[number];

/**
 * Keywords that restrict which documents are valid. Everything else (title, description, default,
 * examples, $comment, $id, $defs, format, deprecated, ...) is an annotation.
 */
const CONSTRAINING_KEYWORDS: ReadonlySet<string> = new Set([
  ...Object.values(FAMILY_KEYWORDS).flat(),
  ...COMBINATORS,
  'type', 'enum', 'const', 'not', '$ref', 'if', 'then', 'else',
]);

/** `true`, `{}`, or a schema of annotations only: Everit's EmptySchema / TrueSchema. */
export function acceptsAnything(schema: Schema): boolean {
  return schema === true || (isSchemaObject(schema) && !Object.keys(schema).some((k) => CONSTRAINING_KEYWORDS.has(k)));
}

export function typeList(schema: SchemaObject): string[] {
  const type = schema.type;
  return [...new Set(typeof type === 'string' ? [type] : stringsAt(schema, 'type'))];
}

/** The `enum` values, or the `const` value as a one-value enum; undefined when neither is set. */
export function allowedValues(schema: SchemaObject): readonly unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  return 'const' in schema ? [schema.const] : undefined;
}

export interface Member {
  readonly schema: Schema;
  readonly path: string;
}

/** A schema seen as allOf / anyOf / oneOf of members, like Everit's CombinedSchema. */
export interface CombinedView {
  readonly criterion: Criterion;
  readonly members: readonly Member[];
  /** How messages call it: the criterion, or 'type union string | null' for a `type` array. */
  readonly name: string;
}

/**
 * Everit loads `type: [a, b]` as an anyOf with one member per type (each keeping the sibling
 * keywords), and a combinator with sibling keywords as a synthetic allOf of the siblings and the
 * combinator. Those members keep the node's own path, since they are not written in the schema.
 */
export function combinedView(schema: Schema, path: string): CombinedView | undefined {
  if (!isSchemaObject(schema)) return undefined;
  const combinators = COMBINATORS.filter((c) => Array.isArray(schema[c]));
  const rest = Object.fromEntries(Object.entries(schema).filter(([k]) => !(COMBINATORS as readonly string[]).includes(k)));
  const [only] = combinators;
  if (only !== undefined && combinators.length === 1 && acceptsAnything(rest)) {
    const members = schema[only] as readonly unknown[];
    return { criterion: only, name: only, members: members.map((m, i) => ({ schema: asSchema(m), path: child(path, only, i) })) };
  }
  if (combinators.length > 0) {
    const siblings = acceptsAnything(rest) ? [] : [{ schema: rest, path }];
    return { criterion: 'allOf', name: 'allOf', members: [...siblings, ...combinators.map((c) => ({ schema: { [c]: schema[c] }, path }))] };
  }
  const types = typeList(schema);
  if (types.length < 2) return undefined;
  return { criterion: 'anyOf', name: `type union ${types.join(' | ')}`, members: types.map((type) => ({ schema: { ...schema, type }, path })) };
}

/**
 * What Everit's schema class would be. Confluent reports TYPE_CHANGED whenever the classes differ;
 * integer and number are both NumberSchema (the difference is TYPE_EXTENDED / TYPE_NARROWED).
 */
export function kindOf(schema: Schema): string {
  if (schema === false) return 'false';
  if (acceptsAnything(schema) || !isSchemaObject(schema)) return 'empty';
  if (combinedView(schema, '#')) return 'combined';
  // A $ref left unresolved points outside this document: its URI is all there is to compare.
  if (typeof schema.$ref === 'string') return `$ref ${schema.$ref}`;
  const [type] = typeList(schema);
  if (type !== undefined) return type === 'integer' ? 'number' : type;
  const family = Object.entries(FAMILY_KEYWORDS).find(([, keywords]) => keywords.some((k) => k in schema));
  if (family) return family[0];
  if (allowedValues(schema)) return 'enum';
  if ('not' in schema) return 'not';
  return 'conditional';
}

/** A short description of what a schema accepts, for messages. */
export function labelOf(schema: Schema): string {
  if (schema === false) return 'nothing';
  if (!isSchemaObject(schema) || acceptsAnything(schema)) return 'anything';
  const types = typeList(schema);
  if (types.length > 0 && !COMBINATORS.some((c) => c in schema)) return types.join(' | ');
  const view = combinedView(schema, '#');
  if (view) return `${view.criterion} of ${view.members.length} schemas`;
  const values = allowedValues(schema);
  return values ? `one of ${canonical(values)}` : kindOf(schema);
}

/**
 * Follows `$ref` inside the schema's own document: JSON Pointers (`#/$defs/X`, `#/definitions/X`)
 * and the `$id` or `$anchor` of `$defs` / `definitions` entries (TypeBox's `Type.Ref` uses `$id`).
 * A ref that cannot be resolved is returned as is; a cycle of refs that never reaches a schema
 * constrains nothing.
 */
export function resolve(root: Schema, schema: unknown): Schema {
  let node = asSchema(schema);
  const followed = new Set<string>();
  while (isSchemaObject(node) && typeof node.$ref === 'string') {
    if (followed.has(node.$ref)) return true;
    followed.add(node.$ref);
    const target = lookup(root, node.$ref);
    if (target === undefined) return node;
    node = target;
  }
  return node;
}

function lookup(root: Schema, ref: string): Schema | undefined {
  if (!isSchemaObject(root)) return undefined;
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) {
    const definitions = [root.$defs, root.definitions].filter(isSchemaObject).flatMap((defs) => Object.values(defs));
    return definitions.filter(isSchemaObject).find((d) => d.$id === ref || `#${String(d.$anchor)}` === ref);
  }
  let node: unknown = root;
  for (const segment of ref.slice(2).split('/')) {
    const key = unescapePointer(segment);
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'boolean' || isSchemaObject(node) ? node : undefined;
}

/** A JSON Pointer segment in a URI fragment: percent-encoded, then `~1` for `/` and `~0` for `~`. */
function unescapePointer(segment: string): string {
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // Not valid percent-encoding: read it literally.
  }
  return decoded.replaceAll('~1', '/').replaceAll('~0', '~');
}
