/**
 * FIWARE entities travel in several shapes: key-values (`"speed": 52.6`), NGSI-v2 normalized
 * (`"speed": { "type": "Number", "value": 52.6 }`), NGSI-LD normalized
 * (`"speed": { "type": "Property", "value": 52.6 }`, relationships with `object`, typed
 * literals as `{ "@type": "DateTime", "@value": "..." }`) and NGSI-LD concise (the same without
 * `type`: `"speed": { "value": 52.6, "unitCode": "KMH" }` or just `"speed": 52.6`). NGSI-LD adds
 * multi-attributes (an array of instances told apart by `datasetId`) and LanguageProperty
 * (`{ "type": "LanguageProperty", "languageMap": { "en": ..., "zh": ... } }`). Polis contracts use
 * key-values; this converts the other shapes, so all of them can be ingested and validated
 * against one schema.
 */
export type FiwareEntity = Readonly<Record<string, unknown>> & { readonly id: string; readonly type: string };

/**
 * The shape an entity is in, when the sender says so (Orion-LD's `Ngsild-Attribute-Format`
 * header: `Normalized`, `Concise`, `Simplified`); `auto` tells the shapes apart attribute by
 * attribute, which is safe for normalized and key-values entities and for concise attributes
 * that carry nothing but NGSI-LD's own members.
 */
export type EntityFormat = 'auto' | 'normalized' | 'concise' | 'simplified';

export interface KeyValuesOptions {
  readonly format?: EntityFormat;
  /** For a multi-attribute: the instance with this `datasetId` (default: the one without a datasetId, else the first). */
  readonly datasetId?: string;
  /** For a LanguageProperty: this language (default: `@none`, then `en`, then the first one). */
  readonly language?: string;
}

const ENTITY_KEYS = new Set(['id', 'type', '@context', 'scope']);
/** Where an attribute's value sits, by NGSI-LD attribute kind (Property, Relationship, ...). */
const VALUE_MEMBERS = ['value', 'object', 'languageMap', 'json', 'vocab', 'valueList', 'objectList'] as const;
/** Members NGSI-LD defines on every attribute, which say nothing about its value. */
const META_MEMBERS = new Set(['type', 'datasetId', 'observedAt', 'unitCode', 'createdAt', 'modifiedAt', 'instanceId', 'lang', 'objectType', 'deletedAt']);
const ATTRIBUTE_TYPES = new Set(['Property', 'Relationship', 'GeoProperty', 'LanguageProperty', 'JsonProperty', 'VocabProperty', 'ListProperty', 'ListRelationship']);

/** Returns the key-values form of an entity in any of its shapes (`@context` dropped). */
export function toKeyValues(entity: Readonly<Record<string, unknown>>, options: KeyValuesOptions = {}): Record<string, unknown> {
  const format = options.format ?? 'auto';
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entity)) {
    if (key === '@context') continue;
    result[key] = ENTITY_KEYS.has(key) ? value : attributeToValue(value, format, options);
  }
  return result;
}

function attributeToValue(value: unknown, format: EntityFormat, options: KeyValuesOptions): unknown {
  if (format === 'simplified') return isLanguageMapOnly(value) ? pickLanguage(value.languageMap, options.language) : value;
  if (Array.isArray(value)) {
    return isMultiAttribute(value, format) ? attributeToValue(pickInstance(value, options.datasetId), format, options) : value;
  }
  if (!isAttribute(value, format)) return value;
  const attribute = value as Record<string, unknown>;
  if ('languageMap' in attribute && isLanguageMap(attribute.languageMap)) return pickLanguage(attribute.languageMap, options.language);
  const member = VALUE_MEMBERS.find((name) => name in attribute)!;
  const raw = attribute[member];
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && '@value' in raw) return (raw as { '@value': unknown })['@value'];
  return raw;
}

/** Whether `value` is one attribute (normalized or concise) rather than a plain key-values value. */
function isAttribute(value: unknown, format: EntityFormat): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  if (!VALUE_MEMBERS.some((name) => name in record)) return false;
  if (typeof record.type === 'string') return format === 'concise' ? ATTRIBUTE_TYPES.has(record.type) : true;
  // Concise: no type. Unless the sender said so, only an object of NGSI-LD members is taken for one.
  if (format === 'concise') return true;
  return Object.keys(record).every((key) => META_MEMBERS.has(key) || (VALUE_MEMBERS as readonly string[]).includes(key));
}

/** An array of attribute instances (NGSI-LD multi-attribute), as opposed to an array value. */
function isMultiAttribute(values: readonly unknown[], format: EntityFormat): boolean {
  if (values.length === 0 || !values.every((item) => isAttribute(item, format))) return false;
  return values.some((item) => typeof (item as { datasetId?: unknown }).datasetId === 'string') || values.every((item) => ATTRIBUTE_TYPES.has(String((item as { type?: unknown }).type)));
}

function pickInstance(instances: readonly unknown[], datasetId: string | undefined): unknown {
  const datasetOf = (item: unknown) => (item as { datasetId?: unknown }).datasetId;
  return (
    (datasetId === undefined ? undefined : instances.find((item) => datasetOf(item) === datasetId)) ?? instances.find((item) => datasetOf(item) === undefined) ?? instances[0]
  );
}

function isLanguageMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isLanguageMapOnly(value: unknown): value is { languageMap: Record<string, unknown> } {
  return isLanguageMap(value) && Object.keys(value).length === 1 && isLanguageMap((value as { languageMap?: unknown }).languageMap);
}

function pickLanguage(map: Record<string, unknown>, language: string | undefined): unknown {
  if (language !== undefined && language in map) return map[language];
  if ('@none' in map) return map['@none'];
  if ('en' in map) return map.en;
  return Object.values(map)[0];
}
