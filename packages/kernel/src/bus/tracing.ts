import { INVALID_SPANID, INVALID_TRACEID, ProxyTracerProvider, ROOT_CONTEXT, SpanKind, SpanStatusCode, context, createTraceState, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span, SpanContext, Tracer, TracerProvider } from '@opentelemetry/api';
import type { CloudEvent, Logger } from '@polis/plugin-api';
import { failureFields } from '../runtime/failure-fields.js';
import { randomUuid } from './random-ids.js';
import { RecentWindow } from './recent-window.js';
import { childEvent, childTrace, continues, sampledFlag } from './trace-context.js';
import type { TraceHeaders, TraceParent } from './trace-context.js';
import type { HandlerCall } from './handler-call.js';

/** The instrumentation scope of the kernel's spans. */
export const TRACER_NAME = '@polis/kernel';

/** Recorded handler calls whose span later publishes can continue: at 1 % sampling, about the last 400,000 events. */
const REMEMBERED_CALLS = 4096;

type Handler = (event: CloudEvent, redelivered?: boolean, call?: HandlerCall) => void | Promise<void>;

/** What a send starts with: its event's id, the trace context its envelope carries, and the span recording it, if one does. */
export interface SendStart extends TraceHeaders {
  readonly id: string;
  readonly span?: Span | undefined;
}

/**
 * OpenTelemetry spans of the event bus, by the messaging semantic conventions: `send <type>`
 * (PRODUCER) for a publish, from its envelope's making to the transport's acknowledgement;
 * `process <type>` (CONSUMER) for a handler call, a child of the publish that sent the event;
 * `request <type>` (CLIENT) and `process <type>` (SERVER) for a query and its answer. An
 * event's `traceparent` names its send span, so a handler's span, and what the handler
 * publishes, belong to the same trace, across processes too (NATS carries `ce-traceparent` and
 * `ce-tracestate`).
 *
 * Only `@opentelemetry/api`: the application registers an SDK (a tracer provider) or none.
 * Without one no span object is made: envelopes still get a W3C context (trace-context.ts), the
 * incoming flags and tracestate kept and a random span id, so a collector further on can join.
 */
export class BusTracing {
  private tracer: Tracer | undefined;
  /** Send spans not yet ended, by the event they send (a resend of the same event ends nothing). */
  private readonly sending = new WeakMap<CloudEvent, Span>();
  /**
   * The span context of the most recent recorded handler calls, by handling plugin and event:
   * what the plugin publishes for the event, during the call or later (a timer's, through
   * `scopeFor`), is a child of its call's span. A bounded window of span contexts (ids and flags),
   * not a WeakMap from event to call context: keeping a context per recorded event made the
   * garbage collector's work so large that a recorded event cost half as much again. A publish
   * for a call older than the window continues the event's own send span, in the same trace.
   */
  private readonly processing = new RecentWindow<SpanContext>(REMEMBERED_CALLS);

  /** `system`: the transport's name (`memory`, `nats`), reported as `messaging.system`. */
  constructor(
    private readonly system: () => string,
    private readonly logger: Logger,
    /** A provider of the application's own; without one, the global provider (read at the first event). */
    private provider?: TracerProvider,
    /** KernelOptions.traceSampleRatio: the kernel decides whether a new trace is recorded. */
    private readonly sampleRatio?: number,
  ) {}

  /**
   * Starts the span of sending a `type` event from `source` and returns the trace context its
   * envelope carries. `cause` is the event that caused it (or a context from outside, e.g. an HTTP
   * request's): the span continues the handler call of `source` that is handling it, or else its
   * trace. Unless the event has an id already (`id`, an outbox's), a random one is made with the
   * context: where no span records the send, in one piece with it.
   */
  startSend(source: string, type: string, cause: TraceParent | undefined, operation: 'send' | 'request' = 'send', id?: string): SendStart {
    const tracer = this.live();
    if (tracer === undefined || unsampled(cause)) return childEvent(cause, true, id);
    const parent = this.parentOf(source, cause);
    // A new trace (no cause, no span active around the publish) that head sampling leaves out: no span object at all.
    if (this.sampleRatio !== undefined && parent === ROOT_CONTEXT && !(Math.random() < this.sampleRatio)) return childEvent(undefined, false, id);
    const span = tracer.startSpan(
      `${operation} ${type}`,
      { kind: operation === 'send' ? SpanKind.PRODUCER : SpanKind.CLIENT, attributes: this.attributes(type, 'send', operation, source) },
      parent,
    );
    return { ...headersOf(span, cause), id: id ?? randomUuid(), span: span.isRecording() ? span : undefined };
  }

