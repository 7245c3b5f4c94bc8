import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinSchemas } from '../../src/api/index.js';
import { checkAppliedObject, decodeApplyPatch, FieldManager, LAST_APPLIED_ANNOTATION } from '../../src/api/apply/index.js';
import { ApiError } from '../../src/machinery/status.js';

const schemas = builtinSchemas();
const CM = 'io.k8s.api.core.v1.ConfigMap';
const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';
const T0 = Date.parse('2024-05-01T10:00:00Z');

type Obj = Record<string, any>;

function manager() {
  const clock = { t: T0 };
  return { fm: new FieldManager(schemas, { now: () => new Date(clock.t) }), clock };
}

const cmBody = (data: Obj | undefined, meta: Obj = {}): Obj => {
  const o: Obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default', ...meta } };
  if (data) o.data = data;
  return o;
};

/** What the registry stores: the object with its server-set metadata. */
function stored(obj: Obj): Obj {
  const o = structuredClone(obj);
  o.metadata = { ...o.metadata, uid: 'u-1', resourceVersion: '7', creationTimestamp: '2024-05-01T09:00:00Z' };
  return o;
}

const entry = (manager: string, operation: 'Apply' | 'Update', time: string, fieldsV1: Obj, apiVersion = 'v1') =>
  ({ manager, operation, apiVersion, time, fieldsType: 'FieldsV1', fieldsV1 });

/** The Status of the ApiError `fn` throws. */
function statusOf(fn: () => unknown): Obj {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    return err.toStatus();
  }
  assert.fail('expected an error');
}

