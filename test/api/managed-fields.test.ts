import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinSchemas } from '../../src/api/index.js';
import {
  decodeFieldsV1, encodeFieldsV1, FieldManager, fieldSetOf, FieldsV1Error, managerOrUserAgent, prefixFromUserAgent,
  validateFieldManager, validateWriteOptions,
} from '../../src/api/apply/index.js';

const schemas = builtinSchemas();
const CM = 'io.k8s.api.core.v1.ConfigMap';
const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';
const T0 = Date.parse('2024-05-01T10:00:00Z');

/** A field manager whose clock the test moves by hand. */
function manager() {
  const clock = { t: T0 };
  const fm = new FieldManager(schemas, { now: () => new Date(clock.t) });
  return { fm, clock };
}

type Obj = Record<string, any>;

const configMap = (data: Record<string, string>, extra: Obj = {}): Obj => ({
  apiVersion: 'v1', kind: 'ConfigMap',
  metadata: { name: 'cm', namespace: 'default', uid: 'u-1', resourceVersion: '5', creationTimestamp: '2024-05-01T09:00:00Z', ...extra },
  data,
});

/** A stored object: created by `who` (so it has managedFields), as the registry would keep it. */
function created(fm: FieldManager, obj: Obj, who: string): Obj {
  fm.update(CM, 'v1', null, obj, who);
  return obj;
}

describe('FieldsV1', () => {
  it('encodes a ConfigMap as upstream: "." for maps that were added, keys in path-element order', () => {
    const set = fieldSetOf(schemas, CM, {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { b: '1', a: '2' } }, data: { key: 'v', 'a.b': 'w' },
    });
    // ToFieldSet: struct fields holding objects are no members; map entries are.
    assert.deepEqual(encodeFieldsV1(set), {
      'f:apiVersion': {}, 'f:data': { 'f:a.b': {}, 'f:key': {} }, 'f:kind': {}, 'f:metadata': { 'f:labels': { 'f:a': {}, 'f:b': {} }, 'f:name': {} },
    });
    assert.deepEqual(Object.keys(encodeFieldsV1(set)), ['f:apiVersion', 'f:data', 'f:kind', 'f:metadata']);
  });

  it('orders fields before keys before values and writes keys as sorted JSON', () => {
    const set = decodeFieldsV1({
      'i:0': {}, 'v:"b"': {}, 'v:1': {}, 'k:{"protocol":"TCP","containerPort":80}': { '.': {}, 'f:x': {} }, 'f:z': {}, 'f:a': { '.': {}, 'f:b': {} },
    });
    const out = encodeFieldsV1(set);
    assert.deepEqual(Object.keys(out), ['f:a', 'f:z', 'k:{"containerPort":80,"protocol":"TCP"}', 'v:1', 'v:"b"', 'i:0']);
    assert.deepEqual(out['f:a'], { '.': {}, 'f:b': {} });
    assert.equal(JSON.stringify(out), '{"f:a":{".":{},"f:b":{}},"f:z":{},"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:x":{}},"v:1":{},"v:\\"b\\"":{},"i:0":{}}');
  });

  it('reads text, skips unknown element kinds and rejects malformed keys', () => {
    assert.deepEqual(encodeFieldsV1(decodeFieldsV1('{"f:data":{".":{},"f:a":{}},"x:ignored":{}}')), { 'f:data': { '.': {}, 'f:a': {} } });
    assert.throws(() => decodeFieldsV1({ 'fdata': {} }), (e: unknown) => e instanceof FieldsV1Error && e.message === 'parsing key as path element: missing colon: fdata');
    assert.throws(() => decodeFieldsV1({ 'f:data': 1 }), FieldsV1Error);
  });
});

