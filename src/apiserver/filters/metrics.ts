import type { ApiServerMetrics } from '../metrics.js';
import type { Filter } from '../request/context.js';

/** Counts every answered request by verb, resource and code, and times the short-running ones. */
export function withMetrics(m: ApiServerMetrics): Filter {
  return async (ctx, next) => {
    ctx.res.once('finish', () => {
      const verb = ctx.info.isResourceRequest ? ctx.info.verb.toUpperCase() : ctx.req.method ?? '';
      const resource = ctx.info.resource || ctx.url.pathname.split('/')[1] || '/';
      m.requests.inc({ verb, resource, code: String(ctx.res.statusCode) });
      if (!ctx.longRunning) m.latency.observe({ verb, resource }, Number(process.hrtime.bigint() - ctx.startedAt) / 1e9);
    });
    await next(ctx);
  };
}
