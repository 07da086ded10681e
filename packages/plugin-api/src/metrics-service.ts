/**
 * The metrics interface of `coreServices.metrics`: the kernel records its bus metrics through it,
 * and connectors, the gateway or a plugin register their own. Children are bound once per label
 * set and kept, so a hot path increments a field, never hashes labels.
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
