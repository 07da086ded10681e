import type { FieldSource } from './connector-spec.js';

/** A message that cannot become an event's data, and why. */
export class MappingError extends Error {
  override readonly name = 'MappingError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/**
 * Builds an event's data from a message: each target field (`a.b` nests) from a JSON Pointer
 * into the payload, a topic level or a constant, converted when asked. A missing payload value
 * without a default leaves the field out, for the schema to judge.
 */
export function mapFields(fields: Readonly<Record<string, FieldSource>>, payload: unknown, topicLevels: readonly string[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [target, source] of Object.entries(fields)) {
    const value = valueOf(target, source, payload, topicLevels);
    if (value !== undefined) assign(data, target.split('.'), value);
  }
  return data;
}

export function valueOf(target: string, source: FieldSource, payload: unknown, topicLevels: readonly string[]): unknown {
  if ('value' in source) return source.value;
  if ('topic' in source) {
    const level = topicLevels[source.topic];
    if (level === undefined) throw new MappingError(`${target}: the topic has no level ${source.topic}`, target);
    return source.as === undefined ? level : convert(target, level, source.as);
  }
  const found = pointer(payload, source.payload, target);
  if (found === undefined) return source.default;
  return source.as === undefined ? found : convert(target, found, source.as);
}

function pointer(document: unknown, path: string, target: string): unknown {
  if (path === '') return document;
  let node = document;
  for (const raw of path.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') {
      throw new MappingError(`${target}: ${path} goes through a ${node === null ? 'null' : typeof node} in the payload`, target);
    }
    node = Array.isArray(node) ? node[Number(token)] : Object.hasOwn(node, token) ? (node as Record<string, unknown>)[token] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

function convert(target: string, value: unknown, as: NonNullable<Extract<FieldSource, { as?: unknown }>['as']>): unknown {
  const fail = () => new MappingError(`${target}: ${JSON.stringify(value)} is not a ${as}`, target);
  switch (as) {
    case 'string':
      if (typeof value === 'object' && value !== null) throw fail();
      return String(value);
    case 'number':
    case 'integer': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (!Number.isFinite(number) || (as === 'integer' && !Number.isInteger(number))) throw fail();
      return number;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 1 || value === '1') return true;
      if (value === 'false' || value === 0 || value === '0') return false;
      throw fail();
    case 'timestamp': {
      // Epoch seconds until the year 5138, milliseconds after: sensors send either.
      const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : undefined;
      const date = number !== undefined ? new Date(number < 1e11 ? number * 1000 : number) : typeof value === 'string' ? new Date(value) : undefined;
      if (date === undefined || Number.isNaN(date.getTime())) throw fail();
      return date.toISOString();
    }
  }
}

function assign(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = (next !== null && typeof next === 'object' ? next : (node[key] = {})) as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}