describe('managedFields of Update operations', () => {
  it('records a create with manager, operation, apiVersion, time in whole seconds and FieldsV1', () => {
    const { fm } = manager();
    const obj = configMap({ key: 'v' }, { labels: { app: 'a' } });
    fm.update(CM, 'v1', null, obj, 'kubectl-client-side-apply');
    assert.deepEqual(obj.metadata.managedFields, [{
      manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', time: '2024-05-01T10:00:00Z', fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { '.': {}, 'f:key': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
    }]);
    assert.deepEqual(Object.keys(obj.metadata.managedFields[0]), ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1']);
  });

  it('records a created Deployment exactly as upstream does for kubectl create deployment', () => {
    const { fm } = manager();
    const dep: Obj = {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'nginx', namespace: 'default', creationTimestamp: null, labels: { app: 'nginx' } },
      spec: {
        replicas: 1, selector: { matchLabels: { app: 'nginx' } },
        template: {
          metadata: { creationTimestamp: null, labels: { app: 'nginx' } },
          spec: {
            containers: [{ name: 'nginx', image: 'nginx', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'Always' }],
            restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', securityContext: {}, schedulerName: 'default-scheduler',
          },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
      },
      status: {},
    };
    fm.update(DEPLOYMENT, 'apps/v1', null, dep, 'kubectl-create', { resetFields: [['status']] });
    assert.equal(dep.metadata.managedFields.length, 1);
    assert.equal(JSON.stringify(dep.metadata.managedFields[0].fieldsV1), JSON.stringify({
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:progressDeadlineSeconds': {}, 'f:replicas': {}, 'f:revisionHistoryLimit': {}, 'f:selector': {},
        'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
        'f:template': {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"nginx"}': {
                '.': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:resources': {}, 'f:terminationMessagePath': {}, 'f:terminationMessagePolicy': {},
              },
            },
            'f:dnsPolicy': {}, 'f:restartPolicy': {}, 'f:schedulerName': {}, 'f:securityContext': {}, 'f:terminationGracePeriodSeconds': {},
          },
        },
      },
    }));
  });

  it('moves changed fields to the updating manager and drops managers left with nothing', () => {
    const { fm, clock } = manager();
    const old = created(fm, configMap({ key: 'v' }), 'kubectl-create');
    clock.t += 7000;
    const edited = configMap({ key: 'w', other: 'x' });
    edited.metadata.managedFields = old.metadata.managedFields;
    fm.update(CM, 'v1', old, edited, 'kubectl-edit');
    assert.deepEqual(edited.metadata.managedFields, [
      { manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: '2024-05-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {} } },
      { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'v1', time: '2024-05-01T10:00:07Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:key': {}, 'f:other': {} } } },
    ]);
    clock.t += 1000;
    const emptied = configMap({});
    delete emptied.data;
    emptied.metadata.managedFields = edited.metadata.managedFields;
    fm.update(CM, 'v1', edited, emptied, 'kubectl-edit');
    // The data map is gone: nobody owns anything any more, so there is no managedFields at all.
    assert.equal(emptied.metadata.managedFields, undefined);
  });

  it('keeps entries and times when an update changes nothing', () => {
    const { fm, clock } = manager();
    const old = created(fm, configMap({ key: 'v' }), 'kubectl-create');
    clock.t += 60_000;
    const same = configMap({ key: 'v' });
    same.metadata.managedFields = structuredClone(old.metadata.managedFields);
    fm.update(CM, 'v1', old, same, 'kubectl-edit');
    assert.deepEqual(same.metadata.managedFields, old.metadata.managedFields);
  });

  it('honors managedFields sent in the request, and an empty list stops tracking', () => {
    const { fm, clock } = manager();
    const old = created(fm, configMap({ key: 'v' }), 'kubectl-client-side-apply');
    clock.t += 1000;
    // kubectl apply --server-side migrating client-side ownership: the request renames the entry.
    const migrated = configMap({ key: 'v' });
    migrated.metadata.managedFields = [{ ...old.metadata.managedFields[0], manager: 'kubectl', operation: 'Apply' }];
    fm.update(CM, 'v1', old, migrated, 'kubectl');
    assert.deepEqual(migrated.metadata.managedFields, [
      { manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: '2024-05-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:key': {} } } },
    ]);
    const reset = configMap({ key: 'w' });
    reset.metadata.managedFields = [];
    fm.update(CM, 'v1', migrated, reset, 'kubectl-edit');
    assert.equal(reset.metadata.managedFields, undefined);
    // An untracked object stays untracked by updates.
    const later = configMap({ key: 'z' });
    fm.update(CM, 'v1', reset, later, 'kubectl-edit');
    assert.equal(later.metadata.managedFields, undefined);
  });

  it('ignores managedFields sent to a subresource and records the subresource', () => {
    const { fm, clock } = manager();
    const NS = 'io.k8s.api.core.v1.Namespace';
    const old: Obj = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', uid: 'u' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
    fm.update(NS, 'v1', null, old, 'kubectl-create', { resetFields: [['status']] });
    assert.deepEqual(old.metadata.managedFields[0].fieldsV1, { 'f:spec': { 'f:finalizers': {} } });
    clock.t += 2000;
    const next: Obj = structuredClone(old);
    next.status = { phase: 'Terminating' };
    next.metadata.managedFields = [];
    fm.update(NS, 'v1', old, next, 'kube-controller-manager', { subresource: 'status', resetFields: [['spec']] });
    assert.deepEqual(next.metadata.managedFields, [
      { manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: '2024-05-01T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:finalizers': {} } } },
      { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: '2024-05-01T10:00:02Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:phase': {} } }, subresource: 'status' },
    ]);
  });

  it('merges the oldest of more than 10 Update managers into ancient-changes', () => {
    const { fm, clock } = manager();
    let obj = created(fm, configMap({ k0: 'v' }), 'm0');
    for (let i = 1; i <= 11; i++) {
      clock.t += 1000;
      const next = configMap({ ...obj.data, [`k${i}`]: 'v' });
      next.metadata.managedFields = obj.metadata.managedFields;
      fm.update(CM, 'v1', obj, next, `m${i}`);
      obj = next;
    }
    const entries = obj.metadata.managedFields as Obj[];
    // Each time an 11th Update manager appears, the oldest two merge into the bucket, which takes
    // the time of the younger one: m0+m1 after m10's write, then that bucket+m2 after m11's.
    assert.deepEqual(entries.map((e) => e.manager), ['ancient-changes', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10', 'm11']);
    assert.deepEqual(entries[0], {
      manager: 'ancient-changes', operation: 'Update', apiVersion: 'v1', time: '2024-05-01T10:00:02Z', fieldsType: 'FieldsV1',
      fieldsV1: { 'f:data': { '.': {}, 'f:k0': {}, 'f:k1': {}, 'f:k2': {} } },
    });
    assert.deepEqual(entries[1].fieldsV1, { 'f:data': { 'f:k3': {} } });
  });
});

