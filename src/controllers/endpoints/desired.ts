/** The subsets an Endpoints object should hold for a service and the pods its selector picks. */
import type { CoreEndpointAddress, CoreEndpointPort, CoreEndpointSubset } from '../endpointslice/util/go-hash.js';
import {
  findPort, isIpv6Address, isPodReady, podIps, shouldPodBeInEndpoints, shouldSetHostname, type Obj,
} from '../endpointslice/util/pods.js';
import { repackSubsets } from './repack.js';

/** Desired subsets and how many ready / not-ready (address, port) entries went into them. */
export interface DesiredSubsets {
  subsets: CoreEndpointSubset[];
  ready: number;
  notReady: number;
}

/** The family the service's addresses come from: its first ipFamily, else its cluster IP's, else the pod IP's. */
function serviceWantsIpv6(svc: Obj, pod: Obj): boolean {
  const families: string[] = svc.spec?.ipFamilies ?? [];
  if (families.length > 0) return families[0] === 'IPv6';
  const cip = svc.spec?.clusterIP;
  if (typeof cip === 'string' && cip !== '' && cip !== 'None') return isIpv6Address(cip);
  return isIpv6Address(pod.status?.podIP ?? '');
}

/** The pod's address for this service (`podToEndpointAddressForService`); undefined without an IP of the family. */
export function podAddress(svc: Obj, pod: Obj): CoreEndpointAddress | undefined {
  const v6 = serviceWantsIpv6(svc, pod);
  const ip = podIps(pod).find((x) => isIpv6Address(x) === v6);
  if (ip === undefined) return undefined;
  const addr: CoreEndpointAddress = {
    ip,
    nodeName: pod.spec?.nodeName ?? '',
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
  };
  if (shouldSetHostname(pod, svc)) addr.hostname = pod.spec.hostname;
  return addr;
}

function endpointPort(svcPort: any, port: number): CoreEndpointPort {
  const p: CoreEndpointPort = { name: svcPort.name ?? '', port, protocol: svcPort.protocol ?? '' };
  if (svcPort.appProtocol !== undefined && svcPort.appProtocol !== null) p.appProtocol = svcPort.appProtocol;
  return p;
}

/**
 * Subsets for `svc` from `pods` (already filtered by the selector), repacked canonically: ready
 * pods (or every pod with `publishNotReadyAddresses`) as addresses, the rest as notReadyAddresses;
 * a port whose targetPort a pod does not expose leaves that pod out of that port.
 */
export function desiredSubsets(svc: Obj, pods: Obj[]): DesiredSubsets {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const ports: any[] = svc.spec?.ports ?? [];
  const raw: CoreEndpointSubset[] = [];
  let ready = 0;
  let notReady = 0;
  const add = (addr: CoreEndpointAddress, pod: Obj, port?: CoreEndpointPort) => {
    const p = port ? [port] : [];
    if (publishNotReady || isPodReady(pod)) {
      raw.push({ addresses: [addr], ports: p });
      ready++;
    } else {
      raw.push({ notReadyAddresses: [addr], ports: p });
      notReady++;
    }
  };
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const addr = podAddress(svc, pod);
    if (!addr) continue;
    if (ports.length === 0) {
      // Headless services may go without ports.
      if (svc.spec?.clusterIP === 'None') add(addr, pod);
      continue;
    }
    for (const sp of ports) {
      let num: number;
      try {
        num = findPort(pod, sp);
      } catch {
        continue;
      }
      add(addr, pod, endpointPort(sp, num));
    }
  }
  return { subsets: repackSubsets(raw), ready, notReady };
}
