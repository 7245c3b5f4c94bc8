import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../src/client/index.js';
import { BackoffStore, remainingBackoffMs } from '../../src/controllers/job/backoff.js';
import { ensureCondition, newCondition } from '../../src/controllers/job/conditions.js';
import {
  completionIndex, duplicatedIndexPodsForRemoval, firstPendingIndexes, formatIntervals, parseIntervals, totalIndexes, withOrderedIndexes,
} from '../../src/controllers/job/indexes.js';
import { activePodsForRemoval, wantedActive } from '../../src/controllers/job/manage.js';
import { indexedGenerateName, podFromTemplate } from '../../src/controllers/job/pod-template.js';
import { compareForDeletion, isPodFailed, podFinishedAt } from '../../src/controllers/job/pods.js';
import { matchPodFailurePolicy } from '../../src/controllers/job/pod-failure-policy.js';
import { matchSuccessPolicy } from '../../src/controllers/job/success-policy.js';
import { cleanUncounted } from '../../src/controllers/job/tracking.js';

const pod = (name: string, extra: { index?: number; phase?: string; nodeName?: string; ready?: boolean; created?: string; deleted?: string; finishedAt?: string } = {}): KubeObject => ({
  metadata: {
    name, uid: `uid-${name}`, namespace: 'ns',
    creationTimestamp: extra.created ?? '2024-05-01T10:00:00Z',
    ...(extra.deleted ? { deletionTimestamp: extra.deleted, deletionGracePeriodSeconds: 30 } : {}),
    ...(extra.index !== undefined ? { annotations: { 'batch.kubernetes.io/job-completion-index': String(extra.index) } } : {}),
  },
  spec: { nodeName: extra.nodeName },
  status: {
    phase: extra.phase ?? 'Running',
    conditions: extra.ready === undefined ? [] : [{ type: 'Ready', status: extra.ready ? 'True' : 'False', lastTransitionTime: '2024-05-01T10:00:05Z' }],
    ...(extra.finishedAt ? { containerStatuses: [{ name: 'c', state: { terminated: { finishedAt: extra.finishedAt } } }] } : {}),
  },
});

describe('job completion indexes', () => {
  it('formats intervals as upstream: ranges, and pairs with a comma', () => {
    assert.equal(formatIntervals([{ first: 0, last: 0 }, { first: 2, last: 3 }, { first: 5, last: 9 }]), '0,2,3,5-9');
    assert.equal(formatIntervals([]), '');
  });

  it('merges new indexes into intervals', () => {
    const iv = withOrderedIndexes(parseIntervals('1,3-5', 10), [0, 2, 7, 8]);
    assert.deepEqual(iv, [{ first: 0, last: 5 }, { first: 7, last: 8 }]);
    assert.equal(formatIntervals(iv), '0-5,7,8');
    assert.equal(totalIndexes(iv), 8);
  });

  it('parses completedIndexes, skipping corrupt parts and clipping to completions', () => {
    assert.deepEqual(parseIntervals('0,x,2-3,4-9,12', 8), [{ first: 0, last: 0 }, { first: 2, last: 7 }]);
    assert.deepEqual(parseIntervals('', 3), []);
  });

  it('reads the index annotation', () => {
    assert.equal(completionIndex(pod('a', { index: 4 })), 4);
    assert.equal(completionIndex(pod('a')), -1);
    assert.equal(completionIndex({ metadata: { annotations: { 'batch.kubernetes.io/job-completion-index': 'x' } } }), -1);
  });

  it('picks the first pending indexes, skipping succeeded and active ones', () => {
    const active = [pod('a', { index: 1 }), pod('b', { index: 4 })];
    assert.deepEqual(firstPendingIndexes(active, parseIntervals('0,2', 10), 3, 10), [3, 5, 6]);
    assert.deepEqual(firstPendingIndexes(active, [], 5, 5), [0, 2, 3]);
  });

  it('removes pods without an index, out of range, and duplicates (keeping the most advanced)', () => {
    const older = pod('dup-running', { index: 1, nodeName: 'n1', created: '2024-05-01T09:00:00Z' });
    const newer = pod('dup-pending', { index: 1, phase: 'Pending' });
    const { rm, left } = duplicatedIndexPodsForRemoval([pod('none'), older, pod('far', { index: 9 }), newer, pod('ok', { index: 0 })], 3, compareForDeletion);
    assert.deepEqual(rm.map((p) => p.metadata.name), ['none', 'far', 'dup-pending']);
    assert.deepEqual(left.map((p) => p.metadata.name), ['ok', 'dup-running']);
  });
});

