import { childTraceparent, eventIds, newTraceparent } from './random-ids.js';

/**
 * A W3C Trace Context as events and HTTP requests carry it: `traceparent`
 * (`00-<trace id>-<parent id>-<flags>`) and, optionally, the vendors' `tracestate`. A CloudEvent
 * is one (the CloudEvents distributed tracing extension), so a cause can be passed as it is.
 */
export interface TraceParent {
  readonly traceparent?: string | undefined;
  readonly tracestate?: string | undefined;
}

/** What an envelope made here carries. */
export interface TraceHeaders {
  readonly traceparent: string;
  readonly tracestate?: string;
}

/**
 * Whether `parent` names a trace to continue. Every event made or admitted here has a valid
 * traceparent or none (envelope-validation.ts), so the length settles it; any traceparent version
 * starts with the same four fields, so the ids and flags are at the same place in all of them.
 */
export function continues(parent: TraceParent | undefined): parent is { readonly traceparent: string; readonly tracestate?: string } {
  return typeof parent?.traceparent === 'string' && parent.traceparent.length >= 55;
}

/**
 * Whether a valid traceparent's flags have the sampled bit: the low bit of its last hex digit, read
 * from the character code (`0`-`9` are 48-57; `a`-`f`, 97-102, and `A`-`F` are one off in parity).
 * Parsing the flags with parseInt was the largest cost of tracing on every handled event.
 */
export function sampledFlag(traceparent: string): boolean {
  const digit = traceparent.charCodeAt(54);
  return ((digit <= 57 ? digit : digit + 1) & 1) === 1;
}

/** The trace id of a valid traceparent (for log lines), or undefined. */
export function traceIdOf(traceparent: unknown): string | undefined {
  return typeof traceparent === 'string' && traceparent.length >= 55 ? traceparent.slice(3, 35) : undefined;
}

/**
 * The trace context of a new span when no OpenTelemetry tracer records it: `parent`'s trace id,
 * flags and tracestate kept as they came (a caller that did not sample keeps its choice), a random
 * span id; a new trace, marked sampled so a collector downstream may record it, without a parent.
 */
export function childTrace(parent: TraceParent | undefined): TraceHeaders {
  if (!continues(parent)) return { traceparent: newTraceparent() };
  const { traceparent, tracestate } = parent;
  const headers = childTraceparent(traceparent);
  return typeof tracestate === 'string' ? { traceparent: headers, tracestate } : { traceparent: headers };
}

/** A new event's id and the trace context it carries. */
export interface EventTrace extends TraceHeaders {
  readonly id: string;
}

/**
 * {@link childTrace} of `parent` and the event's id: a random one made in the same piece
 * (random-ids.ts), what a publish that no span records needs at the cost of one string, or `id`
 * when the event has one already (an outbox's). Without a parent, a new trace marked `sampled` or not.
 */
export function childEvent(parent: TraceParent | undefined, sampled = true, id?: string): EventTrace {
  if (!continues(parent)) return id === undefined ? eventIds(undefined, sampled) : { id, traceparent: newTraceparent(sampled) };
  if (id !== undefined) return { id, ...childTrace(parent) };
  const ids = eventIds(parent.traceparent);
  const { tracestate } = parent;
  return typeof tracestate === 'string' ? { id: ids.id, traceparent: ids.traceparent, tracestate } : ids;
}
