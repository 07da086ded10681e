/**
 * FIWARE entities travel in three shapes: key-values (`"speed": 52.6`), NGSI-v2 normalized
 * (`"speed": { "type": "Number", "value": 52.6 }`) and NGSI-LD normalized
 * (`"speed": { "type": "Property", "value": 52.6 }`, relationships with `object`, typed
 * literals as `{ "@type": "DateTime", "@value": "..." }`). Polis contracts use key-values; this
 * converts the normalized shapes, so both can be ingested and validated against one schema.
 */
export type FiwareEntity = Readonly<Record<string, unknown>> & { readonly id: string; readonly type: string };

const ENTITY_KEYS = new Set(['id', 'type', '@context']);

/** Returns the key-values form of an entity in any of the three shapes (`@context` dropped). */
export function toKeyValues(entity: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entity)) {
    if (key === '@context') continue;
    result[key] = ENTITY_KEYS.has(key) ? value : isAttribute(value) ? attributeValue(value) : value;
  }
  return result;
}

function isAttribute(value: unknown): value is { type: string; value?: unknown; object?: unknown } {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as { type?: unknown }).type === 'string' &&
    ('value' in value || 'object' in value)
  );
}

function attributeValue(attribute: { value?: unknown; object?: unknown }): unknown {
  const raw = 'object' in attribute ? attribute.object : attribute.value;
  if (raw !== null && typeof raw === 'object' && '@value' in raw) return (raw as { '@value': unknown })['@value'];
  return raw;
}
