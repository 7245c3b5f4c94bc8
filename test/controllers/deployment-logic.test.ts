import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setNewReplicaSetAnnotations } from '../../src/controllers/deployment/annotations.js';
import { deploymentTimedOut, newCondition, setCondition } from '../../src/controllers/deployment/conditions.js';
import { buildNewReplicaSet } from '../../src/controllers/deployment/new-replicaset.js';
import { rolloutRecreate } from '../../src/controllers/deployment/recreate.js';
import {
  maxSurge, maxUnavailable, newRSNewReplicas, proportion, resolveFenceposts, roundHalfAway, scaledValue,
} from '../../src/controllers/deployment/replicas.js';
import {
  equalIgnoreHash, findActiveOrLatest, findNewReplicaSet, findOldReplicaSets, lastRevision, maxRevision,
} from '../../src/controllers/deployment/replicasets.js';
import { rollback } from '../../src/controllers/deployment/rollback.js';
import { rolloutRolling } from '../../src/controllers/deployment/rolling.js';
import { cleanupDeployment, isScalingEvent, scale } from '../../src/controllers/deployment/scale.js';
import { calculateStatus, rolloutStatus, stuckRequeueDelay } from '../../src/controllers/deployment/status.js';
import { checkPausedConditions, syncDeploymentObject } from '../../src/controllers/deployment/sync-deployment.js';
import { computeHash } from '../../src/controllers/util/hash.js';
import { StatusError } from '../../src/client/index.js';
import { formatTime } from '../../src/controllers/util/time.js';
import type { DeploymentStatus } from '../../src/controllers/util/types.js';
import { deployment, FakeDeps, replicaSetOf, T0 } from './deployment-fakes.js';

const NOW = formatTime(T0);

describe('surge and unavailability', () => {
  test('percentages: surge rounds up, unavailability rounds down', () => {
    assert.deepEqual(resolveFenceposts('25%', '25%', 10), [3, 2]);
    assert.deepEqual(resolveFenceposts('25%', '25%', 3), [1, 0]);
    assert.deepEqual(resolveFenceposts('25%', '25%', 1), [1, 0]);
    assert.deepEqual(resolveFenceposts('10%', '10%', 4), [1, 0]);
    assert.deepEqual(resolveFenceposts('0%', '10%', 4), [0, 1]);
    assert.deepEqual(resolveFenceposts(1, '33%', 10), [1, 3]);
    assert.deepEqual(resolveFenceposts(0, 0, 5), [0, 1]);
    assert.deepEqual(resolveFenceposts('50%', 2, 0), [0, 2]);
    assert.equal(scaledValue('30%', 7, true), 3);
    assert.equal(scaledValue('30%', 7, false), 2);
    assert.throws(() => scaledValue('5', 10, true), { message: 'invalid value for IntOrString: invalid type: string is not a percentage' });
  });

  test('maxSurge and maxUnavailable of a Deployment', () => {
    assert.equal(maxSurge(deployment({ replicas: 10 })), 3);
    assert.equal(maxUnavailable(deployment({ replicas: 10 })), 2);
    assert.equal(maxUnavailable(deployment({ replicas: 3, maxUnavailable: 5, maxSurge: 0 })), 3);
    assert.equal(maxUnavailable(deployment({ replicas: 0 })), 0);
    assert.equal(maxSurge(deployment({ strategy: 'Recreate' })), 0);
    assert.equal(maxUnavailable(deployment({ strategy: 'Recreate' })), 0);
  });

  test('new ReplicaSet growth is bounded by the surge', () => {
    const d = deployment({ replicas: 10 });
    const old = replicaSetOf(d, 'nginx:0', { replicas: 10, revision: 1 });
    const fresh = replicaSetOf(d, 'nginx:1', { replicas: 0, revision: 2 });
    assert.equal(newRSNewReplicas(d, [old, fresh], fresh), 3);
    fresh.spec.replicas = 3;
    assert.equal(newRSNewReplicas(d, [old, fresh], fresh), 3);
    old.spec.replicas = 8;
    assert.equal(newRSNewReplicas(d, [old, fresh], fresh), 5);
    old.spec.replicas = 0;
    assert.equal(newRSNewReplicas(d, [old, fresh], fresh), 10);
    assert.equal(newRSNewReplicas(deployment({ replicas: 10, strategy: 'Recreate' }), [old, fresh], fresh), 10);
  });

  test('proportions round half away from zero', () => {
    assert.equal(roundHalfAway(2.5), 3);
    assert.equal(roundHalfAway(-2.5), -3);
    assert.equal(roundHalfAway(2.49), 2);
    const d = deployment({ replicas: 20, maxSurge: 3, maxUnavailable: 2 });
    const rs = replicaSetOf(d, 'nginx:0', { replicas: 8, revision: 1, maxReplicas: 13 });
    assert.equal(proportion(rs, d, 10, 0), 6);
    assert.equal(proportion(rs, d, 10, 7), 3);
    assert.equal(proportion(rs, d, 0, 0), 0);
  });
});

