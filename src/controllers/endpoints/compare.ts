/** Comparing and serializing Endpoints subsets as upstream's semantic equality sees them. */
import type { CoreEndpointAddress, CoreEndpointPort, CoreEndpointSubset } from '../endpointslice/util/go-hash.js';

function addressForm(a: any): unknown[] {
  const r = a?.targetRef;
  return [
    a?.ip ?? '', a?.hostname ?? '', a?.nodeName === undefined || a?.nodeName === null ? null : a.nodeName,
    r ? [r.kind ?? '', r.namespace ?? '', r.name ?? '', r.uid ?? '', r.apiVersion ?? '', r.fieldPath ?? ''] : null,
  ];
}

function portForm(p: any): unknown[] {
  return [p?.name ?? '', p?.port ?? 0, p?.protocol ?? '', p?.appProtocol ?? null];
}

function subsetsForm(subsets: any[] | undefined): string {
  return JSON.stringify((subsets ?? []).map((s) => [
    (s?.addresses ?? []).map(addressForm), (s?.notReadyAddresses ?? []).map(addressForm), (s?.ports ?? []).map(portForm),
  ]));
}

/**
 * Subsets equal as `apiequality.Semantic` sees them, ignoring the targets' resourceVersion
 * (an absent list equals an empty one; an unset pointer differs from an empty string).
 */
export function subsetsEqualIgnoringResourceVersion(a: any[] | undefined, b: any[] | undefined): boolean {
  return subsetsForm(a) === subsetsForm(b);
}

function addressJson(a: CoreEndpointAddress): Record<string, unknown> {
  const out: Record<string, unknown> = { ip: a.ip };
  if (a.hostname) out.hostname = a.hostname;
  if (a.nodeName !== undefined) out.nodeName = a.nodeName;
  if (a.targetRef) {
    const r = a.targetRef;
    out.targetRef = Object.fromEntries(Object.entries({
      kind: r.kind, namespace: r.namespace, name: r.name, uid: r.uid, apiVersion: r.apiVersion, resourceVersion: r.resourceVersion, fieldPath: r.fieldPath,
    }).filter(([, v]) => v !== undefined && v !== ''));
  }
  return out;
}

function portJson(p: CoreEndpointPort): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (p.name) out.name = p.name;
  out.port = p.port;
  if (p.protocol) out.protocol = p.protocol;
  if (p.appProtocol !== undefined) out.appProtocol = p.appProtocol;
  return out;
}

/** Subsets as the API's JSON has them (empty lists and empty strings left out). */
export function subsetsJson(subsets: CoreEndpointSubset[]): Record<string, unknown>[] {
  return subsets.map((s) => {
    const out: Record<string, unknown> = {};
    if (s.addresses?.length) out.addresses = s.addresses.map(addressJson);
    if (s.notReadyAddresses?.length) out.notReadyAddresses = s.notReadyAddresses.map(addressJson);
    if (s.ports?.length) out.ports = s.ports.map(portJson);
    return out;
  });
}
