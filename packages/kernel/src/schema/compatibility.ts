/**
 * JSON Schema compatibility with Confluent Schema Registry's rules
 * (confluentinc/schema-registry, json-schema-provider/.../json/diff/). A pure module: it compares
 * two schemas and reports Confluent's difference types, each compatible or not, and checks a new
 * schema version against the registered ones under a compatibility mode.
 *
 * The rules live in ./compatibility/: compare.ts dispatches by schema kind, and scalars.ts,
 * objects.ts, arrays.ts and combined.ts hold one family each.
 */
import type { CompatibilityMode, JsonSchema } from '@polis/plugin-api';
import { invalidArgument } from '../runtime/invalid-argument.js';
import { Comparison } from './compatibility/compare.js';
import type { SchemaDifference } from './compatibility/differences.js';

export type { SchemaDifference } from './compatibility/differences.js';

/** Differences going from `original` (writer) to `update` (reader). */
export function diffSchemas(original: JsonSchema, update: JsonSchema): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  new Comparison(original, update).compare(original, update, '#', out);
  // A type array compares its keywords once per member type; report each difference once.
  const seen = new Set<string>();
  return out.filter((d) => !seen.has(`${d.type} ${d.path}`) && seen.add(`${d.type} ${d.path}`));
}

const MODES: ReadonlySet<string> = new Set<CompatibilityMode>(['BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE', 'NONE']);

export interface CompatibilityVerdict {
  readonly compatible: boolean;
  /** The incompatible differences, each naming the version it breaks against and the direction. */
  readonly problems: readonly { readonly againstVersion: number; readonly direction: 'backward' | 'forward'; readonly difference: SchemaDifference }[];
}

/**
 * `previous` are the already-registered versions, oldest first, as [version, schema] pairs.
 * BACKWARD: the update can read data written with the latest previous version (diff(latest, update) all compatible).
 * FORWARD: the latest previous version can read data written with the update (diff(update, latest)).
 * FULL: both. *_TRANSITIVE: against every previous version, not only the latest. NONE: always compatible.
 * With no previous versions: compatible.
 */
export function checkCompatibility(previous: readonly (readonly [number, JsonSchema])[], update: JsonSchema, mode: CompatibilityMode): CompatibilityVerdict {
  if (!Array.isArray(previous) || !previous.every((entry) => Array.isArray(entry) && typeof entry[0] === 'number')) {
    throw invalidArgument('previous', 'an array of [version, schema] pairs', previous);
  }
  if (typeof mode !== 'string' || !MODES.has(mode)) throw invalidArgument('the compatibility mode', [...MODES].join(', '), mode);
  if (mode === 'NONE') return { compatible: true, problems: [] };
  const against = mode.endsWith('_TRANSITIVE') ? previous : previous.slice(-1);
  const backward = !mode.startsWith('FORWARD');
  const forward = !mode.startsWith('BACKWARD');
  const problems = against.flatMap(([version, schema]) => [
    ...(backward ? diffSchemas(schema, update).map((difference) => ({ againstVersion: version, direction: 'backward' as const, difference })) : []),
    ...(forward ? diffSchemas(update, schema).map((difference) => ({ againstVersion: version, direction: 'forward' as const, difference })) : []),
  ]).filter((problem) => !problem.difference.compatible);
  return { compatible: problems.length === 0, problems };
}