describe('revisions and ReplicaSet selection', () => {
  const d = deployment({ image: 'nginx:2' });
  const r1 = replicaSetOf(d, 'nginx:1', { replicas: 0, revision: 1, ageS: 300 });
  const r2 = replicaSetOf(d, 'nginx:2', { replicas: 3, revision: 2, ageS: 200 });
  const r3 = replicaSetOf(d, 'nginx:3', { replicas: 1, revision: 3, ageS: 100 });

  test('new ReplicaSet by template, old ones by exclusion', () => {
    assert.equal(findNewReplicaSet(d, [r3, r1, r2])?.metadata.name, r2.metadata.name);
    const { old, allOld } = findOldReplicaSets(d, [r1, r2, r3]);
    assert.deepEqual(old.map((r) => r.metadata.name), [r3.metadata.name]);
    assert.deepEqual(allOld.map((r) => r.metadata.name), [r1.metadata.name, r3.metadata.name]);
    assert.equal(maxRevision([r1, r2, r3]), 3);
    assert.equal(lastRevision([r1, r3, r2]), 2);
    assert.equal(equalIgnoreHash(r2.spec.template, d.spec.template), true);
    assert.equal(findActiveOrLatest(undefined, [r1]), r1);
    assert.equal(findActiveOrLatest(r2, [r1]), r2);
    assert.equal(findActiveOrLatest(r2, [r1, r3]), undefined);
  });

  test('new ReplicaSet name, labels, selector and owner', () => {
    const rs = buildNewReplicaSet(d);
    const hash = computeHash(d.spec.template);
    assert.deepEqual(rs.metadata, {
      name: `web-${hash}`, namespace: 'ns', labels: { app: 'web', 'pod-template-hash': hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true, blockOwnerDeletion: true }],
    });
    assert.deepEqual(rs.spec.selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
    assert.deepEqual(rs.spec.template?.metadata?.labels, { app: 'web', 'pod-template-hash': hash });
    const collided = buildNewReplicaSet({ ...d, status: { collisionCount: 1 } });
    assert.equal(collided.metadata.name, `web-${computeHash(d.spec.template, 1)}`);
    assert.notEqual(collided.metadata.name, rs.metadata.name);
  });

  test('annotations of a ReplicaSet about to be created', () => {
    const src = deployment({ replicas: 4, annotations: { team: 'a', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '9' } });
    const rs = buildNewReplicaSet(src);
    assert.equal(setNewReplicaSetAnnotations(src, rs, '5', false, 2000), true);
    assert.deepEqual(rs.metadata.annotations, {
      team: 'a', 'deployment.kubernetes.io/revision': '5',
      'deployment.kubernetes.io/desired-replicas': '4', 'deployment.kubernetes.io/max-replicas': '5',
    });
  });

  test('a ReplicaSet brought back keeps its earlier revisions in the history', () => {
    const rs = structuredClone(r1);
    assert.equal(setNewReplicaSetAnnotations(d, rs, '4', true, 2000), true);
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision'], '4');
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(setNewReplicaSetAnnotations(d, rs, '6', true, 2000), true);
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1,4');
    assert.equal(setNewReplicaSetAnnotations(d, rs, '6', true, 2000), false);
    assert.equal(setNewReplicaSetAnnotations(d, rs, '7', true, 4), true);
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '4,6');
  });
});

