import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The API server's Prometheus metrics, in their own registry (no global state). */
export interface ApiServerMetrics {
  registry: Registry;
  requests: Counter<'verb' | 'resource' | 'code'>;
  latency: Histogram<'verb' | 'resource'>;
  inflightWatches: Gauge<'resource'>;
}

/** Creates the metrics; `collect` callbacks read storage and watch-cache figures at scrape time. */
export function createMetrics(collect: { storage: () => Promise<Record<string, number>>; caches: () => Array<{ resource: string; objects: number; watchers: number; revision: number; events: number; slowClosed: number }> }): ApiServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'apiserver_request_total', help: 'Requests answered, by verb, resource and HTTP code.',
    labelNames: ['verb', 'resource', 'code'] as const, registers: [registry],
  });
  const latency = new Histogram({
    name: 'apiserver_request_duration_seconds', help: 'Latency of requests that are not long-running, by verb and resource.',
    labelNames: ['verb', 'resource'] as const, registers: [registry],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  const inflightWatches = new Gauge({
    name: 'apiserver_longrunning_requests', help: 'Open watches, by resource.',
    labelNames: ['resource'] as const, registers: [registry],
  });
  new Gauge({
    name: 'tskube_storage_info', help: 'Storage figures: revision, compacted revision, write batches and batched writes.',
    labelNames: ['figure'] as const, registers: [registry],
    async collect() {
      this.reset();
      for (const [k, v] of Object.entries(await collect.storage())) this.set({ figure: k }, v);
    },
  });
  const cacheGauge = (name: string, help: string, pick: (c: ReturnType<typeof collect.caches>[number]) => number) => new Gauge({
    name, help, labelNames: ['resource'] as const, registers: [registry],
    collect() {
      this.reset();
      for (const c of collect.caches()) this.set({ resource: c.resource }, pick(c));
    },
  });
  cacheGauge('watch_cache_capacity_objects', 'Objects held by each watch cache.', (c) => c.objects);
  cacheGauge('watch_cache_watchers', 'Client watches served by each watch cache.', (c) => c.watchers);
  cacheGauge('watch_cache_resource_version', 'The revision each watch cache has caught up with.', (c) => c.revision);
  cacheGauge('watch_cache_slow_watchers_closed', 'Watchers closed because they fell too far behind.', (c) => c.slowClosed);
  cacheGauge('watch_cache_events_total', 'Events each watch cache has received from storage.', (c) => c.events);
  return { registry, requests, latency, inflightWatches };
}
