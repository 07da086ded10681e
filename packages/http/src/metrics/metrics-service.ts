/**
 * The kernel's metrics interface, as agreed for `coreServices.metrics` (team/CORE-SERVICES.md).
 * Until `@polis/plugin-api` exports it (issue #8), it is declared here with the same shape, so
 * the prom-client implementation below satisfies the kernel's type structurally.
 */
export interface MetricLabels {
  readonly [name: string]: string;
}
export interface CounterMetric {
  inc(value?: number): void;
}
export interface GaugeMetric {
  set(value: number): void;
  inc(value?: number): void;
  dec(value?: number): void;
}
export interface HistogramMetric {
  observe(value: number): void;
}
export interface MetricFamily<M> {
  /** Binds label values once; the hot path keeps the returned child (no label hashing per event). */
  labels(labels: MetricLabels): M;
}
export interface MetricSpec {
  name: string;
  help: string;
  labelNames?: readonly string[];
}
export interface MetricsService {
  counter(spec: MetricSpec): MetricFamily<CounterMetric>;
  gauge(spec: MetricSpec): MetricFamily<GaugeMetric>;
  histogram(spec: MetricSpec & { buckets?: readonly number[] }): MetricFamily<HistogramMetric>;
}