describe('server-side apply of ConfigMaps', () => {
  it('creates an object and records an Apply entry without "." for the maps it sets', () => {
    const { fm } = manager();
    const out = fm.apply(CM, 'v1', null, cmBody({ key: 'v' }, { labels: { a: 'b' } }), 'm1', false);
    assert.deepEqual(out, {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: {
        name: 'cm', namespace: 'default', labels: { a: 'b' },
        managedFields: [entry('m1', 'Apply', '2024-05-01T10:00:00Z', { 'f:data': { 'f:key': {} }, 'f:metadata': { 'f:labels': { 'f:a': {} } } })],
      },
      data: { key: 'v' },
    });
  });

  it('answers 409 for a field another manager owns, then moves it with force', () => {
    const { fm, clock } = manager();
    const live = cmBody({ key: 'v' });
    fm.update(CM, 'v1', null, live, 'kubectl-client-side-apply');
    const obj = stored(live);
    clock.t += 3000;
    const st = statusOf(() => fm.apply(CM, 'v1', obj, cmBody({ key: 'w' }), 'm1', false));
    assert.equal(JSON.stringify(st), JSON.stringify({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.key',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using v1', field: '.data.key' }] },
      code: 409,
    }));
    const forced = fm.apply(CM, 'v1', obj, cmBody({ key: 'w' }), 'm1', true);
    assert.deepEqual(forced.data, { key: 'w' });
    assert.deepEqual(forced.metadata.managedFields, [
      entry('m1', 'Apply', '2024-05-01T10:00:03Z', { 'f:data': { 'f:key': {} } }),
      entry('kubectl-client-side-apply', 'Update', '2024-05-01T10:00:00Z', { 'f:data': {} }),
    ]);
    assert.equal(obj.data.key, 'v', 'the live object is not modified');
  });

  it('lists several conflicts grouped by manager, Apply managers unqualified and Update managers with their version', () => {
    const { fm, clock } = manager();
    const dep = (spec: Obj): Obj => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' }, spec });
    let live = stored(fm.apply(DEPLOYMENT, 'apps/v1', null, dep({ replicas: 1 }), 'm1', false));
    clock.t += 1000;
    const edited = structuredClone(live);
    edited.spec.minReadySeconds = 5;
    fm.update(DEPLOYMENT, 'apps/v1', live, edited, 'm2');
    live = edited;
    const st = statusOf(() => fm.apply(DEPLOYMENT, 'apps/v1', live, dep({ replicas: 3, minReadySeconds: 10 }), 'm3', false));
    assert.equal(st.message, 'Apply failed with 2 conflicts: conflicts with "m1":\n- .spec.replicas\nconflicts with "m2" using apps/v1:\n- .spec.minReadySeconds');
    assert.deepEqual(st.details, {
      causes: [
        { reason: 'FieldManagerConflict', message: 'conflict with "m1"', field: '.spec.replicas' },
        { reason: 'FieldManagerConflict', message: 'conflict with "m2" using apps/v1', field: '.spec.minReadySeconds' },
      ],
    });
  });

  it('removes a field its manager stops applying, and nothing it did not own', () => {
    const { fm, clock } = manager();
    const live = stored(fm.apply(CM, 'v1', null, cmBody({ a: '1', b: '2' }, { labels: { x: '1', y: '2' } }), 'm1', false));
    live.metadata.annotations = { note: 'set by nobody tracked' };
    clock.t += 1000;
    const out = fm.apply(CM, 'v1', live, cmBody({ a: '1' }, { labels: { y: '2' } }), 'm1', false);
    assert.deepEqual(out.data, { a: '1' });
    assert.deepEqual(out.metadata, {
      name: 'cm', namespace: 'default', labels: { y: '2' }, uid: 'u-1', resourceVersion: '7', creationTimestamp: '2024-05-01T09:00:00Z',
      annotations: { note: 'set by nobody tracked' },
      managedFields: [entry('m1', 'Apply', '2024-05-01T10:00:01Z', { 'f:data': { 'f:a': {} }, 'f:metadata': { 'f:labels': { 'f:y': {} } } })],
    });
    // Applying nothing leaves the manager with nothing: the object is no longer tracked.
    const bare = fm.apply(CM, 'v1', out, cmBody(undefined), 'm1', false);
    assert.deepEqual(bare.data, undefined);
    assert.deepEqual(bare.metadata.labels, undefined);
    assert.equal(bare.metadata.managedFields, undefined);
  });

  it('keeps a value that another manager also applied, and drops the entry of a manager left with nothing', () => {
    const { fm, clock } = manager();
    let live = stored(fm.apply(CM, 'v1', null, cmBody({ a: '1' }), 'm1', false));
    clock.t += 1000;
    // Same value: no conflict, both own it.
    live = stored(fm.apply(CM, 'v1', live, cmBody({ a: '1' }), 'm2', false));
    // m2 changed nothing, so its entry has no time, which sorts first.
    assert.deepEqual(live.metadata.managedFields, [
      { manager: 'm2', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } },
      entry('m1', 'Apply', '2024-05-01T10:00:00Z', { 'f:data': { 'f:a': {} } }),
    ]);
    clock.t += 1000;
    const out = fm.apply(CM, 'v1', live, cmBody(undefined), 'm1', false);
    assert.deepEqual(out.data, { a: '1' });
    assert.deepEqual(out.metadata.managedFields, [
      { manager: 'm2', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } },
    ]);
  });

  it('lets an Update take an applied field, after which re-applying it conflicts', () => {
    const { fm, clock } = manager();
    const live = stored(fm.apply(CM, 'v1', null, cmBody({ key: 'v', other: 'o' }), 'm1', false));
    clock.t += 2000;
    const edited = structuredClone(live);
    edited.data.key = 'w';
    fm.update(CM, 'v1', live, edited, 'kubectl-edit');
    assert.deepEqual(edited.metadata.managedFields, [
      entry('m1', 'Apply', '2024-05-01T10:00:00Z', { 'f:data': { 'f:other': {} } }),
      entry('kubectl-edit', 'Update', '2024-05-01T10:00:02Z', { 'f:data': { 'f:key': {} } }),
    ]);
    const st = statusOf(() => fm.apply(CM, 'v1', edited, cmBody({ key: 'v', other: 'o' }), 'm1', false));
    assert.equal(st.message, 'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.key');
  });

  it('names a conflicting manager of a subresource with it', () => {
    const { fm, clock } = manager();
    const NS = 'io.k8s.api.core.v1.Namespace';
    const live: Obj = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', labels: { team: 'a' } }, spec: {} };
    fm.update(NS, 'v1', null, live, 'kubectl-create', { resetFields: [['status']] });
    const created = stored(live);
    const withStatus = structuredClone(created);
    withStatus.status = { phase: 'Active' };
    clock.t += 1000;
    fm.update(NS, 'v1', created, withStatus, 'controller', { subresource: 'status', resetFields: [['spec']] });
    const body = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' }, status: { phase: 'Terminating' } };
    const st = statusOf(() => fm.apply(NS, 'v1', withStatus, body, 'tool', false, { subresource: 'status', resetFields: [['spec']] }));
    assert.equal(st.message, 'Apply failed with 1 conflict: conflict with "controller" with subresource "status" using v1: .status.phase');
    const out = fm.apply(NS, 'v1', withStatus, body, 'tool', true, { subresource: 'status', resetFields: [['spec']] });
    assert.deepEqual(out.metadata.managedFields[0], {
      manager: 'tool', operation: 'Apply', apiVersion: 'v1', time: '2024-05-01T10:00:01Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:phase': {} } }, subresource: 'status',
    });
  });

  it('keeps Apply and Update entries of one manager apart', () => {
    const { fm, clock } = manager();
    const live = stored(fm.apply(CM, 'v1', null, cmBody({ a: '1' }), 'kubectl', false));
    clock.t += 1000;
    const edited = structuredClone(live);
    edited.data.b = '2';
    fm.update(CM, 'v1', live, edited, 'kubectl');
    assert.deepEqual(edited.metadata.managedFields, [
      entry('kubectl', 'Apply', '2024-05-01T10:00:00Z', { 'f:data': { 'f:a': {} } }),
      entry('kubectl', 'Update', '2024-05-01T10:00:01Z', { 'f:data': { 'f:b': {} } }),
    ]);
  });

  it('changes nothing, not even times, when the same configuration is applied again', () => {
    const { fm, clock } = manager();
    const live = stored(fm.apply(CM, 'v1', null, cmBody({ a: '1' }), 'm1', false));
    clock.t += 5000;
    const out = fm.apply(CM, 'v1', live, cmBody({ a: '1' }), 'm1', false);
    assert.deepEqual(out, live);
    assert.notEqual(out, live);
  });

  it('gives the fields of an untracked object to before-first-apply, which then conflicts', () => {
    const { fm, clock } = manager();
    const live = stored(cmBody({ key: 'v' }, { labels: { x: 'y' } }));
    clock.t += 1000;
    const st = statusOf(() => fm.apply(CM, 'v1', live, cmBody({ key: 'w' }), 'm1', false));
    assert.equal(st.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.key');
    const out = fm.apply(CM, 'v1', live, cmBody({ other: 'o' }), 'm1', false);
    assert.deepEqual(out.data, { key: 'v', other: 'o' });
    assert.deepEqual(out.metadata.managedFields, [
      entry('m1', 'Apply', '2024-05-01T10:00:01Z', { 'f:data': { 'f:other': {} } }),
      entry('before-first-apply', 'Update', '2024-05-01T10:00:01Z', { 'f:data': { '.': {}, 'f:key': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:x': {} } } }),
    ]);
  });

  it('excuses kubectl\'s conflicts on fields its last-applied configuration set, and rewrites that annotation', () => {
    const { fm, clock } = manager();
    const lastApplied = '{"apiVersion":"v1","data":{"key":"v"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"cm","namespace":"default"}}\n';
    const created = cmBody({ key: 'v' }, { annotations: { [LAST_APPLIED_ANNOTATION]: lastApplied } });
    fm.update(CM, 'v1', null, created, 'kubectl-client-side-apply');
    const live = stored(created);
    clock.t += 1000;
    const body = cmBody({ key: 'w', key2: 'x' });
    // Another manager conflicts...
    assert.equal(statusOf(() => fm.apply(CM, 'v1', live, body, 'other', false)).code, 409);
    // ...kubectl does not: the live value is still the one it applied client-side.
    const out = fm.apply(CM, 'v1', live, body, 'kubectl', false);
    assert.deepEqual(out.data, { key: 'w', key2: 'x' });
    assert.equal(out.metadata.annotations[LAST_APPLIED_ANNOTATION],
      '{"apiVersion":"v1","data":{"key":"w","key2":"x"},"kind":"ConfigMap","metadata":{"name":"cm","namespace":"default"}}\n');
    assert.deepEqual(out.metadata.managedFields, [
      entry('kubectl', 'Apply', '2024-05-01T10:00:01Z', { 'f:data': { 'f:key': {}, 'f:key2': {} } }),
      entry('kubectl-client-side-apply', 'Update', '2024-05-01T10:00:00Z', {
        'f:data': {}, 'f:metadata': { 'f:annotations': { '.': {}, [`f:${LAST_APPLIED_ANNOTATION}`]: {} } },
      }),
    ]);
  });
});

describe('server-side apply of Deployments', () => {
  const base = (containers: Obj[], extra: Obj = {}): Obj => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', ...extra },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers } } },
  });

  it('records containers by name, env by name and ports by containerPort and the defaulted protocol', () => {
    const { fm } = manager();
    const out = fm.apply(DEPLOYMENT, 'apps/v1', null, base([{
      name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: 'b' }], args: ['x'],
    }]), 'mgr', false, { resetFields: [['status']] });
    assert.equal(JSON.stringify(out.metadata.managedFields[0].fieldsV1), JSON.stringify({
      'f:spec': {
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"nginx"}': {
                '.': {}, 'f:args': {}, 'f:env': { 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} } }, 'f:image': {}, 'f:name': {},
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              },
            },
          },
        },
      },
    }));
  });

  it('merges list maps item by item, replaces atomic lists and removes items only the applier had', () => {
    const { fm, clock } = manager();
    let live = stored(fm.apply(DEPLOYMENT, 'apps/v1', null, base([
      { name: 'nginx', image: 'nginx:1.25', env: [{ name: 'A', value: 'a' }], args: ['x', 'y'] },
    ]), 'mgr', false));
    clock.t += 1000;
    // Another manager adds an env var and a container of its own.
    const edited = structuredClone(live);
    edited.spec.template.spec.containers[0].env.push({ name: 'INJECTED', value: '1' });
    edited.spec.template.spec.containers.push({ name: 'sidecar', image: 'proxy' });
    fm.update(DEPLOYMENT, 'apps/v1', live, edited, 'injector');
    live = edited;
    clock.t += 1000;
    const out = fm.apply(DEPLOYMENT, 'apps/v1', live, base([
      { name: 'init', image: 'busybox' },
      { name: 'nginx', image: 'nginx:1.26', env: [{ name: 'B', value: 'b' }], args: ['z'] },
    ]), 'mgr', false);
    assert.deepEqual(out.spec.template.spec.containers, [
      { name: 'init', image: 'busybox' },
      { name: 'nginx', image: 'nginx:1.26', env: [{ name: 'INJECTED', value: '1' }, { name: 'B', value: 'b' }], args: ['z'] },
      { name: 'sidecar', image: 'proxy' },
    ]);
  });

  it('unions sets (finalizers) between managers and removes only the applier\'s own values', () => {
    const { fm } = manager();
    let live = stored(fm.apply(DEPLOYMENT, 'apps/v1', null, base([{ name: 'c', image: 'i' }], { finalizers: ['example.com/a'] }), 'm1', false));
    live = stored(fm.apply(DEPLOYMENT, 'apps/v1', live, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', finalizers: ['example.com/b'] } }, 'm2', false));
    assert.deepEqual(live.metadata.finalizers, ['example.com/a', 'example.com/b']);
    assert.deepEqual(live.metadata.managedFields[1].fieldsV1, { 'f:metadata': { 'f:finalizers': { 'v:"example.com/b"': {} } } });
    const out = fm.apply(DEPLOYMENT, 'apps/v1', live, base([{ name: 'c', image: 'i' }]), 'm1', false);
    assert.deepEqual(out.metadata.finalizers, ['example.com/b']);
  });
});

