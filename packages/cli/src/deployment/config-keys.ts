import type { JsonSchema } from '@polis/plugin-api';

/** A configuration key no schema property describes: probably a typo, silently ignored otherwise. */
export interface UnknownKey {
  /** Path of the key inside the plugin's config. */
  readonly path: readonly (string | number)[];
  readonly key: string;
  /** The known key it is closest to, when one is close. */
  readonly suggestion?: string;
}

/**
 * Keys of `config` that its schema does not name, where the schema leaves extra keys allowed
 * (where it forbids them, validation already refuses the config). Follows `properties`,
 * `patternProperties`, `additionalProperties` schemas, `items` and the branches of
 * `allOf` / `anyOf` / `oneOf`; a schema with a `$ref` is not followed.
 */
export function unknownConfigKeys(schema: JsonSchema | undefined, config: unknown, path: readonly (string | number)[] = []): UnknownKey[] {
  if (!schema || typeof schema !== 'object' || config === null || typeof config !== 'object') return [];
  if (Array.isArray(config)) {
    const items = schema.items;
    if (!items || typeof items !== 'object' || Array.isArray(items)) return [];
    return config.flatMap((item, index) => unknownConfigKeys(items as JsonSchema, item, [...path, index]));
  }
  const branches = [schema, ...(['allOf', 'anyOf', 'oneOf'] as const).flatMap((k) => (Array.isArray(schema[k]) ? (schema[k] as JsonSchema[]) : []))];
  const properties = new Map<string, JsonSchema>();
  const patterns: Array<[RegExp, JsonSchema]> = [];
  let open = false;
  let additional: JsonSchema | undefined;
  for (const branch of branches) {
    if (typeof branch !== 'object' || branch === null) continue;
    if ('$ref' in branch) return [];
    for (const [key, value] of Object.entries((branch.properties as Record<string, JsonSchema> | undefined) ?? {})) properties.set(key, value);
    for (const [pattern, value] of Object.entries((branch.patternProperties as Record<string, JsonSchema> | undefined) ?? {})) {
      try {
        patterns.push([new RegExp(pattern, 'u'), value]);
      } catch {
        return [];
      }
    }
    const extra = branch.additionalProperties;
    if (extra !== undefined && extra !== false && typeof extra === 'object') additional = extra as JsonSchema;
    // A branch that says nothing about properties leaves every key open: no warnings below it.
    if (branch !== schema && !('properties' in branch) && !('patternProperties' in branch)) open = true;
  }
  if (properties.size === 0 && patterns.length === 0 && additional === undefined) return [];
  const unknown: UnknownKey[] = [];
  for (const [key, value] of Object.entries(config)) {
    const known = properties.get(key) ?? patterns.find(([pattern]) => pattern.test(key))?.[1] ?? additional;
    if (known) {
      unknown.push(...unknownConfigKeys(known, value, [...path, key]));
    } else if (!open && schema.additionalProperties !== false) {
      const suggestion = closest(key, [...properties.keys()]);
      unknown.push({ path: [...path, key], key, ...(suggestion ? { suggestion } : {}) });
    }
  }
  return unknown;
}

/** The candidate within a small edit distance of `word` (a third of its length, at most 3). */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= bestDistance) {
      best = candidate;
      bestDistance = distance - 1;
    }
  }
  return best;
}

/** Levenshtein distance, with adjacent transpositions counted once (treshold -> threshold is 1). */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}