describe('conditions and status', () => {
  test('setCondition keeps the transition time while the status holds', () => {
    const s: DeploymentStatus = {};
    setCondition(s, newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'a', T0));
    setCondition(s, newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'changed message', T0 + 5000));
    assert.equal(s.conditions?.[0].message, 'a');
    setCondition(s, newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'b', T0 + 5000));
    assert.deepEqual(s.conditions, [{ type: 'Progressing', status: 'True', lastUpdateTime: formatTime(T0 + 5000), lastTransitionTime: NOW, reason: 'ReplicaSetUpdated', message: 'b' }]);
    setCondition(s, newCondition('Available', 'False', 'MinimumReplicasUnavailable', 'c', T0));
    setCondition(s, newCondition('Progressing', 'False', 'ProgressDeadlineExceeded', 'd', T0 + 9000));
    assert.deepEqual(s.conditions?.map((c) => `${c.type} ${c.lastTransitionTime}`), ['Available 2024-05-01T10:00:00Z', 'Progressing 2024-05-01T10:00:09Z']);
  });

  test('a complete rollout', () => {
    const d = deployment({ replicas: 3, status: { observedGeneration: 1, replicas: 3, updatedReplicas: 2, readyReplicas: 3, availableReplicas: 2 } });
    const rs = replicaSetOf(d, 'nginx:1', { replicas: 3, revision: 1 });
    d.status!.conditions = [newCondition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rs.metadata.name}" is progressing.`, T0 - 60_000)];
    const s = rolloutStatus([rs], rs, d, T0);
    assert.deepEqual(s, {
      observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0,
      conditions: [
        { type: 'Available', status: 'True', lastUpdateTime: NOW, lastTransitionTime: NOW, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        { type: 'Progressing', status: 'True', lastUpdateTime: NOW, lastTransitionTime: formatTime(T0 - 60_000), reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rs.metadata.name}" has successfully progressed.` },
      ],
    });
  });

  test('progress refreshes lastUpdateTime; no progress past the deadline times out', () => {
    const d = deployment({ replicas: 4, status: { observedGeneration: 1, replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3 } });
    const old = replicaSetOf(d, 'nginx:0', { replicas: 2, revision: 1 });
    const cur = replicaSetOf(d, 'nginx:1', { replicas: 2, revision: 2, available: 0 });
    d.status!.conditions = [newCondition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${cur.metadata.name}" is progressing.`, T0 - 100_000)];
    const progressed = rolloutStatus([old, cur], cur, d, T0);
    assert.deepEqual(progressed.conditions?.find((c) => c.type === 'Progressing'), {
      type: 'Progressing', status: 'True', lastUpdateTime: NOW, lastTransitionTime: formatTime(T0 - 100_000),
      reason: 'ReplicaSetUpdated', message: `ReplicaSet "${cur.metadata.name}" is progressing.`,
    });
    assert.deepEqual(progressed.conditions?.find((c) => c.type === 'Available'), {
      type: 'Available', status: 'False', lastUpdateTime: NOW, lastTransitionTime: NOW, reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.',
    });
    d.status = { ...progressed, conditions: [newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'x', T0 - 601_000)] };
    const stuck = rolloutStatus([old, cur], cur, d, T0);
    assert.deepEqual(stuck.conditions?.find((c) => c.type === 'Progressing'), {
      type: 'Progressing', status: 'False', lastUpdateTime: NOW, lastTransitionTime: NOW,
      reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${cur.metadata.name}" has timed out progressing.`,
    });
    assert.equal(deploymentTimedOut(d, { conditions: [newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'x', T0 - 600_000)] }, T0), false);
    assert.equal(deploymentTimedOut(d, { conditions: [newCondition('Progressing', 'True', 'NewReplicaSetAvailable', 'x', T0 - 900_000)] }, T0), false);
  });

  test('stuck rollouts are checked again at their deadline', () => {
    const d = deployment({ status: { conditions: [newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'x', T0 - 10_000)] } });
    assert.equal(stuckRequeueDelay(d, {}, T0), 591_000);
    assert.equal(stuckRequeueDelay(d, {}, T0 + 589_500), 0);
    d.status!.conditions![0].reason = 'ProgressDeadlineExceeded';
    assert.equal(stuckRequeueDelay(d, {}, T0), undefined);
  });

  test('replica failures of a ReplicaSet reach the Deployment', () => {
    const d = deployment({ replicas: 1 });
    const rs = replicaSetOf(d, 'nginx:1', { replicas: 1, revision: 1, available: 0 });
    rs.status!.conditions = [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: NOW, reason: 'FailedCreate', message: 'pods "web-" is forbidden: quota' }];
    const s = calculateStatus([rs], rs, d, T0);
    assert.equal(s.conditions?.length, 1);
    const r = rolloutStatus([rs], rs, d, T0);
    assert.deepEqual(r.conditions?.find((c) => c.type === 'ReplicaFailure'), {
      type: 'ReplicaFailure', status: 'True', lastUpdateTime: NOW, lastTransitionTime: NOW, reason: 'FailedCreate', message: 'pods "web-" is forbidden: quota',
    });
  });
});