describe('server-side apply of Pods', () => {
  it('reads inline members (volume sources, probe handlers) as fields of their parent and atomic maps as one field', () => {
    const { fm } = manager();
    const pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
      spec: {
        nodeSelector: { disk: 'ssd', zone: 'a' },
        volumes: [{ name: 'data', configMap: { name: 'cm' } }],
        containers: [{ name: 'app', image: 'app:1', livenessProbe: { httpGet: { path: '/healthz', port: 8080 } }, volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      },
    };
    const out = fm.apply('io.k8s.api.core.v1.Pod', 'v1', null, pod, 'mgr', false, { resetFields: [['status']] });
    assert.equal(JSON.stringify(out.metadata.managedFields[0].fieldsV1), JSON.stringify({
      'f:spec': {
        'f:containers': {
          'k:{"name":"app"}': {
            '.': {}, 'f:image': {}, 'f:livenessProbe': { 'f:httpGet': { 'f:path': {}, 'f:port': {} } }, 'f:name': {},
            'f:volumeMounts': { 'k:{"mountPath":"/data"}': { '.': {}, 'f:mountPath': {}, 'f:name': {} } },
          },
        },
        'f:nodeSelector': {},
        'f:volumes': { 'k:{"name":"data"}': { '.': {}, 'f:configMap': { 'f:name': {} }, 'f:name': {} } },
      },
    }));
    // An atomic map is replaced as a whole by its owner.
    const next = fm.apply('io.k8s.api.core.v1.Pod', 'v1', stored(out), { ...pod, spec: { ...pod.spec, nodeSelector: { zone: 'b' } } }, 'mgr', false);
    assert.deepEqual(next.spec.nodeSelector, { zone: 'b' });
  });
});

describe('invalid apply bodies', () => {
  const { fm } = manager();
  const live = stored(cmBody({ key: 'v' }));

  it('rejects a body of another kind or version with 400 invalid object type', () => {
    assert.deepEqual(statusOf(() => fm.apply(CM, 'v1', null, { metadata: { name: 'cm' } }, 'm', false)), {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'invalid object type: /, Kind=', reason: 'BadRequest', code: 400,
    });
    assert.equal(statusOf(() => fm.apply(CM, 'v1', live, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cm' } }, 'm', false)).message,
      'invalid object type: /v1, Kind=Secret');
    assert.equal(statusOf(() => fm.apply(DEPLOYMENT, 'apps/v1', null, { apiVersion: 'apps/v1beta1', kind: 'Deployment' }, 'm', false)).message,
      'invalid object type: apps/v1beta1, Kind=Deployment');
  });

  it('rejects managedFields in the body', () => {
    const st = statusOf(() => fm.apply(CM, 'v1', live, cmBody({ key: 'v' }, { managedFields: [] }), 'm', false));
    assert.deepEqual([st.code, st.reason, st.message], [400, 'BadRequest', 'metadata.managedFields must be nil']);
  });

  it('answers upstream\'s typed-object errors for unknown fields, wrong types and duplicate keys', () => {
    const unknown = statusOf(() => fm.apply(CM, 'v1', live, { ...cmBody({ key: 'v' }), spec: {} }, 'm', false));
    assert.deepEqual(unknown, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'failed to create typed patch object (default/cm; /v1, Kind=ConfigMap): .spec: field not declared in schema', code: 500,
    });
    const yes = decodeApplyPatch('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  enabled: yes\n');
    assert.equal(statusOf(() => fm.apply(CM, 'v1', live, yes, 'm', false)).message,
      'failed to create typed patch object (/cm; /v1, Kind=ConfigMap): .data.enabled: expected string, got &value.valueUnstructured{Value:true}');
    const dup = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
      spec: { template: { spec: { containers: [{ name: 'a', env: [{ name: 'X' }, { name: 'X' }] }, { name: 'a' }] } } },
    };
    assert.equal(statusOf(() => fm.apply(DEPLOYMENT, 'apps/v1', null, dup, 'm', false)).message,
      'failed to create typed patch object (/d; apps/v1, Kind=Deployment): errors:\n'
      + '  .spec.template.spec.containers[name="a"].env: duplicate entries for key [name="X"]\n'
      + '  .spec.template.spec.containers: duplicate entries for key [name="a"]');
  });
});

describe('apply patch bodies', () => {
  it('reads YAML with YAML 1.1 scalars, and JSON', () => {
    assert.deepEqual(decodeApplyPatch('a: yes\nb: off\nc: 0777\nd: 2024-01-02\ne: "on"\n'), { a: true, b: false, c: 511, d: '2024-01-02', e: 'on' });
    assert.deepEqual(decodeApplyPatch(Buffer.from('{"apiVersion":"v1","kind":"ConfigMap"}')), { apiVersion: 'v1', kind: 'ConfigMap' });
    assert.deepEqual(decodeApplyPatch(''), {});
    assert.deepEqual(decodeApplyPatch('a: 1\n---\nb: 2\n'), { a: 1 });
  });

  it('rejects what is not an object with upstream\'s 400', () => {
    assert.deepEqual(statusOf(() => decodeApplyPatch('- a\n- b\n')), {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'error decoding YAML: json: cannot unmarshal array into Go value of type map[string]interface {}', reason: 'BadRequest', code: 400,
    });
    assert.equal(statusOf(() => decodeApplyPatch('hello')).message, 'error decoding YAML: json: cannot unmarshal string into Go value of type map[string]interface {}');
    assert.match(statusOf(() => decodeApplyPatch('a: [1, 2\n')).message, /^error decoding YAML: error converting YAML to JSON: yaml: line \d+: /);
  });
});

describe('checks of the applied object', () => {
  const resource = { group: '', resource: 'configmaps' };
  it('completes the namespace and accepts the URL\'s name', () => {
    const obj: Obj = { metadata: { name: 'cm' } };
    assert.equal(checkAppliedObject(obj, { resource, name: 'cm', namespace: 'default', creating: true }), undefined);
    assert.equal(obj.metadata.namespace, 'default');
  });

  it('answers upstream\'s errors for names, namespaces and uids', () => {
    const msg = (obj: Obj, ns = 'default', creating = false) => checkAppliedObject(obj, { resource, name: 'cm', namespace: ns, creating })?.toStatus();
    assert.equal(msg({ metadata: {} })?.message, 'the name of the object (cm based on URL) was undeterminable: name must be provided');
    assert.equal(msg({ metadata: { name: 'other' } })?.message, 'the name of the object (other) does not match the name on the URL (cm)');
    assert.equal(msg({ metadata: { name: 'cm', namespace: 'kube-system' } })?.message, 'the namespace of the provided object does not match the namespace sent on the request');
    assert.deepEqual(msg({ metadata: { name: 'cm', uid: 'abc' } }, 'default', true), {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'Operation cannot be fulfilled on configmaps "cm": uid mismatch: the provided object specified uid abc, and no existing object was found',
      reason: 'Conflict', details: { name: 'cm', kind: 'configmaps' }, code: 409,
    });
  });
});
