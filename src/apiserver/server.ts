import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Storage } from '../storage/interface.js';
import { startCompactor } from '../storage/compactor.js';
import { badRequest, pathNotFound } from '../machinery/status.js';
import type { ClusterPki } from './pki/cluster-pki.js';
import { chain, writeJson, writeText, type Filter, type Handler, type RequestContext } from './request/context.js';
import { resolveRequestInfo } from './request/request-info.js';
import { withErrorHandling } from './filters/errors.js';
import { withMetrics } from './filters/metrics.js';
import { withAuthentication } from './filters/authentication.js';
import { withBodyLimit } from './filters/body-limit.js';
import { createMetrics } from './metrics.js';
import { GenericRegistry } from './registry/generic-registry.js';
import { BUILTIN_RESOURCES, resourceKey } from './registry/builtin.js';
import { SYSTEM_NAMESPACES, namespaceFinalized } from './registry/core/namespaces.js';
import { SYSTEM_PRIORITY_CLASSES } from './registry/scheduling/priorityclasses.js';
import type { ApiObject } from './registry/resource.js';
import { NamespaceLifecycle } from './admission/namespace-lifecycle.js';
import { AdmissionChain } from './admission/chain.js';
import { admissionPlugins } from './admission/plugins.js';
import {
  DEFAULT_SERVICE_CLUSTER_IP_RANGE, DEFAULT_SERVICE_NODE_PORT_RANGE, attachServiceAllocation,
} from './registry/core/service-allocation/attach.js';
import { startKubernetesServiceController } from './registry/core/service-allocation/kubernetes-service.js';
import { Discovery } from './endpoints/discovery.js';
import { ResourceHandler } from './endpoints/resource-handler.js';
import { OutputWriter } from './endpoints/output.js';
import { attachFieldManager } from './registry/managed-fields.js';
import { ObjectBodyDecoder } from './request/object-body.js';
import { builtinSchemas } from '../api/index.js';
import { ProtobufCodec } from '../api/protobuf/codec.js';
import { KUBERNETES_VERSION, serveVersion } from './endpoints/version.js';
import { OpenApiHandler } from './endpoints/openapi.js';
import { healthHandler, type HealthCheck } from './endpoints/health.js';

/** Configuration of {@link startApiServer}. */
export interface ApiServerConfig {
  storage: Storage;
  pki: ClusterPki;
  /** Address to listen on; default 127.0.0.1. */
  bindAddress?: string;
  /** Port; 0 picks a free one. */
  port: number;
  /** How often bookmarks go to watchers that asked; default 60 s. */
  bookmarkIntervalMs?: number;
  /** Events kept per resource for resuming watches; default 10,000. */
  watchCacheCapacity?: number;
  /** Compaction interval; default 5 minutes. 0 turns the compactor off. */
  compactionIntervalMs?: number;
  /** `--service-cluster-ip-range`; default 10.96.0.0/12. */
  serviceClusterIpRange?: string;
  /** `--service-node-port-range`; default 30000-32767. */
  serviceNodePortRange?: string;
}

/** A running API server. */
export interface ApiServer {
  /** The port it listens on. */
  port: number;
  /** The registries, by {@link resourceKey} (`/pods`, `apps/deployments`); one per stored resource. */
  registries: Map<string, GenericRegistry>;
  /** Stops serving: closes watches and connections, stops the caches. Storage stays open. */
  close(): Promise<void>;
}

/**
 * Starts the API server: HTTPS with client-certificate authentication, the request filters below
 * (in the order they run), discovery, health, metrics and the resource endpoints.
 */
