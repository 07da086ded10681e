import type { Static, TSchema } from '@sinclair/typebox';
import type { EventPriority } from './cloud-event.js';

/** A JSON Schema (2020-12) object, as written by hand or built with TypeBox's `Type`. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** How a new version of an event's schema must relate to the earlier ones (Confluent's modes). */
export type CompatibilityMode =
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE'
  | 'NONE';

/** The TypeScript type of data described by a schema: inferred for TypeBox, unknown otherwise. */
export type DataOfSchema<S> = S extends TSchema ? Static<S> : unknown;

/**
 * A versioned event contract. `TData` exists only for the compiler. `TType` and `TVersion` are
 * literal types, so two versions of one event are different types: a plugin that declares v2
 * cannot publish or consume v1 by mistake, even when both carry the same data.
 */
export interface EventDefinition<TType extends string = string, TData = unknown, TVersion extends number = number> {
  readonly kind: 'event';
  /** `<domain>.<entity>.<action>`, e.g. `safety.incident.opened`. */
  readonly type: TType;
  /** Integer schema version, starting at 1. */
  readonly version: TVersion;
  /** JSON Schema of `data`. */
  readonly schema: JsonSchema;
  readonly description?: string;
  /** Default priority of every event of this type. */
  readonly priority?: EventPriority;
  /** Compatibility mode enforced when later versions register (default BACKWARD). */
  readonly compatibility?: CompatibilityMode;
  /** Phantom field carrying the data type; never set at run time. */
  readonly __data?: TData;
}

/** The data type of an event definition. */
export type EventData<E> = E extends EventDefinition<string, infer D, number> ? D : never;

export interface EventSpec<TType extends string, S, TVersion extends number = number> {
  type: TType;
  version: TVersion;
  schema: S;
  description?: string;
  priority?: EventPriority;
  compatibility?: CompatibilityMode;
}

/**
 * Declares an event contract. With a TypeBox schema the data type is inferred:
 *
 * ```ts
 * const IncidentOpened = defineEvent({
 *   type: 'safety.incident.opened', version: 1,
 *   schema: Type.Object({ incidentId: Type.String(), severity: Type.Integer() }),
 * });
 * ```
 */
export function defineEvent<const TType extends string, S extends JsonSchema, const TVersion extends number>(
  spec: EventSpec<TType, S, TVersion>,
): EventDefinition<TType, DataOfSchema<S>, TVersion> {
  return Object.freeze({ kind: 'event' as const, ...spec });
}
