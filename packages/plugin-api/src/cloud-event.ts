import { ErrorCodes, PolisError } from './errors.js';

/** `emergency` events overtake routine ones in every queue on the way to a handler. */
export type EventPriority = 'emergency' | 'routine';

/**
 * A CloudEvents 1.0 envelope, as every handler receives it. Polis adds the extensions
 * `traceparent` and `tracestate` (W3C Trace Context, as the CloudEvents distributed tracing
 * extension names them), `correlationid` (shared by a whole causal chain), `causationid` (the id
 * of the event whose handler published this one) and `priority`. Every attribute of an event
 * received from another process is checked before a handler sees it.
 */
export interface CloudEvent<TData = unknown> {
  readonly specversion: '1.0';
  readonly id: string;
  /** The publishing plugin's name. */
  readonly source: string;
  readonly type: string;
  /** RFC 3339 timestamp of publication. */
  readonly time: string;
  readonly datacontenttype: 'application/json';
  /**
   * `urn:polis:schema:<type>:<version>`: the exact schema `data` was validated against. A handler
   * bound to a version sees that version here, and `data` in its shape.
   */
  readonly dataschema: string;
  /** What the event is about, e.g. an intersection id. */
  readonly subject?: string;
  readonly data: TData;
  /** W3C `traceparent`: `00-<trace id>-<parent id>-<flags>`. */
  readonly traceparent?: string;
  /** W3C `tracestate`, carried unchanged along the trace. */
  readonly tracestate?: string;
  readonly correlationid: string;
  readonly causationid?: string;
  readonly priority?: EventPriority;
}

const SCHEMA_URN_PREFIX = 'urn:polis:schema:';

export function schemaUrn(type: string, version: number): string {
  if (typeof type !== 'string' || typeof version !== 'number') {
    throw new PolisError(ErrorCodes.ARGUMENT_INVALID, `a schema URN needs a type string and a version number, got ${typeof type} and ${typeof version}`, { details: { argument: 'type, version' } });
  }
  return `${SCHEMA_URN_PREFIX}${type}:${version}`;
}

/** The schema version named by an event's `dataschema`, or undefined if it is not a Polis URN. */
export function schemaVersionOf(event: Pick<CloudEvent, 'dataschema' | 'type'>): number | undefined {
  if (event === null || typeof event !== 'object' || typeof event.dataschema !== 'string') return undefined;
  const prefix = `${SCHEMA_URN_PREFIX}${event.type}:`;
  if (!event.dataschema.startsWith(prefix)) return undefined;
  const version = Number(event.dataschema.slice(prefix.length));
  return Number.isInteger(version) && version > 0 ? version : undefined;
}
