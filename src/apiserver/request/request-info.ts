import { isGoTrue } from '../../machinery/selectors.js';

/**
 * What a request asks for, read from its method and path as upstream's RequestInfo resolver
 * reads it: `/api/v1/namespaces/default/configmaps/x` is a `get` of `configmaps` named `x`.
 */
export interface RequestInfo {
  isResourceRequest: boolean;
  /** get, list, watch, create, update, patch, delete, deletecollection; or the HTTP method lower-cased for non-resource paths. */
  verb: string;
  path: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** The path segments after the version, for handlers that route themselves. */
  parts: string[];
}

const VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete', GET: 'get', HEAD: 'get' };

/** Resolves the RequestInfo of a method and URL. */
export function resolveRequestInfo(method: string, url: URL): RequestInfo {
  const path = url.pathname;
  const info: RequestInfo = {
    isResourceRequest: false, verb: method.toLowerCase(), path, apiPrefix: '', apiGroup: '', apiVersion: '',
    namespace: '', resource: '', subresource: '', name: '', parts: [],
  };
  const segs = path.split('/').filter((s) => s !== '').map(safeDecode);
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 2) {
    info.apiPrefix = 'api';
    info.apiVersion = segs[1];
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 3) {
    info.apiPrefix = 'apis';
    info.apiGroup = segs[1];
    info.apiVersion = segs[2];
    rest = segs.slice(3);
  } else {
    return info;
  }
  info.parts = rest;
  if (rest.length === 0) return info;
  info.isResourceRequest = true;
  info.verb = VERBS[method] ?? method.toLowerCase();
  if (rest[0] === 'namespaces' && rest.length >= 2) {
    info.namespace = rest[1];
    // `status` and `finalize` are subresources of the namespace itself, not resources in it.
    if (rest.length > 2 && rest[2] !== 'status' && rest[2] !== 'finalize') rest = rest.slice(2);
  }
  info.resource = rest[0] ?? '';
  if (rest.length >= 2 && !info.name) info.name = rest[1];
  if (rest.length >= 3) info.subresource = rest[2];
  if (!info.name) {
    if (info.verb === 'get') info.verb = isGoTrue(url.searchParams.get('watch')) ? 'watch' : 'list';
    if (info.verb === 'delete') info.verb = 'deletecollection';
  } else if (info.verb === 'get' && isGoTrue(url.searchParams.get('watch'))) {
    info.verb = 'watch';
  }
  return info;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
