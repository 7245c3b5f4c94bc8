/**
 * Deletion end to end with the real kubectl 1.27, 1.32 and 1.33 against `tskube up --sim-nodes 3`:
 * a deleted pod is replaced by its ReplicaSet; `delete deployment` lets the garbage collector remove
 * its ReplicaSets and pods, `--cascade=orphan` keeps them with the owner references stripped (and a
 * new Deployment adopts them), `--cascade=foreground` returns only once pods, then ReplicaSets, then
 * the Deployment are gone; `delete namespace` empties the namespace before it goes, and holds it in
 * Terminating (with upstream's conditions) while content with finalizers remains; every namespace
 * gets the `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { assertTable, describeKubectlSuite, type KubectlResult } from './kubectl-harness.js';
import {
  WORKLOAD_SERVER_ARGS, WORKLOAD_VERSIONS, assertDescribe, controllerOf, eventsAbout, getJson, labelLines, listItems,
  liveWatch, paths, podsBySelector, replicaSetsOf, rfc1123z, statusOf, StopWaiting, waitFor, waitForRollout,
} from './kubectl-workloads-support.js';

function ok(stdout: string): KubectlResult {
  return { stdout, stderr: '', code: 0, signal: null };
}

/** What upstream's root CA publisher writes into every namespace's kube-root-ca.crt. */
const ROOT_CA_DESCRIPTION = 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints ' +
  'such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

