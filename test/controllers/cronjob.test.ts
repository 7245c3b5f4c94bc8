import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventRecorder, InformerFactory, KubeClient, isConflict, type KubeObject } from '../../src/client/index.js';
import { CronJobController } from '../../src/controllers/cronjob/index.js';
import { startCluster, type Cluster } from '../../src/server/cluster.js';
import { waitFor } from '../support/wait.js';

let cluster: Cluster;
let client: KubeClient;
let controller: CronJobController;
let stop: () => Promise<void>;
/** The controller's clock: frozen, moved by the tests. */
let fakeNow = Date.now();

before(async () => {
  cluster = await startCluster({ leaderElect: false });
  client = new KubeClient(cluster.adminConfig);
  const cmClient = new KubeClient(cluster.componentConfig('controller-manager'));
  const informers = new InformerFactory(cmClient, { log: () => {} });
  const recorder = new EventRecorder(cmClient, { component: 'cronjob-controller' });
  const abort = new AbortController();
  controller = new CronJobController({ client: cmClient, informers, recorder, clock: () => fakeNow });
  informers.start();
  const running = controller.run(abort.signal);
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


const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

async function namespace(name: string): Promise<string> {
  await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

/**
 * Creates a CronJob firing every minute and answers it with `first`, the first activation after
 * its creation (the controller's clock is then moved to 5 s past it).
 */
async function createCronJob(ns: string, name: string, spec: Record<string, unknown> = {}): Promise<{ cj: KubeObject; first: number }> {
  const cj = await client.cronJobs.create({
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: ns },
    spec: {
      schedule: '*/1 * * * *',
      jobTemplate: { metadata: { labels: { app: name } }, spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } },
      ...spec,
    },
  });
  const first = Math.floor(Date.parse(cj.metadata.creationTimestamp!) / MINUTE) * MINUTE + MINUTE;
  return { cj, first };
}

/** Moves the controller's clock to `ms` and has it sync the CronJob. */
function tick(ns: string, name: string, ms: number): void {
  fakeNow = ms;
  controller.queue.add(`${ns}/${name}`);
}

const jobNamesOf = async (ns: string) => (await client.jobs.list({ namespace: ns })).items.map((j) => j.metadata.name).sort();

/** Plays the job controller: marks the job finished. */
async function finishJob(ns: string, name: string, type: 'Complete' | 'Failed', startedAt: number): Promise<KubeObject> {
  for (;;) {
    const job = await client.jobs.get(name, ns);
    const status: Record<string, unknown> = {
      startTime: iso(startedAt),
      conditions: [{ type, status: 'True', lastProbeTime: iso(startedAt + 10_000), lastTransitionTime: iso(startedAt + 10_000) }],
    };
    if (type === 'Complete') Object.assign(status, { succeeded: 1, completionTime: iso(startedAt + 10_000) });
    else status.failed = 1;
    try {
      return await client.jobs.updateStatus({ ...job, status });
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }
}

/** The distinct events about `obj` (a repeat may be counted on one Event or, when written concurrently, land twice). */
async function eventsOf(ns: string, obj: KubeObject): Promise<string[]> {
  const list = await client.events.list({ namespace: ns });
  return [...new Set(list.items.filter((e) => e.involvedObject?.uid === obj.metadata.uid)
    .map((e) => `${e.type} ${e.reason} [${e.source?.component}]: ${e.message}`))].sort();
}

describe('cronjob controller', () => {
  it('creates the job of a due activation with its name, annotation and owner', async () => {
    const ns = await namespace('cj-basic');
    const { cj, first } = await createCronJob(ns, 'hello', { timeZone: 'Asia/Kolkata' });
    tick(ns, 'hello', first + 5000);
    const name = `hello-${first / MINUTE}`;
    const job = await waitFor(() => client.jobs.get(name, ns), () => true, 'job');
    assert.deepEqual(job.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const kolkata = new Date(first + 5.5 * 3_600_000).toISOString().replace(/\.\d+Z$/, '+05:30');
    assert.deepEqual(job.metadata.annotations, { 'batch.kubernetes.io/cronjob-scheduled-timestamp': kolkata });
    assert.equal(job.metadata.labels!.app, 'hello');
    assert.equal(job.spec.template.spec.containers[0].image, 'busybox');
    const status = (await waitFor(() => client.cronJobs.get('hello', ns), (c) => (c.status?.active ?? []).length === 1, 'active')).status;
    assert.deepEqual(status.active, [{ kind: 'Job', namespace: ns, name, uid: job.metadata.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion }]);
    assert.equal(status.lastScheduleTime, iso(first));

    await finishJob(ns, name, 'Complete', first + 1000);
    const done = await waitFor(() => client.cronJobs.get('hello', ns), (c) => c.status?.lastSuccessfulTime !== undefined, 'lastSuccessfulTime');
    assert.deepEqual(done.status, { lastScheduleTime: iso(first), lastSuccessfulTime: iso(first + 11_000) });
    const events = await waitFor(() => eventsOf(ns, cj), (e) => e.length === 2, 'events');
    assert.deepEqual(events, [
      `Normal SawCompletedJob [cronjob-controller]: Saw completed job: ${name}, condition: Complete`,
      `Normal SuccessfulCreate [cronjob-controller]: Created job ${name}`,
    ]);
  });

  it('Forbid skips an activation while a job runs', async () => {
    const ns = await namespace('cj-forbid');
    const { cj, first } = await createCronJob(ns, 'single', { concurrencyPolicy: 'Forbid' });
    tick(ns, 'single', first + 5000);
    await waitFor(() => jobNamesOf(ns), (n) => n.length === 1, 'first job');
    await waitFor(() => client.cronJobs.get('single', ns), (c) => (c.status?.active ?? []).length === 1, 'active');
    tick(ns, 'single', first + MINUTE + 5000);
    const events = await waitFor(() => eventsOf(ns, cj), (e) => e.some((x) => x.includes('JobAlreadyActive')), 'JobAlreadyActive');
    assert.deepEqual(events, [
      'Normal JobAlreadyActive [cronjob-controller]: Not starting job because prior execution is running and concurrency policy is Forbid',
      `Normal SuccessfulCreate [cronjob-controller]: Created job single-${first / MINUTE}`,
    ]);
    assert.deepEqual(await jobNamesOf(ns), [`single-${first / MINUTE}`]);
    assert.equal((await client.cronJobs.get('single', ns)).status.lastScheduleTime, iso(first));
  });

  it('Replace deletes the running job and starts the next', async () => {
    const ns = await namespace('cj-replace');
    const { cj, first } = await createCronJob(ns, 'swap', { concurrencyPolicy: 'Replace' });
    tick(ns, 'swap', first + 5000);
    await waitFor(() => client.cronJobs.get('swap', ns), (c) => (c.status?.active ?? []).length === 1, 'first active');
    const second = first + MINUTE;
    tick(ns, 'swap', second + 5000);
    const cjNow = await waitFor(() => client.cronJobs.get('swap', ns), (c) => c.status?.lastScheduleTime === iso(second), 'second scheduled');
    assert.deepEqual(cjNow.status.active.map((r: any) => r.name), [`swap-${second / MINUTE}`]);
    assert.deepEqual(await waitFor(() => jobNamesOf(ns), (n) => n.length === 1, 'old job gone'), [`swap-${second / MINUTE}`]);
    // A sync working from a cache that has not yet seen the replacement may report the deleted
    // job as missing (as upstream would); nothing else may differ.
    const events = await waitFor(() => eventsOf(ns, cj), (e) => e.filter((x) => !x.includes('MissingJob')).length === 3, 'events');
    assert.deepEqual(events.filter((x) => !x.includes('MissingJob')), [
      `Normal SuccessfulCreate [cronjob-controller]: Created job swap-${first / MINUTE}`,
      `Normal SuccessfulCreate [cronjob-controller]: Created job swap-${second / MINUTE}`,
      `Normal SuccessfulDelete [cronjob-controller]: Deleted job swap-${first / MINUTE}`,
    ]);
    for (const e of events.filter((x) => x.includes('MissingJob'))) {
      assert.equal(e, `Normal MissingJob [cronjob-controller]: Active job went missing: swap-${first / MINUTE}`);
    }
  });

  it('prunes finished jobs beyond the history limits, oldest first', async () => {
    const ns = await namespace('cj-history');
    const { cj, first } = await createCronJob(ns, 'hist', { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 });
    const names: string[] = [];
    for (let i = 0; i < 4; i++) {
      const at = first + i * MINUTE;
      names.push(`hist-${at / MINUTE}`);
      tick(ns, 'hist', at + 5000);
      await waitFor(() => client.cronJobs.get('hist', ns), (c) => c.status?.lastScheduleTime === iso(at), `activation ${i}`);
      await finishJob(ns, names[i], i < 2 ? 'Complete' : 'Failed', at + 1000);
      await waitFor(() => client.cronJobs.get('hist', ns), (c) => (c.status?.active ?? []).length === 0, `job ${i} seen finished`);
    }
    // The sync that saw the fourth job finish pruned the older failed one; the older complete one went earlier.
    assert.deepEqual(await waitFor(() => jobNamesOf(ns), (n) => n.length === 2, 'two left'), [names[1], names[3]].sort());
    const deletes = (await eventsOf(ns, cj)).filter((e) => e.includes('SuccessfulDelete'));
    assert.deepEqual(deletes, [
      `Normal SuccessfulDelete [cronjob-controller]: Deleted job ${names[0]}`,
      `Normal SuccessfulDelete [cronjob-controller]: Deleted job ${names[2]}`,
    ]);
  });

  it('reports a job created from the CronJob by hand but leaves it out of status.active', async () => {
    const ns = await namespace('cj-manual');
    const { cj } = await createCronJob(ns, 'nightly', { suspend: true });
    await waitFor(() => client.cronJobs.get('nightly', ns), () => true, 'cronjob');
    // What `kubectl create job manual --from=cronjob/nightly` sends.
    const manual = await client.jobs.create({
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: {
        name: 'manual', namespace: ns, annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' }, labels: { app: 'nightly' },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: cj.metadata.uid!, controller: true }],
      },
      spec: cj.spec.jobTemplate.spec,
    });
    const events = await waitFor(() => eventsOf(ns, cj), (e) => e.length === 1, 'UnexpectedJob');
    assert.deepEqual(events, ['Warning UnexpectedJob [cronjob-controller]: Saw a job that the controller did not create or forgot: manual']);
    assert.equal((await client.cronJobs.get('nightly', ns)).status?.active, undefined);
    await finishJob(ns, 'manual', 'Complete', Date.parse(manual.metadata.creationTimestamp!));
    const done = await waitFor(() => client.cronJobs.get('nightly', ns), (c) => c.status?.lastSuccessfulTime !== undefined, 'lastSuccessfulTime');
    assert.deepEqual(done.status, { lastSuccessfulTime: iso(Date.parse(manual.metadata.creationTimestamp!) + 10_000) });
    assert.deepEqual((await eventsOf(ns, cj)).filter((e) => e.includes('SawCompletedJob')), []);
  });

  it('warns about more than 100 missed activations and starts only the latest', async () => {
    const ns = await namespace('cj-missed');
    const { cj, first } = await createCronJob(ns, 'late');
    const now = first + 150 * MINUTE + 5000;
    tick(ns, 'late', now);
    const latest = first + 150 * MINUTE;
    assert.deepEqual(await waitFor(() => jobNamesOf(ns), (n) => n.length === 1, 'one job'), [`late-${latest / MINUTE}`]);
    assert.deepEqual(await waitFor(() => eventsOf(ns, cj), (e) => e.length === 2, 'events'), [
      `Normal SuccessfulCreate [cronjob-controller]: Created job late-${latest / MINUTE}`,
      'Warning TooManyMissedTimes [cronjob-controller]: too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
    ]);
  });

  it('starts nothing when the due activation is older than startingDeadlineSeconds', async () => {
    const ns = await namespace('cj-deadline');
    const { first } = await createCronJob(ns, 'strict', { startingDeadlineSeconds: 10 });
    fakeNow = first + 30_000;
    await waitFor(() => client.cronJobs.get('strict', ns), () => true, 'cronjob');
    await controller.sync(`${ns}/strict`);
    assert.deepEqual(await jobNamesOf(ns), []);
    fakeNow = first + 5000;
    await controller.sync(`${ns}/strict`);
    assert.deepEqual(await jobNamesOf(ns), [`strict-${first / MINUTE}`]);
  });
});