describe('sync steps against fakes', () => {
  test('first step of a rolling update creates the new ReplicaSet at the surge', async () => {
    const prev = deployment({ replicas: 3, image: 'nginx:1' });
    const old = replicaSetOf(prev, 'nginx:1', { replicas: 3, revision: 1, maxReplicas: 4, ageS: 60 });
    const d = deployment({ replicas: 3, image: 'nginx:2', generation: 2, annotations: { 'deployment.kubernetes.io/revision': '1' },
      status: { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3,
        conditions: [newCondition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', T0 - 60_000),
          newCondition('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${old.metadata.name}" has successfully progressed.`, T0 - 60_000)] } });
    const deps = new FakeDeps([old]);
    await rolloutRolling(deps, d, deps.list());
    const newName = `web-${computeHash(d.spec.template)}`;
    assert.deepEqual(deps.events, [`Normal ScalingReplicaSet Scaled up replica set ${newName} from 0 to 1`]);
    const created = deps.rss.get(newName)!;
    assert.equal(created.spec.replicas, 1);
    assert.deepEqual(created.metadata.annotations, {
      'deployment.kubernetes.io/revision': '2', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4',
    });
    assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
    assert.equal(deps.statusWrites.length, 2);
    assert.deepEqual(deps.statusWrites[1], {
      observedGeneration: 2, replicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 1,
      conditions: [
        { type: 'Available', status: 'True', lastUpdateTime: formatTime(T0 - 60_000), lastTransitionTime: formatTime(T0 - 60_000), reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        { type: 'Progressing', status: 'True', lastUpdateTime: NOW, lastTransitionTime: formatTime(T0 - 60_000), reason: 'NewReplicaSetCreated', message: `Created new replica set "${newName}"` },
      ],
    });
    assert.equal(deps.rss.get(old.metadata.name!)!.spec.replicas, 3);
  });

  test('rolling update scales old replicas down as new ones become available', async () => {
    const d = deployment({ replicas: 3, image: 'nginx:2', generation: 2 });
    const old = replicaSetOf(d, 'nginx:1', { replicas: 3, revision: 1, maxReplicas: 4, ageS: 60 });
    const cur = replicaSetOf(d, 'nginx:2', { replicas: 1, revision: 2, maxReplicas: 4 });
    const deps = new FakeDeps([old, cur]);
    d.metadata.annotations = { 'deployment.kubernetes.io/revision': '2' };
    await rolloutRolling(deps, d, deps.list());
    assert.deepEqual(deps.events, [`Normal ScalingReplicaSet Scaled down replica set ${old.metadata.name} from 3 to 2`]);
    await rolloutRolling(deps, d, deps.list());
    assert.deepEqual(deps.events.slice(1), [`Normal ScalingReplicaSet Scaled up replica set ${cur.metadata.name} from 1 to 2`]);
  });

  test('Recreate scales old ReplicaSets to zero before creating the new one', async () => {
    const d = deployment({ replicas: 2, image: 'nginx:2', strategy: 'Recreate', generation: 2 });
    const old = replicaSetOf(d, 'nginx:1', { replicas: 2, revision: 1, maxReplicas: 2, ageS: 60 });
    const deps = new FakeDeps([old]);
    const oldPod = { metadata: { name: 'p', namespace: 'ns' }, status: { phase: 'Running' } };
    await rolloutRecreate(deps, d, deps.list(), new Map([[old.metadata.uid!, [oldPod]]]));
    assert.deepEqual(deps.events, [`Normal ScalingReplicaSet Scaled down replica set ${old.metadata.name} from 2 to 0`]);
    const scaledOld = deps.rss.get(old.metadata.name!)!;
    scaledOld.status = { replicas: 0, observedGeneration: 1 };
    await rolloutRecreate(deps, d, deps.list(), new Map([[old.metadata.uid!, [oldPod]]]));
    assert.equal(deps.rss.size, 1, 'no new ReplicaSet while an old pod runs');
    await rolloutRecreate(deps, d, deps.list(), new Map([[old.metadata.uid!, [{ ...oldPod, status: { phase: 'Succeeded' } }]]]));
    const newName = `web-${computeHash(d.spec.template)}`;
    assert.deepEqual(deps.events.slice(1), [`Normal ScalingReplicaSet Scaled up replica set ${newName} from 0 to 2`]);
  });

  test('proportional scaling during a rollout', async () => {
    const d = deployment({ replicas: 20, image: 'nginx:2', maxSurge: 3, maxUnavailable: 2, generation: 3, status: { replicas: 13 } });
    const old = replicaSetOf(d, 'nginx:1', { replicas: 8, revision: 1, maxReplicas: 13, desired: 10, ageS: 60 });
    const cur = replicaSetOf(d, 'nginx:2', { replicas: 5, revision: 2, maxReplicas: 13, desired: 10, available: 0 });
    assert.equal(isScalingEvent(d, [old, cur]), true);
    const deps = new FakeDeps([old, cur]);
    await scale(deps, d, cur, [old]);
    assert.deepEqual(deps.events, [
      `Normal ScalingReplicaSet Scaled up replica set ${old.metadata.name} from 8 to 14`,
      `Normal ScalingReplicaSet Scaled up replica set ${cur.metadata.name} from 5 to 9`,
    ]);
    assert.deepEqual(deps.rss.get(cur.metadata.name!)!.metadata.annotations, {
      'deployment.kubernetes.io/revision': '2', 'deployment.kubernetes.io/desired-replicas': '20', 'deployment.kubernetes.io/max-replicas': '23',
    });
    const down = deployment({ replicas: 5, image: 'nginx:2', maxSurge: 3, maxUnavailable: 2, status: { replicas: 23 } });
    const deps2 = new FakeDeps(deps.list());
    await scale(deps2, down, deps2.rss.get(cur.metadata.name!), [deps2.rss.get(old.metadata.name!)!]);
    // allowed 8 of 23: the old ReplicaSet (larger, older) goes first.
    assert.deepEqual(deps2.events, [
      `Normal ScalingReplicaSet Scaled down replica set ${old.metadata.name} from 14 to 5`,
      `Normal ScalingReplicaSet Scaled down replica set ${cur.metadata.name} from 9 to 3`,
    ]);
  });

  test('history beyond revisionHistoryLimit is deleted, oldest revision first', async () => {
    const d = deployment({ revisionHistoryLimit: 1 });
    const rss = [1, 2, 3].map((r) => replicaSetOf(d, `nginx:${r}`, { replicas: 0, revision: r, ageS: 100 - r }));
    rss[1].status = { replicas: 1, observedGeneration: 1 };
    const deps = new FakeDeps(rss);
    await cleanupDeployment(deps, deps.list(), d);
    assert.deepEqual(deps.deleted, [rss[0].metadata.name]);
  });

  test('pause and resume set the Progressing condition', async () => {
    const deps = new FakeDeps();
    const d = deployment({ paused: true });
    await checkPausedConditions(deps, d);
    assert.deepEqual(deps.statusWrites[0].conditions, [{ type: 'Progressing', status: 'Unknown', lastUpdateTime: NOW, lastTransitionTime: NOW, reason: 'DeploymentPaused', message: 'Deployment is paused' }]);
    d.spec.paused = false;
    deps.nowMs = T0 + 1000;
    await checkPausedConditions(deps, d);
    assert.deepEqual(deps.statusWrites[1].conditions, [{ type: 'Progressing', status: 'Unknown', lastUpdateTime: formatTime(T0 + 1000), lastTransitionTime: NOW, reason: 'DeploymentResumed', message: 'Deployment is resumed' }]);
  });

  test('a paused Deployment scales but does not roll out', async () => {
    const d = deployment({ replicas: 5, image: 'nginx:2', paused: true });
    const old = replicaSetOf(d, 'nginx:1', { replicas: 3, revision: 1, desired: 3 });
    const deps = new FakeDeps([old]);
    await syncDeploymentObject(deps, d, deps.list(), new Map());
    assert.equal(deps.rss.size, 1);
    assert.deepEqual(deps.events, [`Normal ScalingReplicaSet Scaled up replica set ${old.metadata.name} from 3 to 5`]);
  });

  test('rollback requests through the annotation', async () => {
    const d = deployment({ image: 'nginx:2', annotations: { 'deprecated.deployment.rollback.to': '0', 'deployment.kubernetes.io/revision': '2' } });
    const r1 = replicaSetOf(d, 'nginx:1', { replicas: 0, revision: 1, ageS: 60 });
    r1.metadata.annotations!['kubernetes.io/change-cause'] = 'first';
    const r2 = replicaSetOf(d, 'nginx:2', { replicas: 3, revision: 2 });
    const deps = new FakeDeps([r1, r2]);
    await rollback(deps, d, deps.list());
    assert.deepEqual(deps.events, ['Normal DeploymentRollback Rolled back deployment "web" to revision 1']);
    const written = deps.deploymentWrites[0];
    assert.equal(written.spec.template?.spec.containers[0].image, 'nginx:1');
    assert.deepEqual(written.spec.template?.metadata?.labels, { app: 'web' });
    assert.deepEqual(written.metadata.annotations, { 'deployment.kubernetes.io/revision': '2', 'kubernetes.io/change-cause': 'first' });

    const missing = deployment({ image: 'nginx:2', annotations: { 'deprecated.deployment.rollback.to': '7' } });
    const deps2 = new FakeDeps([r1, r2]);
    await rollback(deps2, missing, deps2.list());
    assert.deepEqual(deps2.events, ['Warning DeploymentRollbackRevisionNotFound Unable to find the revision to rollback to.']);
    assert.equal(deps2.deploymentWrites[0].metadata.annotations?.['deprecated.deployment.rollback.to'], undefined);

    const same = deployment({ image: 'nginx:2', annotations: { 'deprecated.deployment.rollback.to': '2' } });
    const deps3 = new FakeDeps([r1, r2]);
    await rollback(deps3, same, deps3.list());
    assert.deepEqual(deps3.events, ['Warning DeploymentRollbackTemplateUnchanged The rollback revision contains the same template as current deployment "web"']);
  });

  test('a refused ReplicaSet create is reported as ReplicaSetCreateError', async () => {
    const d = deployment({ image: 'nginx:2' });
    const deps = new FakeDeps();
    const msg = 'replicasets.apps "x" is forbidden: exceeded quota: q';
    deps.createReplicaSet = async () => { throw new StatusError(403, { reason: 'Forbidden', message: msg }); };
    await assert.rejects(rolloutRolling(deps, d, []), { message: msg });
    const name = `web-${computeHash(d.spec.template)}`;
    assert.deepEqual(deps.events, [`Warning ReplicaSetCreateError Failed to create new replica set "${name}": ${msg}`]);
    assert.deepEqual(deps.statusWrites[0].conditions, [{
      type: 'Progressing', status: 'False', lastUpdateTime: NOW, lastTransitionTime: NOW, reason: 'ReplicaSetCreateError',
      message: `Failed to create new replica set "${name}": ${msg}`,
    }]);
  });

  test('a Deployment being deleted only has its status updated', async () => {
    const d = deployment({ replicas: 5, image: 'nginx:2' });
    d.metadata.deletionTimestamp = NOW;
    const old = replicaSetOf(d, 'nginx:1', { replicas: 3, revision: 1, desired: 3 });
    const deps = new FakeDeps([old]);
    await syncDeploymentObject(deps, d, deps.list(), new Map());
    assert.deepEqual(deps.events, []);
    assert.equal(deps.rss.size, 1);
    assert.deepEqual({ ...deps.statusWrites[0], conditions: undefined }, {
      observedGeneration: 1, replicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: undefined,
    });
  });

  test('a hash collision bumps collisionCount', async () => {
    const d = deployment({ image: 'nginx:2' });
    const squatter = buildNewReplicaSet(d);
    squatter.metadata.uid = 'someone-else';
    squatter.spec.template!.spec.containers[0].image = 'other';
    const deps = new FakeDeps([squatter]);
    await assert.rejects(rolloutRolling(deps, d, []), { message: `replicasets.apps "${squatter.metadata.name}" already exists` });
    assert.equal(deps.statusWrites[0].collisionCount, 1);
    assert.equal(buildNewReplicaSet(d).metadata.name, `web-${computeHash(d.spec.template, 1)}`);
  });
});