describeKubectlSuite('kubectl workloads: deletion', (h, version) => {
  const ns = () => h.namespace;
  const t = version.tag;
  /** Creates a deployment with kubectl and waits until its `replicas` pods are ready. */
  const deployment = async (name: string, replicas: number) => {
    assert.deepEqual(await h.kubectl(['create', 'deployment', name, '--image=nginx:1.25', `--replicas=${replicas}`]), ok(`deployment.apps/${name} created\n`));
    return waitForRollout(h, ns(), name, replicas);
  };
  const noneLeft = (r: KubectlResult) => assert.deepEqual(r, { stdout: '', stderr: `No resources found in ${ns()} namespace.\n`, code: 0, signal: null });

  it('delete pod: the ReplicaSet creates a replacement and says so', async () => {
    await deployment('rep', 2);
    const [rs] = await replicaSetsOf(h, ns(), 'rep');
    const before = await podsBySelector(h, ns(), 'app=rep');
    const victim = before[0].metadata.name;
    assert.deepEqual(await h.kubectl(['delete', 'pod', victim]), ok(`pod "${victim}" deleted\n`));
    assert.equal(await statusOf(h, `${paths.pods(ns())}/${victim}`), 404, 'kubectl delete waits until the pod is gone');
    const after = await waitFor(async () => {
      const pods = await podsBySelector(h, ns(), 'app=rep');
      return pods.length === 2 && pods.every((p) => p.status?.phase === 'Running') ? pods : undefined;
    }, 30_000, 'a replacement pod');
    const replacement = after.find((p) => p.metadata.name !== before[1].metadata.name);
    assert.ok(replacement && replacement.metadata.name !== victim);
    assert.equal(controllerOf(replacement).uid, rs.metadata.uid);
    const created = (await eventsAbout(h, ns(), 'ReplicaSet', rs.metadata.name)).filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.message).sort();
    assert.deepEqual(created, [...before.map((p) => p.metadata.name), replacement.metadata.name].map((n) => `Created pod: ${n}`).sort());
  });

  it('delete deployment: the garbage collector removes its ReplicaSet and pods', async () => {
    await deployment('gone', 2);
    assert.deepEqual(await h.kubectl(['delete', 'deployment', 'gone']), ok('deployment.apps "gone" deleted\n'));
    await waitFor(async () => (await listItems(h, `${paths.replicaSets(ns())}?labelSelector=app%3Dgone`)).length === 0 &&
      (await listItems(h, `${paths.pods(ns())}?labelSelector=app%3Dgone`)).length === 0, 30_000, 'the ReplicaSet and pods to go');
    noneLeft(await h.kubectl(['get', 'rs,pods', '-l', 'app=gone']));
  });

  it('delete deployment --cascade=orphan: the ReplicaSet and pods stay without the owner reference; a new deployment adopts them', async () => {
    const d = await deployment('orph', 2);
    const [rs] = await replicaSetsOf(h, ns(), 'orph');
    const podNames = (await podsBySelector(h, ns(), 'app=orph')).map((p) => p.metadata.name);
    const dWatch = await liveWatch(h, `${paths.deployments(ns())}?fieldSelector=metadata.name%3Dorph`, () => undefined);
    try {
      assert.deepEqual(await h.kubectl(['delete', 'deployment', 'orph', '--cascade=orphan']), ok('deployment.apps "orph" deleted\n'));
      assert.equal(await statusOf(h, `${paths.deployments(ns())}/orph`), 404, 'kubectl waits until the deployment is gone');
      await waitFor(async () => dWatch.events.some((e) => e.type === 'DELETED'), 10_000, 'the DELETED event');
    } finally {
      dWatch.stop();
    }
    const marked = dWatch.events.find((e) => e.type === 'MODIFIED' && e.object.metadata.deletionTimestamp);
    assert.deepEqual(marked?.object.metadata.finalizers, ['orphan'], 'the deployment waited for the orphan finalizer');

    const kept = await getJson(h, `${paths.replicaSets(ns())}/${rs.metadata.name}`);
    assert.equal(kept.metadata.uid, rs.metadata.uid);
    assert.equal(kept.metadata.ownerReferences, undefined, 'owner references stripped');
    assert.equal(kept.metadata.deletionTimestamp, undefined);
    const pods = await podsBySelector(h, ns(), 'app=orph');
    assert.deepEqual(pods.map((p) => p.metadata.name), podNames);
    for (const p of pods) assert.equal(controllerOf(p).uid, rs.metadata.uid, 'pods keep their ReplicaSet');
    assertTable((await h.kubectl(['get', 'rs', '-l', 'app=orph'])).stdout, [['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'], [rs.metadata.name, '2', '2', '2', '{age}']], 'get rs after the orphaning delete');

    const again = await deployment('orph', 2);
    assert.notEqual(again.metadata.uid, d.metadata.uid);
    const adopted = await waitFor(async () => {
      const cur = await getJson(h, `${paths.replicaSets(ns())}/${rs.metadata.name}`);
      return controllerOf(cur)?.uid === again.metadata.uid ? cur : undefined;
    }, 15_000, 'the new deployment to adopt the ReplicaSet');
    assert.deepEqual(adopted.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'orph', uid: again.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal((await replicaSetsOf(h, ns(), 'orph')).length, 1, 'no second ReplicaSet');
    assert.deepEqual((await podsBySelector(h, ns(), 'app=orph')).map((p) => p.metadata.name), podNames, 'the same pods');
  });

  it('delete deployment --cascade=foreground: kubectl returns once pods, then the ReplicaSet, then the deployment are gone', async () => {
    await deployment('fg', 2);
    const watches = await Promise.all([
      liveWatch(h, `${paths.deployments(ns())}?fieldSelector=metadata.name%3Dfg`, () => undefined),
      liveWatch(h, `${paths.replicaSets(ns())}?labelSelector=app%3Dfg`, () => undefined),
      liveWatch(h, `${paths.pods(ns())}?labelSelector=app%3Dfg`, () => undefined),
    ]);
    try {
      assert.deepEqual(await h.kubectl(['delete', 'deployment', 'fg', '--cascade=foreground']), ok('deployment.apps "fg" deleted\n'));
      // No polling: when kubectl returns, the dependents must already be gone.
      assert.equal(await statusOf(h, `${paths.deployments(ns())}/fg`), 404);
      assert.deepEqual(await listItems(h, `${paths.replicaSets(ns())}?labelSelector=app%3Dfg`), []);
      assert.deepEqual(await listItems(h, `${paths.pods(ns())}?labelSelector=app%3Dfg`), []);
      await waitFor(async () => watches.every((w) => w.events.filter((e) => e.type === 'DELETED').length > 0) &&
        watches[2].events.filter((e) => e.type === 'DELETED').length === 2, 10_000, 'the DELETED events');
    } finally {
      for (const w of watches) w.stop();
    }
    const [dEvents, rsEvents, podEvents] = watches.map((w) => w.events);
    const marked = dEvents.find((e) => e.type === 'MODIFIED' && e.object.metadata.deletionTimestamp);
    assert.deepEqual(marked?.object.metadata.finalizers, ['foregroundDeletion']);
    const rsMarked = rsEvents.find((e) => e.type === 'MODIFIED' && e.object.metadata.deletionTimestamp);
    assert.deepEqual(rsMarked?.object.metadata.finalizers, ['foregroundDeletion'], 'the ReplicaSet is deleted in the foreground too');
    // The resourceVersion of a DELETED event is the revision of the deletion: they order the deletions.
    const lastDeletion = (events: any[]) => Math.max(...events.filter((e) => e.type === 'DELETED').map((e) => Number(e.object.metadata.resourceVersion)));
    const deleted = { pods: lastDeletion(podEvents), rs: lastDeletion(rsEvents), deployment: lastDeletion(dEvents) };
    assert.ok(deleted.pods < deleted.rs && deleted.rs < deleted.deployment, `deletion order by resourceVersion: ${JSON.stringify(deleted)}`);
    noneLeft(await h.kubectl(['get', 'deploy,rs,pods', '-l', 'app=fg']));
  });

  it('create namespace: the default ServiceAccount and the kube-root-ca.crt ConfigMap appear in it', async () => {
    const fresh = `wl-fresh-${t}`;
    assert.deepEqual(await h.kubectl(['create', 'namespace', fresh]), ok(`namespace/${fresh} created\n`));
    try {
      await waitFor(async () => (await statusOf(h, `${paths.serviceAccounts(fresh)}/default`)) === 200 &&
        (await statusOf(h, `${paths.configMaps(fresh)}/kube-root-ca.crt`)) === 200, 15_000, 'the ServiceAccount and the ConfigMap');
      const r = await h.kubectl(['get', 'sa,cm', '-n', fresh]);
      assert.equal(r.stderr, '');
      const [sa, cm] = r.stdout.split('\n\n');
      assertTable(`${sa}\n`, [['NAME', 'SECRETS', 'AGE'], ['serviceaccount/default', '0', '{age}']], 'get sa');
      assertTable(cm, [['NAME', 'DATA', 'AGE'], ['configmap/kube-root-ca.crt', '1', '{age}']], 'get cm');
      const ca = await getJson(h, `${paths.configMaps(fresh)}/kube-root-ca.crt`);
      assert.deepEqual(ca.data, { 'ca.crt': h.server.credentials.ca });
      assert.deepEqual(ca.metadata.annotations, { 'kubernetes.io/description': ROOT_CA_DESCRIPTION });
      const account = await getJson(h, `${paths.serviceAccounts(fresh)}/default`);
      assert.equal(account.secrets, undefined, 'no token secret (upstream stopped creating them in 1.24)');
    } finally {
      await h.kubectl(['delete', 'namespace', fresh, '--wait=false']);
    }
  });

  it('delete namespace: kubectl waits while the namespace controller empties it, then it is gone', async () => {
    const doomed = `wl-doomed-${t}`;
    assert.deepEqual(await h.kubectl(['create', 'namespace', doomed]), ok(`namespace/${doomed} created\n`));
    await waitFor(async () => (await statusOf(h, `${paths.serviceAccounts(doomed)}/default`)) === 200, 15_000, 'the default ServiceAccount');
    assert.deepEqual(await h.kubectl(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2', '-n', doomed]), ok('deployment.apps/web created\n'));
    await waitForRollout(h, doomed, 'web', 2);
    assert.deepEqual(await h.kubectl(['create', 'configmap', 'settings', '--from-literal=a=b', '-n', doomed]), ok('configmap/settings created\n'));
    const podWatch = await liveWatch(h, paths.pods(doomed), () => undefined);
    const nsWatch = await liveWatch(h, `/api/v1/namespaces?fieldSelector=metadata.name%3D${doomed}`, () => undefined);
    try {
      const r = await h.kubectl(['delete', 'namespace', doomed, '--timeout=60s']);
      assert.deepEqual(r, ok(`namespace "${doomed}" deleted\n`));
      assert.equal(await statusOf(h, `/api/v1/namespaces/${doomed}`), 404, 'kubectl returns once the namespace is gone');
      await waitFor(async () => nsWatch.events.some((e) => e.type === 'DELETED'), 10_000, 'the namespace DELETED event');
    } finally {
      podWatch.stop();
      nsWatch.stop();
    }
    const terminating = nsWatch.events.find((e) => e.object.status?.phase === 'Terminating');
    assert.ok(terminating?.object.metadata.deletionTimestamp, 'the namespace went through Terminating');
    const nsGone = Number(nsWatch.events.find((e) => e.type === 'DELETED')!.object.metadata.resourceVersion);
    const podsGone = podWatch.events.filter((e) => e.type === 'DELETED').map((e) => Number(e.object.metadata.resourceVersion));
    assert.equal(podsGone.length, 2, 'both pods were deleted');
    assert.ok(podsGone.every((rv) => rv < nsGone), 'the pods were gone before the namespace');
    const get = await h.kubectl(['get', 'namespace', doomed]);
    assert.deepEqual(get, { stdout: '', stderr: `Error from server (NotFound): namespaces "${doomed}" not found\n`, code: 1, signal: null });
  });

  it('delete namespace: content with a finalizer holds it in Terminating with upstream\'s conditions; new content is refused', async () => {
    const held = `wl-held-${t}`;
    assert.deepEqual(await h.kubectl(['create', 'namespace', held]), ok(`namespace/${held} created\n`));
    const r = await h.client.request('POST', paths.configMaps(held), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    assert.equal(r.status, 201, r.text);
    try {
      assert.deepEqual(await h.kubectl(['delete', 'namespace', held, '--wait=false']), ok(`namespace "${held}" deleted\n`));
      const remaining = 'Some resources are remaining: configmaps. has 1 resource instances';
      const nsObj = await waitFor(async () => {
        const got = await h.client.request('GET', `/api/v1/namespaces/${held}`);
        if (got.status === 404) throw new StopWaiting('the namespace was deleted although a configmap with a finalizer remains in it');
        const n = got.json;
        const c = (n.status.conditions ?? []).find((x: any) => x.type === 'NamespaceContentRemaining');
        return c?.message === remaining ? n : undefined;
      }, 30_000, 'the namespace to report the remaining configmap');
      assertTable((await h.kubectl(['get', 'namespace', held])).stdout, [['NAME', 'STATUS', 'AGE'], [held, 'Terminating', '{age}']], 'get namespace (Terminating)');
      const late = await h.kubectl(['run', 'late', '--image=nginx', '-n', held]);
      assert.deepEqual(late, { stdout: '', stderr: `Error from server (Forbidden): pods "late" is forbidden: unable to create new content in namespace ${held} because it is being terminated\n`, code: 1, signal: null });
      const when = (type: string) => rfc1123z(nsObj.status.conditions.find((c: any) => c.type === type).lastTransitionTime);
      const describe = await h.kubectl(['describe', 'namespace', held]);
      assert.equal(describe.stderr, '');
      assertDescribe(describe.stdout, [
        `Name:\t${held}`, ...labelLines('Labels', { 'kubernetes.io/metadata.name': held }), 'Annotations:\t<none>', 'Status:\tTerminating',
        'Conditions:', '  Type\tStatus\tLastTransitionTime\tReason\tMessage', '  ----\t------\t------------------\t------\t-------',
        `  NamespaceDeletionDiscoveryFailure\tFalse\t${when('NamespaceDeletionDiscoveryFailure')}\tResourcesDiscovered\tAll resources successfully discovered`,
        `  NamespaceDeletionGroupVersionParsingFailure\tFalse\t${when('NamespaceDeletionGroupVersionParsingFailure')}\tParsedGroupVersions\tAll legacy kube types successfully parsed`,
        `  NamespaceDeletionContentFailure\tFalse\t${when('NamespaceDeletionContentFailure')}\tContentDeleted\tAll content successfully deleted, may be waiting on finalization`,
        `  NamespaceContentRemaining\tTrue\t${when('NamespaceContentRemaining')}\tSomeResourcesRemain\t${remaining}`,
        `  NamespaceFinalizersRemaining\tTrue\t${when('NamespaceFinalizersRemaining')}\tSomeFinalizersRemain\tSome content in the namespace has finalizers remaining: example.com/hold in 1 resource instances`,
        '', 'No resource quota.', '', 'No LimitRange resource.',
      ], 'describe namespace (Terminating)');
      assert.deepEqual(nsObj.spec.finalizers, ['kubernetes'], 'the namespace keeps its finalizer while content remains');
    } finally {
      await h.client.request('PATCH', `${paths.configMaps(held)}/held`, '{"metadata":{"finalizers":null}}', { 'Content-Type': 'application/merge-patch+json' });
    }
    await waitFor(async () => (await statusOf(h, `/api/v1/namespaces/${held}`)) === 404, 30_000, 'the namespace to go once the finalizer is removed');
  });
}, { versions: WORKLOAD_VERSIONS, namespacePrefix: 'wl-delete', serverArgs: WORKLOAD_SERVER_ARGS });
