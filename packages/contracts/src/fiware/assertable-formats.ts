import type { JsonSchema } from '@polis/plugin-api';

/**
 * RFC 6531 internationalized mailboxes (`idn-email`): one `@` between a local part and a domain,
 * no white space; both may be Unicode, which `email` forbids.
 */
const IDN_EMAIL_PATTERN = '^[^\\s@]+@[^\\s@]+$';

/**
 * Smart Data Models use `format: idn-email` (common-schema's contactPoint), which ajv-formats
 * does not implement: ajv warns on every compile and checks nothing. Written as the equivalent
 * pattern, every validator (the bus's and a plugin's) checks it, and none warns.
 */
export function withAssertableFormats(schema: JsonSchema): JsonSchema {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) copy[key] = visit(value);
    if (copy.format === 'idn-email' && copy.pattern === undefined) {
      delete copy.format;
      copy.pattern = IDN_EMAIL_PATTERN;
    }
    return copy;
  };
  return visit(schema) as JsonSchema;
}
