import { writeText, type Handler } from '../request/context.js';

/** One named health check; resolves with an error message when unhealthy. */
export interface HealthCheck {
  name: string;
  check(): Promise<string | null>;
}

/**
 * Serves `/healthz`, `/livez` or `/readyz` (and `/<path>/<check>` for one check) as upstream
 * does: `ok` when all pass; with `?verbose` (or on failure) one `[+]name ok` / `[-]name failed`
 * line per check and a closing `<path> check passed|failed` line.
 */
export function healthHandler(path: string, checks: HealthCheck[]): Handler {
  return async (ctx) => {
    const rest = ctx.url.pathname.slice(path.length + 1).replace(/^\//, '');
    const exclude = new Set(ctx.url.searchParams.getAll('exclude'));
    const selected = rest ? checks.filter((c) => c.name === rest) : checks;
    if (rest && selected.length === 0) {
      writeText(ctx.res, 404, '404 page not found\n');
      return;
    }
    const results = await Promise.all(selected.map(async (c) => {
      if (exclude.has(c.name)) return { name: c.name, err: null, excluded: true };
      try {
        return { name: c.name, err: await c.check(), excluded: false };
      } catch (e) {
        return { name: c.name, err: (e as Error).message, excluded: false };
      }
    }));
    const failed = results.some((r) => r.err);
    const verbose = ctx.url.searchParams.has('verbose');
    if (rest && !verbose) {
      writeText(ctx.res, failed ? 500 : 200, failed ? `internal server error: ${results[0].err}\n` : 'ok');
      return;
    }
    if (!failed && !verbose) {
      writeText(ctx.res, 200, 'ok');
      return;
    }
    const lines = results.map((r) => (r.excluded ? `[+]${r.name} excluded: ok` : r.err ? `[-]${r.name} failed: reason withheld` : `[+]${r.name} ok`));
    lines.push(`${path.slice(1)} check ${failed ? 'failed' : 'passed'}`);
    writeText(ctx.res, failed ? 500 : 200, lines.join('\n') + '\n');
  };
}
