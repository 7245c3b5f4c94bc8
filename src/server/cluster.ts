import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureClusterPki, type ClusterPki, type ComponentName } from '../apiserver/pki/cluster-pki.js';
import type { ClientConfig } from '../client/config.js';
import type { ControllerOptions } from '../controllers/context.js';
import type { ControllerManager } from '../controllers/manager.js';
import type { SimulatedNodesOptions } from '../kubelet/index.js';
import type { SchedulerComponent, SchedulerComponentOptions, SimulatedNodesComponent } from './components.js';
import { renderKubeconfig, writeKubeconfig } from '../apiserver/pki/kubeconfig.js';
import { startApiServer, type ApiServer } from '../apiserver/server.js';
import type { Storage } from '../storage/interface.js';
import { openStorage } from './open-storage.js';

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  /** Data directory; default a new temporary one, removed by `stop()`. */
  dataDir?: string;
  /** Port; default 0 (a free one). */
  port?: number;
  bindAddress?: string;
  storage?: 'sqlite' | 'etcd';
  etcdServers?: string[];
  /** Passed to the API server (tests shorten them). */
  bookmarkIntervalMs?: number;
  compactionIntervalMs?: number;
  watchCacheCapacity?: number;
  /** `--service-cluster-ip-range` (default 10.96.0.0/12) and `--service-node-port-range` (default 30000-32767). */
  serviceClusterIpRange?: string;
  serviceNodePortRange?: string;
  /**
   * Controllers to run in this process, as `--controllers` names them (`['*']` for all); default
   * none. They talk to the API server over HTTPS as system:kube-controller-manager.
   */
  controllers?: string[];
  /** Tunables of the controllers (tests shorten periods). */
  controllerOptions?: ControllerOptions;
  /** Whether the controller manager and the scheduler campaign for their Leases first (default true). */
  leaderElect?: boolean;
  /** Run the scheduler in this process (true, or its options); default not. */
  scheduler?: boolean | SchedulerComponentOptions;
  /** How many simulated nodes to run in this process (default 0). */
  simNodes?: number;
  /** Options of the simulated nodes (tests shorten run times and heartbeats). */
  simNodeOptions?: Omit<SimulatedNodesOptions, 'client' | 'signal' | 'count'>;
}

/** A running cluster. */
export interface Cluster {
  dataDir: string;
  port: number;
  /** `https://127.0.0.1:<port>` (or the bind address). */
  server: string;
  /** Absolute path of the admin kubeconfig. */
  kubeconfigPath: string;
  /** The admin kubeconfig's text. */
  kubeconfig: string;
  /** PEMs for clients that do not read kubeconfigs. */
  credentials: { ca: string; cert: string; key: string };
  storage: Storage;
  apiServer: ApiServer;
  /** The in-process controller manager, when controllers were asked for. */
  controllerManager?: ControllerManager;
  /** The in-process scheduler, when asked for. */
  scheduler?: SchedulerComponent;
  /** The in-process simulated nodes, when asked for. */
  simNodes?: SimulatedNodesComponent;
  /** A client configuration with a component's identity (its client certificate). */
  componentConfig(component: ComponentName): ClientConfig;
  /** A client configuration with the admin identity (the admin kubeconfig's). */
  adminConfig: ClientConfig;
  /** Stops everything; a temporary data directory is removed. */
  stop(): Promise<void>;
}

/**
 * Starts a tskube cluster in this process: storage, certificates, the API server, and the admin
 * kubeconfig at `<dataDir>/admin.kubeconfig`. The same code serves `tskube up`, `tskube server`
 * and tests.
 */
export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const temporary = !opts.dataDir;
  const dataDir = resolve(opts.dataDir ?? await mkdtemp(join(tmpdir(), 'tskube-')));
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const bindAddress = opts.bindAddress ?? '127.0.0.1';
  const pki = await ensureClusterPki(dataDir, bindAddress);
  const storage = await openStorage({ kind: opts.storage ?? 'sqlite', dataDir, etcdServers: opts.etcdServers });
  let apiServer: ApiServer;
  try {
    apiServer = await startApiServer({
      storage, pki, bindAddress, port: opts.port ?? 0,
      bookmarkIntervalMs: opts.bookmarkIntervalMs, compactionIntervalMs: opts.compactionIntervalMs, watchCacheCapacity: opts.watchCacheCapacity,
      serviceClusterIpRange: opts.serviceClusterIpRange, serviceNodePortRange: opts.serviceNodePortRange,
    });
  } catch (err) {
    await storage.close();
    throw err;
  }
  const host = bindAddress === '0.0.0.0' || bindAddress === '::' ? '127.0.0.1' : bindAddress;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${apiServer.port}`;
  const kubeconfigPath = join(dataDir, 'admin.kubeconfig');
  const spec = { server, caPem: pki.ca.certPem, client: pki.admin, user: 'admin' };
  await writeKubeconfig(kubeconfigPath, spec);
  await writeComponentKubeconfigs(dataDir, server, pki);
  const componentConfig = (component: ComponentName): ClientConfig => ({
    server, caPem: pki.ca.certPem, certPem: pki.components[component].certPem, keyPem: pki.components[component].keyPem,
  });
  // Components are loaded only when asked for: an API server alone keeps none of their code.
  const controllerManager = opts.controllers?.length
    ? (await import('../controllers/manager.js')).startControllerManager({
      client: componentConfig('controller-manager'), controllers: opts.controllers, leaderElect: opts.leaderElect,
      options: { rootCaPem: pki.ca.certPem, ...opts.controllerOptions },
    })
    : undefined;
  const schedulerOptions = opts.scheduler === true ? {} : opts.scheduler || undefined;
  const scheduler = schedulerOptions
    ? (await import('./components.js')).startSchedulerComponent(componentConfig('scheduler'), { leaderElect: opts.leaderElect, ...schedulerOptions })
    : undefined;
  const simNodes = opts.simNodes
    ? await (await import('./components.js')).startSimulatedNodesComponent(componentConfig('node-simulator'), { ...opts.simNodeOptions, count: opts.simNodes })
    : undefined;
  let stopped = false;
  return {
    dataDir, port: apiServer.port, server, kubeconfigPath, kubeconfig: renderKubeconfig(spec),
    credentials: { ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem },
    storage, apiServer, controllerManager, scheduler, simNodes, componentConfig,
    adminConfig: { server, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem },
    async stop() {
      if (stopped) return;
      stopped = true;
      await simNodes?.stop();
      await scheduler?.stop();
      await controllerManager?.stop();
      await apiServer.close();
      await storage.close();
      if (temporary) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Writes `<dataDir>/<component>.kubeconfig` for each component, for running it as its own process. */
async function writeComponentKubeconfigs(dataDir: string, server: string, pki: ClusterPki): Promise<void> {
  for (const [name, pair] of Object.entries(pki.components)) {
    await writeKubeconfig(join(dataDir, `${name}.kubeconfig`), { server, caPem: pki.ca.certPem, client: pair, user: name });
  }
}
