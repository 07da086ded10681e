import type { CounterMetric, GaugeMetric, HistogramMetric, MetricFamily, MetricsService } from '@polis/plugin-api';

/** Handler latency buckets, in seconds: in-process handlers take microseconds, a slow one seconds. */
const HANDLER_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30];

/** What the delivery engine reports of one subscription (TransportSubscription.meter). */
export interface DeliveryMeter {
  /** A handler call of an event of `type` ended after `seconds`, `ok` or failed. */
  finished(type: string, seconds: number, ok: boolean): void;
  /** A failed event of `type` waits for another attempt. */
  retried(type: string): void;
  /** Events waiting in the dispatcher grew (or, negative, shrank) by `delta` (told once per dispatch round, not per event). */
  queued(delta: number): void;
}

interface TypeChildren {
  readonly handled: CounterMetric;
  readonly retried: CounterMetric;
  readonly duration: HistogramMetric;
}

/**
 * The kernel's bus metrics on a {@link MetricsService}. Children are cached per plugin and type
 * in nested maps, so recording an event is two map lookups and an increment: no label object
 * and no key string built per event.
 */
export class BusMetrics {
  private readonly publishedFamily: MetricFamily<CounterMetric>;
  private readonly handledFamily: MetricFamily<CounterMetric>;
  private readonly retriedFamily: MetricFamily<CounterMetric>;
  private readonly deadLetteredFamily: MetricFamily<CounterMetric>;
  private readonly durationFamily: MetricFamily<HistogramMetric>;
  private readonly depthFamily: MetricFamily<GaugeMetric>;
  private readonly faultFamily: MetricFamily<CounterMetric>;
  private readonly reconnectCounter: CounterMetric;
  private readonly publishers = new Map<string, Map<string, CounterMetric>>();
  private readonly letters = new Map<string, CounterMetric>();

  constructor(metrics: MetricsService) {
    const byTypeAndPlugin = ['type', 'plugin'];
    this.publishedFamily = metrics.counter({ name: 'polis_events_published_total', help: 'Events handed to the transport, by type and publishing plugin', labelNames: byTypeAndPlugin });
    this.handledFamily = metrics.counter({ name: 'polis_events_handled_total', help: 'Handler calls that succeeded, by type and subscribing plugin', labelNames: byTypeAndPlugin });
    this.retriedFamily = metrics.counter({ name: 'polis_events_retried_total', help: 'Failed events queued for another attempt', labelNames: byTypeAndPlugin });
    this.deadLetteredFamily = metrics.counter({ name: 'polis_events_dead_lettered_total', help: 'Events given up on, by type, plugin and error code', labelNames: ['type', 'plugin', 'code'] });
    this.durationFamily = metrics.histogram({ name: 'polis_handler_duration_seconds', help: 'Handler call time (successes and failures; timed-out calls are not observed)', labelNames: byTypeAndPlugin, buckets: HANDLER_BUCKETS });
    this.depthFamily = metrics.gauge({ name: 'polis_queue_depth', help: 'Events waiting in the dispatcher for a handler slot, by plugin', labelNames: ['plugin'] });
    this.faultFamily = metrics.counter({ name: 'polis_process_faults_total', help: 'Stray rejections and exceptions the process guard caught, by plugin (empty: unattributed)', labelNames: ['plugin'] });
    this.reconnectCounter = metrics.counter({ name: 'polis_transport_reconnects_total', help: 'Times the transport connection came back after a loss' }).labels({});
  }

  published(plugin: string, type: string): void {
    // A stream of one publisher's one type (telemetry) skips the lookups.
    if (plugin === this.lastPublisher && type === this.lastPublishedType) {
      this.lastPublished!.inc();
      return;
    }
    let byType = this.publishers.get(plugin);
    if (byType === undefined) this.publishers.set(plugin, (byType = new Map()));
    let counter = byType.get(type);
    if (counter === undefined) byType.set(type, (counter = this.publishedFamily.labels({ type, plugin })));
    this.lastPublisher = plugin;
    this.lastPublishedType = type;
    this.lastPublished = counter;
    counter.inc();
  }

  private lastPublisher: string | undefined;
  private lastPublishedType: string | undefined;
  private lastPublished: CounterMetric | undefined;

  /** Off the hot path (a dead letter is rare): the key string is fine here. */
  deadLettered(plugin: string, type: string, code: string): void {
    const key = `${plugin}\u0000${type}\u0000${code}`;
    let counter = this.letters.get(key);
    if (counter === undefined) this.letters.set(key, (counter = this.deadLetteredFamily.labels({ type, plugin, code })));
    counter.inc();
  }

  fault(plugin: string | undefined): void {
    this.faultFamily.labels({ plugin: plugin ?? '' }).inc();
  }

  reconnected(): void {
    this.reconnectCounter.inc();
  }

  /** The meter of one subscription of `plugin`; its queue depth shares the plugin's gauge. */
  meter(plugin: string): DeliveryMeter {
    const depth = this.depthFamily.labels({ plugin });
    const types = new Map<string, TypeChildren>();
    // Most subscriptions are of one type: the last one's children are kept at hand.
    let lastType: string | undefined;
    let last: TypeChildren | undefined;
    const children = (type: string): TypeChildren => {
      if (type === lastType) return last!;
      let found = types.get(type);
      if (found === undefined) {
        const labels = { type, plugin };
        found = { handled: this.handledFamily.labels(labels), retried: this.retriedFamily.labels(labels), duration: this.durationFamily.labels(labels) };
        types.set(type, found);
      }
      lastType = type;
      last = found;
      return found;
    };
    return {
      finished(type, seconds, ok) {
        const found = children(type);
        found.duration.observe(seconds);
        if (ok) found.handled.inc();
      },
      retried(type) {
        children(type).retried.inc();
      },
      queued(delta) {
        depth.inc(delta);
      },
    };
  }
}
