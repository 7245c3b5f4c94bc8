/**
 * Which resources the namespace controller empties: every namespaced resource of the server's
 * preferred group versions that supports `delete`, read from discovery as upstream does.
 */
import type { RestClient } from '../../client/rest-client.js';

/** One namespaced resource of one group version, with the verbs discovery lists for it. */
export interface DeletableResource {
  group: string;
  version: string;
  /** The resource name (plural). */
  resource: string;
  verbs: string[];
}

/** What discovery produced: the resources found, and the group versions it failed to read. */
export interface DiscoveryResult {
  resources: DeletableResource[];
  /** `group/version` (or `v1`) → why it failed, when some failed. */
  failed: Map<string, string>;
  /** Group versions that could not be parsed (upstream's GroupVersion parsing failures). */
  unparsable: string[];
}

/** The error discovery failures are reported with, worded as client-go's ErrGroupDiscoveryFailed. */
export class GroupDiscoveryFailedError extends Error {
  constructor(readonly groups: Map<string, string>) {
    const parts = [...groups.entries()].map(([gv, why]) => `${gv}: ${why}`).sort();
    super(`unable to retrieve the complete list of server APIs: ${parts.join(', ')}`);
  }
}

/** Splits `group/version` (or `version`) as Go's schema.ParseGroupVersion; null when malformed. */
export function parseGroupVersion(gv: string): { group: string; version: string } | null {
  if (gv === '' || gv === '/') return { group: '', version: '' };
  const parts = gv.split('/');
  if (parts.length === 1) return { group: '', version: parts[0] };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  return null;
}

interface ApiResourceList { groupVersion: string; resources: Array<{ name: string; namespaced: boolean; verbs: string[] }> }

/** The namespaced, deletable, top-level resources of one APIResourceList. */
export function deletableResourcesOf(list: ApiResourceList, unparsable: string[]): DeletableResource[] {
  const gv = parseGroupVersion(list.groupVersion);
  if (!gv) {
    unparsable.push(list.groupVersion);
    return [];
  }
  return list.resources
    .filter((r) => r.namespaced && !r.name.includes('/') && r.verbs.includes('delete'))
    .map((r) => ({ group: gv.group, version: gv.version, resource: r.name, verbs: r.verbs }));
}

/** Reads discovery: `/api/v1`, then the preferred version of every group under `/apis`. */
export async function discoverDeletableResources(rest: RestClient, signal?: AbortSignal): Promise<DiscoveryResult> {
  const result: DiscoveryResult = { resources: [], failed: new Map(), unparsable: [] };
  const read = async (gv: string, path: string) => {
    try {
      const list = await rest.request<ApiResourceList>({ method: 'GET', path, signal });
      result.resources.push(...deletableResourcesOf(list, result.unparsable));
    } catch (err) {
      result.failed.set(gv, (err as Error).message);
    }
  };
  await read('v1', '/api/v1');
  const groups = await rest.request<{ groups: Array<{ name: string; preferredVersion?: { groupVersion: string } }> }>({ method: 'GET', path: '/apis', signal });
  for (const g of groups.groups) {
    const gv = g.preferredVersion?.groupVersion;
    if (gv) await read(gv, `/apis/${gv}`);
  }
  return result;
}
