import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from './harness.js';

const NS = 'apps-test';
const APPS = `/apis/apps/v1/namespaces/${NS}`;
const TABLE = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };
const MERGE = { 'Content-Type': 'application/merge-patch+json' };

function template(labels: Record<string, string>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'side', image: 'busybox' }], ...extra } };
}

function deployment(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { selector: { matchLabels: { app: name } }, template: template({ app: name }), ...spec },
  };
}

/** The cells of a one-object Table, with the age cell checked and replaced by `AGE`. */
function cellsOf(table: any, ageIndex: number): unknown[] {
  assert.equal(table.rows.length, 1);
  const cells = [...table.rows[0].cells];
  assert.match(String(cells[ageIndex]), /^\d+s$/);
  cells[ageIndex] = 'AGE';
  return cells;
}

function columns(table: any): Array<[string, string, number]> {
  return table.columnDefinitions.map((c: any) => [c.name, c.type, c.priority]);
}

describe('apps/v1 resources', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    assert.equal((await h.client.request('POST', '/api/v1/namespaces', { metadata: { name: NS } })).status, 201);
  });
  after(async () => { await h.stop(); });

  it('creates a deployment with upstream defaults, an empty status and generation 1', async () => {
    const r = await h.client.request('POST', `${APPS}/deployments`, deployment('web'));
    assert.equal(r.status, 201, r.text);
    const { spec, status, metadata } = r.json;
    assert.equal(spec.replicas, 1);
    assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(spec.revisionHistoryLimit, 10);
    assert.equal(spec.progressDeadlineSeconds, 600);
    assert.equal(spec.template.spec.restartPolicy, 'Always');
    assert.equal(spec.template.spec.dnsPolicy, 'ClusterFirst');
    assert.equal(spec.template.spec.terminationGracePeriodSeconds, 30);
    assert.equal(spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
    assert.deepEqual(status, {});
    assert.equal(metadata.generation, 1);
    const g = await h.client.request('GET', `${APPS}/deployments/web`);
    assert.deepEqual(g.json.spec, spec);
    const list = await h.client.request('GET', `${APPS}/deployments`);
    assert.equal(list.json.kind, 'DeploymentList');
    assert.deepEqual(list.json.items.map((i: any) => i.metadata.name), ['web']);
  });

  it('keeps an explicit Recreate strategy without rolling-update defaults', async () => {
    const r = await h.client.request('POST', `${APPS}/deployments`, deployment('recreate', { strategy: { type: 'Recreate' }, replicas: 3 }));
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.spec.strategy, { type: 'Recreate' });
    assert.equal(r.json.spec.replicas, 3);
  });

  it('refuses a deployment without a selector with both of upstream\'s errors', async () => {
    const body = deployment('noselector');
    delete (body.spec as any).selector;
    const r = await h.client.request('POST', `${APPS}/deployments`, body);
    assert.equal(r.status, 422);
    assert.equal(r.json.reason, 'Invalid');
    assert.equal(r.json.message, 'Deployment.apps "noselector" is invalid: [spec.selector: Required value, '
      + 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"noselector"}: `selector` does not match template `labels`]');
    assert.deepEqual(r.json.details.causes[0], { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' });
    assert.equal(r.json.details.group, 'apps');
    assert.equal(r.json.details.kind, 'Deployment');
  });

  it('refuses a selector that does not match the template labels', async () => {
    const r = await h.client.request('POST', `${APPS}/deployments`, deployment('mismatch', { selector: { matchLabels: { app: 'other' } } }));
    assert.equal(r.status, 422);
    assert.equal(r.json.message,
      'Deployment.apps "mismatch" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"mismatch"}: `selector` does not match template `labels`');
  });

  it('refuses negative replicas and an empty selector', async () => {
    const neg = await h.client.request('POST', `${APPS}/deployments`, deployment('neg', { replicas: -1 }));
    assert.equal(neg.json.message, 'Deployment.apps "neg" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    const empty = await h.client.request('POST', `${APPS}/deployments`, deployment('empty', { selector: {} }));
    assert.equal(empty.json.message, 'Deployment.apps "empty" is invalid: spec.selector: Invalid value: '
      + 'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment');
  });

  it('refuses a rolling update that can make no progress, and a pod template that does not restart', async () => {
    const zero = await h.client.request('POST', `${APPS}/deployments`, deployment('zero', { strategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } } }));
    assert.equal(zero.json.message, 'Deployment.apps "zero" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: '
      + 'intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0');
    const never = await h.client.request('POST', `${APPS}/deployments`, deployment('never', { template: template({ app: 'never' }, { restartPolicy: 'Never' }) }));
    assert.equal(never.json.message, 'Deployment.apps "never" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"');
  });

  it('keeps the selector immutable, printing it as upstream does', async () => {
    const cur = (await h.client.request('GET', `${APPS}/deployments/web`)).json;
    const moved = structuredClone(cur);
    moved.spec.selector = { matchLabels: { app: 'web2' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] };
    moved.spec.template.metadata.labels = { app: 'web2', tier: 'a' };
    const r = await h.client.request('PUT', `${APPS}/deployments/web`, moved);
    assert.equal(r.status, 422);
    assert.equal(r.json.message, 'Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, '
      + 'MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"tier", Operator:"In", Values:[]string{"a", "b"}}}}: field is immutable');
    // The same selector, written with an empty expression list, is not a change.
    const same = structuredClone(cur);
    same.spec.selector.matchExpressions = [];
    const ok = await h.client.request('PUT', `${APPS}/deployments/web`, same);
    assert.equal(ok.status, 200, ok.text);
  });

  it('prints deployments as upstream: READY UP-TO-DATE AVAILABLE AGE | CONTAINERS IMAGES SELECTOR', async () => {
    const st = await h.client.request('PATCH', `${APPS}/deployments/web/status`, { status: { replicas: 1, readyReplicas: 1, updatedReplicas: 1, availableReplicas: 1 } }, MERGE);
    assert.equal(st.status, 200, st.text);
    const t = await h.client.request('GET', `${APPS}/deployments/web`, undefined, TABLE);
    assert.equal(t.status, 200);
    assert.deepEqual(columns(t.json), [['Name', 'string', 0], ['Ready', 'string', 0], ['Up-to-date', 'string', 0], ['Available', 'string', 0],
      ['Age', 'string', 0], ['Containers', 'string', 1], ['Images', 'string', 1], ['Selector', 'string', 1]]);
    assert.deepEqual(cellsOf(t.json, 4), ['web', '1/1', 1, 1, 'AGE', 'web,side', 'nginx:1.27,busybox', 'app=web']);
  });

  it('lists the deployment subresources and its short name and category in discovery', async () => {
    const d = await h.client.request('GET', '/apis/apps/v1');
    const byName = new Map(d.json.resources.map((r: any) => [r.name, r]));
    const dep: any = byName.get('deployments');
    assert.deepEqual(dep.shortNames, ['deploy']);
    assert.deepEqual(dep.categories, ['all']);
    assert.equal(dep.singularName, 'deployment');
    assert.equal(dep.namespaced, true);
    assert.deepEqual(dep.verbs, ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
    assert.deepEqual((byName.get('deployments/scale') as any)?.kind, 'Scale');
    assert.deepEqual((byName.get('deployments/status') as any)?.kind, 'Deployment');
    const short = [...byName.values()].filter((r: any) => !r.name.includes('/')).map((r: any) => [r.name, r.shortNames ?? [], r.categories ?? []]);
    assert.deepEqual(short, [
      ['controllerrevisions', [], []], ['daemonsets', ['ds'], ['all']], ['deployments', ['deploy'], ['all']],
      ['replicasets', ['rs'], ['all']], ['statefulsets', ['sts'], ['all']],
    ]);
  });

  it('creates replica sets with defaults and prints DESIRED CURRENT READY AGE | CONTAINERS IMAGES SELECTOR', async () => {
    const r = await h.client.request('POST', `${APPS}/replicasets`, {
      metadata: { name: 'rs1' }, spec: { selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, template: template({ app: 'rs1' }) },
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.spec.replicas, 1);
    assert.deepEqual(r.json.status, { replicas: 0 });
    const t = await h.client.request('GET', `${APPS}/replicasets`, undefined, TABLE);
    assert.deepEqual(columns(t.json).map((c) => c[0]), ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector']);
    assert.deepEqual(cellsOf(t.json, 4), ['rs1', 1, 0, 0, 'AGE', 'web,side', 'nginx:1.27,busybox', 'app']);
    const empty = await h.client.request('POST', `${APPS}/replicasets`, { metadata: { name: 'rs2' }, spec: { selector: {}, template: template({ app: 'x' }) } });
    // Upstream's replica set validation names deployments in this message.
    assert.equal(empty.json.message, 'ReplicaSet.apps "rs2" is invalid: spec.selector: Invalid value: '
      + 'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment');
  });

  it('creates stateful sets with their defaults and refuses changes to fixed spec fields', async () => {
    const r = await h.client.request('POST', `${APPS}/statefulsets`, {
      metadata: { name: 'db' },
      spec: {
        serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: template({ app: 'db' }),
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    });
    assert.equal(r.status, 201, r.text);
    const { spec } = r.json;
    assert.equal(spec.podManagementPolicy, 'OrderedReady');
    assert.deepEqual(spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.equal(spec.revisionHistoryLimit, 10);
    assert.equal(spec.replicas, 1);
    assert.deepEqual(spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
    assert.equal(spec.volumeClaimTemplates[0].spec.volumeMode, 'Filesystem');
    assert.deepEqual(spec.volumeClaimTemplates[0].status, { phase: 'Pending' });
    assert.deepEqual(r.json.status, { replicas: 0, availableReplicas: 0 });
    const t = await h.client.request('GET', `${APPS}/statefulsets/db`, undefined, TABLE);
    assert.deepEqual(columns(t.json).map((c) => c[0]), ['Name', 'Ready', 'Age', 'Containers', 'Images']);
    assert.deepEqual(cellsOf(t.json, 2), ['db', '0/1', 'AGE', 'web,side', 'nginx:1.27,busybox']);
    const scale = await h.client.request('GET', `${APPS}/statefulsets/db/scale`);
    assert.equal(scale.status, 200, scale.text);
    assert.deepEqual([scale.json.kind, scale.json.spec, scale.json.status], ['Scale', { replicas: 1 }, { replicas: 0, selector: 'app=db' }]);
    const scaled = await h.client.request('PATCH', `${APPS}/statefulsets/db/scale`, { spec: { replicas: 3 } }, MERGE);
    assert.equal(scaled.status, 200, scaled.text);
    assert.equal((await h.client.request('GET', `${APPS}/statefulsets/db`)).json.spec.replicas, 3);
    const changed = structuredClone((await h.client.request('GET', `${APPS}/statefulsets/db`)).json);
    changed.spec.serviceName = 'other';
    const u = await h.client.request('PUT', `${APPS}/statefulsets/db`, changed);
    assert.equal(u.status, 422);
    assert.equal(u.json.message, 'StatefulSet.apps "db" is invalid: spec: Forbidden: updates to statefulset spec for fields other than '
      + "'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
    const dotted = await h.client.request('POST', `${APPS}/statefulsets`, { metadata: { name: 'db.v2' }, spec: { selector: { matchLabels: { app: 'db' } }, template: template({ app: 'db' }) } });
    assert.equal(dotted.json.message, "StatefulSet.apps \"db.v2\" is invalid: metadata.name: Invalid value: \"db.v2\": a lowercase RFC 1123 label must consist of lower case alphanumeric "
      + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
    const bad = await h.client.request('POST', `${APPS}/statefulsets`, { metadata: { name: 'bad' }, spec: { selector: { matchLabels: { app: 'bad' } }, template: template({ app: 'bad' }), podManagementPolicy: 'Sometimes' } });
    assert.equal(bad.json.message, 'StatefulSet.apps "bad" is invalid: spec.podManagementPolicy: Invalid value: "Sometimes": must be \'OrderedReady\' or \'Parallel\'');
  });

  it('creates daemon sets with defaults, a template generation, and the DaemonSet table', async () => {
    const r = await h.client.request('POST', `${APPS}/daemonsets`, {
      metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: template({ app: 'agent' }, { nodeSelector: { disk: 'ssd', zone: 'a' } }) },
    });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    assert.equal(r.json.spec.revisionHistoryLimit, 10);
    assert.equal(r.json.metadata.annotations['deprecated.daemonset.template.generation'], '1');
    assert.deepEqual(r.json.status, { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });
    const labelled = await h.client.request('PATCH', `${APPS}/daemonsets/agent`, { metadata: { labels: { a: 'b' } } }, MERGE);
    assert.equal(labelled.json.metadata.annotations['deprecated.daemonset.template.generation'], '1');
    const retemplated = await h.client.request('PATCH', `${APPS}/daemonsets/agent`, { spec: { template: { metadata: { annotations: { v: '2' } } } } }, MERGE);
    assert.equal(retemplated.status, 200, retemplated.text);
    assert.equal(retemplated.json.metadata.annotations['deprecated.daemonset.template.generation'], '2');
    const t = await h.client.request('GET', `${APPS}/daemonsets/agent`, undefined, TABLE);
    assert.deepEqual(columns(t.json).map((c) => c[0]),
      ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', 'Containers', 'Images', 'Selector']);
    assert.deepEqual(cellsOf(t.json, 7), ['agent', 0, 0, 0, 0, 0, 'disk=ssd,zone=a', 'AGE', 'web,side', 'nginx:1.27,busybox', 'app=agent']);
    const nosel = await h.client.request('POST', `${APPS}/daemonsets`, { metadata: { name: 'nosel' }, spec: { template: template({ app: 'x' }) } });
    assert.equal(nosel.json.message,
      'DaemonSet.apps "nosel" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`');
  });

  it('stores controller revisions and names their controller', async () => {
    const r = await h.client.request('POST', `${APPS}/controllerrevisions`, {
      metadata: { name: 'agent-5d8f', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: '1f7d3c52-0000-4000-8000-000000000001', controller: true }] },
      data: { spec: {} }, revision: 3,
    });
    assert.equal(r.status, 201, r.text);
    const t = await h.client.request('GET', `${APPS}/controllerrevisions/agent-5d8f`, undefined, TABLE);
    assert.deepEqual(columns(t.json).map((c) => c[0]), ['Name', 'Controller', 'Revision', 'Age']);
    assert.deepEqual(cellsOf(t.json, 3), ['agent-5d8f', 'daemonset.apps/agent', 3, 'AGE']);
    const missing = await h.client.request('POST', `${APPS}/controllerrevisions`, { metadata: { name: 'nodata' }, revision: 1 });
    assert.equal(missing.json.message, 'ControllerRevision.apps "nodata" is invalid: data: Required value: data is mandatory');
  });
});