export async function startApiServer(cfg: ApiServerConfig): Promise<ApiServer> {
  const { storage } = cfg;
  const registries = new Map<string, GenericRegistry>();
  const lifecycle = new NamespaceLifecycle(async (name) => {
    const nsReg = registries.get(resourceKey('', 'namespaces'))!;
    const cached = nsReg.cache.get(nsReg.key(undefined, name));
    if (cached) return cached.object;
    // Not in the cache (yet): a namespace created a moment ago is read from storage.
    const kv = await storage.get(nsReg.key(undefined, name));
    return kv ? nsReg.decode(kv.value, kv.modRevision) : null;
  });
  const admission = new AdmissionChain(admissionPlugins({
    lifecycle,
    priorityClasses: () => registries.get(resourceKey('scheduling.k8s.io', 'priorityclasses'))?.cache.list(undefined).items.map((i) => i.object) ?? [],
  }));
  for (const def of BUILTIN_RESOURCES) {
    if (def.storedAs || def.stored === false) continue; // served through another registry, or not stored at all
    registries.set(resourceKey(def.group, def.plural), new GenericRegistry(def, storage, admission, { bookmarkIntervalMs: cfg.bookmarkIntervalMs, capacity: cfg.watchCacheCapacity }));
  }
  const namespaces = registries.get(resourceKey('', 'namespaces'))!;
  // A deleted namespace stays (Terminating) until its spec finalizers are done: the namespace
  // controller empties it and then takes `kubernetes` off through `finalize`.
  namespaces.beforeRemove = async (ns) => namespaceFinalized(ns);
  const schemas = builtinSchemas();
  const applier = attachFieldManager(schemas, registries.values());
  await Promise.all([...registries.values()].map((r) => r.cache.start()));
  await ensureObjects(registries.get(resourceKey('', 'namespaces'))!, SYSTEM_NAMESPACES.map((name) => ({ metadata: { name } })));
  await ensureObjects(registries.get(resourceKey('scheduling.k8s.io', 'priorityclasses'))!, SYSTEM_PRIORITY_CLASSES);

  // Service cluster IP and node port allocation: repairs the stored allocation state, then allocates on writes.
  const serviceClusterIpRange = cfg.serviceClusterIpRange ?? DEFAULT_SERVICE_CLUSTER_IP_RANGE;
  try {
    await attachServiceAllocation(registries.get(resourceKey('', 'services'))!, storage, {
      serviceClusterIpRange, nodePortRange: cfg.serviceNodePortRange ?? DEFAULT_SERVICE_NODE_PORT_RANGE,
      endpoints: registries.get(resourceKey('', 'endpoints')),
    });
  } catch (err) {
    for (const r of registries.values()) r.cache.stop();
    throw err;
  }

  const discovery = new Discovery(BUILTIN_RESOURCES);
  const codec = new ProtobufCodec(schemas);
  const resources = new ResourceHandler(BUILTIN_RESOURCES, registries, new ObjectBodyDecoder(schemas, codec), schemas, new OutputWriter(schemas, codec));
  resources.applier = applier;
  // Upstream also lists scheduler and controller-manager, probed at their own ports; here they do
  // not run as separate processes, so only the storage (etcd-0) is reported.
  resources.componentHealth = async () => {
    try {
      await withTimeout(storage.currentRevision(), 2000, 'storage did not answer');
      return [{ name: 'etcd-0', healthy: true, message: 'ok' }];
    } catch (err) {
      return [{ name: 'etcd-0', healthy: false, error: (err as Error).message }];
    }
  };
  const metrics = createMetrics({
    storage: async () => {
      const figures: Record<string, number> = {
        revision: await storage.currentRevision(),
        compacted_revision: await storage.compactedRevision(),
      };
      const batch = (storage as { batchStats?: { batches: number; writes: number } }).batchStats;
      if (batch) { figures.write_batches = batch.batches; figures.batched_writes = batch.writes; }
      return figures;
    },
    caches: () => [...registries.values()].map((r) => ({
      resource: r.def.plural, objects: r.cache.size, watchers: r.cache.watcherCount, revision: r.cache.revision, events: r.cache.stats.events,
      slowClosed: r.cache.stats.slowWatchersClosed,
    })),
  });
  let shuttingDown = false;
  const storageCheck: HealthCheck = {
    name: 'etcd',
    check: async () => {
      await withTimeout(storage.currentRevision(), 2000, 'storage did not answer');
      return null;
    },
  };
  const base: HealthCheck[] = [{ name: 'ping', check: async () => null }, { name: 'log', check: async () => null }, storageCheck];
  const ready: HealthCheck[] = [
    ...base,
    { name: 'informer-sync', check: async () => null },
    { name: 'shutdown', check: async () => (shuttingDown ? 'shutting down' : null) },
  ];
  const openapi = new OpenApiHandler(schemas, BUILTIN_RESOURCES, `v${KUBERNETES_VERSION.major}.${KUBERNETES_VERSION.minor}.${KUBERNETES_VERSION.patch}`);
  const routes: Array<[string, Handler]> = [
    ['/version', serveVersion],
    ['/openapi', async (ctx) => openapi.serve(ctx)],
    ['/healthz', healthHandler('/healthz', base)],
    ['/livez', healthHandler('/livez', base)],
    ['/readyz', healthHandler('/readyz', ready)],
    ['/metrics', async (ctx) => {
      const text = await metrics.registry.metrics();
      ctx.res.writeHead(200, { 'Content-Type': metrics.registry.contentType });
      ctx.res.end(text);
    }],
  ];

  const route: Handler = async (ctx) => {
    const { info } = ctx;
    if (info.isResourceRequest) return resources.handle(ctx);
    const p = ctx.url.pathname.replace(/\/+$/, '') || '/';
    if (p === '/api') return discovery.serveRoot(ctx, true);
    if (p === '/apis') return discovery.serveRoot(ctx, false);
    if (info.apiPrefix === 'api') return discovery.serveVersion(ctx, '', info.apiVersion);
    if (info.apiPrefix === 'apis') return discovery.serveVersion(ctx, info.apiGroup, info.apiVersion);
    if (p.startsWith('/apis/')) return discovery.serveGroup(ctx, p.split('/')[2]);
    for (const [prefix, h] of routes) {
      if (p === prefix || p.startsWith(prefix + '/')) return h(ctx);
    }
    if (p === '/' ) throw pathNotFound();
    writeText(ctx.res, 404, '404 page not found\n');
  };

  /** The request filters, in the order they run. */
  const FILTERS: Filter[] = [
    withErrorHandling, // 1. any error below becomes a Status answer
    withMetrics(metrics), // 2. count and time every request
    withAuthentication, // 3. who is asking (x509); 401 for strangers
    withBodyLimit, // 4. refuse oversized bodies before reading them
  ];
  const handler = chain(FILTERS, route);

  const server: Server = createServer({
    key: cfg.pki.serving.keyPem,
    cert: cfg.pki.serving.certPem,
    ca: cfg.pki.ca.certPem,
    requestCert: true,
    rejectUnauthorized: false,
    keepAliveTimeout: 120_000,
  }, (req, res) => {
    let ctx: RequestContext;
    try {
      const url = new URL(req.url ?? '/', 'https://localhost');
      ctx = { req, res, url, info: resolveRequestInfo(req.method ?? 'GET', url), startedAt: process.hrtime.bigint() };
    } catch {
      // A request target that is not a URL path (e.g. a malformed absolute form) never reaches the chain.
      writeJson(res, 400, badRequest('the request target is not a valid path').toStatus());
      return;
    }
    handler(ctx).catch((err) => {
      console.error('unhandled request failure:', err);
      res.destroy();
    });
  });
  server.headersTimeout = 60_000;
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.bindAddress ?? '127.0.0.1', () => resolve());
  });
  // The `kubernetes` service and endpoints in `default`, now that the port is known; kept in place every 10 s.
  const endpointsRegistry = registries.get(resourceKey('', 'endpoints'));
  const kubernetesService = await startKubernetesServiceController(registries.get(resourceKey('', 'services'))!, {
    serviceClusterIpRange, port: (server.address() as AddressInfo).port, bindAddress: cfg.bindAddress,
    endpoints: endpointsRegistry && { registry: endpointsRegistry, storage },
  });
  const stopCompactor = cfg.compactionIntervalMs === 0 ? () => {} : startCompactor(storage, {
    intervalMs: cfg.compactionIntervalMs,
    onError: (err) => console.error('compaction failed:', err),
  });
  return {
    port: (server.address() as AddressInfo).port,
    registries,
    async close() {
      shuttingDown = true;
      await kubernetesService.stop();
      stopCompactor();
      for (const r of registries.values()) r.cache.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The field manager of the objects the API server writes itself. */
const SERVER_MANAGER = 'kube-apiserver';

/** Creates the cluster-scoped objects every cluster has, unless they exist already. */
async function ensureObjects(reg: GenericRegistry, objs: ApiObject[]): Promise<void> {
  for (const obj of objs) {
    if (reg.cache.get(reg.key(undefined, obj.metadata.name))) continue;
    try {
      await reg.create(undefined, structuredClone(obj), { fieldManager: SERVER_MANAGER });
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, msg: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(msg)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}
