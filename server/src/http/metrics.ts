import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one app: process defaults plus request durations by route and status. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const measure: RequestHandler = (req, res, next) => {
    const end = requests.startTimer();
    res.on('finish', () => {
      // The matched route pattern, never the raw URL: tokens must not become label values.
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
  /**
   * For routes answered ahead of `measure` (leanRoutes), which name their route themselves: each
   * label set's observer is made once (the label sets of those routes are few).
   */
  const observers = new Map<string, (seconds: number) => void>();
  const observe = (labels: { method: string; route: string; status: string }, seconds: number) => {
    const key = `${labels.method} ${labels.route} ${labels.status}`;
    let observer = observers.get(key);
    if (!observer) observers.set(key, (observer = requests.labels(labels).observe));
    observer(seconds);
  };
  const expose: RequestHandler = async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  };
  return { registry, measure, observe, expose };
}
