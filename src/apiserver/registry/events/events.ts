import type { FieldError } from '../../../machinery/status.js';
import { ageOf } from '../../../machinery/duration.js';
import { invalidValue, requiredValue, validateDns1123Subdomain } from '../../../machinery/validation.js';
import { validateQualifiedName } from '../../../machinery/validation.js';
import { ALL_VERBS, type ApiObject, type ResourceDefinition } from '../resource.js';
import { goQuote, invalidRendered } from '../go-format.js';
import { semanticEqual } from '../apps/label-selector.js';
import { EVENT_FIELD_LABELS, eventFromCore, eventToCore } from './event-conversion.js';
import { isApiObject as isObj } from '../resource.js';

const LIMITS = { reportingInstance: 128, action: 128, reason: 128, note: 1024 };

const len = (v: unknown) => (typeof v === 'string' ? v.length : 0);

/** The checks every event passes, whatever API wrote it (upstream's `legacyValidateEvent`), with internal field names. */
function legacyValidate(obj: ApiObject): FieldError[] {
  const errs: FieldError[] = [];
  const ns = String(obj.metadata?.namespace ?? '');
  const regardingNs = String(obj.regarding?.namespace ?? '');
  if (!obj.eventTime) {
    if (regardingNs === '' ? ns !== '' && ns !== 'default' : ns !== regardingNs) {
      errs.push(invalidValue('involvedObject.namespace', regardingNs, 'does not match event.namespace'));
    }
  } else {
    if (regardingNs === '' && ns !== 'default' && ns !== 'kube-system') errs.push(invalidValue('involvedObject.namespace', regardingNs, 'does not match event.namespace'));
    if (!obj.reportingController) errs.push(requiredValue('reportingController'));
    errs.push(...validateQualifiedName('reportingController', String(obj.reportingController ?? '')));
    if (!obj.reportingInstance) errs.push(requiredValue('reportingInstance'));
    if (len(obj.reportingInstance) > LIMITS.reportingInstance) errs.push(invalidValue('reportingInstance', '', `can have at most ${LIMITS.reportingInstance} characters`));
    if (!obj.action) errs.push(requiredValue('action'));
    if (len(obj.action) > LIMITS.action) errs.push(invalidValue('action', '', `can have at most ${LIMITS.action} characters`));
    if (!obj.reason) errs.push(requiredValue('reason'));
    if (len(obj.reason) > LIMITS.reason) errs.push(invalidValue('reason', '', `can have at most ${LIMITS.reason} characters`));
    if (len(obj.note) > LIMITS.note) errs.push(invalidValue('message', '', `can have at most ${LIMITS.note} characters`));
  }
  errs.push(...validateDns1123Subdomain('namespace', ns));
  return errs;
}

function validateSeries(obj: ApiObject): FieldError[] {
  if (!isObj(obj.series)) return [];
  const errs: FieldError[] = [];
  if ((obj.series.count ?? 0) < 2) errs.push(invalidValue('series.count', '', 'should be at least 2'));
  if (!obj.series.lastObservedTime) errs.push(requiredValue('series.lastObservedTime'));
  return errs;
}

/** Upstream's `ValidateEventCreate` for events.k8s.io/v1 (the strict rules for new-style events). */
function validateEvent(obj: ApiObject): FieldError[] {
  const errs = [...legacyValidate(obj), ...validateSeries(obj)];
  if (!obj.eventTime) errs.push(requiredValue('eventTime'));
  if (obj.type !== 'Normal' && obj.type !== 'Warning') errs.push(invalidValue('type', '', `has invalid value: ${obj.type ?? ''}`));
  if (obj.deprecatedFirstTimestamp) errs.push(invalidValue('firstTimestamp', '', 'needs to be unset'));
  if (obj.deprecatedLastTimestamp) errs.push(invalidValue('lastTimestamp', '', 'needs to be unset'));
  if (obj.deprecatedCount) errs.push(invalidValue('count', '', 'needs to be unset'));
  if (obj.deprecatedSource?.component || obj.deprecatedSource?.host) errs.push(invalidValue('source', '', 'needs to be unset'));
  return errs;
}

