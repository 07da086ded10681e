import type { RequestHandler } from 'express';
import type { CounterMetric, HistogramMetric, MetricsService } from '@polis/plugin-api';

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);

/**
 * Counts requests by method, route and status, and times them by method and route. The route is
 * the matched pattern (`/queries/:type`), never the raw path, so a scan of random URLs cannot
 * grow the number of series; children are bound once per combination.
 */
export function httpMetrics(metrics: MetricsService): RequestHandler {
  const requests = metrics.counter({ name: 'polis_http_requests_total', help: 'HTTP requests answered by the gateway', labelNames: ['method', 'route', 'status'] });
  const durations = metrics.histogram({
    name: 'polis_http_request_duration_seconds',
    help: 'Time to answer an HTTP request (for a stream: until it closed)',
    labelNames: ['method', 'route'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  const counted = new Map<string, CounterMetric>();
  const timed = new Map<string, HistogramMetric>();
  return (req, res, next) => {
    const began = process.hrtime.bigint();
    // 'close' follows 'finish' for a reply, and comes alone for an aborted one or a stream.
    res.once('close', record);
    function record(): void {
      const method = METHODS.has(req.method) ? req.method : 'OTHER';
      const route = typeof req.route?.path === 'string' ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      const status = String(res.statusCode);
      const countKey = `${method} ${route} ${status}`;
      let counter = counted.get(countKey);
      if (counter === undefined) counted.set(countKey, (counter = requests.labels({ method, route, status })));
      counter.inc();
      const timeKey = `${method} ${route}`;
      let histogram = timed.get(timeKey);
      if (histogram === undefined) timed.set(timeKey, (histogram = durations.labels({ method, route })));
      histogram.observe(Number(process.hrtime.bigint() - began) / 1e9);
    }
    next();
  };
}
