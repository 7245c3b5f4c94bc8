/**
 * Deployments end to end with the real kubectl 1.27, 1.32 and 1.33 against `tskube up --sim-nodes 3`
 * (controller manager, scheduler and three simulated nodes): `create deployment` gives one
 * ReplicaSet and bound, Running pods owned by it; `rollout status` prints upstream's lines; `set
 * image` rolls within maxSurge and maxUnavailable (counted from watches the test runs); `rollout
 * history|undo|restart|pause|resume`, `scale` and `describe deployment` print what kubectl prints
 * against upstream v1.32. Object names the controllers generate are read back from the API and put
 * into the expected output; only ages are matched loosely.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { assertTable, describeKubectlSuite, type Harness, type KubectlResult } from './kubectl-harness.js';
import {
  SAFE_CHARS, SIM_NODES, WORKLOAD_SERVER_ARGS, WORKLOAD_VERSIONS, annotationLines, assertDescribe, controllerOf,
  eventLines, eventsAbout, getJson, goTabwriter, labelLines, liveWatch, paths, podReady, podTemplateLines,
  podsBySelector, replicaSetsOf, rfc1123z, revisionOf, waitFor, waitForRollout, type EventRow,
} from './kubectl-workloads-support.js';

/** What a successful kubectl command prints: `stdout`, nothing on stderr, exit code 0. */
function ok(stdout: string): KubectlResult {
  return { stdout, stderr: '', code: 0, signal: null };
}

/**
 * Asserts `rollout status` output: every line but the last is one of the waiting lines upstream's
 * deployment status viewer prints (with numbers that fit `replicas`), the last says it rolled out.
 */
function assertRolloutStatus(r: KubectlResult, name: string, replicas: number): void {
  assert.equal(r.stderr, '', 'rollout status stderr');
  assert.equal(r.code, 0, `rollout status exit code; stdout: ${r.stdout}`);
  const lines = r.stdout.split('\n');
  assert.equal(lines.pop(), '', 'rollout status output ends with a newline');
  assert.equal(lines.pop(), `deployment "${name}" successfully rolled out`);
  const prefix = `Waiting for deployment "${name}" rollout to finish: `;
  for (const line of lines) {
    if (line === 'Waiting for deployment spec update to be observed...') continue;
    assert.ok(line.startsWith(prefix), `unexpected rollout status line: ${line}`);
    const rest = line.slice(prefix.length);
    let m = /^(\d+) out of (\d+) new replicas have been updated\.\.\.$/.exec(rest);
    if (m) { assert.ok(Number(m[1]) < replicas && Number(m[2]) === replicas, line); continue; }
    m = /^(\d+) old replicas are pending termination\.\.\.$/.exec(rest);
    if (m) { assert.ok(Number(m[1]) >= 1, line); continue; }
    m = /^(\d+) of (\d+) updated replicas are available\.\.\.$/.exec(rest);
    assert.ok(m && Number(m[1]) < Number(m[2]), `unexpected rollout status line: ${line}`);
  }
}

/** The most pods and ReplicaSet replicas at once, and the fewest ready pods, a rollout went through. */
interface RolloutExtremes { maxReplicaSum: number; maxActivePods: number; minReadyPods: number; podsCreated: number; podsDeleted: number }

/**
 * Runs `action` (which starts a rollout of the Deployment `name`) while watching its ReplicaSets
 * and pods, waits for the rollout to end with `replicas` ready pods, and returns the extremes seen:
 * the largest sum of ReplicaSet spec.replicas, the most pods not being deleted and not finished,
 * the fewest of those that were ready.
 */
async function watchRollout(h: Harness, name: string, replicas: number, action: () => Promise<void>): Promise<RolloutExtremes> {
  const ns = h.namespace;
  const sel = `?labelSelector=${encodeURIComponent(`app=${name}`)}`;
  const x: RolloutExtremes = { maxReplicaSum: 0, maxActivePods: 0, minReadyPods: Infinity, podsCreated: 0, podsDeleted: 0 };
  const rsWatch = await liveWatch(h, `${paths.replicaSets(ns)}${sel}`, (m) => {
    x.maxReplicaSum = Math.max(x.maxReplicaSum, [...m.values()].reduce((s, rs) => s + (rs.spec.replicas ?? 0), 0));
  });
  const podWatch = await liveWatch(h, `${paths.pods(ns)}${sel}`, (m) => {
    const active = [...m.values()].filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    x.maxActivePods = Math.max(x.maxActivePods, active.length);
    x.minReadyPods = Math.min(x.minReadyPods, active.filter(podReady).length);
  });
  try {
    await action();
    await waitForRollout(h, ns, name, replicas);
    await waitFor(async () => podWatch.objects.size === replicas && [...podWatch.objects.values()].every(podReady), 30_000, 'the old pods to be gone');
  } finally {
    rsWatch.stop();
    podWatch.stop();
  }
  x.podsCreated = podWatch.events.filter((e) => e.type === 'ADDED').length;
  x.podsDeleted = podWatch.events.filter((e) => e.type === 'DELETED').length;
  return x;
}

