import { describe, expect, it } from 'vitest';
import { PromMetricsService } from './prom-metrics-service.js';

// The implementation of coreServices.metrics, exercised as the kernel and the gateway use it.
describe('PromMetricsService', () => {
  it('exports counters, gauges and histograms in the Prometheus text format with their bound labels', async () => {
    const metrics = new PromMetricsService({ processMetrics: false });
    const published = metrics.counter({ name: 'polis_events_published_total', help: 'Events published', labelNames: ['plugin', 'type'] });
    const traffic = published.labels({ plugin: 'traffic', type: 'traffic.incident.detected' });
    traffic.inc();
    traffic.inc(2);
    metrics.gauge({ name: 'polis_queue_depth', help: 'Queued events', labelNames: ['plugin', 'pattern'] }).labels({ plugin: 'healthcare', pattern: 'safety.>' }).set(7);
    const latency = metrics.histogram({ name: 'polis_handler_duration_seconds', help: 'Handler time', labelNames: ['plugin', 'type'], buckets: [0.001, 0.01, 0.1] }).labels({ plugin: 'traffic', type: 'x.y.z' });
    for (const seconds of [0.0005, 0.005, 0.005, 0.05, 3]) latency.observe(seconds);
    const { contentType, text } = await metrics.exposition();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toContain('# TYPE polis_events_published_total counter');
    expect(text).toContain('polis_events_published_total{plugin="traffic",type="traffic.incident.detected"} 3');
    expect(text).toContain('polis_queue_depth{plugin="healthcare",pattern="safety.>"} 7');
    expect(text).toContain('polis_handler_duration_seconds_bucket{plugin="traffic",type="x.y.z",le="0.001"} 1');
    expect(text).toContain('polis_handler_duration_seconds_bucket{plugin="traffic",type="x.y.z",le="0.01"} 3');
    expect(text).toContain('polis_handler_duration_seconds_bucket{plugin="traffic",type="x.y.z",le="0.1"} 4');
    expect(text).toContain('polis_handler_duration_seconds_bucket{plugin="traffic",type="x.y.z",le="+Inf"} 5');
    expect(text).toContain('polis_handler_duration_seconds_count{plugin="traffic",type="x.y.z"} 5');
    expect(text).toMatch(/polis_handler_duration_seconds_sum\{plugin="traffic",type="x.y.z"\} 3\.0605/);
  });

  it('hands out the same family and child again, so a reloaded plugin keeps counting', async () => {
    const metrics = new PromMetricsService({ processMetrics: false });
    const spec = { name: 'polis_events_handled_total', help: 'Handled', labelNames: ['plugin', 'type', 'outcome'] };
    const a = metrics.counter(spec).labels({ plugin: 'p', type: 't.u.v', outcome: 'ok' });
    const b = metrics.counter(spec).labels({ plugin: 'p', type: 't.u.v', outcome: 'ok' });
    expect(b).toBe(a);
    a.inc();
    b.inc();
    expect(metrics.totalsBy('polis_events_handled_total', 'plugin').get('p')).toBe(2);
  });

  it('refuses a second family of another shape under a taken name, bad names, and unknown or missing labels', () => {
    const metrics = new PromMetricsService({ processMetrics: false });
    metrics.counter({ name: 'x_total', help: 'x', labelNames: ['a'] });
    expect(() => metrics.gauge({ name: 'x_total', help: 'x', labelNames: ['a'] })).toThrow(/already registered as a counter/);
    expect(() => metrics.counter({ name: 'x_total', help: 'x', labelNames: ['b'] })).toThrow(/already registered/);
    expect(() => metrics.counter({ name: 'bad-name', help: 'x' })).toThrow(/not a Prometheus metric name/);
    expect(() => metrics.histogram({ name: 'h', help: 'x', labelNames: ['le'] })).toThrow(/not a usable label/);
    const family = metrics.counter({ name: 'x_total', help: 'x', labelNames: ['a'] });
    expect(() => family.labels({})).toThrow(/label 'a' needs a string/);
    expect(() => family.labels({ a: '1', b: '2' })).toThrow(/no label 'b'/);
  });

  it('refuses a counter going down and observations that are not finite', () => {
    const metrics = new PromMetricsService({ processMetrics: false });
    const counter = metrics.counter({ name: 'c_total', help: 'c' }).labels({});
    expect(() => counter.inc(-1)).toThrow(TypeError);
    expect(() => counter.inc(Number.NaN)).toThrow(TypeError);
    const histogram = metrics.histogram({ name: 'h_seconds', help: 'h' }).labels({});
    expect(() => histogram.observe(Number.POSITIVE_INFINITY)).toThrow(TypeError);
  });

  it('exports process metrics unless asked not to', async () => {
    expect((await new PromMetricsService().exposition()).text).toContain('process_cpu_user_seconds_total');
    expect((await new PromMetricsService({ processMetrics: false }).exposition()).text).not.toContain('process_cpu_user_seconds_total');
  });
});
