import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventRecorder, InformerFactory, KubeClient, isConflict, isNotFound, type KubeObject } from '../../src/client/index.js';
import { JobController, TtlAfterFinishedController } from '../../src/controllers/job/index.js';
import { expiresAt, needsCleanup } from '../../src/controllers/job/ttl-after-finished.js';
import { startCluster, type Cluster } from '../../src/server/cluster.js';
import { waitFor } from '../support/wait.js';

let cluster: Cluster;
let client: KubeClient;
let stop: () => Promise<void>;
/** The controller's clock runs this far ahead of the real one (tests move it forward). */
let clockOffsetMs = 0;
let controller: JobController;

before(async () => {
  cluster = await startCluster({ leaderElect: false });
  client = new KubeClient(cluster.adminConfig);
  const cmClient = new KubeClient(cluster.componentConfig('controller-manager'));
  const informers = new InformerFactory(cmClient, { log: () => {} });
  const recorder = new EventRecorder(cmClient, { component: 'job-controller' });
  const abort = new AbortController();
  controller = new JobController({
    client: cmClient, informers, recorder, clock: () => Date.now() + clockOffsetMs,
    tunables: { syncBatchPeriodMs: 20, podFailureBackoffMs: 20, apiBackoffMs: 20 },
  });
  const ttl = new TtlAfterFinishedController(cmClient, informers, () => Date.now() + clockOffsetMs);
  informers.start();
  const running = Promise.all([controller.run(abort.signal), ttl.run(abort.signal)]);
  stop = async () => {
    abort.abort();
    await running;
    await informers.stop();
    await recorder.flush();
    cmClient.close();
  };
});

after(async () => {
  await stop?.();
  client?.close();
  await cluster?.stop();
});


async function namespace(name: string): Promise<string> {
  await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

function jobManifest(ns: string, name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: ns },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox' }] } }, ...spec },
  };
}

const podsOf = async (ns: string, job: KubeObject) =>
  (await client.pods.list({ namespace: ns, labelSelector: `batch.kubernetes.io/controller-uid=${job.metadata.uid}` })).items
    .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));

const getJob = (ns: string, name: string) => client.jobs.get(name, ns);

/** Plays the kubelet: the pod ran its one container to the end (retrying when the controller wrote the pod meanwhile). */
async function finishPod(pod: KubeObject, phase: 'Succeeded' | 'Failed'): Promise<void> {
  for (;;) {
    const fresh = await client.pods.get(pod.metadata.name!, pod.metadata.namespace);
    const at = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    try {
      await client.pods.updateStatus({
        ...fresh,
        status: {
          ...fresh.status,
          phase,
          conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: at }],
          containerStatuses: [{
            name: 'work', image: 'busybox', imageID: '', ready: false, restartCount: 0,
            state: { terminated: { exitCode: phase === 'Succeeded' ? 0 : 1, reason: phase === 'Succeeded' ? 'Completed' : 'Error', startedAt: at, finishedAt: at } },
          }],
        },
      });
      return;
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }
}

async function eventsOf(ns: string, obj: KubeObject): Promise<Array<{ type: string; reason: string; message: string; component: string }>> {
  const list = await client.events.list({ namespace: ns });
  return list.items
    .filter((e) => e.involvedObject?.uid === obj.metadata.uid)
    .sort((a, b) => (a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? -1 : a.metadata.creationTimestamp! > b.metadata.creationTimestamp! ? 1 : 0))
    .map((e) => ({ type: e.type, reason: e.reason, message: e.message, component: e.source?.component }));
}

/** Conditions without their timestamps. */
const conditionsOf = (job: KubeObject) => (job.status?.conditions ?? []).map((c: any) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message }));

const hasCondition = (type: string) => (job: KubeObject) => (job.status?.conditions ?? []).some((c: any) => c.type === type && c.status === 'True');

