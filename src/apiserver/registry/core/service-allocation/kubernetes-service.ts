/**
 * The `kubernetes` Service and Endpoints in `default`, through which workloads reach the API
 * server, kept as upstream's control plane keeps them: the service holds the first address of the
 * service range and port 443 (`https`) forwarding to the API server's port; the endpoints list the
 * API server's address and port.
 */
import { randomUUID } from 'node:crypto';
import { StorageError, type Storage } from '../../../../storage/interface.js';
import { ApiError } from '../../../../machinery/status.js';
import type { GenericRegistry } from '../../generic-registry.js';
import { nowTimestamp } from '../../object-meta.js';
import type { ApiObject } from '../../resource.js';
import { parseServiceCidr } from './ip-range.js';

const NAMESPACE = 'default';
const NAME = 'kubernetes';
/** The label upstream puts on the `kubernetes` Endpoints so no EndpointSlice is mirrored from it. */
const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
const ATTEMPTS = 10;

/** Options of {@link ensureKubernetesService}. */
export interface KubernetesServiceOptions {
  /** `--service-cluster-ip-range`: the service gets the first address of its (first) range. */
  serviceClusterIpRange: string;
  /** The API server's port: the service's targetPort and the endpoints' port. */
  port: number;
  /** The address the API server listens on; an unspecified one (0.0.0.0, ::) is published as 127.0.0.1. */
  bindAddress?: string;
  /** The endpoints registry and the storage under it, to keep the `kubernetes` Endpoints; skipped when absent. */
  endpoints?: { registry: GenericRegistry; storage: Storage };
}

const isCode = (err: unknown, code: number) => err instanceof ApiError && err.code === code;

function servicePorts(port: number): ApiObject[] {
  return [{ name: 'https', protocol: 'TCP', port: 443, targetPort: port }];
}

/** Whether the stored service has the ports and type the control plane wants (upstream compares only these). */
function serviceFormatOk(svc: ApiObject, port: number): boolean {
  const want = servicePorts(port)[0];
  const ports = Array.isArray(svc.spec?.ports) ? svc.spec.ports : [];
  if (svc.spec?.type !== 'ClusterIP' || ports.length !== 1) return false;
  const p = ports[0];
  return p.name === want.name && p.protocol === want.protocol && p.port === want.port && p.targetPort === want.targetPort && !p.nodePort;
}

/**
 * Creates the `kubernetes` service (and Endpoints) when missing, and puts back its ports and type
 * (and the endpoints' address and port) when they differ, e.g. after a restart on another port.
 */
export async function ensureKubernetesService(services: GenericRegistry, opts: KubernetesServiceOptions): Promise<void> {
  const clusterIP = parseServiceCidr(opts.serviceClusterIpRange.split(',')[0].trim()).ipAt(0);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    let current: ApiObject;
    try {
      current = await services.get(NAMESPACE, NAME);
    } catch (err) {
      if (!isCode(err, 404)) throw err;
      try {
        await services.create(NAMESPACE, {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: NAME, namespace: NAMESPACE, labels: { component: 'apiserver', provider: 'kubernetes' } },
          spec: { ports: servicePorts(opts.port), clusterIP, sessionAffinity: 'None', type: 'ClusterIP' },
        });
        break;
      } catch (createErr) {
        if (isCode(createErr, 409)) continue; // another API server created it meanwhile
        throw createErr;
      }
    }
    if (serviceFormatOk(current, opts.port)) break;
    current.spec.ports = servicePorts(opts.port);
    current.spec.type = 'ClusterIP';
    try {
      await services.update(NAMESPACE, NAME, current);
      break;
    } catch (err) {
      if (!isCode(err, 409)) throw err;
    }
  }
  if (opts.endpoints) await ensureKubernetesEndpoints(opts.endpoints.registry, opts.endpoints.storage, opts);
}

/** How often upstream's control plane puts the `kubernetes` service back (ms). */
export const KUBERNETES_SERVICE_INTERVAL_MS = 10_000;

/** A running {@link startKubernetesServiceController}. */
export interface KubernetesServiceController {
  /** Stops the loop; resolves once a pass under way has finished. */
  stop(): Promise<void>;
}

/**
 * Ensures the `kubernetes` service now and then every `intervalMs`, as upstream's control plane
 * does, so that a deleted or altered service comes back. Failures are logged, not thrown.
 */
export async function startKubernetesServiceController(services: GenericRegistry, opts: KubernetesServiceOptions,
  intervalMs = KUBERNETES_SERVICE_INTERVAL_MS): Promise<KubernetesServiceController> {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const pass = () => {
    running = ensureKubernetesService(services, opts).catch((err) => {
      if (!stopped) console.error('ensuring the kubernetes service failed:', err);
    });
    return running;
  };
  await pass();
  const timer = setInterval(() => { void running.then(() => (stopped ? undefined : pass())); }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

function publishedAddress(bindAddress: string | undefined): string {
  if (!bindAddress || bindAddress === '0.0.0.0' || bindAddress === '::') return '127.0.0.1';
  return bindAddress;
}

/**
 * Keeps the `kubernetes` Endpoints listing the API server. It is written through the registry;
 * when the registry refuses the address (upstream's validation forbids loopback endpoint addresses,
 * and tskube usually listens on 127.0.0.1) it is written to storage directly, in the registry's form.
 */
async function ensureKubernetesEndpoints(registry: GenericRegistry, storage: Storage, opts: KubernetesServiceOptions): Promise<void> {
  const subsets = [{ addresses: [{ ip: publishedAddress(opts.bindAddress) }], ports: [{ name: 'https', port: opts.port, protocol: 'TCP' }] }];
  const labels = { [SKIP_MIRROR_LABEL]: 'true' };
  const key = registry.key(NAMESPACE, NAME);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const kv = await storage.get(key);
    const current = kv ? registry.decode(kv.value, kv.modRevision) : null;
    if (current && JSON.stringify(current.subsets) === JSON.stringify(subsets) && current.metadata.labels?.[SKIP_MIRROR_LABEL] === 'true') return;
    const wanted: ApiObject = current
      ? { ...current, metadata: { ...current.metadata, labels: { ...(current.metadata.labels ?? {}), ...labels } }, subsets }
      : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: NAME, namespace: NAMESPACE, labels }, subsets };
    try {
      if (current) await registry.update(NAMESPACE, NAME, structuredClone(wanted));
      else await registry.create(NAMESPACE, structuredClone(wanted));
      return;
    } catch (err) {
      if (isCode(err, 409)) continue;
      if (!isCode(err, 422)) throw err;
    }
    try {
      if (current) {
        await storage.update(key, registry.encode(wanted), kv!.modRevision);
      } else {
        wanted.metadata.uid = randomUUID();
        wanted.metadata.creationTimestamp = nowTimestamp();
        await storage.create(key, registry.encode(wanted));
      }
      return;
    } catch (err) {
      if (!(err instanceof StorageError && ['Conflict', 'KeyExists', 'NotFound'].includes(err.code))) throw err;
    }
  }
}
