/**
 * Imperative commands with the real kubectl 1.27, 1.29, 1.32 and 1.33 against one `tskube up`:
 * `run`, every `create <generator>` kubectl 1.32+ sends as a protobuf body (deployment, configmap,
 * secret generic|tls, namespace, serviceaccount, service clusterip, job, cronjob), `label`,
 * `annotate`, `patch` with its three types and a subresource, `scale`, `delete` and its wait, and
 * the error lines (AlreadyExists, Invalid, NotFound). What kubectl prints is compared with its
 * output against upstream v1.32, and the stored objects with what upstream stores.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../support/client.js';
import { assertTable, describeKubectlSuite } from './kubectl-harness.js';

/** The containers of a pod spec as upstream defaults them, reduced to the fields compared here. */
function containerSummary(c: any): Record<string, unknown> {
  return { name: c.name, image: c.image, imagePullPolicy: c.imagePullPolicy, command: c.command, ports: c.ports, env: c.env };
}

describeKubectlSuite('kubectl imperative commands', (h, version) => {
  const t = version.tag;
  const ns = () => h.namespace;
  const get = async (path: string) => (await h.client.request('GET', path)).json;
  const status = async (path: string) => (await h.client.request('GET', path)).status;
  const deployments = () => `/apis/apps/v1/namespaces/${ns()}/deployments`;

  it('run: a pod with labels, a port and an env var; AlreadyExists the second time', async () => {
    const r = await h.kubectl(['run', 'r1', '--image=nginx', '--labels=a=b', '--port=80', '--env=X=1']);
    assert.deepEqual(r, { stdout: 'pod/r1 created\n', stderr: '', code: 0, signal: null });
    const pod = await get(`/api/v1/namespaces/${ns()}/pods/r1`);
    assert.deepEqual(pod.metadata.labels, { a: 'b' });
    assert.deepEqual(pod.spec.containers.map(containerSummary), [{
      name: 'r1', image: 'nginx', imagePullPolicy: 'Always', command: undefined,
      ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'X', value: '1' }],
    }]);
    assert.equal(pod.spec.restartPolicy, 'Always');
    assert.equal(pod.spec.dnsPolicy, 'ClusterFirst');
    assert.equal(pod.status.phase, 'Pending');
    const again = await h.kubectl(['run', 'r1', '--image=nginx']);
    assert.deepEqual(again, { stdout: '', stderr: 'Error from server (AlreadyExists): pods "r1" already exists\n', code: 1, signal: null });
  });

  it('run --dry-run=server: reported, not stored', async () => {
    const r = await h.kubectl(['run', 'r2', '--image=nginx', '--dry-run=server']);
    assert.deepEqual(r, { stdout: 'pod/r2 created (server dry run)\n', stderr: '', code: 0, signal: null });
    assert.equal(await status(`/api/v1/namespaces/${ns()}/pods/r2`), 404);
  });

  it('create -f: a Pod without an image: the Invalid line upstream prints', async () => {
    const file = join(h.home, 'noimage.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: noimage\nspec:\n  containers:\n  - name: c\n');
    const r = await h.kubectl(['create', '-f', file]);
    assert.deepEqual(r, { stdout: '', stderr: 'The Pod "noimage" is invalid: spec.containers[0].image: Required value\n', code: 1, signal: null });
  });

  it('create deployment: the generated object; READY 0/2 without a controller', async () => {
    const r = await h.kubectl(['create', 'deployment', 'd', '--image=nginx:1.25', '--replicas=2']);
    assert.deepEqual(r, { stdout: 'deployment.apps/d created\n', stderr: '', code: 0, signal: null });
    const d = await get(`${deployments()}/d`);
    assert.deepEqual(d.metadata.labels, { app: 'd' });
    assert.equal(d.spec.replicas, 2);
    assert.deepEqual(d.spec.selector, { matchLabels: { app: 'd' } });
    assert.deepEqual(d.spec.template.metadata.labels, { app: 'd' });
    assert.deepEqual(d.spec.template.spec.containers.map(containerSummary), [{
      name: 'nginx', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent', command: undefined, ports: undefined, env: undefined,
    }]);
    assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    const table = await h.kubectl(['get', 'deployment', 'd']);
    assertTable(table.stdout, [['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], ['d', '0/2', '0', '0', '{age}']], 'get deployment d');
    const again = await h.kubectl(['create', 'deployment', 'd', '--image=nginx:1.25']);
    assert.deepEqual(again, { stdout: '', stderr: 'error: failed to create deployment: deployments.apps "d" already exists\n', code: 1, signal: null });
  });

  it('create configmap: literals and a file', async () => {
    const file = join(h.home, 'settings.ini');
    writeFileSync(file, 'level=debug\n');
    const r = await h.kubectl(['create', 'configmap', 'c', '--from-literal=a=1', '--from-literal=b=two words', `--from-file=${file}`]);
    assert.deepEqual(r, { stdout: 'configmap/c created\n', stderr: '', code: 0, signal: null });
    assert.deepEqual((await get(`/api/v1/namespaces/${ns()}/configmaps/c`)).data, { a: '1', b: 'two words', 'settings.ini': 'level=debug\n' });
  });

  it('create secret generic: base64 data, type Opaque; get shows TYPE and DATA', async () => {
    const r = await h.kubectl(['create', 'secret', 'generic', 's', '--from-literal=user=admin', '--from-literal=password=hunter2']);
    assert.deepEqual(r, { stdout: 'secret/s created\n', stderr: '', code: 0, signal: null });
    const s = await get(`/api/v1/namespaces/${ns()}/secrets/s`);
    assert.equal(s.type, 'Opaque');
    assert.deepEqual(s.data, { password: Buffer.from('hunter2').toString('base64'), user: Buffer.from('admin').toString('base64') });
    const table = await h.kubectl(['get', 'secret', 's']);
    assertTable(table.stdout, [['NAME', 'TYPE', 'DATA', 'AGE'], ['s', 'Opaque', '2', '{age}']], 'get secret s');
    const decoded = await h.kubectl(['get', 'secret', 's', '-o', 'jsonpath={.data.password}']);
    assert.equal(Buffer.from(decoded.stdout, 'base64').toString(), 'hunter2');
  });

  it('create secret tls: kubernetes.io/tls with tls.crt and tls.key', async () => {
    const pki = join(h.server.dataDir, 'pki');
    const r = await h.kubectl(['create', 'secret', 'tls', 'tls1', `--cert=${join(pki, 'admin.crt')}`, `--key=${join(pki, 'admin.key')}`]);
    assert.deepEqual(r, { stdout: 'secret/tls1 created\n', stderr: '', code: 0, signal: null });
    const s = await get(`/api/v1/namespaces/${ns()}/secrets/tls1`);
    assert.equal(s.type, 'kubernetes.io/tls');
    assert.equal(Buffer.from(s.data['tls.crt'], 'base64').toString(), readFileSync(join(pki, 'admin.crt'), 'utf8'));
    assert.equal(Buffer.from(s.data['tls.key'], 'base64').toString(), readFileSync(join(pki, 'admin.key'), 'utf8'));
    const table = await h.kubectl(['get', 'secret', 'tls1']);
    assertTable(table.stdout, [['NAME', 'TYPE', 'DATA', 'AGE'], ['tls1', 'kubernetes.io/tls', '2', '{age}']], 'get secret tls1');
  });

  it('create namespace: Active, with its kubernetes finalizer and name label', async () => {
    const name = `made-${t}`;
    const r = await h.kubectl(['create', 'namespace', name]);
    assert.deepEqual(r, { stdout: `namespace/${name} created\n`, stderr: '', code: 0, signal: null });
    const got = await get(`/api/v1/namespaces/${name}`);
    assert.deepEqual(got.metadata.labels, { 'kubernetes.io/metadata.name': name });
    assert.deepEqual(got.spec, { finalizers: ['kubernetes'] });
    const table = await h.kubectl(['get', 'namespace', name]);
    assertTable(table.stdout, [['NAME', 'STATUS', 'AGE'], [name, 'Active', '{age}']], 'get namespace');
  });

  it('create serviceaccount: SECRETS 0 (no token secrets since 1.24)', async () => {
    const r = await h.kubectl(['create', 'serviceaccount', 'sa1']);
    assert.deepEqual(r, { stdout: 'serviceaccount/sa1 created\n', stderr: '', code: 0, signal: null });
    assert.equal((await get(`/api/v1/namespaces/${ns()}/serviceaccounts/sa1`)).metadata.name, 'sa1');
    const table = await h.kubectl(['get', 'sa', 'sa1']);
    assertTable(table.stdout, [['NAME', 'SECRETS', 'AGE'], ['sa1', '0', '{age}']], 'get sa sa1');
  });

  it('create service clusterip: a ClusterIP allocated from the service range; headless with --clusterip=None', async () => {
    const r = await h.kubectl(['create', 'service', 'clusterip', 'svc1', '--tcp=80:8080']);
    assert.deepEqual(r, { stdout: 'service/svc1 created\n', stderr: '', code: 0, signal: null });
    const svc = await get(`/api/v1/namespaces/${ns()}/services/svc1`);
    assert.deepEqual(svc.spec.ports, [{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 }]);
    assert.deepEqual(svc.spec.selector, { app: 'svc1' });
    assert.equal(svc.spec.type, 'ClusterIP');
    assert.equal(svc.spec.sessionAffinity, 'None');
    assert.deepEqual(svc.spec.ipFamilies, ['IPv4']);
    assert.equal(svc.spec.ipFamilyPolicy, 'SingleStack');
    assert.deepEqual(svc.spec.clusterIPs, [svc.spec.clusterIP]);
    // The default service range, 10.96.0.0/12 (10.96.0.1 belongs to the kubernetes service).
    const [a, b] = String(svc.spec.clusterIP).split('.').map(Number);
    assert.ok(a === 10 && b >= 96 && b <= 111 && svc.spec.clusterIP !== '10.96.0.1', `clusterIP ${svc.spec.clusterIP}`);
    const table = await h.kubectl(['get', 'svc', 'svc1']);
    assertTable(table.stdout, [
      ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
      ['svc1', 'ClusterIP', svc.spec.clusterIP, '<none>', '80/TCP', '{age}'],
    ], 'get svc svc1');
    const wide = await h.kubectl(['get', 'svc', 'svc1', '-o', 'wide']);
    assertTable(wide.stdout, [
      ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR'],
      ['svc1', 'ClusterIP', svc.spec.clusterIP, '<none>', '80/TCP', '{age}', 'app=svc1'],
    ], 'get svc svc1 -o wide');
    const headless = await h.kubectl(['create', 'service', 'clusterip', 'headless', '--clusterip=None']);
    assert.deepEqual(headless, { stdout: 'service/headless created\n', stderr: '', code: 0, signal: null });
    const htable = await h.kubectl(['get', 'svc', 'headless']);
    assertTable(htable.stdout, [
      ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
      ['headless', 'ClusterIP', 'None', '<none>', '<none>', '{age}'],
    ], 'get svc headless');
  });

  it('create job: the command after --, restartPolicy Never; STATUS Running, COMPLETIONS 0/1', async () => {
    const r = await h.kubectl(['create', 'job', 'j', '--image=busybox:1.36', '--', 'echo', 'hi']);
    assert.deepEqual(r, { stdout: 'job.batch/j created\n', stderr: '', code: 0, signal: null });
    const job = await get(`/apis/batch/v1/namespaces/${ns()}/jobs/j`);
    assert.deepEqual(job.spec.template.spec.containers.map(containerSummary), [{
      name: 'j', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', command: ['echo', 'hi'], ports: undefined, env: undefined,
    }]);
    assert.equal(job.spec.template.spec.restartPolicy, 'Never');
    assert.equal(job.spec.backoffLimit, 6);
    assert.equal(job.spec.completions, 1);
    assert.equal(job.spec.parallelism, 1);
    // The selector and the pod labels the server generates from the job's uid.
    assert.deepEqual(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': job.metadata.uid } });
    assert.equal(job.spec.template.metadata.labels['batch.kubernetes.io/job-name'], 'j');
    assert.equal(job.spec.template.metadata.labels['job-name'], 'j');
    const table = await h.kubectl(['get', 'job', 'j']);
    assertTable(table.stdout, [['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'], ['j', 'Running', '0/1', '', '{age}']], 'get job j');
  });

  it('create cronjob: schedule and job template; TIMEZONE <none>, SUSPEND False', async () => {
    const r = await h.kubectl(['create', 'cronjob', 'cj', '--image=busybox:1.36', '--schedule=*/5 * * * *', '--', 'echo', 'hi']);
    assert.deepEqual(r, { stdout: 'cronjob.batch/cj created\n', stderr: '', code: 0, signal: null });
    const cj = await get(`/apis/batch/v1/namespaces/${ns()}/cronjobs/cj`);
    assert.equal(cj.spec.schedule, '*/5 * * * *');
    assert.equal(cj.spec.concurrencyPolicy, 'Allow');
    assert.equal(cj.spec.suspend, false);
    assert.equal(cj.spec.successfulJobsHistoryLimit, 3);
    assert.equal(cj.spec.failedJobsHistoryLimit, 1);
    assert.deepEqual(cj.spec.jobTemplate.spec.template.spec.containers[0].command, ['echo', 'hi']);
    assert.equal(cj.spec.jobTemplate.spec.template.spec.restartPolicy, 'OnFailure');
    const table = await h.kubectl(['get', 'cronjob', 'cj']);
    assertTable(table.stdout, [
      ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'],
      ['cj', '*/5 * * * *', '<none>', 'False', '0', '<none>', '{age}'],
    ], 'get cronjob cj');
  });

  it('label and annotate: add, refuse to overwrite, --overwrite, remove', async () => {
    // kubectl 1.27 prints the operation of annotate as "annotate".
    const annotated = version.minor === '1.27' ? 'deployment.apps/lab annotate\n' : 'deployment.apps/lab annotated\n';
    const created = await h.kubectl(['create', 'deployment', 'lab', '--image=nginx:1.25']);
    assert.equal(created.code, 0, created.stderr);
    assert.deepEqual(await h.kubectl(['label', 'deploy', 'lab', 'env=prod']), { stdout: 'deployment.apps/lab labeled\n', stderr: '', code: 0, signal: null });
    assert.deepEqual(await h.kubectl(['label', 'deploy', 'lab', 'env=dev']), {
      stdout: '', stderr: "error: 'env' already has a value (prod), and --overwrite is false\n", code: 1, signal: null,
    });
    assert.deepEqual(await h.kubectl(['label', 'deploy', 'lab', 'env=dev', '--overwrite']), { stdout: 'deployment.apps/lab labeled\n', stderr: '', code: 0, signal: null });
    assert.deepEqual((await get(`${deployments()}/lab`)).metadata.labels, { app: 'lab', env: 'dev' });
    assert.deepEqual(await h.kubectl(['label', 'deploy', 'lab', 'env-']), { stdout: 'deployment.apps/lab unlabeled\n', stderr: '', code: 0, signal: null });
    assert.deepEqual((await get(`${deployments()}/lab`)).metadata.labels, { app: 'lab' });

    assert.deepEqual(await h.kubectl(['annotate', 'deploy', 'lab', 'note=hello world']), { stdout: annotated, stderr: '', code: 0, signal: null });
    assert.deepEqual((await get(`${deployments()}/lab`)).metadata.annotations, { note: 'hello world' });
    assert.deepEqual(await h.kubectl(['annotate', 'deploy', 'lab', 'note=again']), {
      stdout: '', stderr: "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (hello world)\n", code: 1, signal: null,
    });
    assert.deepEqual(await h.kubectl(['annotate', 'deploy', 'lab', 'note-']), { stdout: annotated, stderr: '', code: 0, signal: null });
    const after = (await get(`${deployments()}/lab`)).metadata.annotations;
    assert.ok(after === undefined || Object.keys(after).length === 0, `annotations left: ${JSON.stringify(after)}`);
    // A label on every deployment matching a selector.
    assert.deepEqual(await h.kubectl(['label', 'deploy', '-l', 'app=lab', 'picked=yes']), { stdout: 'deployment.apps/lab labeled\n', stderr: '', code: 0, signal: null });
  });

  it('patch: strategic merge keeps the other containers, merge patch replaces the list, JSON patch, (no change), Invalid', async () => {
    const body = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'pd', labels: { app: 'pd' } },
      spec: { replicas: 2, selector: { matchLabels: { app: 'pd' } }, template: { metadata: { labels: { app: 'pd' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }, { name: 'sidecar', image: 'busybox:1.36' }] } } },
    };
    assert.equal((await h.client.request('POST', deployments(), body)).status, 201);
    const images = async () => (await get(`${deployments()}/pd`)).spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`);

    const smp = await h.kubectl(['patch', 'deploy', 'pd', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.26"}]}}}}']);
    assert.deepEqual(smp, { stdout: 'deployment.apps/pd patched\n', stderr: '', code: 0, signal: null });
    assert.deepEqual(await images(), ['web=nginx:1.26', 'sidecar=busybox:1.36']);

    const merge = await h.kubectl(['patch', 'deploy', 'pd', '--type=merge', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}']);
    assert.deepEqual(merge, { stdout: 'deployment.apps/pd patched\n', stderr: '', code: 0, signal: null });
    assert.deepEqual(await images(), ['web=nginx:1.27']);

    const json = await h.kubectl(['patch', 'deploy', 'pd', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":1},{"op":"add","path":"/metadata/labels/patched","value":"json"}]']);
    assert.deepEqual(json, { stdout: 'deployment.apps/pd patched\n', stderr: '', code: 0, signal: null });
    const d = await get(`${deployments()}/pd`);
    assert.equal(d.spec.replicas, 1);
    assert.deepEqual(d.metadata.labels, { app: 'pd', patched: 'json' });

    const same = await h.kubectl(['patch', 'deploy', 'pd', '--type=merge', '-p', '{"spec":{"replicas":1}}']);
    assert.deepEqual(same, { stdout: 'deployment.apps/pd patched (no change)\n', stderr: '', code: 0, signal: null });
    assert.equal((await get(`${deployments()}/pd`)).metadata.resourceVersion, d.metadata.resourceVersion);

    const invalid = await h.kubectl(['patch', 'deploy', 'pd', '--type=merge', '-p', '{"spec":{"replicas":-1}}']);
    assert.deepEqual(invalid, {
      stdout: '', stderr: 'The Deployment "pd" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n', code: 1, signal: null,
    });
    const missing = await h.kubectl(['patch', 'deploy', 'nope', '-p', '{"spec":{"replicas":1}}']);
    assert.deepEqual(missing, { stdout: '', stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n', code: 1, signal: null });
  });

  it('patch --subresource=scale: the Scale object is patched', async () => {
    assert.equal((await h.kubectl(['create', 'deployment', 'sub', '--image=nginx:1.25'])).code, 0);
    const r = await h.kubectl(['patch', 'deploy', 'sub', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":4}}']);
    assert.deepEqual(r, { stdout: 'scale.autoscaling/sub patched\n', stderr: '', code: 0, signal: null });
    assert.equal((await get(`${deployments()}/sub`)).spec.replicas, 4);
    const scale = await h.kubectl(['get', 'deploy', 'sub', '--subresource=scale', '-o', 'jsonpath={.kind} {.apiVersion} {.spec.replicas} {.status.selector}']);
    assert.deepEqual(scale, { stdout: 'Scale autoscaling/v1 4 app=sub', stderr: '', code: 0, signal: null });
  });

  it('set image: one container of a deployment changes, the other stays', async () => {
    const body = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'si', labels: { app: 'si' } },
      spec: { replicas: 1, selector: { matchLabels: { app: 'si' } }, template: { metadata: { labels: { app: 'si' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }, { name: 'sidecar', image: 'busybox:1.36' }] } } },
    };
    assert.equal((await h.client.request('POST', deployments(), body)).status, 201);
    const r = await h.kubectl(['set', 'image', 'deployment/si', 'web=nginx:1.27']);
    assert.deepEqual(r, { stdout: 'deployment.apps/si image updated\n', stderr: '', code: 0, signal: null });
    const d = await get(`${deployments()}/si`);
    assert.deepEqual(d.spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`), ['web=nginx:1.27', 'sidecar=busybox:1.36']);
    const missing = await h.kubectl(['set', 'image', 'deployment/si', 'nope=nginx:1.27']);
    assert.deepEqual(missing, { stdout: '', stderr: 'error: unable to find container named "nope"\n', code: 1, signal: null });
  });

  it('expose deployment: a ClusterIP service selecting the deployment\'s pods', async () => {
    assert.equal((await h.kubectl(['create', 'deployment', 'ex', '--image=nginx:1.25'])).code, 0);
    const r = await h.kubectl(['expose', 'deployment', 'ex', '--port=80', '--target-port=8080']);
    assert.deepEqual(r, { stdout: 'service/ex exposed\n', stderr: '', code: 0, signal: null });
    const svc = await get(`/api/v1/namespaces/${ns()}/services/ex`);
    assert.deepEqual(svc.spec.selector, { app: 'ex' });
    assert.deepEqual(svc.spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 8080 }]);
    assert.deepEqual(svc.metadata.labels, { app: 'ex' });
    const table = await h.kubectl(['get', 'svc', 'ex']);
    assertTable(table.stdout, [
      ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
      ['ex', 'ClusterIP', svc.spec.clusterIP, '<none>', '80/TCP', '{age}'],
    ], 'get svc ex');
  });

  it('scale deployment: scaled; a failed --current-replicas precondition; NotFound', async () => {
    assert.equal((await h.kubectl(['create', 'deployment', 'sc', '--image=nginx:1.25', '--replicas=1'])).code, 0);
    const r = await h.kubectl(['scale', 'deployment', 'sc', '--replicas=3']);
    assert.deepEqual(r, { stdout: 'deployment.apps/sc scaled\n', stderr: '', code: 0, signal: null });
    const d = await get(`${deployments()}/sc`);
    assert.equal(d.spec.replicas, 3);
    assert.equal(d.metadata.generation, 2);
    const table = await h.kubectl(['get', 'deploy', 'sc']);
    assertTable(table.stdout, [['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], ['sc', '0/3', '0', '0', '{age}']], 'get deploy sc');
    const pre = await h.kubectl(['scale', 'deployment', 'sc', '--current-replicas=2', '--replicas=5']);
    assert.deepEqual(pre, { stdout: '', stderr: 'error: Expected replicas to be 2, was 3\n', code: 1, signal: null });
    const ok = await h.kubectl(['scale', 'deployment', 'sc', '--current-replicas=3', '--replicas=5']);
    assert.deepEqual(ok, { stdout: 'deployment.apps/sc scaled\n', stderr: '', code: 0, signal: null });
    assert.equal((await get(`${deployments()}/sc`)).spec.replicas, 5);
    // kubectl reports a missing object as "no objects"; 1.32 and later add the server's message.
    const missing = await h.kubectl(['scale', 'deployment', 'nope', '--replicas=2']);
    const noObjects = Number(version.minor.split('.')[1]) >= 32 ? 'error: no objects passed to scale deployments.apps "nope" not found\n' : 'error: no objects passed to scale\n';
    assert.deepEqual(missing, { stdout: '', stderr: noObjects, code: 1, signal: null });
  });

  it('delete: waits until a finalizer is gone; --wait=false returns at once; NotFound', async () => {
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, finalizers: ['example.com/hold'] }, data: { a: 'b' } });
    const path = (name: string) => `/api/v1/namespaces/${ns()}/configmaps/${name}`;
    assert.equal((await h.client.request('POST', `/api/v1/namespaces/${ns()}/configmaps`, cm('held'))).status, 201);
    const run = h.startKubectl(['delete', 'configmap', 'held']);
    let settled = false;
    run.done.then(() => { settled = true; }, () => { settled = true; });
    await eventually(async () => (await get(path('held')))?.metadata?.deletionTimestamp !== undefined, 10_000, 'the deletionTimestamp');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(settled, false, 'kubectl delete must wait while the finalizer holds the object');
    const release = await h.client.request('PATCH', path('held'), { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(release.status, 200, release.text);
    const r = await run.done;
    assert.deepEqual(r, { stdout: 'configmap "held" deleted\n', stderr: '', code: 0, signal: null });
    assert.equal(await status(path('held')), 404);

    assert.equal((await h.client.request('POST', `/api/v1/namespaces/${ns()}/configmaps`, cm('held2'))).status, 201);
    const nowait = await h.kubectl(['delete', 'configmap', 'held2', '--wait=false']);
    assert.deepEqual(nowait, { stdout: 'configmap "held2" deleted\n', stderr: '', code: 0, signal: null });
    const terminating = await get(path('held2'));
    assert.match(terminating.metadata.deletionTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal((await h.client.request('PATCH', path('held2'), { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' })).status, 200);

    const missing = await h.kubectl(['delete', 'pod', 'nope']);
    assert.deepEqual(missing, { stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n', code: 1, signal: null });
    const ignored = await h.kubectl(['delete', 'pod', 'nope', '--ignore-not-found']);
    assert.deepEqual(ignored, { stdout: '', stderr: '', code: 0, signal: null });
  });

  it('delete -l: every matching object, one line each', async () => {
    for (const name of ['dl-a', 'dl-b']) {
      assert.equal((await h.client.request('POST', `/api/v1/namespaces/${ns()}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { batch: 'dl' } } })).status, 201);
    }
    const r = await h.kubectl(['delete', 'cm', '-l', 'batch=dl']);
    assert.deepEqual(r, { stdout: 'configmap "dl-a" deleted\nconfigmap "dl-b" deleted\n', stderr: '', code: 0, signal: null });
    const none = await h.kubectl(['delete', 'cm', '-l', 'batch=dl']);
    assert.deepEqual(none, { stdout: 'No resources found\n', stderr: '', code: 0, signal: null });
  });

  it('-v 6: one log line per round trip, with method, URL, status and duration', async () => {
    assert.equal((await h.kubectl(['create', 'deployment', 'verbose', '--image=nginx:1.25'])).code, 0);
    const r = await h.kubectl(['get', 'deploy', 'verbose', '-v', '6']);
    assert.equal(r.code, 0);
    const base = `https://127.0.0.1:${h.server.port}`;
    const url = `${base}/apis/apps/v1/namespaces/${ns()}/deployments/verbose`;
    const klog = '[IW]\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} +\\d+ ';
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const lines = r.stderr.trimEnd().split('\n').filter((l) => !/ envvar\.go:\d+\] "Feature gate default state"/.test(l));
    assert.match(lines[0], new RegExp(`^${klog}loader\\.go:\\d+\\] Config loaded from file: +${esc(h.kubeconfig)}$`), r.stderr);
    const roundTrip = version.minor === '1.33'
      ? new RegExp(`^${klog}round_trippers\\.go:\\d+\\] "Response" verb="GET" url="${esc(url)}" status="200 OK" milliseconds=\\d+$`)
      : new RegExp(`^${klog}round_trippers\\.go:\\d+\\] GET ${esc(url)} 200 OK in \\d+ milliseconds$`);
    assert.deepEqual(lines.slice(1).map((l) => roundTrip.test(l)), [true], r.stderr);
    assertTable(r.stdout, [['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], ['verbose', '0/1', '0', '0', '{age}']], 'get -v 6');

    // delete at -v 6: the DELETE, then the GET of the wait, which finds the object gone.
    const del = await h.kubectl(['delete', 'deploy', 'verbose', '-v', '6']);
    assert.equal(del.stdout, 'deployment.apps "verbose" deleted\n');
    const calls = del.stderr.split('\n').filter((l) => l.includes('round_trippers.go')).map((l) => {
      const m = /\] (?:"Response" verb="(\w+)" url="([^"]+)" status="([^"]+)"|(\w+) (\S+) (.+?) in \d+ milliseconds)/.exec(l);
      assert.ok(m, l);
      return `${m[1] ?? m[4]} ${(m[2] ?? m[5]).slice(base.length)} ${m[3] ?? m[6]}`;
    });
    assert.deepEqual(calls, [
      `DELETE /apis/apps/v1/namespaces/${ns()}/deployments/verbose 200 OK`,
      `GET /apis/apps/v1/namespaces/${ns()}/deployments/verbose 404 Not Found`,
    ], del.stderr);
  });
}, { command: 'server' });
