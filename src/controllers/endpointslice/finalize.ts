/** Writing a reconcile plan: creates, updates, deletes, tracked so the informer's echoes are recognised. */
import { isForbidden, isNotFound, type KubeClient } from '../../client/index.js';
import { hasStatusCause, NAMESPACE_TERMINATING_CAUSE } from '../util/errors.js';
import { formatRfc3339Nano, LAST_CHANGE_TRIGGER_TIME } from './util/trigger-time.js';
import type { Obj } from './util/pods.js';
import { reuseDeletedSlices, type ReconcilePlan } from './reconciler.js';
import type { EndpointSliceTracker } from './tracker.js';

const message = (err: unknown) => (err as Error)?.message ?? String(err);

function setTriggerTime(slice: Obj, triggerTime: number | undefined): void {
  const annotations: Record<string, string> = { ...(slice.metadata.annotations ?? {}) };
  if (triggerTime !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = formatRfc3339Nano(triggerTime);
  else delete annotations[LAST_CHANGE_TRIGGER_TIME];
  slice.metadata.annotations = annotations;
}

/** Deletes a slice, tolerating one already gone, and records the deletion as expected. */
async function deleteSlice(client: KubeClient, tracker: EndpointSliceTracker, svc: Obj, slice: Obj): Promise<void> {
  try {
    await client.endpointSlices.delete(slice.metadata.name ?? '', { namespace: svc.metadata.namespace });
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  tracker.expectDeletion(slice);
}

/** Writes one address type's changes; throws upstream's message for the first failure. */
async function finalizeAddressType(
  client: KubeClient, tracker: EndpointSliceTracker, svc: Obj, plan: ReconcilePlan['byAddressType'][number], triggerTime: number | undefined,
): Promise<void> {
  const { namespace, name } = svc.metadata;
  reuseDeletedSlices(plan, svc);
  // No new slices for a service being deleted: the garbage collector would race them.
  if (!svc.metadata.deletionTimestamp) {
    for (const slice of plan.create) {
      setTriggerTime(slice, triggerTime);
      try {
        tracker.update(await client.endpointSlices.create(slice, { namespace }));
      } catch (err) {
        if (isForbidden(err) && hasStatusCause(err, NAMESPACE_TERMINATING_CAUSE)) return;
        throw new Error(`failed to create EndpointSlice for Service ${namespace}/${name}: ${message(err)}`);
      }
    }
  }
  for (const slice of plan.update) {
    setTriggerTime(slice, triggerTime);
    try {
      tracker.update(await client.endpointSlices.update(slice, { namespace }));
    } catch (err) {
      throw new Error(`failed to update ${slice.metadata.name} EndpointSlice for Service ${namespace}/${name}: ${message(err)}`);
    }
  }
  for (const slice of plan.delete) {
    try {
      await deleteSlice(client, tracker, svc, slice);
    } catch (err) {
      throw new Error(`failed to delete ${slice.metadata.name} EndpointSlice for Service ${namespace}/${name}: ${message(err)}`);
    }
  }
}

/** Go's aggregate error text (nested aggregates flattened): one message as is, several (deduplicated) as `[a, b]`. */
export function aggregateMessage(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

/**
 * Carries out `plan` for `svc`; resolves with the messages of everything that went wrong
 * (planning problems included; see {@link aggregateMessage}), empty when all is well.
 */
export async function finalizePlan(
  client: KubeClient, tracker: EndpointSliceTracker, svc: Obj, plan: ReconcilePlan, triggerTime: number | undefined,
): Promise<string[]> {
  const errors: string[] = [];
  for (const p of plan.byAddressType) {
    const errs = [...p.errors];
    try {
      await finalizeAddressType(client, tracker, svc, p, triggerTime);
    } catch (err) {
      errs.push(message(err));
    }
    errors.push(...errs);
  }
  for (const slice of plan.deleteUnsupported) {
    try {
      await deleteSlice(client, tracker, svc, slice);
    } catch (err) {
      errors.push(`error deleting ${slice.metadata.name} EndpointSlice for Service ${svc.metadata.namespace}/${svc.metadata.name}: ${message(err)}`);
    }
  }
  return errors;
}