  /** Holds `span` until `event` is sent (see {@link send}). */
  hold(event: CloudEvent, span: Span | undefined): void {
    if (span === undefined) return;
    span.setAttribute('messaging.message.id', event.id);
    span.setAttribute('messaging.message.conversation_id', event.correlationid);
    this.sending.set(event, span);
  }

  /** Runs `send` for `event` and ends its send span with the outcome. */
  send(event: CloudEvent, send: (event: CloudEvent) => Promise<CloudEvent>): Promise<CloudEvent> {
    const span = this.sending.get(event);
    if (span === undefined) return send(event);
    this.sending.delete(event);
    return settle(span, send(event));
  }

  /** Ends the span of `request` (from {@link startSend} with `request`) with its reply. */
  request<T>(request: CloudEvent, span: Span | undefined, reply: Promise<T>): Promise<T> {
    if (span === undefined) return reply;
    span.setAttribute('messaging.message.id', request.id);
    span.setAttribute('messaging.message.conversation_id', request.correlationid);
    return settle(span, reply);
  }

  /**
   * `handler`, each call inside a `process` span of `owner`'s consumer group. A failed call is
   * logged with the event's ids and trace id before the transport retries or dead-letters it.
   */
  process(owner: string, group: string, handler: Handler): Handler {
    const failed = (event: CloudEvent, error: unknown, span: Span | undefined): void => {
      this.logger.warn(`handler for ${String(event.type)} failed; its retry policy retries or dead-letters the event`, { plugin: owner, group, ...failureFields(error, event) });
      if (span?.isRecording() === true) fail(span, error);
    };
    return (event, redelivered, call) => {
      const span = this.startProcess(owner, group, event, redelivered);
      // A call given up at its timeout may never settle: its span ends then, with the timeout's error.
      if (span !== undefined) call?.onExpired((reason) => fail(span, reason));
      let result: void | Promise<void>;
      try {
        result = span === undefined ? handler(event, redelivered, call) : context.with(this.enter(event, owner, span), handler, undefined, event, redelivered, call);
      } catch (error) {
        failed(event, error, span);
        throw error;
      }
      if (result === undefined || typeof (result as Partial<Promise<void>>).then !== 'function') {
        span?.end();
        return result;
      }
      return (result as Promise<void>).then(
        () => {
          // Not if the call was given up and its span ended then.
          if (span?.isRecording() === true) span.end();
        },
        (error: unknown) => {
          failed(event, error, span);
          throw error;
        },
      );
    };
  }

  /** A recording `process` span for one handler call, or undefined when nothing records it. */
  private startProcess(owner: string, group: string, event: CloudEvent, redelivered: boolean | undefined): Span | undefined {
    const tracer = this.live();
    if (tracer === undefined || unsampled(event)) return undefined;
    const attributes = this.attributes(event.type, 'process', 'process', owner, event);
    attributes['messaging.consumer.group.name'] = group;
    if (redelivered === true) attributes['messaging.message.redelivered'] = true;
    const span = tracer.startSpan(`process ${event.type}`, { kind: SpanKind.CONSUMER, attributes }, remoteContext(event));
    return span.isRecording() ? span : undefined;
  }

  /** `respond`, each call inside a `process` span (SERVER) of the answering plugin. */
  answer(owner: string, respond: (request: CloudEvent) => Promise<CloudEvent>): (request: CloudEvent) => Promise<CloudEvent> {
    return (request) => {
      const tracer = this.live();
      if (tracer === undefined || unsampled(request)) return respond(request);
      const span = tracer.startSpan(`process ${request.type}`, { kind: SpanKind.SERVER, attributes: this.attributes(request.type, 'process', 'process', owner, request) }, remoteContext(request));
      if (!span.isRecording()) return respond(request);
      return settle(span, context.with(this.enter(request, owner, span), respond, undefined, request));
    };
  }

  /** The trace context of a reply to `request` made by `owner`: a child of its answer's span. */
  reply(owner: string, request: CloudEvent): TraceHeaders {
    const active = this.processing.get(callKey(owner, request));
    return active === undefined ? childTrace(request) : headersOf(trace.wrapSpanContext(active), request);
  }

