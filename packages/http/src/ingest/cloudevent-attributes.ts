import { createAjv, isTraceparent, isTracestate, toValidationProblems } from '@polis/kernel';
import type { TraceParent } from '@polis/kernel';
import { Type } from '@polis/plugin-api';
import type { ProblemDetail } from '../problems/problem.js';

/**
 * CloudEvents 1.0 attributes as they arrive over HTTP (structured mode, a batch entry, or binary
 * mode's `ce-` headers). Required: specversion 1.0, id, source, type. Attribute names are lower-case
 * letters and digits, at most 20 (spec 1.0, "Attribute Naming Convention"). Polis events carry JSON.
 */
const CloudEventAttributes = Type.Object(
  {
    specversion: Type.Literal('1.0'),
    id: Type.String({ minLength: 1, maxLength: 256 }),
    source: Type.String({ minLength: 1, maxLength: 1024 }),
    type: Type.String({ minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$' }),
    datacontenttype: Type.Optional(Type.String({ pattern: '^\\s*application\\/([a-zA-Z0-9.!#$&^_-]+\\+)?json\\s*(;.*)?$' })),
    dataschema: Type.Optional(Type.String({ minLength: 1 })),
    subject: Type.Optional(Type.String({ maxLength: 1024 })),
    time: Type.Optional(Type.String({ format: 'date-time' })),
    priority: Type.Optional(Type.Union([Type.Literal('emergency'), Type.Literal('routine')])),
    data: Type.Optional(Type.Unknown()),
    data_base64: Type.Optional(Type.String()),
  },
  { propertyNames: { pattern: '^([a-z0-9]{1,20}|data_base64)$' } },
);

const validateAttributes = createAjv().compile(CloudEventAttributes);

/** What the gateway takes from a valid CloudEvent. */
export interface IncomingEvent {
  readonly id: string;
  readonly type: string;
  readonly dataschema: string | undefined;
  readonly subject: string | undefined;
  readonly priority: 'emergency' | 'routine' | undefined;
  readonly data: unknown;
  /**
   * The event's own W3C trace context (the CloudEvents distributed tracing extension), which its
   * publish continues; without it the publish continues the HTTP request's trace.
   */
  readonly trace?: TraceParent | undefined;
}

export type AttributeCheck = { readonly ok: true; readonly event: IncomingEvent } | { readonly ok: false; readonly errors: readonly ProblemDetail[] };

/**
 * Checks a CloudEvent's attributes and returns the event, or every problem with a JSON Pointer
 * into the event (for binary mode, `/id` is the `ce-id` header). `data_base64` must hold JSON.
 */
export function checkAttributes(candidate: unknown): AttributeCheck {
  if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate)) {
    return { ok: false, errors: [{ path: '', rule: 'type', message: 'a CloudEvent is a JSON object' }] };
  }
  if (!validateAttributes(candidate)) {
    const errors = toValidationProblems(validateAttributes.errors).map((problem) =>
      problem.rule === 'propertyNames' ? { ...problem, message: 'attribute names are lower-case letters and digits, at most 20 (CloudEvents 1.0)' } : problem,
    );
    return { ok: false, errors };
  }
  const attributes = candidate as unknown as Record<string, unknown>;
  let data = attributes.data;
  if (typeof attributes.data_base64 === 'string') {
    if ('data' in attributes) return { ok: false, errors: [{ path: '/data_base64', rule: 'not', message: 'an event has data or data_base64, not both' }] };
    try {
      data = JSON.parse(Buffer.from(attributes.data_base64, 'base64').toString('utf8'));
    } catch {
      return { ok: false, errors: [{ path: '/data_base64', rule: 'contentEncoding', message: 'must be base64 of a JSON document' }] };
    }
  }
  const trace = traceOf(attributes);
  if (!trace.ok) return trace;
  return {
    ok: true,
    event: {
      id: attributes.id as string,
      type: attributes.type as string,
      dataschema: attributes.dataschema as string | undefined,
      subject: attributes.subject as string | undefined,
      priority: attributes.priority as IncomingEvent['priority'],
      data,
      trace: trace.trace,
    },
  };
}

/** The distributed tracing extension's attributes, checked: a malformed one is the client's error, not a trace to continue. */
function traceOf(attributes: Record<string, unknown>): { ok: true; trace: TraceParent | undefined } | { ok: false; errors: ProblemDetail[] } {
  const { traceparent, tracestate } = attributes;
  const errors: ProblemDetail[] = [];
  if (traceparent !== undefined && !isTraceparent(traceparent)) errors.push({ path: '/traceparent', rule: 'format', message: 'must be a W3C traceparent: 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>, ids not all zeros' });
  if (tracestate !== undefined && (traceparent === undefined || !isTracestate(tracestate))) {
    errors.push({ path: '/tracestate', rule: 'format', message: traceparent === undefined ? 'comes with a traceparent' : 'must be a W3C tracestate: up to 32 key=value members, comma-separated' });
  }
  if (errors.length > 0) return { ok: false, errors };
  if (traceparent === undefined) return { ok: true, trace: undefined };
  return { ok: true, trace: tracestate === undefined ? { traceparent: traceparent as string } : { traceparent: traceparent as string, tracestate: tracestate as string } };
}
