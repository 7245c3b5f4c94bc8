/** Endpoints hold at most 1000 addresses; beyond that they are truncated and annotated. */
import type { CoreEndpointSubset } from '../endpointslice/util/go-hash.js';

/** Most addresses (ready and not ready) one Endpoints object keeps. */
export const MAX_CAPACITY = 1000;
/** The annotation marking truncated Endpoints. */
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
/** The value of {@link OVER_CAPACITY_ANNOTATION} on truncated Endpoints. */
export const TRUNCATED = 'truncated';

function countAddresses(subsets: CoreEndpointSubset[]): { ready: number; notReady: number } {
  let ready = 0;
  let notReady = 0;
  for (const s of subsets) {
    ready += s.addresses?.length ?? 0;
    notReady += s.notReadyAddresses?.length ?? 0;
  }
  return { ready, notReady };
}

/** False when the subsets are over capacity or the over-capacity annotation is set. */
export function capacityAnnotationSetCorrectly(annotations: Record<string, string> | undefined, subsets: CoreEndpointSubset[]): boolean {
  const { ready, notReady } = countAddresses(subsets);
  if (ready + notReady > MAX_CAPACITY) return false;
  return !(annotations && OVER_CAPACITY_ANNOTATION in annotations);
}

/**
 * Truncates `subsets` in place to {@link MAX_CAPACITY} addresses, keeping ready ones first and
 * sharing the room among subsets in proportion (rounded up); answers whether it truncated.
 */
export function truncateSubsets(subsets: CoreEndpointSubset[]): boolean {
  const { ready, notReady } = countAddresses(subsets);
  if (ready + notReady <= MAX_CAPACITY) return false;
  const truncateReady = ready > MAX_CAPACITY;
  const max = truncateReady ? MAX_CAPACITY : MAX_CAPACITY - ready;
  const total = truncateReady ? ready : notReady;
  let room = max;
  for (const s of subsets) {
    const inSubset = truncateReady ? s.addresses?.length ?? 0 : s.notReadyAddresses?.length ?? 0;
    const share = Math.min(Math.ceil((inSubset / total) * max), room);
    if (truncateReady) {
      s.addresses = s.addresses && s.addresses.length > share ? s.addresses.slice(0, share) : s.addresses;
      s.notReadyAddresses = [];
      room -= s.addresses?.length ?? 0;
    } else {
      s.notReadyAddresses = s.notReadyAddresses && s.notReadyAddresses.length > share ? s.notReadyAddresses.slice(0, share) : s.notReadyAddresses;
      room -= s.notReadyAddresses?.length ?? 0;
    }
  }
  return true;
}
