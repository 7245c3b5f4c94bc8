/**
 * Manifest-driven writes with the real kubectl 1.27, 1.29, 1.32 and 1.33 against one `tskube up`:
 * `create -f` (and its errors: AlreadyExists, strict decoding, a type error, --validate=warn|false),
 * client-side `apply -f` three times on a Deployment, server-side apply with a conflict between two
 * managers and `--force-conflicts`, `diff` and its exit codes, `replace` and the 409 of a stale
 * resourceVersion, `edit` through a scripted EDITOR, and `--dry-run=server`. Outputs are compared
 * with what kubectl prints against upstream v1.32.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeKubectlSuite, templateRegex, type Harness } from './kubectl-harness.js';

/** Recursively sorts object keys, as Go's encoding/json writes maps. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

/** Writes `text` to `<home>/<name>` and returns the path. */
function manifest(h: Harness, name: string, text: string): string {
  const file = join(h.home, name);
  writeFileSync(file, text);
  return file;
}

/** A Deployment manifest (YAML) named `name` with the given replicas and container lines. */
function deploymentYaml(name: string, replicas: number, containers: string, extraSpec = ''): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  labels:',
    `    app: ${name}`,
    'spec:',
    `  replicas: ${replicas}`,
    '  selector:',
    '    matchLabels:',
    `      app: ${name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${name}`,
    '    spec:',
    '      containers:',
    containers + extraSpec,
  ].join('\n');
}

const ONE_CONTAINER = '      - name: web\n        image: nginx:1.25\n';

