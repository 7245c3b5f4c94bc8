/**
 * The canonical layout of Endpoints subsets (pkg/api/v1/endpoints RepackSubsets): one subset per
 * distinct set of (address, readiness) pairs with all the ports they share, addresses sorted by
 * IP then pod UID, ports and subsets sorted by the md5 of their Go rendering.
 */
import {
  md5Of, spewCorePort, spewCoreSubset,
  type CoreEndpointAddress, type CoreEndpointPort, type CoreEndpointSubset,
} from '../endpointslice/util/go-hash.js';

interface AddrReady {
  addr: CoreEndpointAddress;
  ready: boolean;
}

/** Upstream's LessEndpointAddress: IP bytes first, then the target's UID (no target sorts first). */
export function lessEndpointAddress(a: CoreEndpointAddress, b: CoreEndpointAddress): boolean {
  if (a.ip !== b.ip) return a.ip < b.ip;
  if (!b.targetRef) return false;
  if (!a.targetRef) return true;
  return (a.targetRef.uid ?? '') < (b.targetRef.uid ?? '');
}

const byAddress = (a: CoreEndpointAddress, b: CoreEndpointAddress) => (lessEndpointAddress(a, b) ? -1 : lessEndpointAddress(b, a) ? 1 : 0);

/** Sorts `items` in place by the md5 of their Go rendering, hashing each item once. */
function sortByHash<T>(items: T[], render: (x: T) => string): T[] {
  const keyed = items.map((x) => ({ x, h: md5Of(render(x)) })).sort((a, b) => Buffer.compare(a.h, b.h));
  keyed.forEach((k, i) => { items[i] = k.x; });
  return items;
}

const portKey = (p: CoreEndpointPort) => JSON.stringify([p.name ?? '', p.port, p.protocol ?? '', p.appProtocol ?? null]);
const addressKey = (a: CoreEndpointAddress) => `${a.ip}\u0000${a.targetRef?.uid ?? ''}`;

/** Records `addr` under `port`; a not-ready sighting wins over a ready one. */
function mapAddress(
  addr: CoreEndpointAddress, port: CoreEndpointPort, ready: boolean,
  all: Map<string, CoreEndpointAddress>, byPort: Map<string, { port: CoreEndpointPort; addrs: Map<string, AddrReady> }>,
): void {
  const ak = addressKey(addr);
  let existing = all.get(ak);
  if (!existing) all.set(ak, (existing = { ...addr }));
  const pk = portKey(port);
  let entry = byPort.get(pk);
  if (!entry) byPort.set(pk, (entry = { port, addrs: new Map() }));
  const prior = entry.addrs.get(ak);
  if (!prior || prior.ready) entry.addrs.set(ak, { addr: existing, ready });
}

/** A key naming a set of (address, readiness) pairs. */
function addressSetKey(addrs: Map<string, AddrReady>): string {
  return [...addrs.values()].sort((x, y) => byAddress(x.addr, y.addr)).map((x) => `${addressKey(x.addr)}\u0000${x.ready}`).join('\u0001');
}

/** Expands subsets to (address, port) pairs and packs them again in the canonical layout. */
export function repackSubsets(subsets: CoreEndpointSubset[]): CoreEndpointSubset[] {
  const all = new Map<string, CoreEndpointAddress>();
  const byPort = new Map<string, { port: CoreEndpointPort; addrs: Map<string, AddrReady> }>();
  for (const s of subsets) {
    // A subset without ports keeps its addresses under a sentinel port.
    const ports = s.ports && s.ports.length > 0 ? s.ports : [{ port: -1 }];
    for (const port of ports) {
      for (const a of s.addresses ?? []) mapAddress(a, port, true, all, byPort);
      for (const a of s.notReadyAddresses ?? []) mapAddress(a, port, false, all, byPort);
    }
  }
  const groups = new Map<string, { addrs: Map<string, AddrReady>; ports?: CoreEndpointPort[] }>();
  for (const { port, addrs } of byPort.values()) {
    const key = addressSetKey(addrs);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { addrs }));
    if (port.port > 0) (g.ports ??= []).push(port);
  }
  const final: CoreEndpointSubset[] = [];
  for (const g of groups.values()) {
    const ready = [...g.addrs.values()].filter((x) => x.ready).map((x) => x.addr);
    const notReady = [...g.addrs.values()].filter((x) => !x.ready).map((x) => x.addr);
    final.push({ addresses: ready.length ? ready : undefined, notReadyAddresses: notReady.length ? notReady : undefined, ports: g.ports });
  }
  return sortSubsets(final);
}

/** Sorts addresses and ports inside each subset, then the subsets, in place; answers `subsets`. */
export function sortSubsets(subsets: CoreEndpointSubset[]): CoreEndpointSubset[] {
  for (const s of subsets) {
    s.addresses?.sort(byAddress);
    s.notReadyAddresses?.sort(byAddress);
    if (s.ports) sortByHash(s.ports, spewCorePort);
  }
  return sortByHash(subsets, spewCoreSubset);
}
