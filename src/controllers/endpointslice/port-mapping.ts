/**
 * Reconciling the slices of one port mapping (`reconcileByPortMapping`): keep wanted endpoints
 * in place, drop the rest, fill slices already being updated, then the unchanged slice that ends
 * closest to full, then new slices.
 */
import type { SliceEndpointPort } from './util/go-hash.js';
import type { Obj } from './util/pods.js';
import { endpointKey, endpointsEqualBeyondKey, type SliceEndpoint } from './desired.js';
import { newEndpointSlice, sliceLabels } from './slice-meta.js';

/** Slices to create, update and delete for one port mapping. */
export interface PortMappingChanges {
  create: Obj[];
  update: Obj[];
  delete: Obj[];
}

/** The unchanged slice that ends closest to full after adding `count` endpoints (`getSliceToFill`). */
function sliceToFill(slices: Obj[], count: number, max: number): Obj | undefined {
  let closestDiff = max;
  let closest: Obj | undefined;
  for (const s of slices) {
    const diff = max - (count + (s.endpoints ?? []).length);
    if (diff >= 0 && diff < closestDiff) {
      closestDiff = diff;
      closest = s;
      if (diff === 0) return s;
    }
  }
  return closest;
}

/** Takes the first endpoint out of `desired`. */
function popAny(desired: Map<string, SliceEndpoint>): SliceEndpoint {
  const [key, ep] = desired.entries().next().value as [string, SliceEndpoint];
  desired.delete(key);
  return ep;
}

/** Step 1: keep wanted endpoints of each existing slice, sorting slices into update, delete and unchanged. */
function sortExisting(svc: Obj, existing: Obj[], desired: Map<string, SliceEndpoint>) {
  const byName = new Map<string, Obj>();
  const unchanged = new Set<string>();
  const toUpdate = new Set<string>();
  const toDelete = new Set<string>();
  for (const slice of existing) {
    const name = slice.metadata.name ?? '';
    byName.set(name, slice);
    const kept: SliceEndpoint[] = [];
    let changed = false;
    for (const ep of (slice.endpoints ?? []) as SliceEndpoint[]) {
      const key = endpointKey(ep);
      const want = desired.get(key);
      if (!want) continue;
      kept.push(want);
      if (!endpointsEqualBeyondKey(want, ep)) changed = true;
      desired.delete(key);
    }
    const { labels, changed: labelsChanged } = sliceLabels(slice, svc);
    if (changed || (slice.endpoints ?? []).length !== kept.length) {
      if (kept.length === 0) {
        toDelete.add(name);
      } else {
        const copy = structuredClone(slice);
        copy.endpoints = kept;
        copy.metadata.labels = labels;
        byName.set(name, copy);
        toUpdate.add(name);
      }
    } else if (labelsChanged) {
      const copy = structuredClone(slice);
      copy.metadata.labels = labels;
      byName.set(name, copy);
      toUpdate.add(name);
    } else {
      unchanged.add(name);
    }
  }
  return { byName, unchanged, toUpdate, toDelete };
}

/**
 * The changes for the `existing` slices of one port mapping given the `desired` endpoints
 * (consumed). New slices carry `ports` and `addressType`; no slice holds more than `max`.
 */
export function reconcilePortMapping(
  svc: Obj, existing: Obj[], desired: Map<string, SliceEndpoint>, ports: SliceEndpointPort[], addressType: string, max: number,
): PortMappingChanges {
  const { byName, unchanged, toUpdate, toDelete } = sortExisting(svc, existing, desired);
  // 2. Fill the slices being updated anyway, fullest first.
  if (desired.size > 0 && toUpdate.size > 0) {
    const slices = [...toUpdate].map((n) => byName.get(n)!).sort((a, b) => b.endpoints.length - a.endpoints.length);
    for (const s of slices) {
      while (desired.size > 0 && s.endpoints.length < max) s.endpoints.push(popAny(desired));
    }
  }
  // 3. Then an unchanged slice with room for all the rest, else new slices.
  const create: Obj[] = [];
  while (desired.size > 0) {
    let fill: Obj | undefined;
    if (desired.size < max && unchanged.size > 0) fill = sliceToFill([...unchanged].map((n) => byName.get(n)!), desired.size, max);
    if (!fill) {
      fill = newEndpointSlice(svc, ports, addressType);
    } else {
      fill = structuredClone(fill);
      fill.endpoints = [...(fill.endpoints ?? [])];
      byName.set(fill.metadata.name ?? '', fill);
    }
    while (desired.size > 0 && fill.endpoints.length < max) fill.endpoints.push(popAny(desired));
    if (fill.metadata.name) {
      toUpdate.add(fill.metadata.name);
      unchanged.delete(fill.metadata.name);
    } else {
      create.push(fill);
    }
  }
  return {
    create,
    update: [...toUpdate].map((n) => byName.get(n)!),
    delete: [...toDelete].map((n) => byName.get(n)!),
  };
}
