import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

/** Where a test client connects and with which credentials (PEM). */
export interface ClientConfig {
  server: string;
  ca: string;
  cert?: string;
  key?: string;
}

/** An answer of {@link TestClient.request}. */
export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body's bytes. */
  raw: Buffer;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: any;
}

/** One event read from a watch stream. */
export interface WatchLine {
  type: string;
  object: any;
}

/**
 * A small HTTPS client for tests: raw requests with exact status codes and bodies, and watch
 * streams read line by line. It talks to the API server as any client would, over TLS with a
 * client certificate.
 */
export class TestClient {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(private readonly cfg: ClientConfig, maxSockets = 64) {
    this.url = new URL(cfg.server);
    this.agent = new Agent({ ca: cfg.ca, cert: cfg.cert, key: cfg.key, keepAlive: true, maxSockets });
  }

  /** Sends one request. `body` objects are sent as JSON. */
  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<TestResponse> {
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : typeof body === 'string' ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
    const h: Record<string, string | number> = { Accept: 'application/json', ...headers };
    if (payload) {
      h['Content-Type'] ??= 'application/json';
      h['Content-Length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const req = httpsRequest({ host: this.url.hostname, port: this.url.port, path, method, headers: h, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const text = raw.toString('utf8');
          let json: any;
          try { json = JSON.parse(text); } catch { json = undefined; }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, raw, json });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  /**
   * Opens a watch and hands each event to `onEvent`. Resolves once the response headers arrived;
   * `closed` resolves when the server ends the stream.
   */
  watch(path: string, onEvent: (e: WatchLine) => void, headers: Record<string, string> = {}): Promise<{ status: number; stop(): void; closed: Promise<void> }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest({ host: this.url.hostname, port: this.url.port, path, method: 'GET', headers: { Accept: 'application/json', ...headers }, agent: false,
        ca: this.cfg.ca, cert: this.cfg.cert, key: this.cfg.key }, (res) => {
        let buf = '';
        const closed = new Promise<void>((done) => {
          res.on('end', () => done());
          res.on('close', () => done());
          res.on('error', () => done());
        });
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (line.trim()) onEvent(JSON.parse(line));
          }
        });
        resolve({ status: res.statusCode ?? 0, stop: () => req.destroy(), closed });
      });
      req.on('error', (e) => reject(e));
      req.end();
    });
  }

  /** Closes pooled connections. */
  close(): void {
    this.agent.destroy();
  }
}

/** A ConfigMap body for tests. */
export function configMap(name: string, data: Record<string, string> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data };
}

/** Waits until `cond` holds, polling; fails after `timeoutMs`. */
export async function eventually(cond: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
