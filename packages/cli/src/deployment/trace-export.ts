import { trace } from '@opentelemetry/api';
import type { TracerProvider } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler } from '@opentelemetry/sdk-trace-base';
import type { DeploymentSpec } from './deployment-schema.js';

/** A deployment's trace export while it runs. */
export interface TraceExport {
  readonly provider: TracerProvider;
  /** The kernel's head-sampling ratio for new traces. */
  readonly sampleRatio: number;
  /** Sends the spans still batched and stops exporting. */
  shutdown(): Promise<void>;
}

/**
 * The `tracing:` section's exporter: an OpenTelemetry SDK whose spans are batched and sent over
 * OTLP/HTTP (JSON) to a collector. The kernel decides which new traces are recorded (its
 * `traceSampleRatio`); the SDK keeps every span of a recorded trace and none of an unrecorded one
 * (ParentBased(AlwaysOn)), so a trace is never recorded in part. Registered as the global provider
 * too, while no other is, so the HTTP gateway's spans go to the same collector. An unreachable
 * collector loses spans, never events: export runs apart from the bus.
 */
export function startTraceExport(spec: DeploymentSpec): TraceExport | undefined {
  const tracing = spec.tracing;
  if (tracing === undefined) return undefined;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': tracing.serviceName ?? spec.name }),
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: tracing.otlpUrl }))],
  });
  const registered = trace.setGlobalTracerProvider(provider);
  return {
    provider,
    sampleRatio: tracing.sampleRatio,
    async shutdown() {
      await provider.shutdown();
      if (registered) trace.disable();
    },
  };
}
