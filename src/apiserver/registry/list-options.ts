import { badRequest } from '../../machinery/status.js';
import { parseBoolParam, parseFieldSelector, parseLabelSelector, type FieldRequirement, type LabelSelector } from '../../machinery/selectors.js';
import type { ObjectFilter } from '../../storage/watch-cache/types.js';
import type { ApiObject, ResourceDefinition } from './resource.js';

/** The query parameters of a list or watch, parsed. */
export interface ListOptions {
  labelSelector?: LabelSelector;
  fieldSelector?: FieldRequirement[];
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  limit?: number;
  continue?: string;
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}

/** Parses list/watch query parameters, failing with upstream's 400 messages. */
export function parseListOptions(q: URLSearchParams): ListOptions {
  const o: ListOptions = {};
  const ls = q.get('labelSelector');
  if (ls) o.labelSelector = parseLabelSelector(ls);
  const fs = q.get('fieldSelector');
  if (fs) o.fieldSelector = parseFieldSelector(fs);
  const rv = q.get('resourceVersion');
  if (rv !== null && rv !== '') {
    if (!/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${rv}`);
    o.resourceVersion = rv;
  }
  const m = q.get('resourceVersionMatch');
  if (m) {
    if (m !== 'NotOlderThan' && m !== 'Exact') throw badRequest(`resourceVersionMatch: Unsupported value: "${m}": supported values: "Exact", "NotOlderThan"`);
    o.resourceVersionMatch = m;
  }
  const limit = q.get('limit');
  if (limit) {
    const n = Number(limit);
    if (!Number.isInteger(n)) throw badRequest(`invalid limit: ${limit}`);
    if (n > 0) o.limit = n;
  }
  const cont = q.get('continue');
  if (cont) o.continue = cont;
  o.allowWatchBookmarks = parseBoolParam(q, 'allowWatchBookmarks');
  if (q.get('sendInitialEvents')) o.sendInitialEvents = parseBoolParam(q, 'sendInitialEvents');
  const ts = q.get('timeoutSeconds');
  if (ts) o.timeoutSeconds = Number(ts);
  if (o.continue && o.resourceVersion && o.resourceVersion !== '0') {
    throw badRequest('specifying resource version is not allowed when using continue');
  }
  if (o.resourceVersionMatch && o.resourceVersion === undefined && !o.sendInitialEvents) {
    throw badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  }
  return o;
}

/** The object filter a list/watch's selectors and namespace make, or undefined for "all". */
export function objectFilter(def: ResourceDefinition, namespace: string | undefined, o: ListOptions): ObjectFilter | undefined {
  const checks: ObjectFilter[] = [];
  if (namespace) checks.push((obj) => obj.metadata?.namespace === namespace);
  if (o.labelSelector && o.labelSelector.requirements.length > 0) {
    const sel = o.labelSelector;
    checks.push((obj) => sel.matches(obj.metadata?.labels));
  }
  if (o.fieldSelector && o.fieldSelector.length > 0) {
    const reqs = o.fieldSelector;
    const fields = (obj: ApiObject): Record<string, string> => {
      const f: Record<string, string> = { 'metadata.name': obj.metadata?.name ?? '' };
      if (def.namespaced) f['metadata.namespace'] = obj.metadata?.namespace ?? '';
      return { ...f, ...(def.strategy.fieldSelectorFields?.(obj) ?? {}) };
    };
    const sample = fields({ metadata: {} });
    for (const r of reqs) {
      if (r.field in sample) continue;
      // Resources with their own field-label conversion word this differently from the default one.
      if (def.strategy.fieldSelectorFields) throw badRequest(`field label not supported: ${r.field}`);
      throw badRequest(`"${r.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    }
    checks.push((obj) => {
      const f = fields(obj);
      return reqs.every((r) => (r.op === '=' ? f[r.field] === r.value : f[r.field] !== r.value));
    });
  }
  if (checks.length === 0) return undefined;
  if (checks.length === 1) return checks[0];
  return (obj) => checks.every((c) => c(obj));
}

/** The parts of an upstream-shaped continue token. */
export interface ContinueToken {
  /** The revision the list is read at; -1 for the newest. */
  rv: number;
  /** The key to start from, relative to the list's prefix. */
  start: string;
}

/** Encodes a continue token (base64 JSON `{"v":"meta.k8s.io/v1","rv":N,"start":"…"}`, as upstream). */
export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start })).toString('base64url');
}

/** Decodes a continue token; 400 `continue key is not valid: …` when it is not one. */
export function decodeContinue(s: string): ContinueToken {
  let parsed: any;
  try {
    parsed = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data or not JSON');
  }
  if (!parsed || parsed.v !== 'meta.k8s.io/v1') throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  // rv -1 continues at the newest revision (handed out when the token's revision was compacted).
  if (typeof parsed.rv !== 'number' || (parsed.rv <= 0 && parsed.rv !== -1)) throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof parsed.start !== 'string' || parsed.start.includes('..') || parsed.start.startsWith('/')) throw badRequest('continue key is not valid: key is not a valid relative path');
  return { rv: parsed.rv, start: parsed.start };
}