/** An object reference as upstream's `%#v` of `core.ObjectReference` prints it. */
function renderReference(ref: unknown): string {
  const r: ApiObject = isObj(ref) ? ref : {};
  const f = (k: string) => goQuote(r[k] ?? '');
  return `core.ObjectReference{Kind:${f('kind')}, Namespace:${f('namespace')}, Name:${f('name')}, UID:${f('uid')}, APIVersion:${f('apiVersion')}, ResourceVersion:${f('resourceVersion')}, FieldPath:${f('fieldPath')}}`;
}

/** The fields an event keeps for life, by the internal name upstream reports and the events.k8s.io/v1 field holding it. */
const IMMUTABLE: Array<[string, string]> = [
  ['reason', 'reason'], ['message', 'note'], ['source', 'deprecatedSource'], ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'], ['count', 'deprecatedCount'], ['type', 'type'], ['eventTime', 'eventTime'],
  ['action', 'action'], ['related', 'related'], ['reportingController', 'reportingController'], ['reportingInstance', 'reportingInstance'],
];

/** Upstream's `ValidateEventUpdate` for events.k8s.io/v1. */
function validateEventUpdate(obj: ApiObject, old: ApiObject): FieldError[] {
  const errs = legacyValidate(obj);
  if (!semanticEqual(obj.series, old.series)) errs.push(...validateSeries(obj));
  if (!semanticEqual(obj.regarding, old.regarding)) errs.push(invalidRendered('involvedObject', renderReference(obj.regarding), 'field is immutable'));
  for (const [internal, field] of IMMUTABLE) {
    if (semanticEqual(obj[field], old[field])) continue;
    const v = obj[field];
    errs.push(invalidRendered(internal, typeof v === 'number' ? String(v) : typeof v === 'string' ? goQuote(v) : isObj(v) ? `core.${internal}{…}` : '""', 'field is immutable'));
  }
  return errs;
}

/** `component, instance` from the deprecated source or the reporting fields; the instance is left out when empty. */
function sourceCell(obj: ApiObject): string {
  const component = obj.deprecatedSource?.component || obj.reportingController || '';
  const instance = obj.deprecatedSource?.host || obj.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

/** The cells upstream's event printer computes, after Name. */
function eventCells(obj: ApiObject, now: number): unknown[] {
  const first = obj.deprecatedFirstTimestamp ? ageOf(obj.deprecatedFirstTimestamp, now) : ageOf(obj.eventTime, now);
  let last = obj.deprecatedLastTimestamp ? ageOf(obj.deprecatedLastTimestamp, now) : first;
  let count = obj.deprecatedCount ?? 0;
  if (isObj(obj.series)) {
    last = ageOf(obj.series.lastObservedTime, now);
    count = obj.series.count ?? 0;
  } else if (count === 0) {
    count = 1;
  }
  const kind = String(obj.regarding?.kind ?? '').toLowerCase();
  const target = obj.regarding?.name ? `${kind}/${obj.regarding.name}` : kind;
  return [last, obj.type ?? '', obj.reason ?? '', target, obj.regarding?.fieldPath ?? '', sourceCell(obj), String(obj.note ?? '').trim(), first, count];
}

/**
 * events.k8s.io/v1 Event: the same stored objects as core/v1 events, in the newer shape (as
 * upstream, one storage and two forms).
 */
export const events: ResourceDefinition = {
  group: 'events.k8s.io',
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
  storedAs: { group: '', plural: 'events', version: 'v1', toStored: eventToCore, fromStored: eventFromCore, fieldLabels: EVENT_FIELD_LABELS },
  table: {
    columns: [
      { name: 'Last Seen', type: 'string', description: 'Time since the event was last observed.' },
      { name: 'Type', type: 'string', description: 'Normal or Warning.' },
      { name: 'Reason', type: 'string', description: 'Why the action was taken, in one word.' },
      { name: 'Object', type: 'string', description: 'The object the event is about.' },
      { name: 'Subobject', type: 'string', priority: 1, description: 'The part of the object the event is about.' },
      { name: 'Source', type: 'string', priority: 1, description: 'The component (and instance) that reported the event.' },
      { name: 'Message', type: 'string', description: 'What happened, for people to read.' },
      { name: 'First Seen', type: 'string', priority: 1, description: 'Time since the event was first observed.' },
      { name: 'Count', type: 'string', priority: 1, description: 'How many times the event was observed.' },
    ],
    nameLast: true,
    cells: eventCells,
  },
  strategy: {
    prepareForCreate() {},
    prepareForUpdate() {},
    validate: validateEvent,
    validateUpdate: validateEventUpdate,
  },
};