describeKubectlSuite('kubectl apply, create -f, diff, replace, edit', (h) => {
  const ns = () => h.namespace;
  const get = async (path: string) => (await h.client.request('GET', path)).json;
  const deploymentPath = (name: string) => `/apis/apps/v1/namespaces/${ns()}/deployments/${name}`;

  it('create -f: created, then AlreadyExists with the file named', async () => {
    const file = manifest(h, 'made.yaml', deploymentYaml('made', 1, ONE_CONTAINER));
    const r = await h.kubectl(['create', '-f', file]);
    assert.deepEqual(r, { stdout: 'deployment.apps/made created\n', stderr: '', code: 0, signal: null });
    const stored = await get(deploymentPath('made'));
    assert.equal(stored.spec.template.spec.containers[0].image, 'nginx:1.25');
    const again = await h.kubectl(['create', '-f', file]);
    assert.deepEqual(again, {
      stdout: '',
      stderr: `Error from server (AlreadyExists): error when creating "${file}": deployments.apps "made" already exists\n`,
      code: 1,
      signal: null,
    });
    // The creator is recorded as the field manager kubectl names itself.
    assert.equal(stored.metadata.managedFields?.[0]?.manager, 'kubectl-create', `managedFields: ${JSON.stringify(stored.metadata.managedFields)}`);
  });

  it('create -f: a file of several documents, one line per object, in file order', async () => {
    const file = manifest(h, 'multi.yaml', [
      deploymentYaml('multi', 1, ONE_CONTAINER),
      '---',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: multi\nspec:\n  selector:\n    app: multi\n  ports:\n  - port: 80\n',
      '---',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: multi\ndata:\n  k: v\n',
    ].join('\n'));
    const r = await h.kubectl(['create', '-f', file]);
    assert.deepEqual(r, { stdout: 'deployment.apps/multi created\nservice/multi created\nconfigmap/multi created\n', stderr: '', code: 0, signal: null });
    const del = await h.kubectl(['delete', '-f', file]);
    assert.deepEqual(del, { stdout: 'deployment.apps "multi" deleted\nservice "multi" deleted\nconfigmap "multi" deleted\n', stderr: '', code: 0, signal: null });
  });

  it('create -f: an unknown field refused under strict validation', async () => {
    const file = manifest(h, 'strict.yaml', deploymentYaml('strict', 1, ONE_CONTAINER, '  bogus: 1\n'));
    const r = await h.kubectl(['create', '-f', file]);
    assert.deepEqual(r, {
      stdout: '',
      stderr: `Error from server (BadRequest): error when creating "${file}": strict decoding error: unknown field "spec.bogus"\n`,
      code: 1,
      signal: null,
    });
    assert.equal((await h.client.request('GET', deploymentPath('strict'))).status, 404);
  });

  it('create -f: a value of the wrong type: the decoding error upstream gives', async () => {
    const file = manifest(h, 'typed.yaml', deploymentYaml('typed', 1, ONE_CONTAINER).replace('replicas: 1', 'replicas: "two"'));
    const r = await h.kubectl(['create', '-f', file]);
    assert.deepEqual(r, {
      stdout: '',
      stderr: `Error from server (BadRequest): error when creating "${file}": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32\n`,
      code: 1,
      signal: null,
    });
  });

  it('create -f --validate=warn|false: unknown fields warned about or ignored, then dropped', async () => {
    const warn = manifest(h, 'warned.yaml', deploymentYaml('warned', 1, ONE_CONTAINER, '  bogus: 1\n'));
    const r = await h.kubectl(['create', '-f', warn, '--validate=warn']);
    assert.deepEqual(r, { stdout: 'deployment.apps/warned created\n', stderr: 'Warning: unknown field "spec.bogus"\n', code: 0, signal: null });
    const ignored = manifest(h, 'ignored.yaml', deploymentYaml('ignored', 1, ONE_CONTAINER, '  bogus: 1\n'));
    const q = await h.kubectl(['create', '-f', ignored, '--validate=false']);
    assert.deepEqual(q, { stdout: 'deployment.apps/ignored created\n', stderr: '', code: 0, signal: null });
    assert.equal((await get(deploymentPath('ignored'))).spec.bogus, undefined);
  });

  it('create -f: an invalid Deployment: the field errors upstream reports', async () => {
    const file = manifest(h, 'invalid.yaml', deploymentYaml('invalid', 1, '      - name: web\n').replace('        app: invalid\n    spec:', '        app: other\n    spec:'));
    const r = await h.kubectl(['create', '-f', file]);
    assert.deepEqual(r, {
      stdout: '',
      stderr: 'The Deployment "invalid" is invalid: \n'
        + '* spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`\n'
        + '* spec.template.spec.containers[0].image: Required value\n',
      code: 1,
      signal: null,
    });
  });

  it('apply -f: created, unchanged, then configured — removals applied, out-of-band changes kept', async () => {
    const v1 = deploymentYaml('shop', 2, [
      '      - name: web',
      '        image: nginx:1.25',
      '        env:',
      '        - name: A',
      '          value: "1"',
      '        - name: B',
      '          value: "2"',
      '      - name: sidecar',
      '        image: busybox:1.36',
      '',
    ].join('\n'));
    const file = manifest(h, 'shop.yaml', v1);
    assert.deepEqual(await h.kubectl(['apply', '-f', file]), { stdout: 'deployment.apps/shop created\n', stderr: '', code: 0, signal: null });
    assert.deepEqual(await h.kubectl(['apply', '-f', file]), { stdout: 'deployment.apps/shop unchanged\n', stderr: '', code: 0, signal: null });
    // Out-of-band changes: a label, and a scale.
    assert.deepEqual(await h.kubectl(['label', 'deployment', 'shop', 'team=blue']), { stdout: 'deployment.apps/shop labeled\n', stderr: '', code: 0, signal: null });
    assert.deepEqual(await h.kubectl(['scale', 'deployment', 'shop', '--replicas=5']), { stdout: 'deployment.apps/shop scaled\n', stderr: '', code: 0, signal: null });
    // The sidecar and env B leave the manifest.
    writeFileSync(file, deploymentYaml('shop', 2, '      - name: web\n        image: nginx:1.25\n        env:\n        - name: A\n          value: "1"\n'));
    const third = await h.kubectl(['apply', '-f', file]);
    assert.deepEqual(third, { stdout: 'deployment.apps/shop configured\n', stderr: '', code: 0, signal: null });
    const stored = await get(deploymentPath('shop'));
    assert.deepEqual(stored.spec.template.spec.containers.map((c: any) => c.name), ['web']);
    assert.deepEqual(stored.spec.template.spec.containers[0].env, [{ name: 'A', value: '1' }]);
    assert.deepEqual(stored.metadata.labels, { app: 'shop', team: 'blue' });
    // The manifest still sets replicas: the patch (live → manifest) puts the out-of-band scale
    // back to 2, while the label the manifest never had stays.
    assert.equal(stored.spec.replicas, 2);
    assert.equal(stored.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], `${JSON.stringify(sortKeys({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { annotations: {}, labels: { app: 'shop' }, name: 'shop', namespace: ns() },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'shop' } },
        template: { metadata: { labels: { app: 'shop' } }, spec: { containers: [{ env: [{ name: 'A', value: '1' }], image: 'nginx:1.25', name: 'web' }] } },
      },
    }))}\n`);
    assert.equal(stored.metadata.generation, 3, 'the scale and the third apply each changed the spec');
  });

  it('apply --server-side: applied, a conflict between two managers, then --force-conflicts', async () => {
    const file = manifest(h, 'ssa.yaml', deploymentYaml('ssa', 2, ONE_CONTAINER));
    const r = await h.kubectl(['apply', '--server-side', '-f', file]);
    assert.deepEqual(r, { stdout: 'deployment.apps/ssa serverside-applied\n', stderr: '', code: 0, signal: null });
    const other = manifest(h, 'ssa-other.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ssa\nspec:\n  replicas: 3\n');
    const conflict = await h.kubectl(['apply', '--server-side', '--field-manager=other', '-f', other]);
    assert.deepEqual(conflict, {
      stdout: '',
      stderr: [
        'error: Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas',
        'Please review the fields above--they currently have other managers. Here',
        'are the ways you can resolve this warning:',
        '* If you intend to manage all of these fields, please re-run the apply',
        '  command with the `--force-conflicts` flag.',
        '* If you do not intend to manage all of the fields, please edit your',
        '  manifest to remove references to the fields that should keep their',
        '  current managers.',
        '* You may co-own fields by updating your manifest to match the existing',
        '  value; in this case, you\'ll become the manager if the other manager(s)',
        '  stop managing the field (remove it from their configuration).',
        'See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts',
        '',
      ].join('\n'),
      code: 1,
      signal: null,
    });
    assert.equal((await get(deploymentPath('ssa'))).spec.replicas, 2);
    const forced = await h.kubectl(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', other]);
    assert.deepEqual(forced, { stdout: 'deployment.apps/ssa serverside-applied\n', stderr: '', code: 0, signal: null });
    const stored = await get(deploymentPath('ssa'));
    assert.equal(stored.spec.replicas, 3);
    const managers = (stored.metadata.managedFields as any[]).map((e) => `${e.manager}/${e.operation}`).sort();
    assert.deepEqual(managers, ['kubectl/Apply', 'other/Apply']);
    const owned = (manager: string) => (stored.metadata.managedFields as any[]).find((e) => e.manager === manager).fieldsV1;
    assert.deepEqual(owned('other'), { 'f:spec': { 'f:replicas': {} } });
    assert.equal(owned('kubectl')['f:spec']['f:replicas'], undefined, 'the forced field changed hands');
  });

  it('apply --server-side: a conflict with a client-side-apply manager; kubectl itself takes the fields over', async () => {
    const file = manifest(h, 'csa.yaml', deploymentYaml('csa', 2, ONE_CONTAINER));
    assert.equal((await h.kubectl(['apply', '-f', file])).stdout, 'deployment.apps/csa created\n');
    writeFileSync(file, deploymentYaml('csa', 4, ONE_CONTAINER));
    const r = await h.kubectl(['apply', '--server-side', '--field-manager=other', '-f', file]);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.split('\n')[0], 'error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    assert.equal(r.code, 1);
    // Under the manager "kubectl", fields whose live value still matches the last-applied
    // annotation change hands without a conflict (upstream's upgrade from client-side apply).
    const upgraded = await h.kubectl(['apply', '--server-side', '-f', file]);
    assert.deepEqual(upgraded, { stdout: 'deployment.apps/csa serverside-applied\n', stderr: '', code: 0, signal: null });
    assert.equal((await get(deploymentPath('csa'))).spec.replicas, 4);
  });

  it('diff: exit code 0 without changes, 1 with the unified diff of live and merged', async () => {
    const file = manifest(h, 'cfgdiff.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfgdiff\ndata:\n  a: "1"\n');
    assert.equal((await h.kubectl(['apply', '-f', file])).code, 0);
    const same = await h.kubectl(['diff', '-f', file]);
    assert.deepEqual(same, { stdout: '', stderr: '', code: 0, signal: null });
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfgdiff\ndata:\n  a: "2"\n');
    const r = await h.kubectl(['diff', '-f', file]);
    const lastApplied = (a: string) => `{"apiVersion":"v1","data":{"a":"${a}"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"cfgdiff","namespace":"${ns()}"}}`;
    const obj = `v1.ConfigMap.${ns()}.cfgdiff`;
    const lines = r.stdout.split('\n');
    assert.match(lines[0], new RegExp(`^diff -u -N /tmp/LIVE-\\d+/${obj} /tmp/MERGED-\\d+/${obj}$`), r.stdout);
    assert.match(lines[1], new RegExp(`^--- /tmp/LIVE-\\d+/${obj}\\t\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+ \\+0000$`));
    assert.match(lines[2], new RegExp(`^\\+\\+\\+ /tmp/MERGED-\\d+/${obj}\\t\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+ \\+0000$`));
    // The merged object is the dry-run patch of the manifest without a new last-applied
    // annotation (kubectl diff does not annotate), so only the data changes.
    assert.equal(lines.slice(3).join('\n'), [
      '@@ -1,6 +1,6 @@',
      ' apiVersion: v1',
      ' data:',
      '-  a: "1"',
      '+  a: "2"',
      ' kind: ConfigMap',
      ' metadata:',
      '   annotations:',
      '',
    ].join('\n'));
    const live = await get(`/api/v1/namespaces/${ns()}/configmaps/cfgdiff`);
    assert.equal(live.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], `${lastApplied('1')}\n`);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 1);
    // The dry run changed nothing.
    assert.deepEqual((await get(`/api/v1/namespaces/${ns()}/configmaps/cfgdiff`)).data, { a: '1' });
  });

  it('diff: a new object is all additions; a changed Deployment shows its new image and generation', async () => {
    const file = manifest(h, 'newcm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: newcm\ndata:\n  a: "1"\n');
    const r = await h.kubectl(['diff', '-f', file]);
    assert.match(r.stdout.split('\n').slice(3).join('\n'), templateRegex([
      '@@ -0,0 +1,9 @@',
      '+apiVersion: v1',
      '+data:',
      '+  a: "1"',
      '+kind: ConfigMap',
      '+metadata:',
      '+  creationTimestamp: "{ts}"',
      '+  name: newcm',
      `+  namespace: ${ns()}`,
      '+  uid: {uid}',
    ]), r.stdout);
    assert.equal(r.code, 1);
    assert.equal((await h.client.request('GET', `/api/v1/namespaces/${ns()}/configmaps/newcm`)).status, 404);

    const dep = manifest(h, 'diffdep.yaml', deploymentYaml('diffdep', 1, ONE_CONTAINER));
    assert.equal((await h.kubectl(['apply', '-f', dep])).code, 0);
    writeFileSync(dep, deploymentYaml('diffdep', 1, '      - name: web\n        image: nginx:1.26\n'));
    const d = await h.kubectl(['diff', '-f', dep]);
    assert.equal(d.code, 1, d.stderr);
    assert.ok(d.stdout.includes('\n-  generation: 1\n+  generation: 2\n'), d.stdout);
    assert.ok(d.stdout.includes('\n-      - image: nginx:1.25\n+      - image: nginx:1.26\n'), d.stdout);
    const ssa = await h.kubectl(['diff', '--server-side', '--force-conflicts', '-f', dep]);
    assert.equal(ssa.code, 1, ssa.stderr);
    assert.ok(ssa.stdout.includes('\n-      - image: nginx:1.25\n+      - image: nginx:1.26\n'), ssa.stdout);
    assert.equal((await get(deploymentPath('diffdep'))).spec.template.spec.containers[0].image, 'nginx:1.25');
  });

  it('replace -f: replaced, then a 409 for a stale resourceVersion', async () => {
    const created = await h.client.request('POST', `/apis/apps/v1/namespaces/${ns()}/deployments`, {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'rep', labels: { app: 'rep' } },
      spec: { replicas: 1, selector: { matchLabels: { app: 'rep' } }, template: { metadata: { labels: { app: 'rep' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } },
    });
    assert.equal(created.status, 201, created.text);
    const staleRv = created.json.metadata.resourceVersion;
    const file = manifest(h, 'rep.yaml', deploymentYaml('rep', 3, ONE_CONTAINER));
    const r = await h.kubectl(['replace', '-f', file]);
    assert.deepEqual(r, { stdout: 'deployment.apps/rep replaced\n', stderr: '', code: 0, signal: null });
    const stored = await get(deploymentPath('rep'));
    assert.equal(stored.spec.replicas, 3);
    assert.equal(stored.metadata.generation, 2);
    const stale = manifest(h, 'rep-stale.yaml', deploymentYaml('rep', 4, ONE_CONTAINER).replace('  name: rep\n', `  name: rep\n  resourceVersion: "${staleRv}"\n`));
    const conflict = await h.kubectl(['replace', '-f', stale]);
    assert.deepEqual(conflict, {
      stdout: '',
      stderr: `Error from server (Conflict): error when replacing "${stale}": Operation cannot be fulfilled on deployments.apps "rep": the object has been modified; please apply your changes to the latest version and try again\n`,
      code: 1,
      signal: null,
    });
    assert.equal((await get(deploymentPath('rep'))).spec.replicas, 3);
    const missing = manifest(h, 'rep-missing.yaml', deploymentYaml('nope', 1, ONE_CONTAINER));
    const nf = await h.kubectl(['replace', '-f', missing]);
    assert.deepEqual(nf, { stdout: '', stderr: `Error from server (NotFound): error when replacing "${missing}": deployments.apps "nope" not found\n`, code: 1, signal: null });
  });

  it('edit: a scripted EDITOR changes replicas and image; an unchanged file cancels', async () => {
    const created = await h.client.request('POST', `/apis/apps/v1/namespaces/${ns()}/deployments`, {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ed', labels: { app: 'ed' } },
      spec: { replicas: 2, selector: { matchLabels: { app: 'ed' } }, template: { metadata: { labels: { app: 'ed' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } },
    });
    assert.equal(created.status, 201, created.text);
    const editor = join(h.home, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i -e \'s/^  replicas: 2$/  replicas: 4/\' -e \'s/image: nginx:1.25$/image: nginx:1.99/\' "$1"\n');
    chmodSync(editor, 0o755);
    const r = await h.kubectlWith(['edit', 'deployment/ed'], { env: { EDITOR: editor } });
    assert.deepEqual(r, { stdout: 'deployment.apps/ed edited\n', stderr: '', code: 0, signal: null });
    const stored = await get(deploymentPath('ed'));
    assert.equal(stored.spec.replicas, 4);
    assert.equal(stored.spec.template.spec.containers[0].image, 'nginx:1.99');
    const noop = join(h.home, 'noop.sh');
    writeFileSync(noop, '#!/bin/sh\ntrue\n');
    chmodSync(noop, 0o755);
    const cancelled = await h.kubectlWith(['edit', 'deployment/ed'], { env: { EDITOR: noop } });
    assert.deepEqual(cancelled, { stdout: '', stderr: 'Edit cancelled, no changes made.\n', code: 0, signal: null });
    // The edit's patch is recorded under the field manager kubectl-edit.
    assert.ok(((stored.metadata.managedFields ?? []) as any[]).some((e) => e.manager === 'kubectl-edit' && e.operation === 'Update'), `managedFields: ${JSON.stringify(stored.metadata.managedFields)}`);
  });

  it('--dry-run=server: apply, create and delete report a dry run and store nothing', async () => {
    const file = manifest(h, 'dry.yaml', deploymentYaml('dry', 1, ONE_CONTAINER));
    const applied = await h.kubectl(['apply', '-f', file, '--dry-run=server']);
    assert.deepEqual(applied, { stdout: 'deployment.apps/dry created (server dry run)\n', stderr: '', code: 0, signal: null });
    const created = await h.kubectl(['create', '-f', file, '--dry-run=server']);
    assert.deepEqual(created, { stdout: 'deployment.apps/dry created (server dry run)\n', stderr: '', code: 0, signal: null });
    assert.equal((await h.client.request('GET', deploymentPath('dry'))).status, 404);
    assert.equal((await h.kubectl(['apply', '-f', file])).stdout, 'deployment.apps/dry created\n');
    const deleted = await h.kubectl(['delete', 'deployment', 'dry', '--dry-run=server']);
    assert.deepEqual(deleted, { stdout: 'deployment.apps "dry" deleted (server dry run)\n', stderr: '', code: 0, signal: null });
    assert.equal((await h.client.request('GET', deploymentPath('dry'))).status, 200);
    writeFileSync(file, deploymentYaml('dry', 3, ONE_CONTAINER));
    const configured = await h.kubectl(['apply', '-f', file, '--dry-run=server']);
    assert.deepEqual(configured, { stdout: 'deployment.apps/dry configured (server dry run)\n', stderr: '', code: 0, signal: null });
    assert.equal((await get(deploymentPath('dry'))).spec.replicas, 1);
  });
}, { command: 'server' });
