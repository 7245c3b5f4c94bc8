import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from './harness.js';

const PODS = '/api/v1/namespaces/default/pods';
const TABLE = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };
const pod = (name: string, spec: Record<string, unknown>, meta: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...meta }, spec });
const nginx = (extra: Record<string, unknown> = {}) => ({ name: 'nginx', image: 'nginx', ...extra });
const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

describe('core/v1 pods', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.stop(); });

  it('creates a pod with upstream defaults, status Pending and a QoS class', async () => {
    const r = await h.client.request('POST', PODS, pod('defaults', { containers: [nginx(), { name: 'side', image: 'busybox:1.36', ports: [{ containerPort: 8080 }] }] }));
    assert.equal(r.status, 201);
    const spec = r.json.spec;
    assert.equal(spec.restartPolicy, 'Always');
    assert.equal(spec.dnsPolicy, 'ClusterFirst');
    assert.equal(spec.schedulerName, 'default-scheduler');
    assert.equal(spec.terminationGracePeriodSeconds, 30);
    assert.deepEqual(spec.securityContext, {});
    assert.equal(spec.enableServiceLinks, true);
    assert.equal(spec.preemptionPolicy, 'PreemptLowerPriority');
    assert.equal(spec.priority, 0);
    // ServiceAccount admission mounts the API access volume into every container.
    const access = spec.volumes.map((v: { name: string }) => v.name);
    assert.equal(access.length, 1);
    assert.match(access[0], /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const mount = { name: access[0], readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };
    assert.deepEqual(spec.containers[0], {
      name: 'nginx', image: 'nginx', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {},
      volumeMounts: [mount],
    });
    assert.deepEqual(spec.containers[1].volumeMounts, [mount]);
    assert.equal(spec.containers[1].imagePullPolicy, 'IfNotPresent');
    assert.deepEqual(spec.containers[1].ports, [{ containerPort: 8080, protocol: 'TCP' }]);
    assert.deepEqual(r.json.status, { phase: 'Pending', qosClass: 'BestEffort' });
    const got = await h.client.request('GET', `${PODS}/defaults`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.json.spec.containers, spec.containers);
  });

  it('pulls :latest images always, tagged and digest images if not present, and copies limits into requests', async () => {
    const r = await h.client.request('POST', PODS, pod('pull', {
      containers: [
        nginx({ name: 'a', image: 'nginx:latest', resources: { limits: { cpu: '500m', memory: '128Mi' } } }),
        nginx({ name: 'b', image: 'registry.local:5000/app' }),
        nginx({ name: 'c', image: 'nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' }),
      ],
    }));
    assert.equal(r.status, 201);
    assert.deepEqual(r.json.spec.containers.map((c: { imagePullPolicy: string }) => c.imagePullPolicy), ['Always', 'Always', 'IfNotPresent']);
    assert.deepEqual(r.json.spec.containers[0].resources, { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '500m', memory: '128Mi' } });
    assert.equal(r.json.status.qosClass, 'Burstable');
  });

  it('answers a pod without image with upstream\'s exact 422 Status', async () => {
    const r = await h.client.request('POST', PODS, pod('x', { containers: [{ name: 'c' }] }));
    assert.equal(r.status, 422);
    assert.deepEqual(r.json, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'Pod "x" is invalid: spec.containers[0].image: Required value',
      reason: 'Invalid',
      details: { name: 'x', kind: 'Pod', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' }] },
      code: 422,
    });
  });

  it('requires containers and reports several mistakes in one message', async () => {
    const none = await h.client.request('POST', PODS, pod('empty', { containers: [] }));
    assert.equal(none.status, 422);
    assert.equal(none.json.message, 'Pod "empty" is invalid: spec.containers: Required value');
    const bad = await h.client.request('POST', PODS, pod('bad', {
      restartPolicy: 'Sometimes',
      containers: [{ name: 'Bad_Name', image: 'x', ports: [{ containerPort: 70000 }] }, { name: 'dup', image: 'x' }, { name: 'dup', image: 'x' }, { image: 'x' }],
    }));
    assert.equal(bad.status, 422);
    assert.equal(bad.json.message, 'Pod "bad" is invalid: [' + [
      `spec.containers[0].name: Invalid value: "Bad_Name": ${LABEL_MSG}`,
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[2].name: Duplicate value: "dup"',
      'spec.containers[3].name: Required value',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ].join(', ') + ']');
    assert.deepEqual(bad.json.details.causes.map((c: { reason: string }) => c.reason),
      ['FieldValueInvalid', 'FieldValueInvalid', 'FieldValueDuplicate', 'FieldValueRequired', 'FieldValueNotSupported']);
    assert.deepEqual(bad.json.details.causes[4], { reason: 'FieldValueNotSupported', message: 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"', field: 'spec.restartPolicy' });
  });

  it('lets an update change images but nothing else of the spec', async () => {
    await h.client.request('POST', PODS, pod('upd', { containers: [nginx({ ports: [{ containerPort: 80 }] })] }));
    const cur = (await h.client.request('GET', `${PODS}/upd`)).json;
    cur.spec.containers[0].image = 'nginx:1.27';
    const ok = await h.client.request('PUT', `${PODS}/upd`, cur);
    assert.equal(ok.status, 200);
    assert.equal(ok.json.spec.containers[0].image, 'nginx:1.27');
    ok.json.spec.containers[0].ports[0].containerPort = 8080;
    const refused = await h.client.request('PUT', `${PODS}/upd`, ok.json);
    assert.equal(refused.status, 422);
    assert.equal(refused.json.details.causes[0].field, 'spec');
    assert.equal(refused.json.details.causes[0].reason, 'FieldValueForbidden');
    assert.ok(refused.json.message.startsWith('Pod "upd" is invalid: spec: Forbidden: pod updates may not change fields other than '
      + '`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),'
      + '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n'), refused.json.message);
    assert.match(refused.json.message, /containerPort/);
    const more = structuredClone(ok.json);
    more.spec.containers.push({ name: 'extra', image: 'busybox' });
    const added = await h.client.request('PUT', `${PODS}/upd`, more);
    assert.equal(added.status, 422);
    assert.equal(added.json.message, 'Pod "upd" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers');
  });

  it('renders the Table columns and cells of upstream\'s printer, wide columns included', async () => {
    await h.client.request('POST', PODS, pod('tbl', { containers: [nginx()] }));
    const t = await h.client.request('GET', `${PODS}/tbl`, undefined, TABLE);
    assert.equal(t.status, 200);
    assert.deepEqual(t.json.columnDefinitions.map((c: { name: string; type: string; priority: number }) => [c.name, c.type, c.priority]), [
      ['Name', 'string', 0], ['Ready', 'string', 0], ['Status', 'string', 0], ['Restarts', 'string', 0], ['Age', 'string', 0],
      ['IP', 'string', 1], ['Node', 'string', 1], ['Nominated Node', 'string', 1], ['Readiness Gates', 'string', 1],
    ]);
    const [name, ready, status, restarts, age, ip, node, nominated, gates] = t.json.rows[0].cells;
    assert.deepEqual([name, ready, status, restarts, ip, node, nominated, gates], ['tbl', '0/1', 'Pending', '0', '<none>', '<none>', '<none>', '<none>']);
    assert.match(age, /^\d+s$/);
  });

  it('shows ContainerCreating, Running with restarts, and node and IP cells after status updates', async () => {
    await h.client.request('POST', PODS, pod('live', { nodeName: 'node-1', containers: [nginx()], readinessGates: [{ conditionType: 'example.com/ready' }] }));
    const cur = (await h.client.request('GET', `${PODS}/live`)).json;
    cur.status = { ...cur.status, phase: 'Pending', containerStatuses: [{ name: 'nginx', ready: false, restartCount: 0, image: 'nginx', imageID: '', state: { waiting: { reason: 'ContainerCreating' } } }] };
    const s1 = await h.client.request('PUT', `${PODS}/live/status`, cur);
    assert.equal(s1.status, 200);
    let row = (await h.client.request('GET', `${PODS}/live`, undefined, TABLE)).json.rows[0].cells;
    assert.deepEqual([row[1], row[2], row[3]], ['0/1', 'ContainerCreating', '0']);
    const finished = new Date(Date.now() - 5 * 60 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    s1.json.status = {
      ...s1.json.status, phase: 'Running', podIP: '10.1.2.3', podIPs: [{ ip: '10.1.2.3' }],
      conditions: [{ type: 'Ready', status: 'True' }, { type: 'example.com/ready', status: 'True' }],
      containerStatuses: [{ name: 'nginx', ready: true, restartCount: 2, image: 'nginx', imageID: '', state: { running: { startedAt: finished } }, lastState: { terminated: { exitCode: 1, finishedAt: finished } } }],
    };
    s1.json.spec.nodeName = 'elsewhere';
    const s2 = await h.client.request('PUT', `${PODS}/live/status`, s1.json);
    assert.equal(s2.status, 200);
    assert.equal(s2.json.spec.nodeName, 'node-1', 'a status update keeps the spec');
    row = (await h.client.request('GET', `${PODS}/live`, undefined, TABLE)).json.rows[0].cells;
    assert.deepEqual(row.slice(1, 4), ['1/1', 'Running', '2 (5m ago)']);
    assert.deepEqual(row.slice(5), ['10.1.2.3', 'node-1', '<none>', '1/1']);
  });

  it('selects pods by their upstream field selectors', async () => {
    await h.client.request('POST', '/api/v1/namespaces', { metadata: { name: 'fs' } });
    const base = '/api/v1/namespaces/fs/pods';
    await h.client.request('POST', base, pod('on-a', { nodeName: 'node-a', containers: [nginx()] }));
    await h.client.request('POST', base, pod('never', { restartPolicy: 'Never', containers: [nginx()] }));
    const names = async (sel: string) => (await h.client.request('GET', `${base}?fieldSelector=${encodeURIComponent(sel)}`)).json.items.map((p: { metadata: { name: string } }) => p.metadata.name);
    assert.deepEqual(await names('spec.nodeName=node-a'), ['on-a']);
    assert.deepEqual(await names('spec.nodeName='), ['never']);
    assert.deepEqual(await names('spec.restartPolicy=Never'), ['never']);
    assert.deepEqual(await names('status.phase=Pending,spec.schedulerName=default-scheduler'), ['never', 'on-a']);
    assert.deepEqual(await names('spec.hostNetwork=false'), ['never', 'on-a']);
    assert.deepEqual(await names('status.podIP='), ['never', 'on-a']);
    assert.deepEqual(await names('status.nominatedNodeName!='), []);
    const bad = await h.client.request('GET', `${base}?fieldSelector=spec.image%3Dnginx`);
    assert.equal(bad.status, 400);
    assert.equal(bad.json.message, 'field label not supported: spec.image');
  });

  it('deletes an unscheduled pod at once and a scheduled one gracefully', async () => {
    await h.client.request('POST', PODS, pod('unbound', { containers: [nginx()] }));
    const d1 = await h.client.request('DELETE', `${PODS}/unbound`);
    assert.equal(d1.status, 200);
    assert.equal(d1.json.kind, 'Pod');
    assert.equal((await h.client.request('GET', `${PODS}/unbound`)).status, 404);

    await h.client.request('POST', PODS, pod('bound', { nodeName: 'node-1', containers: [nginx()] }));
    const d2 = await h.client.request('DELETE', `${PODS}/bound`);
    assert.equal(d2.status, 200);
    assert.equal(d2.json.metadata.deletionGracePeriodSeconds, 30);
    assert.match(d2.json.metadata.deletionTimestamp, /Z$/);
    const still = await h.client.request('GET', `${PODS}/bound`, undefined, TABLE);
    assert.equal(still.status, 200);
    assert.equal(still.json.rows[0].cells[2], 'Terminating');
    const d3 = await h.client.request('DELETE', `${PODS}/bound`, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 });
    assert.equal(d3.status, 200);
    assert.equal((await h.client.request('GET', `${PODS}/bound`)).status, 404);

    await h.client.request('POST', PODS, pod('short', { nodeName: 'node-1', terminationGracePeriodSeconds: 5, containers: [nginx()] }));
    const d4 = await h.client.request('DELETE', `${PODS}/short`);
    assert.equal(d4.json.metadata.deletionGracePeriodSeconds, 5);
  });

  it('binds a pod to a node through the binding subresource', async () => {
    await h.client.request('POST', PODS, pod('tobind', { containers: [nginx()] }));
    const b = await h.client.request('POST', `${PODS}/tobind/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'tobind' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-7' } });
    assert.equal(b.status, 201);
    assert.equal((await h.client.request('GET', `${PODS}/tobind`)).json.spec.nodeName, 'node-7');
  });

  it('is listed in discovery with its short name, category and subresources', async () => {
    const d = (await h.client.request('GET', '/api/v1')).json.resources;
    const pods = d.find((r: { name: string }) => r.name === 'pods');
    assert.deepEqual([pods.kind, pods.singularName, pods.namespaced, pods.shortNames, pods.categories, pods.verbs],
      ['Pod', 'pod', true, ['po'], ['all'], ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']]);
    assert.ok(d.some((r: { name: string }) => r.name === 'pods/status'));
    assert.ok(d.some((r: { name: string; kind: string }) => r.name === 'pods/binding' && r.kind === 'Binding'));
  });
});
