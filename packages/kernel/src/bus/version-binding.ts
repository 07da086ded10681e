import { schemaUrn, schemaVersionOf } from '@polis/plugin-api';
import type { CloudEvent } from '@polis/plugin-api';
import type { SchemaRegistry } from '../schema/schema-registry.js';

import type { HandlerCall } from './handler-call.js';

type Handler = (event: CloudEvent, redelivered?: boolean, call?: HandlerCall) => void | Promise<void>;

/**
 * A handler bound to `version` of its subscription's event type. An event of that version goes
 * straight through (one string comparison, the only cost on the hot path); one of another version
 * is handed over converted to this version's shape, with `dataschema` naming it, through a
 * conversion the registry compiles once per pair. A pair that cannot be converted soundly throws
 * EVENT_VERSION_INCOMPATIBLE, which no retry cures: the event is dead-lettered.
 */
export function bindToVersion(
  registry: SchemaRegistry,
  subscription: { readonly owner: string; readonly pattern: string; readonly handler: Handler },
  version: number,
  /** Deep-freezes converted data when the bus makes events immutable (the test kit), as published data is. */
  freeze?: (data: unknown) => void,
): Handler {
  const { owner, pattern: type, handler } = subscription;
  // The registry's own string where it has one: events published here carry that very string, so
  // the comparison below is one pointer comparison.
  const urn = registry.has(type, version) ? registry.handle(type, version).urn : schemaUrn(type, version);
  /** Conversions by the `dataschema` events arrive with: one map lookup per converted event. */
  const conversions = new Map<string, (data: unknown) => unknown>();
  const conversionFrom = (dataschema: string): ((data: unknown) => unknown) => {
    let convert = conversions.get(dataschema);
    if (convert === undefined) {
      // Events are admitted before they get here, so their dataschema names a registered version.
      const from = schemaVersionOf({ type, dataschema }) ?? version;
      // Compiled now; an unknown version throws and is not cached, as its schema may arrive later.
      convert = registry.converter(type, from, version, owner);
      conversions.set(dataschema, convert);
    }
    return convert;
  };
  return (event, redelivered, call) => {
    if (event.dataschema === urn) return handler(event, redelivered, call);
    const data = conversionFrom(event.dataschema)(event.data);
    freeze?.(data);
    return handler({ ...event, dataschema: urn, data }, redelivered, call);
  };
}