describe('job controller', () => {
  it('runs a NonIndexed job with completions 3 and parallelism 2 to Complete', async () => {
    const ns = await namespace('job-nonindexed');
    const job = await client.jobs.create(jobManifest(ns, 'pi', { completions: 3, parallelism: 2 }));
    const first = await waitFor(() => podsOf(ns, job), (p) => p.length === 2, 'two pods');
    for (const pod of first) {
      assert.equal(pod.metadata.generateName, 'pi-');
      assert.match(pod.metadata.name!, /^pi-[a-z0-9]{5}$/);
      assert.deepEqual(pod.metadata.labels, {
        'batch.kubernetes.io/controller-uid': job.metadata.uid, 'batch.kubernetes.io/job-name': 'pi',
        'controller-uid': job.metadata.uid, 'job-name': 'pi',
      });
      assert.deepEqual(pod.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
      assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: job.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    const running = await waitFor(() => getJob(ns, 'pi'), (j) => j.status?.active === 2, 'active 2');
    assert.equal(running.status.ready, 0);
    assert.equal(running.status.terminating, 0);
    assert.deepEqual(running.status.uncountedTerminatedPods, {});
    assert.match(running.status.startTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    await finishPod(first[0], 'Succeeded');
    const third = await waitFor(() => podsOf(ns, job), (p) => p.length === 3, 'a third pod');
    const counted = await waitFor(() => getJob(ns, 'pi'), (j) => j.status?.succeeded === 1 && j.status?.active === 2, 'one succeeded');
    assert.deepEqual(counted.status.uncountedTerminatedPods, {});
    const firstNow = await client.pods.get(first[0].metadata.name!, ns);
    assert.equal(firstNow.metadata.finalizers, undefined);

    for (const pod of third.filter((p) => p.metadata.name !== first[0].metadata.name)) await finishPod(pod, 'Succeeded');
    const done = await waitFor(() => getJob(ns, 'pi'), hasCondition('Complete'), 'Complete');
    assert.deepEqual(conditionsOf(done), [
      { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
      { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
    ]);
    assert.equal(done.status.succeeded, 3);
    assert.equal(done.status.failed, undefined);
    assert.equal(done.status.active, undefined);
    assert.equal(done.status.ready, 0);
    assert.equal(done.status.terminating, 0);
    assert.deepEqual(done.status.uncountedTerminatedPods, {});
    assert.equal(done.status.completionTime, done.status.conditions[1].lastTransitionTime);
    const podsAfter = await podsOf(ns, job);
    assert.equal(podsAfter.length, 3);
    assert.deepEqual(podsAfter.map((p) => p.metadata.finalizers), [undefined, undefined, undefined]);

    const events = await waitFor(() => eventsOf(ns, done), (e) => e.length === 4, 'four events');
    const names = third.map((p) => p.metadata.name).sort();
    assert.deepEqual(events.filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.message).sort(), names.map((n) => `Created pod: ${n}`));
    assert.deepEqual(events.find((e) => e.reason === 'Completed'), { type: 'Normal', reason: 'Completed', message: 'Job completed', component: 'job-controller' });
    assert.ok(events.every((e) => e.component === 'job-controller'));
  });

  it('runs an Indexed job: one pod per index, completedIndexes as intervals', async () => {
    const ns = await namespace('job-indexed');
    const job = await client.jobs.create(jobManifest(ns, 'idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    const pods = await waitFor(() => podsOf(ns, job), (p) => p.length === 3, 'three pods');
    const byIndex = new Map(pods.map((p) => [p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'], p]));
    assert.deepEqual([...byIndex.keys()].sort(), ['0', '1', '2']);
    for (const [ix, pod] of byIndex) {
      assert.equal(pod.metadata.generateName, `idx-${ix}-`);
      assert.equal(pod.metadata.labels!['batch.kubernetes.io/job-completion-index'], ix);
      assert.equal(pod.spec.hostname, `idx-${ix}`);
      assert.deepEqual(pod.spec.containers[0].env, [{
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } },
      }]);
    }
    await finishPod(byIndex.get('1')!, 'Succeeded');
    const one = await waitFor(() => getJob(ns, 'idx'), (j) => j.status?.completedIndexes === '1', 'index 1 done');
    assert.equal(one.status.succeeded, 1);
    await finishPod(byIndex.get('2')!, 'Succeeded');
    const two = await waitFor(() => getJob(ns, 'idx'), (j) => j.status?.succeeded === 2, 'index 2 done');
    assert.equal(two.status.completedIndexes, '1,2');
    await finishPod(byIndex.get('0')!, 'Succeeded');
    const done = await waitFor(() => getJob(ns, 'idx'), hasCondition('Complete'), 'Complete');
    assert.equal(done.status.completedIndexes, '0-2');
    assert.equal(done.status.succeeded, 3);
    assert.equal((await podsOf(ns, job)).length, 3);
  });

  it('fails a job past its backoff limit with BackoffLimitExceeded', async () => {
    const ns = await namespace('job-backoff');
    const job = await client.jobs.create(jobManifest(ns, 'flaky', { backoffLimit: 1 }));
    const [p1] = await waitFor(() => podsOf(ns, job), (p) => p.length === 1, 'first pod');
    await finishPod(p1, 'Failed');
    const pods = await waitFor(() => podsOf(ns, job), (p) => p.length === 2, 'replacement pod');
    const counted = await waitFor(() => getJob(ns, 'flaky'), (j) => j.status?.failed === 1, 'one failure counted');
    assert.deepEqual(conditionsOf(counted), []);
    await finishPod(pods.find((p) => p.metadata.name !== p1.metadata.name)!, 'Failed');
    const failed = await waitFor(() => getJob(ns, 'flaky'), hasCondition('Failed'), 'Failed');
    assert.deepEqual(conditionsOf(failed), [
      { type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
      { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
    ]);
    assert.equal(failed.status.failed, 2);
    assert.equal(failed.status.succeeded, undefined);
    assert.equal(failed.status.completionTime, undefined);
    assert.equal((await podsOf(ns, job)).length, 2);
    const events = await waitFor(() => eventsOf(ns, failed), (e) => e.some((x) => x.reason === 'BackoffLimitExceeded'), 'failure event');
    assert.deepEqual(events.filter((e) => e.type === 'Warning'), [
      { type: 'Warning', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', component: 'job-controller' },
    ]);
    assert.equal(events.filter((e) => e.reason === 'SuccessfulCreate').length, 2);
  });

  it('fails a job past activeDeadlineSeconds once its deleted pods terminated', async () => {
    const ns = await namespace('job-deadline');
    const job = await client.jobs.create(jobManifest(ns, 'slow', { activeDeadlineSeconds: 30 }));
    const [pod] = await waitFor(() => podsOf(ns, job), (p) => p.length === 1, 'pod');
    // A bound pod is deleted gracefully: it stays, terminating, until the kubelet finishes it.
    await client.nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } });
    await client.pods.createSubresource(pod.metadata.name!, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata.name }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } }, ns);
    clockOffsetMs = 120_000;
    try {
      controller.queue.add(`${ns}/slow`);
      const target = await waitFor(() => getJob(ns, 'slow'), hasCondition('FailureTarget'), 'FailureTarget');
      assert.equal(target.status.terminating, 1);
      assert.equal(hasCondition('Failed')(target), false);
      const deleting = await client.pods.get(pod.metadata.name!, ns);
      assert.equal(typeof deleting.metadata.deletionTimestamp, 'string');
      await finishPod(pod, 'Failed');
      const failed = await waitFor(() => getJob(ns, 'slow'), hasCondition('Failed'), 'Failed');
      assert.deepEqual(conditionsOf(failed), [
        { type: 'FailureTarget', status: 'True', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' },
        { type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' },
      ]);
      assert.equal(failed.status.failed, 1);
      assert.equal(failed.status.terminating, 0);
      const events = await waitFor(() => eventsOf(ns, failed), (e) => e.some((x) => x.reason === 'DeadlineExceeded'), 'deadline event');
      assert.deepEqual(events.map((e) => `${e.type} ${e.reason}: ${e.message}`).sort(), [
        `Normal SuccessfulCreate: Created pod: ${pod.metadata.name}`,
        `Normal SuccessfulDelete: Deleted pod: ${pod.metadata.name}`,
        'Warning DeadlineExceeded: Job was active longer than specified deadline',
      ]);
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('keeps a suspended job without pods and marks it Suspended', async () => {
    const ns = await namespace('job-suspend');
    const job = await client.jobs.create(jobManifest(ns, 'later', { suspend: true }));
    const suspended = await waitFor(() => getJob(ns, 'later'), hasCondition('Suspended'), 'Suspended');
    assert.deepEqual(conditionsOf(suspended), [{ type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' }]);
    assert.equal(suspended.status.startTime, undefined);
    assert.equal((await podsOf(ns, job)).length, 0);
    const events = await waitFor(() => eventsOf(ns, job), (e) => e.length === 1, 'event');
    assert.deepEqual(events, [{ type: 'Normal', reason: 'Suspended', message: 'Job suspended', component: 'job-controller' }]);
  });

  it('deletes a finished job once ttlSecondsAfterFinished has passed', async () => {
    const ns = await namespace('job-ttl');
    const job = await client.jobs.create(jobManifest(ns, 'brief', { ttlSecondsAfterFinished: 0 }));
    const [pod] = await waitFor(() => podsOf(ns, job), (p) => p.length === 1, 'pod');
    await finishPod(pod, 'Succeeded');
    // Foreground deletion: without a garbage collector the job stays, marked deleted.
    const gone = await waitFor(async () => {
      try {
        return await getJob(ns, 'brief');
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    }, (j) => j === undefined || typeof j.metadata.deletionTimestamp === 'string', 'deleted');
    if (gone) assert.deepEqual(gone.metadata.finalizers, ['foregroundDeletion']);
  });
});

describe('ttl-after-finished', () => {
  const finished = (ttl: number | undefined, type = 'Complete', status = 'True'): KubeObject => ({
    metadata: { name: 'j', namespace: 'ns' },
    spec: { ttlSecondsAfterFinished: ttl },
    status: { conditions: [{ type, status, lastTransitionTime: '2024-05-01T10:00:00Z' }] },
  });

  it('expires a finished job ttl seconds after its terminal condition', () => {
    assert.equal(needsCleanup(finished(30)), true);
    assert.equal(needsCleanup(finished(undefined)), false);
    assert.equal(needsCleanup(finished(30, 'SuccessCriteriaMet')), false);
    assert.equal(expiresAt(finished(30, 'Failed')), Date.parse('2024-05-01T10:00:30Z'));
    assert.equal(expiresAt({ metadata: { name: 'j', namespace: 'ns' }, spec: { ttlSecondsAfterFinished: 1 }, status: {} }), 'unable to find the time when the Job ns/j finished');
  });
});
