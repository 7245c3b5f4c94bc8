/**
 * The generated descriptions of the built-in types: facts spot-checked against upstream's Go types
 * (k8s.io/api v0.32.5), the registry's flattening of inline members, and what prune, strategic
 * merge patch and OpenAPI v3 make of them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinSchemas } from '../../src/api/index.js';
import { openApiV3Document } from '../../src/api/openapi/v3.js';
import { applyStrategicMergePatch } from '../../src/api/patch/strategic-merge.js';
import { pruneUnknownFields } from '../../src/api/schema/prune.js';
import type { Field, Shape } from '../../src/api/schema/shapes.js';

const schemas = builtinSchemas();
const CORE = 'io.k8s.api.core.v1';

function fieldOf(type: string, name: string): Field {
  const f = schemas.type(type).fields.find((x) => x.name === name);
  assert.ok(f, `${type} has no field ${name}`);
  return f;
}

describe('built-in types: facts from upstream', () => {
  it('field numbers of Pod, PodSpec, Container, Deployment', () => {
    assert.equal(fieldOf(`${CORE}.Pod`, 'spec').proto, 2);
    assert.equal(fieldOf(`${CORE}.PodSpec`, 'containers').proto, 2);
    assert.equal(fieldOf(`${CORE}.PodSpec`, 'initContainers').proto, 20);
    assert.equal(fieldOf(`${CORE}.PodSpec`, 'ephemeralContainers').proto, 34);
    assert.equal(fieldOf(`${CORE}.Container`, 'image').proto, 2);
    assert.equal(fieldOf('io.k8s.api.batch.v1.CronJobSpec', 'jobTemplate').proto, 5);
    assert.equal(fieldOf('io.k8s.api.batch.v1.CronJobSpec', 'timeZone').proto, 8);
    assert.equal(fieldOf('io.k8s.api.discovery.v1.EndpointSlice', 'addressType').proto, 4);
    assert.equal(fieldOf('io.k8s.api.rbac.v1.ClusterRole', 'aggregationRule').proto, 3);
  });

  it('list semantics: Container.ports, ServiceSpec.ports, PodSpec.volumes, ObjectMeta.finalizers', () => {
    assert.deepEqual(fieldOf(`${CORE}.Container`, 'ports').shape, { kind: 'list', item: { kind: 'ref', type: `${CORE}.ContainerPort` }, listType: 'map', listMapKeys: ['containerPort', 'protocol'], patchStrategy: 'merge', patchMergeKey: 'containerPort' });
    const ports = fieldOf(`${CORE}.ServiceSpec`, 'ports').shape as Extract<Shape, { kind: 'list' }>;
    assert.equal(ports.patchMergeKey, 'port');
    assert.deepEqual(ports.listMapKeys, ['port', 'protocol']);
    const volumes = fieldOf(`${CORE}.PodSpec`, 'volumes').shape as Extract<Shape, { kind: 'list' }>;
    assert.equal(volumes.patchStrategy, 'merge,retainKeys');
    assert.deepEqual(fieldOf('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'finalizers').shape, { kind: 'list', item: { kind: 'string' }, listType: 'set', patchStrategy: 'merge' });
  });

  it('pointers and omitempty: DeploymentSpec.replicas, Container.name, ServicePort.targetPort', () => {
    const replicas = fieldOf('io.k8s.api.apps.v1.DeploymentSpec', 'replicas');
    assert.deepEqual([replicas.proto, replicas.shape.kind, replicas.keepZero, replicas.pointer], [1, 'int32', true, true]);
    assert.equal(replicas.description, 'How many pods the deployment keeps running; 1 when omitted.');
    const name = fieldOf(`${CORE}.Container`, 'name');
    assert.deepEqual([name.keepZero, name.pointer], [true, undefined]);
    const target = fieldOf(`${CORE}.ServicePort`, 'targetPort');
    assert.deepEqual([target.proto, target.shape.kind, target.keepZero], [4, 'intOrString', undefined]);
  });

  it('special shapes: quantities, int-or-strings, micro times, raw extensions, bytes', () => {
    assert.deepEqual(fieldOf(`${CORE}.ResourceRequirements`, 'limits').shape, { kind: 'map', value: { kind: 'quantity' } });
    assert.deepEqual(fieldOf(`${CORE}.Secret`, 'data').shape, { kind: 'map', value: { kind: 'bytes' } });
    assert.equal(fieldOf('io.k8s.api.events.v1.Event', 'eventTime').shape.kind, 'microTime');
    assert.equal(fieldOf('io.k8s.api.coordination.v1.LeaseSpec', 'renewTime').shape.kind, 'microTime');
    assert.equal(fieldOf('io.k8s.api.apps.v1.ControllerRevision', 'data').shape.kind, 'rawExtension');
    assert.equal(fieldOf('io.k8s.api.apps.v1.RollingUpdateDeployment', 'maxSurge').shape.kind, 'intOrString');
    assert.equal(fieldOf('io.k8s.api.autoscaling.v2.MetricTarget', 'value').shape.kind, 'quantity');
    assert.equal(fieldOf('io.k8s.api.policy.v1.PodDisruptionBudgetStatus', 'conditions').shape.kind, 'list');
    assert.throws(() => schemas.type('io.k8s.apimachinery.pkg.api.resource.Quantity'), /is not described/);
  });

  it('inline members: Volume.volumeSource, Probe.handler, EphemeralContainer, PersistentVolumeSpec', () => {
    const vs = fieldOf(`${CORE}.Volume`, 'volumeSource');
    assert.deepEqual([vs.proto, vs.inline, vs.shape], [2, true, { kind: 'ref', type: `${CORE}.VolumeSource` }]);
    assert.deepEqual([fieldOf(`${CORE}.Probe`, 'handler').proto, fieldOf(`${CORE}.Probe`, 'handler').inline], [1, true]);
    assert.equal(fieldOf(`${CORE}.EphemeralContainer`, 'ephemeralContainerCommon').proto, 1);
    assert.equal(fieldOf(`${CORE}.PersistentVolumeSpec`, 'persistentVolumeSource').inline, true);
    const shapes = schemas.fieldShapes(`${CORE}.Volume`);
    assert.equal(shapes.has('volumeSource'), false);
    assert.deepEqual(shapes.get('configMap'), { kind: 'ref', type: `${CORE}.ConfigMapVolumeSource` });
    assert.deepEqual([...schemas.fieldShapes(`${CORE}.Probe`).keys()].slice(0, 5), ['exec', 'httpGet', 'tcpSocket', 'grpc', 'initialDelaySeconds']);
    assert.ok(schemas.fieldShapes(`${CORE}.EphemeralContainer`).has('targetContainerName'));
    assert.ok(schemas.fieldShapes(`${CORE}.EphemeralContainer`).has('image'));
  });

  it('every served kind is registered with its group, version and list', () => {
    const kinds: [string, string, string, boolean][] = [
      ['', 'v1', 'Pod', true], ['', 'v1', 'Binding', false], ['apps', 'v1', 'Deployment', true], ['apps', 'v1', 'ControllerRevision', true],
      ['autoscaling', 'v1', 'Scale', false], ['autoscaling', 'v2', 'HorizontalPodAutoscaler', true], ['batch', 'v1', 'CronJob', true],
      ['coordination.k8s.io', 'v1', 'Lease', true], ['events.k8s.io', 'v1', 'Event', true], ['discovery.k8s.io', 'v1', 'EndpointSlice', true],
      ['policy', 'v1', 'Eviction', false], ['networking.k8s.io', 'v1', 'IngressClass', true], ['scheduling.k8s.io', 'v1', 'PriorityClass', true],
      ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', true],
    ];
    for (const [group, version, kind, listed] of kinds) {
      assert.ok(schemas.kind(group, version, kind), `${group}/${version} ${kind}`);
      assert.equal(schemas.kind(group, version, `${kind}List`) !== undefined, listed, `${kind}List`);
    }
    assert.equal(schemas.kind('autoscaling', 'v2', 'HorizontalPodAutoscaler')?.name, 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler');
    const list = schemas.kind('apps', 'v1', 'DeploymentList')!;
    assert.deepEqual(list.fields.map((f) => [f.name, f.proto, f.shape]), [
      ['metadata', 1, { kind: 'ref', type: 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta' }],
      ['items', 2, { kind: 'list', item: { kind: 'ref', type: 'io.k8s.api.apps.v1.Deployment' } }],
    ]);
  });

  it('every reference resolves and every type and field has a description', () => {
    const check = (s: Shape): void => {
      if (s.kind === 'ref') schemas.type(s.type);
      else if (s.kind === 'list') check(s.item);
      else if (s.kind === 'map') check(s.value);
    };
    for (const t of schemas.all()) {
      assert.ok(t.description.length > 3, t.name);
      for (const f of t.fields) {
        check(f.shape);
        assert.ok(f.description.length > 3, `${t.name}.${f.name}`);
      }
    }
    assert.equal(schemas.type(`${CORE}.ConfigMap`).description, 'Configuration data in key-value form, for pods to read as environment variables, files or arguments.');
    assert.equal(fieldOf('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'generateName').description, 'A prefix from which the server makes a unique name when name is empty.');
  });
});

describe('built-in types: machinery over inline members', () => {
  it('prune sees the fields of inline members as the parent\'s own', () => {
    const pod = { spec: { containers: [{ name: 'c', image: 'i', livenessProbe: { httpGet: { port: 80 }, bogus: 1 } }], volumes: [{ name: 'v', configMap: { name: 'cm', nope: true }, extra: 1 }] } };
    const unknown = pruneUnknownFields(schemas, `${CORE}.Pod`, pod);
    assert.deepEqual(unknown, ['spec.containers[0].livenessProbe.bogus', 'spec.volumes[0].configMap.nope', 'spec.volumes[0].extra']);
    assert.deepEqual(pod.spec.volumes, [{ name: 'v', configMap: { name: 'cm' } }]);
  });

  it('strategic merge patch merges containers and volumes by name, reaching into inline members', () => {
    const original = { spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }], volumes: [{ name: 'v', configMap: { name: 'one' } }] } };
    const out = applyStrategicMergePatch(schemas, `${CORE}.Pod`, structuredClone(original), {
      spec: { containers: [{ name: 'b', image: 'b:2' }], volumes: [{ name: 'v', configMap: { items: [{ key: 'k', path: 'p' }] } }] },
    });
    assert.deepEqual(out, { spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:2' }], volumes: [{ name: 'v', configMap: { name: 'one', items: [{ key: 'k', path: 'p' }] } }] } });
  });

  it('OpenAPI v3 lists inline members\' fields as properties and names the special shapes as upstream does', () => {
    const doc = openApiV3Document(schemas, '', 'v1', [{ group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, verbs: ['get'] }], 'v1.32.0') as { components: { schemas: Record<string, { properties?: Record<string, Record<string, unknown>> } & Record<string, unknown>> } };
    const c = doc.components.schemas;
    const volume = c[`${CORE}.Volume`]!;
    assert.ok(volume.properties!.configMap);
    assert.equal(volume.properties!.volumeSource, undefined);
    assert.equal(c[`${CORE}.VolumeSource`], undefined);
    assert.deepEqual(c[`${CORE}.HTTPGetAction`]!.properties!.port!.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }]);
    assert.deepEqual(c['io.k8s.apimachinery.pkg.util.intstr.IntOrString']!.oneOf, [{ type: 'integer' }, { type: 'string' }]);
    assert.equal(c['io.k8s.apimachinery.pkg.util.intstr.IntOrString']!.format, 'int-or-string');
    assert.deepEqual(c['io.k8s.apimachinery.pkg.api.resource.Quantity']!.oneOf, [{ type: 'string' }, { type: 'number' }]);
    assert.deepEqual(c[`${CORE}.ResourceRequirements`]!.properties!.limits!.additionalProperties, { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' });
    assert.equal(c[`${CORE}.PodSpec`]!.properties!.securityContext!.default, undefined);
    assert.deepEqual(c[`${CORE}.PodSpec`]!.properties!.containers!['x-kubernetes-list-map-keys'], ['name']);
  });
});
