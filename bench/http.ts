/**
 * The HTTPS side of the benchmark: a keep-alive client that creates 1 KiB ConfigMaps as any
 * Kubernetes client would (POST /api/v1/namespaces/default/configmaps, JSON, client certificate).
 */
import { Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';
import { runClosedLoop, type LoadResult } from './load.js';

/** Where the server is and how to authenticate (PEM), as `startServerProcess` gives them. */
export interface Credentials {
  server: string;
  ca: string;
  cert: string;
  key: string;
}

/** The ConfigMap collection every create goes to. */
export const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';

/** 1 KiB of ConfigMap data besides the send time. */
const PAYLOAD = 'x'.repeat(1024);

/** Wall-clock milliseconds with sub-millisecond resolution (comparable with other readings in this process). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** The answer of a create. */
export interface CreateAnswer {
  /** The resourceVersion of the new object. */
  rv: number;
  /** When the response had fully arrived ({@link nowMs}). */
  at: number;
}

/** A keep-alive HTTPS client for the benchmark's creates and lists. */
export class BenchClient {
  readonly agent: Agent;
  private readonly url: URL;

  constructor(readonly creds: Credentials, maxSockets = 64) {
    this.url = new URL(creds.server);
    this.agent = new Agent({ ca: creds.ca, cert: creds.cert, key: creds.key, keepAlive: true, maxSockets });
  }

  /** Sends one request and reads the whole answer. */
  request(method: string, path: string, body?: Buffer): Promise<{ status: number; text: string }> {
    const headers: Record<string, string | number> = { Accept: 'application/json' };
    if (body) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = body.length;
    }
    return new Promise((resolve, reject) => {
      const req = request({ host: this.url.hostname, port: this.url.port, path, method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /**
   * Creates ConfigMap `name` whose data holds `sentAt` (the send time, {@link nowMs}) and 1 KiB of
   * payload. Fails unless the answer is 201.
   */
  async createConfigMap(name: string): Promise<CreateAnswer> {
    const sentAt = nowMs();
    const body = Buffer.from(JSON.stringify({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { sentAt: sentAt.toFixed(3), payload: PAYLOAD },
    }));
    const r = await this.request('POST', CONFIGMAPS, body);
    const at = nowMs();
    if (r.status !== 201) throw new Error(`create ${name}: HTTP ${r.status}: ${r.text.slice(0, 300)}`);
    const m = /"resourceVersion":"(\d+)"/.exec(r.text);
    if (!m) throw new Error(`create ${name}: no resourceVersion in ${r.text.slice(0, 300)}`);
    return { rv: Number(m[1]), at };
  }

  /** The current resourceVersion of the ConfigMap collection (a list of at most one item, read from storage). */
  async currentResourceVersion(): Promise<number> {
    const r = await this.request('GET', `${CONFIGMAPS}?limit=1`);
    if (r.status !== 200) throw new Error(`list: HTTP ${r.status}: ${r.text.slice(0, 300)}`);
    return Number(JSON.parse(r.text).metadata.resourceVersion);
  }

  /** Closes pooled connections. */
  close(): void {
    this.agent.destroy();
  }
}

/** Creates ConfigMaps `<prefix>-<i>` with a closed loop of `concurrency` clients. */
export function runHttpCreates(client: BenchClient, prefix: string, concurrency: number, maxOps: number, maxMs: number): Promise<LoadResult> {
  return runClosedLoop(concurrency, maxOps, maxMs, async (i) => {
    await client.createConfigMap(`${prefix}-${i}`);
  });
}
