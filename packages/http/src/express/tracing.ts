import { ROOT_CONTEXT, SpanKind, SpanStatusCode, createTraceState, isSpanContextValid, trace } from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';
import type { Request, RequestHandler, Response } from 'express';
import { isTraceparent, isTracestate } from '@polis/kernel';
import type { TraceParent } from '@polis/kernel';

/** The instrumentation scope of the gateway's spans. */
export const HTTP_TRACER_NAME = '@polis/http';

/**
 * W3C Trace Context over HTTP: a request's `traceparent` and `tracestate` headers (or, in the
 * CloudEvents binary mode, `ce-traceparent` and `ce-tracestate`) are continued by a SERVER span
 * `<method> <route>` (HTTP semantic conventions), and what the request publishes or asks on the
 * bus is a child of that span. A header that is not valid W3C is ignored, as the spec says: the
 * request starts a new trace. Without a registered OpenTelemetry SDK no span is made and the
 * incoming context itself is handed to the bus, so the trace still goes on.
 */
export function httpTracing(): RequestHandler {
  const tracer = trace.getTracer(HTTP_TRACER_NAME);
  return (req, res, next) => {
    const incoming = incomingTrace(req);
    const span = tracer.startSpan(
      `${req.method}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': req.path, 'url.scheme': 'http' } },
      incoming === undefined ? ROOT_CONTEXT : remoteContext(incoming),
    );
    res.locals.trace = span.isRecording() ? headersOf(span) : incoming;
    if (span.isRecording()) res.once('close', () => endSpan(span, req, res));
    next();
  };
}

/** The trace context a request's work on the bus continues (set by {@link httpTracing}). */
export function traceOf(res: Response): TraceParent | undefined {
  return res.locals.trace as TraceParent | undefined;
}

function incomingTrace(req: Request): TraceParent | undefined {
  const [parentHeader, stateHeader] = typeof req.headers.traceparent === 'string' ? ['traceparent', 'tracestate'] : ['ce-traceparent', 'ce-tracestate'];
  const traceparent = req.headers[parentHeader!];
  if (!isTraceparent(traceparent)) return undefined;
  const tracestate = req.headers[stateHeader!];
  return isTracestate(tracestate) ? { traceparent, tracestate } : { traceparent };
}

function remoteContext({ traceparent, tracestate }: TraceParent): Context {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: traceparent!.slice(3, 35),
    spanId: traceparent!.slice(36, 52),
    traceFlags: Number.parseInt(traceparent!.slice(53, 55), 16),
    isRemote: true,
    ...(tracestate === undefined ? {} : { traceState: createTraceState(tracestate) }),
  });
}

function headersOf(span: Span): TraceParent | undefined {
  const context = span.spanContext();
  if (!isSpanContextValid(context)) return undefined;
  const tracestate = context.traceState?.serialize();
  const traceparent = `00-${context.traceId}-${context.spanId}-${(context.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
  return tracestate ? { traceparent, tracestate } : { traceparent };
}

function endSpan(span: Span, req: Request, res: Response): void {
  // The route is known once express matched it; the raw path would make one span name per URL.
  const route = typeof req.route?.path === 'string' ? `${req.baseUrl}${req.route.path}` : undefined;
  if (route !== undefined) {
    span.updateName(`${req.method} ${route}`);
    span.setAttribute('http.route', route);
  }
  span.setAttribute('http.response.status_code', res.statusCode);
  if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
