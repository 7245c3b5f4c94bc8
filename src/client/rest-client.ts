import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { createSecureContext } from 'node:tls';
import type { ClientConfig } from './config.js';
import { StatusError, type Status } from './errors.js';
import { TokenBucket } from './rate-limiter.js';

/** Query parameters; undefined values are left out. */
export type Query = Record<string, string | number | boolean | undefined>;

/** One request of {@link RestClient.request}. */
export interface RestRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  /** Sent as JSON unless it is a Buffer or string. */
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

/** Errors of the connection that mean the request never reached the server. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
/** Errors after which an idempotent request may be sent again. */
const BROKEN = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED']);

/** Renders `path?query`. */
export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
});

/**
 * HTTPS transport to one API server: JSON requests with the configured identity, a QPS/burst
 * token bucket, and retries. A 429 or a 5xx answer carrying Retry-After is retried after the
 * delay it names; a connection that was refused is retried for every verb (nothing was sent), a
 * connection that broke only for GET. Other failures reject with a {@link StatusError} (when
 * the server answered) or the network error.
 */
export class RestClient {
  readonly userAgent: string;
  private readonly url: URL;
  private readonly agent: Agent;
  private readonly watchAgent: Agent;
  private readonly bucket: TokenBucket;
  private readonly maxRetries: number;
  private readonly headers: Record<string, string>;

  constructor(readonly config: ClientConfig) {
    this.url = new URL(config.server);
    // One TLS context for every socket: building it parses the certificates, which is costly per connection.
    const secureContext = createSecureContext({ ca: config.caPem, cert: config.certPem, key: config.keyPem });
    const tls = { secureContext, keepAlive: true };
    this.agent = new Agent({ ...tls, maxSockets: config.maxSockets ?? 64 });
    // Watches hold their connection open; they get their own pool so they never starve requests.
    this.watchAgent = new Agent(tls);
    const qps = config.qps ?? 0;
    this.bucket = new TokenBucket(qps, config.burst ?? Math.max(qps, 1) * 2);
    this.maxRetries = config.maxRetries ?? 3;
    this.userAgent = config.userAgent ?? 'tskube-client';
    this.headers = { 'User-Agent': this.userAgent };
    if (config.token) this.headers.Authorization = `Bearer ${config.token}`;
  }

  /** Sends a request and resolves with the parsed JSON answer (undefined for an empty body). */
  async request<T = any>(req: RestRequest): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await this.bucket.wait();
      let res: { status: number; headers: IncomingMessage['headers']; body: Buffer };
      try {
        res = await this.send(req);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        const retryable = NOT_SENT.has(code) || (req.method === 'GET' && BROKEN.has(code));
        if (!retryable || attempt >= this.maxRetries || req.signal?.aborted) throw err;
        await sleep(Math.min(1000, 50 * 2 ** attempt), req.signal);
        continue;
      }
      if (res.status < 300) return (res.body.length ? JSON.parse(res.body.toString('utf8')) : undefined) as T;
      const retryAfter = Number(res.headers['retry-after']);
      if ((res.status === 429 || (res.status >= 500 && retryAfter > 0)) && attempt < this.maxRetries && !req.signal?.aborted) {
        await sleep((retryAfter > 0 ? retryAfter : 1) * 1000, req.signal);
        continue;
      }
      throw new StatusError(res.status, parseStatus(res.status, res.body));
    }
  }

  /**
   * Opens a streaming GET (a watch): resolves with the response once the server accepted it,
   * rejects with a {@link StatusError} when it refused. Not counted against the QPS limit.
   */
  openStream(path: string, query: Query, signal?: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest({
        host: this.url.hostname, port: this.url.port, path: withQuery(path, query), method: 'GET',
        headers: { ...this.headers, Accept: 'application/json' }, agent: this.watchAgent, signal,
      }, (res) => {
        if ((res.statusCode ?? 0) < 300) return resolve(res);
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => reject(new StatusError(res.statusCode ?? 0, parseStatus(res.statusCode ?? 0, Buffer.concat(chunks)))));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** Closes idle connections; open watches end when their signals abort. */
  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }

  private send(req: RestRequest): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
    const payload = req.body === undefined ? undefined
      : Buffer.isBuffer(req.body) ? req.body : Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body));
    const headers: Record<string, string | number> = { ...this.headers, Accept: 'application/json' };
    if (payload) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const r = httpsRequest({
        host: this.url.hostname, port: this.url.port, path: withQuery(req.path, req.query), method: req.method,
        headers, agent: this.agent, signal: req.signal,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      r.on('error', reject);
      r.end(payload);
    });
  }
}

function parseStatus(code: number, body: Buffer): Status {
  try {
    const parsed = JSON.parse(body.toString('utf8'));
    if (parsed && typeof parsed === 'object' && parsed.kind === 'Status') return parsed as Status;
  } catch { /* not JSON */ }
  return { kind: 'Status', status: 'Failure', code, message: body.toString('utf8').trim() || `the server answered ${code}` };
}
