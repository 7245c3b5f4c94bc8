import type { ApiObject } from '../resource.js';

/**
 * The fields events.k8s.io/v1 renames from core/v1 Event, as `[events.k8s.io name, core name]`.
 * Everything else (metadata, eventTime, series, reportingInstance, action, reason, related, type)
 * keeps its name.
 */
const RENAMED: Array<[string, string]> = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

function rename(obj: ApiObject, apiVersion: string, pairs: Array<[string, string]>): ApiObject {
  const out: ApiObject = { ...obj, apiVersion };
  for (const [from, to] of pairs) {
    delete out[from];
    if (obj[from] !== undefined) out[to] = obj[from];
  }
  return out;
}

/** An events.k8s.io/v1 Event in its stored form (a core/v1 Event). */
export function eventToCore(obj: ApiObject): ApiObject {
  return rename(obj, 'v1', RENAMED);
}

/** A stored core/v1 Event in its events.k8s.io/v1 form. */
export function eventFromCore(obj: ApiObject): ApiObject {
  return rename(obj, 'events.k8s.io/v1', RENAMED.map(([a, b]) => [b, a]));
}

/** Field selector names of events.k8s.io/v1 and the core/v1 names they select on. */
export const EVENT_FIELD_LABELS: Record<string, string> = {
  'regarding.kind': 'involvedObject.kind',
  'regarding.namespace': 'involvedObject.namespace',
  'regarding.name': 'involvedObject.name',
  'regarding.uid': 'involvedObject.uid',
  'regarding.apiVersion': 'involvedObject.apiVersion',
  'regarding.resourceVersion': 'involvedObject.resourceVersion',
  'regarding.fieldPath': 'involvedObject.fieldPath',
  reportingController: 'reportingComponent',
  'deprecatedSource': 'source',
};
