import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { pathNotFound } from '../../machinery/status.js';
import { apiVersionOf, type ResourceDefinition } from '../registry/resource.js';
import { parseAccept } from './negotiation.js';
import type { RequestContext } from '../request/context.js';

/** The aggregated discovery versions a client may ask for, newest first. */
const AGGREGATED_VERSIONS = ['v2', 'v2beta1'];

/** Which aggregated discovery version the Accept header asks for first, or null for the legacy form. */
export function aggregatedVersion(accept: string | undefined): string | null {
  for (const r of parseAccept(accept)) {
    if (r.params.as === 'APIGroupDiscoveryList' && r.params.g === 'apidiscovery.k8s.io' && AGGREGATED_VERSIONS.includes(r.params.v)) return r.params.v;
    if (!r.params.as && (r.type === 'application/json' || r.type === '*/*')) return null;
  }
  return null;
}

function storageVersionHash(def: ResourceDefinition): string {
  return createHash('sha256').update(`${def.group}/${def.version}/${def.kind}`).digest().subarray(0, 8).toString('base64');
}

/** Serves the discovery documents of a set of resources, legacy and aggregated. */
export class Discovery {
  private readonly groups = new Map<string, Map<string, ResourceDefinition[]>>();

  constructor(resources: ResourceDefinition[]) {
    for (const r of resources) {
      const versions = this.groups.get(r.group) ?? new Map<string, ResourceDefinition[]>();
      versions.set(r.version, [...(versions.get(r.version) ?? []), r]);
      this.groups.set(r.group, versions);
    }
  }

  /** GET /api and GET /apis. */
  serveRoot(ctx: RequestContext, core: boolean): void {
    const agg = aggregatedVersion(ctx.req.headers.accept);
    if (agg) {
      const items = [...this.groups.entries()].filter(([g]) => (g === '') === core).map(([g, vs]) => this.aggregatedGroup(g, vs));
      send(ctx.res, { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${agg}`, metadata: {}, items },
        `application/json;g=apidiscovery.k8s.io;v=${agg};as=APIGroupDiscoveryList`);
      return;
    }
    if (core) {
      const host = ctx.req.headers.host ?? '';
      send(ctx.res, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }] });
      return;
    }
    const groups = [...this.groups.entries()].filter(([g]) => g !== '').map(([g, vs]) => this.legacyGroup(g, vs));
    send(ctx.res, { kind: 'APIGroupList', apiVersion: 'v1', groups });
  }

  /** GET /apis/<group>. */
  serveGroup(ctx: RequestContext, group: string): void {
    const vs = this.groups.get(group);
    if (!group || !vs) throw pathNotFound();
    send(ctx.res, { kind: 'APIGroup', apiVersion: 'v1', ...this.legacyGroup(group, vs) });
  }

  /** GET /api/v1 and GET /apis/<group>/<version>: the APIResourceList. */
  serveVersion(ctx: RequestContext, group: string, version: string): void {
    const defs = this.groups.get(group)?.get(version);
    if (!defs) throw pathNotFound();
    const resources = defs.flatMap((d) => [{
      name: d.plural,
      singularName: d.singular,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: d.verbs,
      ...(d.shortNames.length ? { shortNames: d.shortNames } : {}),
      ...(d.categories.length ? { categories: d.categories } : {}),
      storageVersionHash: storageVersionHash(d),
    }, ...subresourcesOf(d).map((sr) => ({
      name: `${d.plural}/${sr.name}`,
      singularName: '',
      namespaced: d.namespaced,
      ...(sr.kind.group !== d.group || sr.kind.version !== d.version ? { group: sr.kind.group, version: sr.kind.version } : {}),
      kind: sr.kind.kind,
      verbs: sr.verbs,
    }))]).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    send(ctx.res, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources });
  }

  private legacyGroup(group: string, vs: Map<string, ResourceDefinition[]>) {
    const versions = [...vs.keys()].map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
    return { name: group, versions, preferredVersion: versions[0] };
  }

  private aggregatedGroup(group: string, vs: Map<string, ResourceDefinition[]>) {
    return {
      metadata: { name: group },
      versions: [...vs.entries()].map(([version, defs]) => ({
        version,
        freshness: 'Current',
        resources: defs.map((d) => ({
          resource: d.plural,
          responseKind: { group: d.group, version: d.version, kind: d.kind },
          scope: d.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: d.singular,
          verbs: d.verbs,
          ...(d.shortNames.length ? { shortNames: d.shortNames } : {}),
          ...(d.categories.length ? { categories: d.categories } : {}),
          ...(subresourcesOf(d).length ? {
            subresources: subresourcesOf(d).map((sr) => ({ subresource: sr.name, responseKind: sr.kind, verbs: sr.verbs })),
          } : {}),
        })),
      })),
    };
  }
}

/** A subresource as discovery lists it. */
interface DiscoveredSubresource {
  name: string;
  kind: { group: string; version: string; kind: string };
  verbs: string[];
}

/** The subresources of a resource, with the kind each speaks and its verbs. */
function subresourcesOf(d: ResourceDefinition): DiscoveredSubresource[] {
  return [...(d.subresources ?? [])].sort().map((name) => {
    if (name === 'scale') return { name, kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] };
    if (name === 'binding') return { name, kind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] };
    if (name === 'finalize') return { name, kind: { group: d.group, version: d.version, kind: d.kind }, verbs: ['update'] };
    return { name, kind: { group: d.group, version: d.version, kind: d.kind }, verbs: ['get', 'patch', 'update'] };
  });
}

function send(res: ServerResponse, body: unknown, contentType = 'application/json'): void {
  const buf = Buffer.from(JSON.stringify(body));
  const etag = `"${createHash('sha256').update(buf).digest('hex').slice(0, 32)}"`;
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': buf.length, Vary: 'Accept', ETag: etag, 'Cache-Control': 'no-cache, private' });
  res.end(buf);
}
