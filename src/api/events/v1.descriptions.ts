/**
 * tskube's own descriptions of events.k8s.io/v1 types and fields ('Type' or 'Type.field' → text),
 * merged into the generated v1.ts by scripts/gen-api-types.mjs.
 */
export const EVENTS_V1_DESCRIPTIONS: Record<string, string> = {
  Event: 'A report of something that happened to an object, kept for a limited time.',
  'Event.eventTime': 'When the event first happened, to the microsecond.',
  'Event.series': 'Data about a series of repeats of the event, when it recurs.',
  'Event.reportingController': 'The controller that emitted the event, such as kubernetes.io/kubelet.',
  'Event.reportingInstance': 'The instance of that controller, such as the kubelet\'s node.',
  'Event.action': 'What was done, or failed, about the object.',
  'Event.reason': 'A short, machine-readable reason for the event.',
  'Event.regarding': 'The object the event is about.',
  'Event.related': 'A second object involved, if any.',
  'Event.note': 'A human-readable description of what happened.',
  'Event.type': 'Normal or Warning.',
  'Event.deprecatedSource': 'The reporting component in the core/v1 form; kept for compatibility.',
  'Event.deprecatedFirstTimestamp': 'The core/v1 firstTimestamp; kept for compatibility.',
  'Event.deprecatedLastTimestamp': 'The core/v1 lastTimestamp; kept for compatibility.',
  'Event.deprecatedCount': 'The core/v1 count; kept for compatibility.',
  EventSeries: 'Repeats of an event, counted instead of recorded one by one.',
  'EventSeries.count': 'How many times the event has occurred in the series.',
  'EventSeries.lastObservedTime': 'When the event was last seen.',
};
