import { parse } from 'yaml';

/** Where a client connects and how it limits itself. */
export interface ClientConfig {
  /** `https://host:port`. */
  server: string;
  /** The CA that signs the server's certificate (PEM). */
  caPem: string;
  /** Client certificate and key (PEM): the identity the API server sees. */
  certPem?: string;
  keyPem?: string;
  /** Bearer token, when no client certificate is used. */
  token?: string;
  /** Sustained requests per second (token bucket); 0 or undefined: unlimited. Watches are not counted. */
  qps?: number;
  /** Bucket size: how many requests may go at once after a quiet spell (default max(qps, 1) * 2). */
  burst?: number;
  /** The User-Agent header; it becomes the default field manager of writes. */
  userAgent?: string;
  /** Retries of a request that met 429, a 5xx answer with Retry-After, or a refused connection (default 3). */
  maxRetries?: number;
  /** Most sockets kept open to the server (default 64). */
  maxSockets?: number;
}

function b64(s: unknown): string | undefined {
  return typeof s === 'string' ? Buffer.from(s, 'base64').toString('utf8') : undefined;
}

/**
 * Reads the current context of a kubeconfig (YAML text) into a {@link ClientConfig}: the server,
 * the CA (`certificate-authority-data`) and the user's `client-certificate-data` /
 * `client-key-data` or `token`. Paths to files are not read: embed the data. Throws when the
 * current context, its cluster or its user is missing.
 */
export function configFromKubeconfig(yamlText: string): ClientConfig {
  const doc = parse(yamlText) as any;
  const ctxName = doc?.['current-context'];
  const ctx = doc?.contexts?.find((c: any) => c.name === ctxName)?.context;
  if (!ctx) throw new Error(`kubeconfig: current context "${ctxName ?? ''}" not found`);
  const cluster = doc.clusters?.find((c: any) => c.name === ctx.cluster)?.cluster;
  if (!cluster?.server) throw new Error(`kubeconfig: cluster "${ctx.cluster}" not found`);
  const user = doc.users?.find((u: any) => u.name === ctx.user)?.user ?? {};
  const caPem = b64(cluster['certificate-authority-data']);
  if (!caPem) throw new Error(`kubeconfig: cluster "${ctx.cluster}" has no certificate-authority-data`);
  return {
    server: cluster.server,
    caPem,
    certPem: b64(user['client-certificate-data']),
    keyPem: b64(user['client-key-data']),
    token: typeof user.token === 'string' ? user.token : undefined,
  };
}
