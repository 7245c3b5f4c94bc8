/**
 * Which resources the garbage collector watches, and how an owner reference's apiVersion and
 * kind map to one of them (upstream's REST mapper over discovery, here the client's built-ins).
 */
import { apiVersionOf, BUILTIN_TYPES, EVENTS, type ResourceType } from '../../client/kinds.js';

/** Resources the garbage collector ignores, as upstream: events. */
export const IGNORED_RESOURCES = new Set([`${EVENTS.group}/${EVENTS.plural}`, 'events.k8s.io/events']);

/** The resources whose objects can own or be owned: every built-in one but the ignored. */
export function monitoredTypes(types: readonly ResourceType[] = BUILTIN_TYPES): ResourceType[] {
  return types.filter((t) => !IGNORED_RESOURCES.has(`${t.group}/${t.plural}`));
}

/** A reference to a kind no watched resource serves. */
export class RestMappingError extends Error {
  constructor(readonly kind: string, readonly apiVersion: string) {
    super(`unable to get REST mapping for ${apiVersion}/${kind}.`);
  }
}

/** Maps `apiVersion` + `kind` to a resource type. */
export class RestMapper {
  private readonly byGvk = new Map<string, ResourceType>();
  private readonly byGroupKind = new Map<string, ResourceType>();

  constructor(types: readonly ResourceType[]) {
    for (const t of types) {
      this.byGvk.set(`${apiVersionOf(t)}|${t.kind}`, t);
      if (!this.byGroupKind.has(`${t.group}|${t.kind}`)) this.byGroupKind.set(`${t.group}|${t.kind}`, t);
    }
  }

  /**
   * The resource of `kind` in `apiVersion`; another served version of the same group and kind
   * when that version is not the one known. Throws {@link RestMappingError}.
   */
  map(apiVersion: string, kind: string): ResourceType {
    const exact = this.byGvk.get(`${apiVersion}|${kind}`);
    if (exact) return exact;
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const other = this.byGroupKind.get(`${group}|${kind}`);
    if (other) return other;
    throw new RestMappingError(kind, apiVersion);
  }
}
