/**
 * The schema-driven protobuf codec: bytes compared with what upstream's proto definitions (and Go's
 * gogo marshalling) give, and encode → decode round trips over every shape.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinSchemas } from '../../src/api/index.js';
import { ProtobufCodec, ProtobufError } from '../../src/api/protobuf/codec.js';

const codec = new ProtobufCodec(builtinSchemas());
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').replace(/(..)(?!$)/g, '$1 ');
const roundTrip = (type: string, obj: Record<string, unknown>) => codec.decode(type, codec.encode(type, obj));

/** ObjectMeta{name: "l"} as Go writes it: every non-pointer string, generation 0, an empty creationTimestamp. */
const META_L = '0a 01 6c 12 00 1a 00 22 00 2a 00 32 00 38 00 42 00';

describe('protobuf codec: bytes', () => {
  it('writes a Lease exactly as the proto definitions and Go marshalling give', () => {
    const lease = { metadata: { name: 'l' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15, renewTime: '2024-01-02T03:04:05.123456Z' } };
    // LeaseSpec: holderIdentity=1 "a", leaseDurationSeconds=2 15, renewTime=4 MicroTime{seconds=1 1704164645, nanos=2 123456000};
    // every LeaseSpec field is a pointer, so the unset ones are absent.
    const micro = '08 a5 fa cd ac 06 10 80 94 ef 3a';
    const spec = `0a 01 61 10 0f 22 0b ${micro}`;
    assert.equal(hex(codec.encode('io.k8s.api.coordination.v1.Lease', lease)), `0a 11 ${META_L} 12 12 ${spec}`);
  });

  it('writes an int-or-string as {type, intVal, strVal}, all three always', () => {
    const svc = { metadata: { name: 'l' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } };
    const bytes = codec.encode('io.k8s.api.core.v1.Service', svc);
    // ServicePort: name=1 "http", protocol=2 "", port=3 80, targetPort=4 {0, 8080, ""}, nodePort=5 0.
    const port = '0a 04 68 74 74 70 12 00 18 50 22 07 08 00 10 90 3f 1a 00 28 00';
    assert.ok(hex(bytes).includes(`0a 15 ${port}`), hex(bytes));
    const named = codec.encode('io.k8s.api.core.v1.ServicePort', { port: 80, targetPort: 'web' });
    assert.equal(hex(named), '0a 00 12 00 18 50 22 09 08 01 10 00 1a 03 77 65 62 28 00');
  });

  it('writes quantities as Quantity{string=1} and map entries in key order', () => {
    const bytes = codec.encode('io.k8s.api.core.v1.ResourceRequirements', { limits: { memory: '1Gi', cpu: '500m' } });
    // limits=1: entry{key=1 "cpu", value=2 Quantity{"500m"}}, then "memory".
    assert.equal(hex(bytes), '0a 0d 0a 03 63 70 75 12 06 0a 04 35 30 30 6d 0a 0f 0a 06 6d 65 6d 6f 72 79 12 05 0a 03 31 47 69');
  });

  it('carries an inline member as its own nested message', () => {
    const bytes = codec.encode('io.k8s.api.core.v1.Volume', { name: 'v', emptyDir: {} });
    // Volume: name=1 "v", volumeSource=2 {emptyDir=2 {medium=1 ""}}.
    assert.equal(hex(bytes), '0a 01 76 12 04 12 02 0a 00');
    assert.deepEqual(codec.decode('io.k8s.api.core.v1.Volume', bytes), { name: 'v', emptyDir: {} });
  });

  it('wraps and unwraps the k8s\\0 runtime.Unknown envelope', () => {
    const body = codec.wrap('v1', 'Pod', Uint8Array.from([1, 2]));
    // typeMeta=1 {apiVersion=1 "v1", kind=2 "Pod"}, raw=2, contentEncoding=3 "", contentType=4 "".
    assert.equal(hex(body), '6b 38 73 00 0a 09 0a 02 76 31 12 03 50 6f 64 12 02 01 02 1a 00 22 00');
    const env = codec.unwrap(body);
    assert.deepEqual({ ...env, raw: [...env.raw] }, { apiVersion: 'v1', kind: 'Pod', raw: [1, 2] });
  });

  it('matches, byte for byte, a Lease Go marshalled (upstream round-trip fixture, k8s.io/api v0.32.5 testdata)', () => {
    const goBody = Buffer.from([
      'azhzAAofChZjb29yZGluYXRpb24uazhzLmlvL3YxEgVMZWFzZRK5AwrgAgoJbmFtZVZhbHVlEhFnZW5lcmF0ZU5hbWVWYWx1',
      'ZRoObmFtZXNwYWNlVmFsdWUiDXNlbGZMaW5rVmFsdWUqCHVpZFZhbHVlMhRyZXNvdXJjZVZlcnNpb25WYWx1ZTgHQggIzaHm',
      'uwQQAEoICM2r8MoEEABQCloYCglsYWJlbHNLZXkSC2xhYmVsc1ZhbHVlYiIKDmFubm90YXRpb25zS2V5EhBhbm5vdGF0aW9u',
      'c1ZhbHVlajUKCWtpbmRWYWx1ZRoJbmFtZVZhbHVlIgh1aWRWYWx1ZSoPYXBpVmVyc2lvblZhbHVlMAE4AXIPZmluYWxpemVy',
      'c1ZhbHVligFiCgxtYW5hZ2VyVmFsdWUSDm9wZXJhdGlvblZhbHVlGg9hcGlWZXJzaW9uVmFsdWUiCAjN4s3/AxAAMg9maWVs',
      'ZHNUeXBlVmFsdWU6BAoCe31CEHN1YnJlc291cmNlVmFsdWUSVAoTaG9sZGVySWRlbnRpdHlWYWx1ZRACGgkIzfvI8AMQuBci',
      'CQjN4s3/AxCgHygFMg1zdHJhdGVneVZhbHVlOhRwcmVmZXJyZWRIb2xkZXJWYWx1ZRoAIgA=',
    ].join(''), 'base64');
    const json = {'kind':'Lease','apiVersion':'coordination.k8s.io/v1','metadata':{'name':'nameValue','generateName':'generateNameValue','namespace':'namespaceValue','selfLink':'selfLinkValue','uid':'uidValue','resourceVersion':'resourceVersionValue','generation':7,'creationTimestamp':'2008-01-01T01:01:01Z','deletionTimestamp':'2009-01-01T01:01:01Z','deletionGracePeriodSeconds':10,'labels':{'labelsKey':'labelsValue'},'annotations':{'annotationsKey':'annotationsValue'},'ownerReferences':[{'apiVersion':'apiVersionValue','kind':'kindValue','name':'nameValue','uid':'uidValue','controller':true,'blockOwnerDeletion':true}],'finalizers':['finalizersValue'],'managedFields':[{'manager':'managerValue','operation':'operationValue','apiVersion':'apiVersionValue','time':'2004-01-01T01:01:01Z','fieldsType':'fieldsTypeValue','fieldsV1':{},'subresource':'subresourceValue'}]},'spec':{'holderIdentity':'holderIdentityValue','leaseDurationSeconds':2,'acquireTime':'2003-01-01T01:01:01.000003Z','renewTime':'2004-01-01T01:01:01.000004Z','leaseTransitions':5,'strategy':'strategyValue','preferredHolder':'preferredHolderValue'}};
    assert.equal(codec.encodeObject(json).toString('base64'), goBody.toString('base64'));
    const env = codec.unwrap(goBody);
    assert.deepEqual({ apiVersion: env.apiVersion, kind: env.kind, ...codec.decode('io.k8s.api.coordination.v1.Lease', env.raw) }, json);
  });

  it('encodeObject picks the type from apiVersion and kind, and refuses kinds it does not know', () => {
    const body = codec.encodeObject({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' } });
    const env = codec.unwrap(body);
    assert.equal(env.kind, 'Lease');
    assert.equal(hex(env.raw), `0a 11 ${META_L} 12 00`);
    assert.equal(codec.canEncode('v1', 'Nonsense'), false);
    assert.throws(() => codec.encodeObject({ apiVersion: 'v1', kind: 'Nonsense' }), (e: unknown) => e instanceof ProtobufError && e.message === 'no protobuf description of Nonsense in version "v1"');
  });

  it('reads packed repeated integers as well as unpacked ones', () => {
    // PodSecurityContext.supplementalGroups=4, packed: [1, 300].
    const packed = Uint8Array.from([0x22, 0x03, 0x01, 0xac, 0x02]);
    assert.deepEqual(codec.decode('io.k8s.api.core.v1.PodSecurityContext', packed), { supplementalGroups: [1, 300] });
    const unpacked = codec.encode('io.k8s.api.core.v1.PodSecurityContext', { supplementalGroups: [1, 300] });
    assert.equal(hex(unpacked).startsWith('20 01 20 ac 02'), true, hex(unpacked));
  });
});

describe('protobuf codec: round trips', () => {
  it('a full Deployment', () => {
    const d = {
      metadata: { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '7', generation: 2, creationTimestamp: '2024-05-01T10:00:00Z', labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '1' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: 'x' }, { name: 'B', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }], restartPolicy: 'Always', terminationGracePeriodSeconds: 30 },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: { observedGeneration: 2, replicas: 3, readyReplicas: 3, conditions: [{ type: 'Available', status: 'True', lastUpdateTime: '2024-05-01T10:00:05Z', lastTransitionTime: '2024-05-01T10:00:05Z', reason: 'MinimumReplicasAvailable', message: 'ok' }] },
    };
    assert.deepEqual(roundTrip('io.k8s.api.apps.v1.Deployment', d), d);
  });

  it('a Pod with volumes, probes and resources', () => {
    const pod = {
      metadata: { name: 'p', namespace: 'ns' },
      spec: {
        volumes: [
          { name: 'cfg', configMap: { name: 'settings', items: [{ key: 'a', path: 'a.txt' }], defaultMode: 420 } },
          { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
          { name: 'data', persistentVolumeClaim: { claimName: 'pvc', readOnly: true } },
        ],
        containers: [{
          name: 'app',
          image: 'busybox',
          command: ['sh', '-c', 'sleep 1d'],
          resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m', 'example.com/gpu': '1' } },
          livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 3, periodSeconds: 10 },
          readinessProbe: { exec: { command: ['true'] }, failureThreshold: 3 },
          startupProbe: { tcpSocket: { port: 8080 } },
          lifecycle: { preStop: { sleep: { seconds: 5 } } },
          volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg', readOnly: true }],
          securityContext: { runAsUser: 0, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        }],
        ephemeralContainers: [{ name: 'debug', image: 'busybox', targetContainerName: 'app' }],
        securityContext: { supplementalGroups: [1000, 2000], fsGroup: 2000 },
        tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }],
        overhead: { cpu: '250m' },
      },
      status: { phase: 'Running', podIP: '10.0.0.5', startTime: '2024-05-01T10:00:00Z', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'busybox', imageID: 'sha', state: { running: { startedAt: '2024-05-01T10:00:01Z' } } }] },
    };
    assert.deepEqual(roundTrip('io.k8s.api.core.v1.Pod', pod), pod);
  });

  it('a Service with int and string target ports', () => {
    const svc = {
      metadata: { name: 's' },
      spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'web' }, { name: 'metrics', protocol: 'TCP', port: 9090, targetPort: 9091 }], clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', sessionAffinity: 'None' },
    };
    assert.deepEqual(roundTrip('io.k8s.api.core.v1.Service', svc), svc);
  });

  it('an events/v1 Event with micro times, to the microsecond', () => {
    const ev = {
      metadata: { name: 'e.1', namespace: 'default' },
      eventTime: '2024-05-01T10:00:00.123456Z',
      series: { count: 2, lastObservedTime: '2024-05-01T10:00:09.000001Z' },
      reportingController: 'kubelet', reportingInstance: 'node-1', action: 'Pulling', reason: 'Pulling',
      regarding: { kind: 'Pod', namespace: 'default', name: 'p', uid: 'u', apiVersion: 'v1', fieldPath: 'spec.containers{app}' },
      note: 'Pulling image', type: 'Normal',
    };
    assert.deepEqual(roundTrip('io.k8s.api.events.v1.Event', ev), ev);
    // Nanoseconds beyond the microsecond are dropped, as MicroTime's marshalling truncates them.
    const fine = roundTrip('io.k8s.api.events.v1.Event', { ...ev, eventTime: '2024-05-01T10:00:00.123456789Z' });
    assert.equal(fine.eventTime, '2024-05-01T10:00:00.123456Z');
  });

  it('a ControllerRevision with its raw extension', () => {
    const cr = { metadata: { name: 'web-5d8f' }, data: { spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } }, revision: 3 };
    assert.deepEqual(roundTrip('io.k8s.api.apps.v1.ControllerRevision', cr), cr);
  });

  it('a DeploymentList, metadata and items', () => {
    const list = {
      metadata: { resourceVersion: '42', continue: 'tok', remainingItemCount: 0 },
      items: [
        { metadata: { name: 'a' }, spec: { replicas: 1, selector: { matchLabels: { x: 'a' } }, template: { metadata: { labels: { x: 'a' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } },
        { metadata: { name: 'b' }, spec: { replicas: 2, selector: {}, template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } },
      ],
    };
    assert.deepEqual(roundTrip('io.k8s.api.apps.v1.DeploymentList', list), list);
    const body = codec.encodeObject({ apiVersion: 'apps/v1', kind: 'DeploymentList', ...list });
    const env = codec.unwrap(body);
    assert.deepEqual([env.apiVersion, env.kind], ['apps/v1', 'DeploymentList']);
    assert.deepEqual(codec.decode('io.k8s.api.apps.v1.DeploymentList', env.raw), list);
  });

  it('keeps meaningful zeros and Go zero values of fields JSON always carries', () => {
    // Condition.reason and message have no omitempty: Go writes and reads them even when empty.
    const pdb = { metadata: { name: 'p' }, spec: { minAvailable: 0 }, status: { conditions: [{ type: 'DisruptionAllowed', status: 'False', lastTransitionTime: '2024-05-01T10:00:00Z' }], disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 } };
    const out = roundTrip('io.k8s.api.policy.v1.PodDisruptionBudget', pdb);
    assert.deepEqual(out.spec, { minAvailable: 0 });
    assert.deepEqual((out.status as { conditions: unknown[] }).conditions, [{ type: 'DisruptionAllowed', status: 'False', lastTransitionTime: '2024-05-01T10:00:00Z', reason: '', message: '' }]);
  });

  it('answers ProtobufError for truncated bytes and for a raw extension that is not JSON', () => {
    const bytes = codec.encode('io.k8s.api.apps.v1.Deployment', { metadata: { name: 'x' } });
    assert.throws(() => codec.decode('io.k8s.api.apps.v1.Deployment', bytes.subarray(0, 5)), ProtobufError);
    const bad = Uint8Array.from([0x12, 0x04, 0x0a, 0x02, 0x7b, 0x7b]);
    assert.throws(() => codec.decode('io.k8s.api.apps.v1.ControllerRevision', bad), (e: unknown) => e instanceof ProtobufError && e.message === 'an embedded object does not hold JSON');
  });
});
