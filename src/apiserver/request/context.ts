import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestInfo } from './request-info.js';

/** Who made a request, as authentication found. */
export interface UserInfo {
  name: string;
  groups: string[];
}

/** Everything the filters and handlers of one request share. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  info: RequestInfo;
  user?: UserInfo;
  /** `process.hrtime.bigint()` when the request arrived. */
  startedAt: bigint;
  /** Set for long-running requests (watch) so latency metrics leave them out. */
  longRunning?: boolean;
}

/** The end of the chain: answers a request. */
export type Handler = (ctx: RequestContext) => Promise<void>;

/** One step of the chain: may answer itself or pass the request on to `next`. */
export type Filter = (ctx: RequestContext, next: Handler) => Promise<void>;

/** Builds one handler from filters (outermost first) and the final handler. */
export function chain(filters: Filter[], last: Handler): Handler {
  return filters.reduceRight<Handler>((next, f) => (ctx) => f(ctx, next), last);
}

/** Writes a JSON answer (an object, or bytes already encoded). */
export function writeJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': buf.length, 'Cache-Control': 'no-cache, private' });
  res.end(buf);
}

/** Writes a plain-text answer. */
export function writeText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
