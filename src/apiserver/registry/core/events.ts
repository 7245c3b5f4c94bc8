import type { FieldError } from '../../../machinery/status.js';
import { invalidValue, requiredValue, validateDns1123Subdomain, validateQualifiedName } from '../../../machinery/validation.js';
import { ageOf } from '../../../machinery/duration.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { isApiObject as isObj } from '../resource.js';

const LIMIT = { reportingInstance: 128, action: 128, reason: 128, message: 1024 };

/**
 * Upstream's checks of a core/v1 Event (create and update alike): the involved object's namespace
 * agrees with the event's; events with an `eventTime` (the new API) also need a reporting
 * component and instance, an action and a reason within their length limits.
 */
function validateEvent(ev: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  const ns = String(ev.metadata?.namespace ?? '');
  const involved: ApiObject = isObj(ev.involvedObject) ? ev.involvedObject : {};
  const involvedNs = String(involved.namespace ?? '');
  const mismatch = () => invalidValue('involvedObject.namespace', involvedNs, 'does not match event.namespace');
  if (!ev.eventTime) {
    if (involvedNs === '') {
      if (ns !== '' && ns !== 'default') errs.push(mismatch());
    } else if (ns !== involvedNs) errs.push(mismatch());
  } else {
    if (involvedNs === '' && ns !== 'default' && ns !== 'kube-system') errs.push(mismatch());
    const controller = String(ev.reportingComponent ?? '');
    if (!controller) errs.push(requiredValue('reportingComponent'));
    errs.push(...validateQualifiedName('reportingComponent', controller));
    for (const f of ['reportingInstance', 'action', 'reason'] as const) {
      const v = String(ev[f] ?? '');
      if (!v) errs.push(requiredValue(f));
      if (v.length > LIMIT[f]) errs.push(invalidValue(f, '', `can have at most ${LIMIT[f]} characters`));
    }
    if (String(ev.message ?? '').length > LIMIT.message) errs.push(invalidValue('message', '', `can have at most ${LIMIT.message} characters`));
  }
  for (const e of validateDns1123Subdomain('namespace', ns)) errs.push(e);
  return errs;
}

/** The Source cell of an event: component (or reporting controller), then `, host` when known. */
export function eventSource(ev: ApiObject): string {
  const component = ev.source?.component || ev.reportingComponent || '';
  const host = ev.source?.host || ev.reportingInstance || '';
  return host ? `${component}, ${host}` : String(component);
}

function since(ts: unknown, now: number): string {
  return typeof ts === 'string' && ts ? ageOf(ts, now) : '<unknown>';
}

/**
 * core/v1 Event: something that happened to an object. Upstream's Table puts Name last (and only
 * with `-o wide`); the Table contract here always shows it first.
 */
export const events: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  categories: [],
  namespaced: true,
  verbs: ALL_VERBS,
  allowCreateOnUpdate: true,
  returnDeletedObject: false,
  table: {
    nameLast: true,
    columns: [
      { name: 'Last Seen', type: 'string', description: 'How long ago the event was last observed.' },
      { name: 'Type', type: 'string', description: 'The type of the event (Normal, Warning).' },
      { name: 'Reason', type: 'string', description: 'Why the event happened, in one word.' },
      { name: 'Object', type: 'string', description: 'The object the event is about (kind/name).' },
      { name: 'Subobject', type: 'string', priority: 1, description: 'The part of the object the event is about (fieldPath).' },
      { name: 'Source', type: 'string', priority: 1, description: 'The component (and host) that reported the event.' },
      { name: 'Message', type: 'string', description: 'What happened, in words.' },
      { name: 'First Seen', type: 'string', priority: 1, description: 'How long ago the event was first observed.' },
      { name: 'Count', type: 'string', priority: 1, description: 'How often the event was observed.' },
    ],
    cells(ev, now) {
      let first = since(ev.firstTimestamp, now);
      if (!ev.firstTimestamp) first = since(ev.eventTime, now);
      let last = ev.lastTimestamp ? since(ev.lastTimestamp, now) : first;
      let count = Number(ev.count ?? 0);
      if (isObj(ev.series)) {
        last = since(ev.series.lastObservedTime, now);
        count = Number(ev.series.count ?? 0);
      } else if (count === 0) count = 1;
      const involved: ApiObject = isObj(ev.involvedObject) ? ev.involvedObject : {};
      const kind = String(involved.kind ?? '').toLowerCase();
      const target = involved.name ? `${kind}/${String(involved.name)}` : kind;
      return [last, String(ev.type ?? ''), String(ev.reason ?? ''), target, String(involved.fieldPath ?? ''), eventSource(ev),
        String(ev.message ?? '').trim(), first, count];
    },
  },
  strategy: {
    prepareForCreate() {},
    prepareForUpdate() {},
    validate: validateEvent,
    validateUpdate: (obj) => validateEvent(obj),
    fieldSelectorFields(ev) {
      const involved: ApiObject = isObj(ev.involvedObject) ? ev.involvedObject : {};
      const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));
      return {
        'involvedObject.kind': s(involved.kind),
        'involvedObject.namespace': s(involved.namespace),
        'involvedObject.name': s(involved.name),
        'involvedObject.uid': s(involved.uid),
        'involvedObject.apiVersion': s(involved.apiVersion),
        'involvedObject.resourceVersion': s(involved.resourceVersion),
        'involvedObject.fieldPath': s(involved.fieldPath),
        reason: s(ev.reason),
        reportingComponent: s(ev.reportingComponent),
        source: s(ev.source?.component || ev.reportingComponent),
        type: s(ev.type),
      };
    },
  },
};