  /** The tracer of the registered SDK, or undefined while none is registered. */
  private live(): Tracer | undefined {
    if (this.tracer !== undefined) return this.tracer;
    // The global provider is the API's proxy, the same object before and after an SDK registers
    // its own as the proxy's delegate (until trace.disable()), so it is looked up once: the lookup
    // checks the API's version each time: 3 % of an in-memory event while no SDK is registered.
    const provider = (this.provider ??= trace.getTracerProvider());
    const tracer = provider instanceof ProxyTracerProvider ? provider.getDelegateTracer(TRACER_NAME) : provider.getTracer(TRACER_NAME);
    this.tracer = tracer;
    return tracer;
  }

  private enter(event: CloudEvent, owner: string, span: Span): Context {
    this.processing.set(callKey(owner, event), span.spanContext());
    return trace.setSpan(remoteContext(event), span);
  }

  private parentOf(source: string, cause: TraceParent | undefined): Context {
    const handling = isEvent(cause) ? this.processing.get(callKey(source, cause)) : undefined;
    if (handling !== undefined) return trace.setSpanContext(ROOT_CONTEXT, handling);
    if (continues(cause)) return remoteContext(cause);
    const active = context.active();
    // The root context when no span is active (a new trace starts here).
    return trace.getSpan(active) === undefined ? ROOT_CONTEXT : active;
  }

  private attributes(type: string, operationType: 'send' | 'process', operationName: string, plugin: string, event?: CloudEvent): Attributes {
    const attributes: Attributes = {
      'messaging.system': this.system(),
      'messaging.destination.name': type,
      'messaging.operation.type': operationType,
      'messaging.operation.name': operationName,
      'polis.plugin': plugin,
    };
    if (event !== undefined) {
      attributes['messaging.message.id'] = event.id;
      if (event.correlationid !== undefined) attributes['messaging.message.conversation_id'] = event.correlationid;
    }
    return attributes;
  }
}

/** A handler call's key: the handling plugin and the event's CloudEvents identity (source and id). */
function callKey(owner: string, event: CloudEvent): string {
  return `${owner}\u0000${event.source}\u0000${event.id}`;
}

/** Whether a cause is an event (it may be a bare trace context, an HTTP request's). */
function isEvent(cause: TraceParent | undefined): cause is CloudEvent {
  return typeof (cause as Partial<CloudEvent> | undefined)?.id === 'string' && typeof (cause as Partial<CloudEvent>).source === 'string';
}

/**
 * Whether `parent` continues a trace its caller chose not to sample (flags 00). Its descendants
 * are not sampled either (what OpenTelemetry's parent-based samplers decide), so no span object
 * is made for them: on the hot path of an unsampled trace the cost is the W3C string alone.
 */
function unsampled(parent: TraceParent | undefined): boolean {
  return continues(parent) && !sampledFlag(parent.traceparent);
}

/** The context of a remote parent named by a W3C traceparent (and tracestate), or the root. */
function remoteContext(parent: TraceParent): Context {
  if (!continues(parent)) return ROOT_CONTEXT;
  const { traceparent, tracestate } = parent;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: traceparent.slice(3, 35),
    spanId: traceparent.slice(36, 52),
    traceFlags: Number.parseInt(traceparent.slice(53, 55), 16),
    isRemote: true,
    ...(typeof tracestate === 'string' ? { traceState: createTraceState(tracestate) } : {}),
  });
}

/** The W3C context naming `span`; an invalid span (a no-op tracer's) gets one of its own. */
function headersOf(span: Span, cause: TraceParent | undefined): TraceHeaders {
  const spanContext = span.spanContext();
  // A no-op tracer's span has the invalid ids, or its parent's span id: it names no span of its own.
  // (Compared, not matched: isSpanContextValid's two regex tests cost a root publish noticeably.)
  const { traceId, spanId } = spanContext;
  if (spanId === INVALID_SPANID || traceId === INVALID_TRACEID || spanId.length !== 16 || traceId.length !== 32 || (continues(cause) && cause.traceparent.slice(36, 52) === spanId)) return childTrace(cause);
  const traceparent = `00-${spanContext.traceId}-${spanContext.spanId}-${(spanContext.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
  const tracestate = spanContext.traceState?.serialize() ?? (continues(cause) ? cause.tracestate : undefined);
  return tracestate ? { traceparent, tracestate } : { traceparent };
}

function settle<T>(span: Span, outcome: Promise<T>): Promise<T> {
  return outcome.then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      fail(span, error);
      throw error;
    },
  );
}

function fail(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  if (error instanceof Error) span.recordException(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') span.setAttribute('error.type', code);
  span.end();
}
