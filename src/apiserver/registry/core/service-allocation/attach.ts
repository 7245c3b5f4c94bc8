/**
 * Wires Service allocation into the services registry: builds the allocator from the range flags,
 * repairs the stored allocation state from the stored services, and installs the write hooks.
 */
import type { Storage } from '../../../../storage/interface.js';
import { ApiError } from '../../../../machinery/status.js';
import type { GenericRegistry, WriteHooks } from '../../generic-registry.js';
import { AllocationSet } from './allocation-set.js';
import { ServiceAllocator, type Pool } from './allocator.js';
import { parseServiceCidr, type IpFamily, type IpRange } from './ip-range.js';
import { parsePortRange, type PortRange } from './port-range.js';

/** Upstream's default `--service-cluster-ip-range`. */
export const DEFAULT_SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/12';
/** Upstream's default `--service-node-port-range`. */
export const DEFAULT_SERVICE_NODE_PORT_RANGE = '30000-32767';

/** Storage key of the allocation state of the (first) service cluster IP range. */
export const SERVICE_IPS_KEY = '/registry/ranges/serviceips';
/** Storage key of the allocation state of the second range of a dual-stack cluster. */
export const SERVICE_IPS_SECONDARY_KEY = '/registry/ranges/secondaryserviceips';
/** Storage key of the allocation state of the node port range. */
export const SERVICE_NODE_PORTS_KEY = '/registry/ranges/servicenodeports';

/** Options of {@link attachServiceAllocation}. */
export interface ServiceAllocationOptions {
  /** `--service-cluster-ip-range`: one CIDR, or two of different families separated by a comma (dual-stack). */
  serviceClusterIpRange: string;
  /** `--service-node-port-range`, e.g. `30000-32767`. */
  nodePortRange: string;
  /** When given, a deleted service's Endpoints object (same name) is deleted with it, as upstream does. */
  endpoints?: GenericRegistry;
}

/** Builds the allocator over `storage` from the range flags; throws an Error naming the flag when a range is not usable. */
function createServiceAllocator(storage: Storage, opts: Pick<ServiceAllocationOptions, 'serviceClusterIpRange' | 'nodePortRange'>): ServiceAllocator {
  const cidrs = opts.serviceClusterIpRange.split(',').map((s) => s.trim()).filter(Boolean);
  if (cidrs.length === 0 || cidrs.length > 2) {
    throw new Error('--service-cluster-ip-range must hold one CIDR, or two of different families');
  }
  const pools = new Map<IpFamily, Pool<IpRange>>();
  cidrs.forEach((text, i) => {
    const range = parseServiceCidr(text);
    if (pools.has(range.family)) throw new Error('--service-cluster-ip-range: the two CIDRs must be of different IP families');
    const key = i === 0 ? SERVICE_IPS_KEY : SERVICE_IPS_SECONDARY_KEY;
    pools.set(range.family, { range, set: new AllocationSet(storage, key, range.cidr, range.size, range.staticBand) });
  });
  const portRange = parsePortRange(opts.nodePortRange);
  const ports: Pool<PortRange> = {
    range: portRange,
    set: new AllocationSet(storage, SERVICE_NODE_PORTS_KEY, portRange.spec, portRange.size, portRange.staticBand),
  };
  return new ServiceAllocator(pools, ports);
}

/** The write hooks that allocate for `allocator`, deleting Endpoints through `endpoints` when given. */
function serviceWriteHooks(allocator: ServiceAllocator, endpoints?: GenericRegistry): WriteHooks {
  return {
    beforeCreate: (obj, dryRun) => allocator.allocateCreate(obj, dryRun),
    beforeUpdate: (obj, old, dryRun) => allocator.allocateUpdate(obj, old, dryRun),
    async afterDelete(obj) {
      await allocator.releaseAll(obj);
      if (!endpoints) return;
      try {
        await endpoints.delete(obj.metadata.namespace, obj.metadata.name);
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) console.error('deleting the endpoints of a deleted service failed:', err);
      }
    },
  };
}

/**
 * Makes `registry` (the services registry) allocate cluster IPs and node ports: repairs the
 * allocation state kept in storage from the services stored now (freeing leaked values, taking
 * missing ones), then installs the write hooks. The `kubernetes` service is created by
 * {@link ensureKubernetesService} once the API server's port is known.
 */
export async function attachServiceAllocation(registry: GenericRegistry, storage: Storage, opts: ServiceAllocationOptions): Promise<void> {
  const allocator = createServiceAllocator(storage, opts);
  const { items } = await registry.listCommitted(undefined);
  await allocator.repair(items.map((i) => i.object));
  registry.hooks = serviceWriteHooks(allocator, opts.endpoints);
}
