import { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { Kernel, MemoryTransport, createLogger } from '@polis/kernel';
import type { PromMetricsService } from '@polis/kernel';
import type { MetricsService } from '@polis/plugin-api';
import type { TracerProvider } from '@opentelemetry/api';
import { counterPlugin, gatewayPlugin } from '../bench-plugins.js';
import { alternate } from '../measure.js';
import type { RunningContender } from '../measure.js';
import { ratioResult } from '../result.js';
import type { Scenario } from '../scenario.js';
import { sized } from '../settings.js';
import { Tally } from '../tally.js';
import { measuring, publishThroughput } from '../throughput.js';

/** The share of traces recorded: a production setting, as a collector cannot take every event of a city. */
const SAMPLED = 0.01;

/** An exporter that takes batches and drops them: what is measured is the kernel's cost, not a collector's. */
class DroppingExporter implements SpanExporter {
  exported = 0;
  export(spans: ReadableSpan[], done: Parameters<SpanExporter['export']>[1]): void {
    this.exported += spans.length;
    // ExportResultCode.SUCCESS of @opentelemetry/core, not a dependency of its own for one constant.
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}

/**
 * The memory_vs_moleculer path (publish -> 1 handler plugin, validated) with tracing and the bus
 * metrics on against the same kernel without either, in the same rounds: an OpenTelemetry SDK,
 * 1 % of the traces sampled by the kernel (traceSampleRatio, with the SDK's ParentBased(AlwaysOn)
 * sampler: the setting README recommends), spans batched to an exporter; the kernel's
 * prom-client registry recording every publish, handler call and queue change, scraped once at
 * the end (a scrape is an operator's, not the hot path's). Both kernels publish the same readings.
 */
export const observabilityScenario: Scenario = {
  name: 'observability',
  keys: ['memory_observed_vs_plain'],
  async run({ settings }) {
    const durationMs = sized(settings, 400, 20);
    const exporter = new DroppingExporter();
    const provider = new BasicTracerProvider({ sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }), spanProcessors: [new BatchSpanProcessor(exporter)] });
    const running: ObservedContender[] = [];
    try {
      running.push(await contender('observed', durationMs, provider), await contender('plain', durationMs, undefined));
      const [observed, plain] = await alternate(running, settings);
      await provider.forceFlush();
      if (exporter.exported === 0) throw new Error('the traced kernel exported no span: tracing was not on');
      const handled = (running[0]!.metrics! as PromMetricsService).totalsBy('polis_events_handled_total', 'plugin').get('consumer-1') ?? 0;
      if (handled === 0) throw new Error('the observed kernel counted no handled event: metrics were not on');
      return [
        ratioResult({
          key: 'memory_observed_vs_plain',
          title: `publish -> 1 handler plugin with OpenTelemetry tracing (SDK, ${SAMPLED * 100} % of traces sampled, batched export) and the bus metrics on vs the same kernel without either`,
          numerator: observed!,
          denominator: plain!,
          target: { op: '>=', bound: 0.9 },
          notes: [measuring(durationMs), `${exporter.exported.toLocaleString('en-US')} spans exported`, `${handled.toLocaleString('en-US')} handled events counted in polis_events_handled_total`],
        }),
      ];
    } finally {
      for (const one of running) await one.stop();
      await provider.shutdown();
    }
  },
};

/** A contender with the kernel's metrics service, so the scenario can check they were recorded. */
type ObservedContender = RunningContender & { readonly metrics?: MetricsService };

/** Observed when given a tracer provider: tracing and bus metrics on; else both off. */
async function contender(label: string, durationMs: number, tracerProvider: TracerProvider | undefined): Promise<ObservedContender> {
  const tally = new Tally();
  const gateway = gatewayPlugin();
  const kernel = new Kernel({ transport: new MemoryTransport(), logger: createLogger({ level: 'warn' }), ...(tracerProvider === undefined ? { busMetrics: false } : { tracerProvider, traceSampleRatio: SAMPLED }) });
  const report = await kernel.start([gateway.plugin, counterPlugin('consumer-1', tally)]);
  if (report.failed.length > 0) throw new Error(`plugins failed to start: ${report.failed.map((error) => error.message).join('; ')}`);
  return {
    label,
    unit: 'events/s',
    measure: () => publishThroughput(label, durationMs, 1, gateway.publish, tally),
    stop: () => kernel.stop(),
    metrics: kernel.metrics,
  };
}