describe('job pods', () => {
  it('orders pods for deletion: unscheduled, pending, not ready, newer first', () => {
    const pods = [
      pod('ready-old', { nodeName: 'n', ready: true, created: '2024-05-01T09:00:00Z' }),
      pod('unscheduled', { phase: 'Pending' }),
      pod('pending', { nodeName: 'n', phase: 'Pending' }),
      pod('notready-new', { nodeName: 'n', ready: false, created: '2024-05-01T11:00:00Z' }),
      pod('notready-old', { nodeName: 'n', ready: false, created: '2024-05-01T09:00:00Z' }),
    ];
    assert.deepEqual([...pods].sort(compareForDeletion).map((p) => p.metadata.name), ['unscheduled', 'pending', 'notready-new', 'notready-old', 'ready-old']);
  });

  it('counts deleted unfinished pods as failed unless only failed pods are replaced', () => {
    const job = { metadata: {}, spec: {} };
    const deleting = pod('d', { deleted: '2024-05-01T10:01:00Z' });
    assert.equal(isPodFailed(deleting, job), true);
    assert.equal(isPodFailed(deleting, { metadata: {}, spec: { podReplacementPolicy: 'Failed' } }), false);
    assert.equal(isPodFailed(pod('s', { phase: 'Succeeded', deleted: '2024-05-01T10:01:00Z' }), job), false);
  });

  it('dates a finished pod by its containers, then Ready=False, then deletion less grace, then creation', () => {
    assert.equal(podFinishedAt(pod('a', { finishedAt: '2024-05-01T10:03:00Z', ready: false })), Date.parse('2024-05-01T10:03:00Z'));
    assert.equal(podFinishedAt(pod('b', { ready: false })), Date.parse('2024-05-01T10:00:05Z'));
    assert.equal(podFinishedAt(pod('c', { deleted: '2024-05-01T10:01:00Z' })), Date.parse('2024-05-01T10:00:30Z'));
    assert.equal(podFinishedAt(pod('d')), Date.parse('2024-05-01T10:00:00Z'));
  });

  it('builds an Indexed pod from the template', () => {
    const job = {
      metadata: { name: 'idx', namespace: 'ns', uid: 'job-uid' },
      spec: { completionMode: 'Indexed', template: { metadata: { labels: { a: 'b' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    };
    assert.deepEqual(podFromTemplate(job, 2), {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        generateName: 'idx-2-', namespace: 'ns',
        labels: { a: 'b', 'batch.kubernetes.io/job-completion-index': '2' },
        annotations: { 'batch.kubernetes.io/job-completion-index': '2' },
        finalizers: ['batch.kubernetes.io/job-tracking'],
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'idx', uid: 'job-uid', controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        restartPolicy: 'Never', hostname: 'idx-2',
        containers: [{ name: 'c', image: 'busybox', env: [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } }] }],
      },
    });
    assert.equal(job.spec.template.spec.containers[0].hasOwnProperty('env'), false);
    assert.equal(indexedGenerateName('x'.repeat(60), 12), `${'x'.repeat(54)}-12-`);
  });
});

describe('job counting', () => {
  it('wants min(completions - succeeded, parallelism) pods; work queues keep running pods after a success', () => {
    assert.equal(wantedActive({ metadata: {}, spec: { completions: 3, parallelism: 2 } }, 2, 0), 2);
    assert.equal(wantedActive({ metadata: {}, spec: { completions: 3, parallelism: 2 } }, 2, 2), 1);
    assert.equal(wantedActive({ metadata: {}, spec: { completions: 3, parallelism: 2 } }, 0, 4), 0);
    assert.equal(wantedActive({ metadata: {}, spec: { parallelism: 4 } }, 3, 0), 4);
    assert.equal(wantedActive({ metadata: {}, spec: { parallelism: 4 } }, 3, 1), 3);
  });

  it('removes the least advanced surplus pods', () => {
    const pods = [pod('running', { nodeName: 'n' }), pod('pending', { nodeName: 'n', phase: 'Pending' })];
    assert.deepEqual(activePodsForRemoval({ metadata: {}, spec: {} }, pods, 1).map((p) => p.metadata.name), ['pending']);
  });

  it('moves uncounted pods whose finalizer went into the counters', () => {
    const job: KubeObject = { metadata: {}, status: { succeeded: 1, uncountedTerminatedPods: { succeeded: ['a', 'b'], failed: ['c'] } } };
    assert.equal(cleanUncounted(job, new Set(['b'])), true);
    assert.deepEqual(job.status, { succeeded: 2, failed: 1, uncountedTerminatedPods: { succeeded: ['b'], failed: [] } });
    assert.equal(cleanUncounted(job, new Set(['b'])), false);
  });

  it('matches success policy rules in order', () => {
    const succeeded = parseIntervals('0,2-4', 10);
    assert.equal(matchSuccessPolicy({ rules: [{ succeededIndexes: '1' }, { succeededIndexes: '2-4' }] }, 10, succeeded), 'Matched rules at index 1');
    assert.equal(matchSuccessPolicy({ rules: [{ succeededIndexes: '0-9', succeededCount: 4 }] }, 10, succeeded), 'Matched rules at index 0');
    assert.equal(matchSuccessPolicy({ rules: [{ succeededCount: 5 }] }, 10, succeeded), undefined);
    assert.equal(matchSuccessPolicy({ rules: [{ succeededCount: 4 }] }, 10, succeeded), 'Matched rules at index 0');
  });
});

describe('job pod failure policy', () => {
  const failed = (exitCode: number, conditions: object[] = []): KubeObject => ({
    metadata: { name: 'p', namespace: 'ns' },
    status: { phase: 'Failed', conditions, containerStatuses: [{ name: 'main', state: { terminated: { exitCode } } }] },
  });
  const policy = {
    rules: [
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
      { action: 'Count', onExitCodes: { operator: 'NotIn', values: [42] } },
    ],
  };

  it('fails the job on a FailJob rule with upstream\'s message', () => {
    assert.deepEqual(matchPodFailurePolicy(policy, failed(42)), {
      failJobMessage: 'Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 1', countFailed: true, action: 'FailJob',
    });
  });

  it('ignores disruptions and counts other exit codes', () => {
    assert.deepEqual(matchPodFailurePolicy(policy, failed(42, [{ type: 'DisruptionTarget', status: 'True' }])), { countFailed: false, action: 'Ignore' });
    assert.deepEqual(matchPodFailurePolicy(policy, failed(3)), { countFailed: true, action: 'Count' });
    assert.deepEqual(matchPodFailurePolicy(undefined, failed(3)), { countFailed: true });
    assert.deepEqual(matchPodFailurePolicy({ rules: [{ action: 'FailJob', onPodConditions: [{ type: 'ConfigIssue', status: 'True' }] }] }, failed(1, [{ type: 'ConfigIssue', status: 'True' }])), {
      failJobMessage: 'Pod ns/p has condition ConfigIssue matching FailJob rule at index 0', countFailed: true, action: 'FailJob',
    });
  });
});

describe('job backoff and conditions', () => {
  it('doubles the replacement delay per failure since the last success', () => {
    const store = new BackoffStore();
    const f1 = pod('f1', { phase: 'Failed', finishedAt: '2024-05-01T10:01:00Z' });
    const f2 = pod('f2', { phase: 'Failed', finishedAt: '2024-05-01T10:02:00Z' });
    const s1 = pod('s1', { phase: 'Succeeded', finishedAt: '2024-05-01T10:01:30Z' });
    const r1 = store.next('ns/j', [], [f2, f1]);
    assert.deepEqual(r1, { key: 'ns/j', failuresAfterLastSuccess: 2, lastFailureTime: Date.parse('2024-05-01T10:02:00Z') });
    store.update(r1);
    assert.deepEqual(store.next('ns/j', [s1], [f1, f2]), { key: 'ns/j', failuresAfterLastSuccess: 1, lastFailureTime: Date.parse('2024-05-01T10:02:00Z') });
    const last = Date.parse('2024-05-01T10:02:00Z');
    assert.equal(remainingBackoffMs(last + 5_000, 10_000, 600_000, 1, last), 5_000);
    assert.equal(remainingBackoffMs(last + 5_000, 10_000, 600_000, 3, last), 35_000);
    assert.equal(remainingBackoffMs(last + 5_000, 10_000, 600_000, 20, last), 595_000);
    assert.equal(remainingBackoffMs(last + 50_000, 10_000, 600_000, 2, last), 0);
  });

  it('sets conditions only when they change, never adding a False one', () => {
    const now = Date.parse('2024-05-01T10:00:00.600Z');
    const job: KubeObject = { metadata: {}, status: {} };
    assert.equal(ensureCondition(job, 'Suspended', 'False', 'JobResumed', 'Job resumed', now), false);
    assert.equal(ensureCondition(job, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now), true);
    assert.equal(ensureCondition(job, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now + 5000), false);
    assert.deepEqual(job.status.conditions, [{ type: 'Suspended', status: 'True', lastProbeTime: '2024-05-01T10:00:00Z', lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'JobSuspended', message: 'Job suspended' }]);
    assert.deepEqual(newCondition('Complete', 'True', '', '', now), { type: 'Complete', status: 'True', lastProbeTime: '2024-05-01T10:00:00Z', lastTransitionTime: '2024-05-01T10:00:00Z' });
  });
});
