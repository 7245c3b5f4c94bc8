/**
 * Keeping the number of running pods of an unfinished job right (upstream's `manageJob`): all
 * pods of a suspended job go; surplus pods go; missing pods are created once the failure
 * backoff has passed, with completion indexes for Indexed jobs.
 */
import type { KubeObject } from '../../client/object.js';
import { remainingBackoffMs } from './backoff.js';
import { isSuspended } from './conditions.js';
import { MAX_POD_CREATE_DELETE_PER_SYNC } from './constants.js';
import type { JobDeps } from './deps.js';
import { duplicatedIndexPodsForRemoval, firstPendingIndexes } from './indexes.js';
import { createPodsSlowStart, deleteJobPods } from './pod-control.js';
import { podFromTemplate } from './pod-template.js';
import { compareForDeletion, onlyReplaceFailedPods } from './pods.js';
import { isIndexed, type SyncContext } from './sync-context.js';

/** The pods to delete: duplicates and strays of Indexed jobs, then the first in deletion order. */
export function activePodsForRemoval(job: KubeObject, pods: KubeObject[], rmAtLeast: number): KubeObject[] {
  let rm: KubeObject[] = [];
  let left = pods;
  if (isIndexed(job)) ({ rm, left } = duplicatedIndexPodsForRemoval(pods, job.spec?.completions ?? 0, compareForDeletion));
  if (rm.length < rmAtLeast) rm = [...rm, ...[...left].sort(compareForDeletion).slice(0, rmAtLeast - rm.length)];
  return rm;
}

/** How many pods should run now. */
export function wantedActive(job: KubeObject, active: number, succeeded: number): number {
  const parallelism: number = job.spec?.parallelism ?? 1;
  const completions: number | undefined = job.spec?.completions ?? undefined;
  if (completions === undefined) return succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(completions - succeeded, parallelism));
}

const podKey = (p: KubeObject) => `${p.metadata.namespace}/${p.metadata.name}`;

async function deleteSurplus(deps: JobDeps, ctx: SyncContext, pods: KubeObject[], active: number): Promise<{ active: number; error?: unknown }> {
  deps.expectations.expectDeletions(ctx.key, pods.map(podKey));
  const r = await deleteJobPods(deps, ctx.job, ctx.key, pods);
  ctx.terminating += r.deleted;
  ctx.ready -= r.deletedReady;
  return { active: active - r.deleted, error: r.error };
}

/** Creates `diff` pods (fewer for Indexed jobs with fewer pending indexes). */
async function createMissing(deps: JobDeps, ctx: SyncContext, diff: number, active: number): Promise<{ active: number; error?: unknown }> {
  const job = ctx.job;
  let indexes: number[] | undefined;
  if (isIndexed(job)) {
    indexes = firstPendingIndexes(ctx.activePods, ctx.succeededIndexes, diff, job.spec?.completions ?? 0);
    diff = indexes.length;
  }
  deps.expectations.expectCreations(ctx.key, diff);
  let created = active + diff;
  const pods = Array.from({ length: diff }, (_, i) => podFromTemplate(job, indexes?.[i]));
  const error = await createPodsSlowStart(deps, job, pods, (n) => {
    created -= n;
    for (let i = 0; i < n; i++) deps.expectations.creationObserved(ctx.key);
  });
  return { active: created, error };
}

/** Creates or deletes pods; answers the active count afterwards and the first error. */
export async function manageJob(deps: JobDeps, ctx: SyncContext): Promise<{ active: number; error?: unknown }> {
  const job = ctx.job;
  const active = ctx.activePods.length;
  if (isSuspended(job)) return deleteSurplus(deps, ctx, activePodsForRemoval(job, ctx.activePods, active), active);
  const want = wantedActive(job, active, ctx.succeeded);
  const surplus = activePodsForRemoval(job, ctx.activePods, Math.max(0, active - want)).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (surplus.length > 0) return deleteSurplus(deps, ctx, surplus, active);
  const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
  const diff = Math.min(want - terminating - active, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (diff <= 0) return { active };
  const t = deps.tunables;
  const wait = remainingBackoffMs(deps.clock(), t.podFailureBackoffMs, t.maxPodFailureBackoffMs, ctx.newBackoff.failuresAfterLastSuccess, ctx.newBackoff.lastFailureTime);
  if (wait > 0) {
    deps.enqueueAfter(ctx.key, Math.max(wait, t.syncBatchPeriodMs));
    // Upstream reports no active pods while it waits out the backoff.
    return { active: 0 };
  }
  return createMissing(deps, ctx, diff, active);
}