/** The messages of the ScalingReplicaSet events of the Deployment `name`, in the order they were written (by resourceVersion). */
async function scalingMessages(h: Harness, name: string): Promise<string[]> {
  const events = await eventsAbout(h, h.namespace, 'Deployment', name);
  return events.filter((e) => e.reason === 'ScalingReplicaSet')
    .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
    .map((e) => e.message);
}

describeKubectlSuite('kubectl workloads: deployments', (h, version) => {
  const ns = () => h.namespace;
  const deploy = (name: string) => getJson(h, `${paths.deployments(ns())}/${name}`);
  /** ReplicaSet names of `web` by revision, filled as the tests go. */
  const rsByRevision: Record<number, string> = {};

  it('create deployment --replicas=3: one ReplicaSet, three Running pods it owns, bound to the nodes', async () => {
    assert.deepEqual(await h.kubectl(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3']), ok('deployment.apps/web created\n'));
    assertRolloutStatus(await h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s']), 'web', 3);
    const d = await waitForRollout(h, ns(), 'web', 3);
    const rss = await replicaSetsOf(h, ns(), 'web');
    assert.equal(rss.length, 1, 'one ReplicaSet');
    const rs = rss[0];
    const hash = rs.metadata.labels['pod-template-hash'];
    assert.match(hash, new RegExp(`^${SAFE_CHARS}{1,10}$`));
    assert.equal(rs.metadata.name, `web-${hash}`);
    rsByRevision[1] = rs.metadata.name;
    assert.deepEqual(rs.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(rs.metadata.labels, { app: 'web', 'pod-template-hash': hash });
    assert.deepEqual(rs.metadata.annotations, { 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4', 'deployment.kubernetes.io/revision': '1' });
    assert.deepEqual(rs.spec.selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
    assert.equal(rs.spec.replicas, 3);

    const pods = await podsBySelector(h, ns(), 'app=web');
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.match(p.metadata.name, new RegExp(`^${rs.metadata.name}-${SAFE_CHARS}{5}$`));
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      assert.ok(SIM_NODES.includes(p.spec.nodeName), `pod ${p.metadata.name} bound to ${p.spec.nodeName}`);
      assert.equal(p.status.phase, 'Running');
      assert.ok(podReady(p));
    }

    assertTable((await h.kubectl(['get', 'deployment', 'web'])).stdout, [['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], ['web', '3/3', '3', '3', '{age}']], 'get deployment web');
    assertTable((await h.kubectl(['get', 'rs'])).stdout, [['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'], [rs.metadata.name, '3', '3', '3', '{age}']], 'get rs');
    const wide = await h.kubectl(['get', 'pods', '-o', 'wide']);
    assert.equal(wide.stderr, '');
    assertTable(wide.stdout, [
      ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
      ...pods.map((p) => [p.metadata.name, '1/1', 'Running', '0', '{age}', p.status.podIP, p.spec.nodeName, '<none>', '<none>']),
    ], 'get pods -o wide');
    const conditions = (await deploy('web')).status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]);
    assert.deepEqual(conditions, [
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rs.metadata.name}" has successfully progressed.`],
    ]);
  });

  it('set image: a rolling update never above maxSurge (1 of 3) nor below maxUnavailable (0 of 3)', async () => {
    const x = await watchRollout(h, 'web', 3, async () => {
      assert.deepEqual(await h.kubectl(['set', 'image', 'deployment/web', 'nginx=nginx:1.26']), ok('deployment.apps/web image updated\n'));
      assertRolloutStatus(await h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s']), 'web', 3);
    });
    assert.deepEqual(x, { maxReplicaSum: 4, maxActivePods: 4, minReadyPods: 3, podsCreated: 3, podsDeleted: 3 });
    const rss = await replicaSetsOf(h, ns(), 'web');
    assert.deepEqual(rss.map((rs) => [rs.metadata.name, revisionOf(rs), rs.spec.replicas]), [[rsByRevision[1], 1, 0], [rss[1].metadata.name, 2, 3]]);
    rsByRevision[2] = rss[1].metadata.name;
    const [a, b] = [rsByRevision[1], rsByRevision[2]];
    assert.deepEqual((await scalingMessages(h, 'web')).slice(1), [
      `Scaled up replica set ${b} from 0 to 1`, `Scaled down replica set ${a} from 3 to 2`,
      `Scaled up replica set ${b} from 1 to 2`, `Scaled down replica set ${a} from 2 to 1`,
      `Scaled up replica set ${b} from 2 to 3`, `Scaled down replica set ${a} from 1 to 0`,
    ]);
    for (const p of await podsBySelector(h, ns(), 'app=web')) assert.equal(p.spec.containers[0].image, 'nginx:1.26');
  });

  it('set image (maxSurge 0, maxUnavailable 1): never more than 3 pods, never fewer than 2 ready', async () => {
    const patch = await h.kubectl(['patch', 'deployment', 'web', '-p', '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":1}}}}']);
    assert.deepEqual(patch, ok('deployment.apps/web patched\n'));
    const x = await watchRollout(h, 'web', 3, async () => {
      assert.deepEqual(await h.kubectl(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']), ok('deployment.apps/web image updated\n'));
      assertRolloutStatus(await h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s']), 'web', 3);
    });
    assert.deepEqual(x, { maxReplicaSum: 3, maxActivePods: 3, minReadyPods: 2, podsCreated: 3, podsDeleted: 3 });
    const rss = await replicaSetsOf(h, ns(), 'web');
    assert.equal(rss.length, 3);
    rsByRevision[3] = rss[2].metadata.name;
    const [b, c] = [rsByRevision[2], rsByRevision[3]];
    assert.deepEqual((await scalingMessages(h, 'web')).slice(7), [
      `Scaled down replica set ${b} from 3 to 2`, `Scaled up replica set ${c} from 0 to 1`,
      `Scaled down replica set ${b} from 2 to 1`, `Scaled up replica set ${c} from 1 to 2`,
      `Scaled down replica set ${b} from 1 to 0`, `Scaled up replica set ${c} from 2 to 3`,
    ]);
  });

  it('rollout history: the revisions with the change-cause the controller copied; --revision=3 shows its template', async () => {
    const ann = await h.kubectl(['annotate', 'deployment', 'web', 'kubernetes.io/change-cause=image set to 1.27']);
    // kubectl 1.27 names the operation "annotate" (its print flags), later versions "annotated".
    assert.deepEqual(ann, ok(`deployment.apps/web ${version.minor === '1.27' ? 'annotate' : 'annotated'}\n`));
    const rs3 = await waitFor(async () => {
      const rs = await getJson(h, `${paths.replicaSets(ns())}/${rsByRevision[3]}`);
      return rs.metadata.annotations?.['kubernetes.io/change-cause'] === 'image set to 1.27' ? rs : undefined;
    }, 15_000, 'the change-cause on the newest ReplicaSet');
    const history = await h.kubectl(['rollout', 'history', 'deployment/web']);
    assert.deepEqual(history, ok(`deployment.apps/web \n${goTabwriter(['REVISION\tCHANGE-CAUSE', '1\t<none>', '2\t<none>', '3\timage set to 1.27'])}\n`));
    const rev = await h.kubectl(['rollout', 'history', 'deployment/web', '--revision=3']);
    const template = { ...rs3.spec.template, metadata: { ...rs3.spec.template.metadata, annotations: { 'kubernetes.io/change-cause': 'image set to 1.27' } } };
    assert.deepEqual(rev, ok(`deployment.apps/web with revision #3\n${podTemplateLines(template, version).join('\n')}\n\n`));
    assert.deepEqual(rs3.spec.template.metadata.labels, { app: 'web', 'pod-template-hash': rs3.metadata.labels['pod-template-hash'] });
    const missing = await h.kubectl(['rollout', 'history', 'deployment/web', '--revision=9']);
    assert.deepEqual(missing, { stdout: '', stderr: 'error: unable to find the specified revision\n', code: 1, signal: null });
  });

  it('rollout undo: revision 2\'s ReplicaSet is scaled up again as revision 4', async () => {
    assert.deepEqual(await h.kubectl(['rollout', 'undo', 'deployment/web']), ok('deployment.apps/web rolled back\n'));
    assertRolloutStatus(await h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s']), 'web', 3);
    const d = await waitForRollout(h, ns(), 'web', 3);
    assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1.26');
    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '4');
    assert.equal(d.metadata.annotations['kubernetes.io/change-cause'], undefined, 'undo replaces the annotations with the revision\'s');
    const rss = await replicaSetsOf(h, ns(), 'web');
    assert.deepEqual(rss.map((rs) => [rs.metadata.name, revisionOf(rs), rs.spec.replicas]), [
      [rsByRevision[1], 1, 0], [rsByRevision[3], 3, 0], [rsByRevision[2], 4, 3],
    ]);
    assert.equal(rss[2].metadata.annotations['deployment.kubernetes.io/revision-history'], '2');
    const history = await h.kubectl(['rollout', 'history', 'deployment/web']);
    assert.deepEqual(history, ok(`deployment.apps/web \n${goTabwriter(['REVISION\tCHANGE-CAUSE', '1\t<none>', '3\timage set to 1.27', '4\t<none>'])}\n`));
    for (const p of await podsBySelector(h, ns(), 'app=web')) {
      assert.equal(controllerOf(p).name, rsByRevision[2]);
      assert.equal(p.spec.containers[0].image, 'nginx:1.26');
    }
  });

  it('rollout restart: a new ReplicaSet with the restartedAt annotation replaces every pod', async () => {
    const before = new Set((await podsBySelector(h, ns(), 'app=web')).map((p) => p.metadata.name));
    assert.deepEqual(await h.kubectl(['rollout', 'restart', 'deployment/web']), ok('deployment.apps/web restarted\n'));
    assertRolloutStatus(await h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s']), 'web', 3);
    const d = await waitForRollout(h, ns(), 'web', 3);
    const restartedAt = d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'];
    assert.match(restartedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/);
    const rss = await replicaSetsOf(h, ns(), 'web');
    const newest = rss[rss.length - 1];
    assert.equal(revisionOf(newest), 5);
    assert.equal(newest.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'], restartedAt);
    rsByRevision[5] = newest.metadata.name;
    await waitFor(async () => (await podsBySelector(h, ns(), 'app=web')).length === 3, 30_000, 'three pods');
    for (const p of await podsBySelector(h, ns(), 'app=web')) {
      assert.ok(!before.has(p.metadata.name), `pod ${p.metadata.name} survived the restart`);
      assert.equal(controllerOf(p).name, newest.metadata.name);
    }
  });

  it('rollout pause: a template change makes no ReplicaSet until rollout resume', async () => {
    assert.deepEqual(await h.kubectl(['rollout', 'pause', 'deployment/web']), ok('deployment.apps/web paused\n'));
    const again = await h.kubectl(['rollout', 'pause', 'deployment/web']);
    assert.deepEqual(again, { stdout: '', stderr: 'error: deployments.apps "web" is already paused\n', code: 1, signal: null });
    assert.deepEqual(await h.kubectl(['set', 'image', 'deployment/web', 'nginx=nginx:1.28']), ok('deployment.apps/web image updated\n'));
    const paused = await waitFor(async () => {
      const d = await deploy('web');
      return d.status.observedGeneration === d.metadata.generation ? d : undefined;
    }, 15_000, 'the paused deployment to be observed');
    const progressing = paused.status.conditions.find((c: any) => c.type === 'Progressing');
    assert.deepEqual([progressing.status, progressing.reason, progressing.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused']);
    assert.equal((await replicaSetsOf(h, ns(), 'web')).length, 4, 'no ReplicaSet for the paused template');
    const status = await h.kubectl(['rollout', 'status', 'deployment/web', '--watch=false']);
    assert.deepEqual(status, ok('Waiting for deployment "web" rollout to finish: 0 out of 3 new replicas have been updated...\n'));
    const undo = await h.kubectl(['rollout', 'undo', 'deployment/web']);
    assert.deepEqual(undo, { stdout: '', stderr: 'error: you cannot rollback a paused deployment; resume it first with \'kubectl rollout resume\' and try again\n', code: 1, signal: null });

    assert.deepEqual(await h.kubectl(['rollout', 'resume', 'deployment/web']), ok('deployment.apps/web resumed\n'));
    const notPaused = await h.kubectl(['rollout', 'resume', 'deployment/web']);
    assert.deepEqual(notPaused, { stdout: '', stderr: 'error: deployments.apps "web" is not paused\n', code: 1, signal: null });
    assertRolloutStatus(await h.kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s']), 'web', 3);
    const d = await waitForRollout(h, ns(), 'web', 3);
    const rss = await replicaSetsOf(h, ns(), 'web');
    assert.equal(rss.length, 5);
    const newest = rss[4];
    assert.deepEqual([revisionOf(newest), newest.spec.template.spec.containers[0].image], [6, 'nginx:1.28']);
    const cond = d.status.conditions.find((c: any) => c.type === 'Progressing');
    assert.deepEqual([cond.status, cond.reason, cond.message], ['True', 'NewReplicaSetAvailable', `ReplicaSet "${newest.metadata.name}" has successfully progressed.`]);
    rsByRevision[6] = newest.metadata.name;
  });

  it('scale: up to 5 and down to 2, the ReplicaSet and the pods follow', async () => {
    const rs = rsByRevision[6];
    assert.deepEqual(await h.kubectl(['scale', 'deployment/web', '--replicas=5']), ok('deployment.apps/web scaled\n'));
    await waitForRollout(h, ns(), 'web', 5);
    assertTable((await h.kubectl(['get', 'deployment', 'web'])).stdout, [['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], ['web', '5/5', '5', '5', '{age}']], 'get deployment web after scale up');
    assert.deepEqual(await h.kubectl(['scale', 'deployment/web', '--replicas=2']), ok('deployment.apps/web scaled\n'));
    await waitForRollout(h, ns(), 'web', 2);
    await waitFor(async () => (await podsBySelector(h, ns(), 'app=web')).length === 2, 30_000, 'two pods');
    const getRs = await h.kubectl(['get', 'rs', rs]);
    assertTable(getRs.stdout, [['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'], [rs, '2', '2', '2', '{age}']], 'get rs after scale down');
    const messages = await scalingMessages(h, 'web');
    assert.deepEqual(messages.slice(-2), [`Scaled up replica set ${rs} from 3 to 5`, `Scaled down replica set ${rs} from 5 to 2`]);
    const wrong = await h.kubectl(['scale', 'deployment/web', '--current-replicas=3', '--replicas=4']);
    assert.deepEqual(wrong, { stdout: '', stderr: 'error: Expected replicas to be 3, was 2\n', code: 1, signal: null });
  });

  it('describe deployment: upstream\'s sections, conditions, ReplicaSets and ScalingReplicaSet events in order', async () => {
    assert.deepEqual(await h.kubectl(['create', 'deployment', 'desc', '--image=nginx:1.25', '--replicas=2']), ok('deployment.apps/desc created\n'));
    await waitForRollout(h, ns(), 'desc', 2);
    assert.deepEqual(await h.kubectl(['set', 'image', 'deployment/desc', 'nginx=nginx:1.26']), ok('deployment.apps/desc image updated\n'));
    await waitForRollout(h, ns(), 'desc', 2);
    const [oldRs, newRs] = (await replicaSetsOf(h, ns(), 'desc')).map((rs) => rs.metadata.name);
    await waitFor(async () => (await scalingMessages(h, 'desc')).length === 5, 15_000, 'five ScalingReplicaSet events');
    const d = await deploy('desc');
    const events: EventRow[] = [
      `Scaled up replica set ${oldRs} from 0 to 2`, `Scaled up replica set ${newRs} from 0 to 1`, `Scaled down replica set ${oldRs} from 2 to 1`,
      `Scaled up replica set ${newRs} from 1 to 2`, `Scaled down replica set ${oldRs} from 1 to 0`,
    ].map((m) => ['Normal', 'ScalingReplicaSet', 'deployment-controller', m]);
    const r = await h.kubectl(['describe', 'deployment', 'desc']);
    assert.equal(r.stderr, '');
    assertDescribe(r.stdout, [
      'Name:\tdesc', `Namespace:\t${ns()}`, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}`,
      ...labelLines('Labels', { app: 'desc' }), ...annotationLines('Annotations', { 'deployment.kubernetes.io/revision': '2' }),
      'Selector:\tapp=desc', 'Replicas:\t2 desired | 2 updated | 2 total | 2 available | 0 unavailable',
      'StrategyType:\tRollingUpdate', 'MinReadySeconds:\t0', 'RollingUpdateStrategy:\t25% max unavailable, 25% max surge',
      ...podTemplateLines(d.spec.template, version),
      'Conditions:', '  Type\tStatus\tReason', '  ----\t------\t------',
      '  Available \tTrue\tMinimumReplicasAvailable', '  Progressing \tTrue\tNewReplicaSetAvailable',
      `OldReplicaSets:\t${oldRs} (0/0 replicas created)`, `NewReplicaSet:\t${newRs} (2/2 replicas created)`,
      ...eventLines(events),
    ], 'describe deployment desc');
  });
}, { versions: WORKLOAD_VERSIONS, namespacePrefix: 'wl-deploy', serverArgs: WORKLOAD_SERVER_ARGS });