describe('field manager names', () => {
  it('derives the manager from the User-Agent when the request names none', () => {
    assert.equal(prefixFromUserAgent('kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9'), 'kubectl');
    assert.equal(prefixFromUserAgent('node-fetch'), 'node-fetch');
    assert.equal(prefixFromUserAgent('ab\u0007c/1'), 'abc');
    assert.equal(prefixFromUserAgent('x'.repeat(200)), 'x'.repeat(128));
    assert.equal(managerOrUserAgent('kubectl-edit', 'kubectl/v1.32.0'), 'kubectl-edit');
    assert.equal(managerOrUserAgent(undefined, 'kubectl/v1.32.0'), 'kubectl');
    assert.equal(managerOrUserAgent(undefined, undefined), '');
  });

  it('rejects too long and unprintable names with upstream\'s 422', () => {
    assert.deepEqual(validateFieldManager('ok-name'), []);
    const long = validateWriteOptions('CreateOptions', { fieldManager: 'x'.repeat(129) });
    assert.deepEqual(long?.toStatus(), {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes',
      reason: 'Invalid',
      details: { group: 'meta.k8s.io', kind: 'CreateOptions', causes: [{ reason: 'FieldValueTooLong', message: 'Too long: may not be more than 128 bytes', field: 'fieldManager' }] },
      code: 422,
    });
    const bell = validateWriteOptions('UpdateOptions', { fieldManager: 'a\u0007b' });
    assert.equal(bell?.message, 'UpdateOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\\ab": invalid character U+0007 (at position 1)');
  });

  it('requires a field manager for apply patches and forbids force elsewhere', () => {
    assert.equal(validateWriteOptions('PatchOptions', { isApply: true })?.message,
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    assert.equal(validateWriteOptions('PatchOptions', { isApply: false, force: true })?.message,
      'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
    assert.equal(validateWriteOptions('PatchOptions', { isApply: true, fieldManager: 'kubectl', force: true }), undefined);
  });
});
