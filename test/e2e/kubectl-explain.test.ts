/**
 * The real kubectl against a real `tskube up`: `kubectl explain`, which in 1.27/1.28 needs
 * `/openapi/v2` (gnostic protobuf) before it prints anything, renders from OpenAPI v3 by default and
 * from v2 with `--output plaintext-openapiv2`; and 1.27/1.28 `apply -f`, which reads v2 for its
 * validator and its patch computation. Expected outputs are kubectl's exact layouts filled with
 * what tskube's schema registry says of each field.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { builtinSchemas } from '../../src/api/index.js';
import type { SchemaRegistry } from '../../src/api/schema/registry.js';
import type { Field, Shape } from '../../src/api/schema/shapes.js';
import { Harness, KUBECTL_DIR, VERSIONS, loggedPaths, type KubectlVersion } from './kubectl-harness.js';

const schemas: SchemaRegistry = builtinSchemas();

/** The binaries under test here; 1.28 is not among the harness's versions, so it is described here (only its minor and tag are read). */
const EXPLAIN_VERSIONS: KubectlVersion[] = [
  VERSIONS.find((v) => v.minor === '1.27')!,
  { minor: '1.28', tag: 'v128', clientLines: [], legacyVersionOutput: false, versionStderr: '', discoveryErrorLine: (msg) => msg },
];
const V133 = VERSIONS.find((v) => v.minor === '1.33')!;

// --- What kubectl prints, built from the registry ----------------------------------------------

/** Greedy word wrap of each line of `text` to `width` columns, as kubectl's wrappers do for plain sentences. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter((w) => w !== '')) {
      if (line === '') line = word;
      else if (line.length + 1 + word.length <= width) line += ` ${word}`;
      else { out.push(line); line = word; }
    }
    out.push(line);
  }
  return out;
}

/** A type's members as JSON has them (inline members flattened). */
function jsonFields(typeName: string): Field[] {
  return schemas.type(typeName).fields.flatMap((f) => (f.inline && f.shape.kind === 'ref' ? jsonFields(f.shape.type) : [f]));
}

/** The field `path` (dotted, below the kind) of a kind, with the field that holds it. */
function fieldAt(group: string, version: string, kind: string, path: string): Field {
  let typeName = schemas.kind(group, version, kind)?.name;
  assert.ok(typeName, `${group}/${version} ${kind} is not described`);
  let found: Field | undefined;
  for (const name of path.split('.')) {
    assert.ok(typeName, `${name}: its parent is not an object`);
    found = jsonFields(typeName).find((f) => f.name === name);
    assert.ok(found, `${kind} has no field ${path}`);
    typeName = found.shape.kind === 'ref' ? found.shape.type : undefined;
  }
  return found!;
}

/** The type kubectl shows in angle brackets: `v3` for the default renderer, `v2` for plaintext-openapiv2. */
function typeName(s: Shape, form: 'v2' | 'v3'): string {
  switch (s.kind) {
    case 'string': case 'bytes': case 'time': case 'microTime': case 'quantity': case 'intOrString': return 'string';
    case 'bool': return 'boolean';
    case 'int32': case 'int64': return 'integer';
    case 'double': return 'number';
    case 'list': return `[]${typeName(s.item, form)}`;
    case 'map': return `map[string]${typeName(s.value, form)}`;
    case 'ref': return form === 'v2' ? 'Object' : s.type.split('.').pop()!;
    default: throw new Error(`no expectation written for ${s.kind} fields`);
  }
}

/** The descriptions kubectl gathers for a field: its own, then the referenced type's. */
function descriptionsOf(f: Field): string[] {
  return f.shape.kind === 'ref' ? [f.description, schemas.type(f.shape.type).description] : [f.description];
}

/** The default (OpenAPI v3) rendering of `kubectl explain <resource>.<path>`; 1.33 puts one more blank line after FIELD. */
function explainV3(v: KubectlVersion, group: string, version: string, kind: string, path: string): string {
  const f = fieldAt(group, version, kind, path);
  const indent = (lines: string[], n: number) => lines.map((l) => `${' '.repeat(n)}${l}`).join('\n');
  let out = group ? `GROUP:      ${group}\n` : '';
  out += `KIND:       ${kind}\nVERSION:    ${version}\n\nFIELD: ${f.name} <${typeName(f.shape, 'v3')}>\n\n`;
  if (v.minor === '1.33') out += '\n';
  out += `DESCRIPTION:\n${indent([...wrap(descriptionsOf(f).join('\n'), 76), ''], 4)}\n`;
  if (f.shape.kind === 'ref') {
    out += 'FIELDS:\n';
    for (const sub of [...jsonFields(f.shape.type)].sort((a, b) => a.name.localeCompare(b.name))) {
      // The v3 document lists no required fields, so no -required- marks.
      out += `  ${sub.name}\t<${typeName(sub.shape, 'v3')}>\n${indent(wrap(sub.description, 76), 4)}\n\n`;
    }
  }
  return `${out}\n`;
}

/** The OpenAPI v2 rendering (`--output plaintext-openapiv2`). */
function explainV2(group: string, version: string, kind: string, path: string): string {
  const f = fieldAt(group, version, kind, path);
  const block = (text: string, n: number) => wrap(text, 80 - n).map((l) => `${' '.repeat(n)}${l}\n`).join('');
  let out = `KIND:     ${kind}\nVERSION:  ${group ? `${group}/` : ''}${version}\n\n`;
  out += f.shape.kind === 'ref' ? `RESOURCE: ${f.name} <Object>\n\n` : `FIELD:    ${f.name} <${typeName(f.shape, 'v2')}>\n\n`;
  out += `DESCRIPTION:\n${descriptionsOf(f).map((d) => block(d, 5)).join('\n')}`;
  if (f.shape.kind === 'ref') {
    out += '\nFIELDS:\n';
    for (const sub of [...jsonFields(f.shape.type)].sort((a, b) => a.name.localeCompare(b.name))) {
      const required = sub.keepZero && !sub.pointer ? ' -required-' : '';
      out += `   ${sub.name}\t<${typeName(sub.shape, 'v2')}>${required}\n${block(sub.description, 5)}\n`;
    }
  }
  return out;
}

const CASES: Array<{ args: string; group: string; version: string; kind: string; path: string }> = [
  { args: 'configmap.data', group: '', version: 'v1', kind: 'ConfigMap', path: 'data' },
  { args: 'namespace.spec', group: '', version: 'v1', kind: 'Namespace', path: 'spec' },
  { args: 'deployment.spec.replicas', group: 'apps', version: 'v1', kind: 'Deployment', path: 'spec.replicas' },
];

function describeKubectl(version: KubectlVersion, title: string, body: (h: Harness) => void): void {
  const present = existsSync(join(KUBECTL_DIR, `kubectl.${version.minor}`));
  describe(`kubectl ${version.minor} ${title}`, { skip: present ? false : `kubectl.${version.minor} is not installed` }, () => {
    const h = new Harness(version);
    before(async () => { await h.start('server'); });
    after(async () => { await h.stop(); });
    body(h);
  });
}

for (const version of EXPLAIN_VERSIONS) {
  describeKubectl(version, 'explain and apply with OpenAPI v2', (h) => {
    for (const c of CASES) {
      it(`explain ${c.args}: the registry's descriptions in kubectl's layout, from v3 and from v2`, async () => {
        const v3 = await h.kubectl(['explain', c.args]);
        assert.deepEqual(v3, { stdout: explainV3(version, c.group, c.version, c.kind, c.path), stderr: '', code: 0, signal: null });
        const v2 = await h.kubectl(['explain', c.args, '--output=plaintext-openapiv2']);
        assert.deepEqual(v2, { stdout: explainV2(c.group, c.version, c.kind, c.path), stderr: '', code: 0, signal: null });
      });
    }

    it('explain of a field that does not exist: kubectl\'s v2 error', async () => {
      const r = await h.kubectl(['explain', 'configmap.nope', '--output=plaintext-openapiv2']);
      assert.deepEqual(r, { stdout: '', stderr: 'error: field "nope" does not exist\n', code: 1, signal: null });
    });

    it('apply -f a ConfigMap: created, then configured through a patch computed with the v2 schema', async () => {
      const name = `apply-v2-${version.tag}`;
      const file = join(h.home, `${name}.yaml`);
      const manifest = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n  a: "${value}"\n`;
      try {
        await writeFile(file, manifest('1'));
        const created = await h.kubectl(['apply', '-f', file]);
        assert.deepEqual(created, { stdout: `configmap/${name} created\n`, stderr: '', code: 0, signal: null });
        await writeFile(file, manifest('2'));
        const configured = await h.kubectl(['apply', '-f', file, '-v=6']);
        assert.equal(configured.stdout, `configmap/${name} configured\n`);
        assert.equal(configured.code, 0);
        assert.ok(loggedPaths(configured.stderr, '/openapi/v2').includes('/openapi/v2?timeout=32s'), configured.stderr);
        assert.match(configured.stderr, /GET https:\/\/127\.0\.0\.1:\d+\/openapi\/v2\?timeout=32s 200 OK/);
        assert.ok(loggedPaths(configured.stderr, '/api/v1/namespaces/default/configmaps/').includes(
          `/api/v1/namespaces/default/configmaps/${name}?fieldManager=kubectl-client-side-apply&fieldValidation=Strict`), configured.stderr);
        const got = await h.getConfigMap('default', name);
        assert.deepEqual(got.json.data, { a: '2' });
        const applied = JSON.parse(got.json.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
        assert.deepEqual(applied.data, { a: '2' });
      } finally {
        await h.cleanup([['default', name]]);
      }
    });

    it('apply -f a Deployment without one of its containers: the patch deletes it by its merge key', async () => {
      const name = `apply-v2-${version.tag}`;
      const file = join(h.home, `${name}-deploy.yaml`);
      const container = (c: string, image: string) => `      - name: ${c}\n        image: ${image}\n`;
      const manifest = (containers: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n  replicas: 1\n` +
        `  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n${containers}`;
      try {
        await writeFile(file, manifest(container('web', 'nginx:1.25') + container('sidecar', 'busybox:1.36')));
        const created = await h.kubectl(['apply', '-f', file]);
        assert.deepEqual(created, { stdout: `deployment.apps/${name} created\n`, stderr: '', code: 0, signal: null });
        await writeFile(file, manifest(container('web', 'nginx:1.26')));
        const configured = await h.kubectl(['apply', '-f', file, '-v=8']);
        assert.equal(configured.stdout, `deployment.apps/${name} configured\n`, configured.stderr);
        // kubectl computes the patch from the v2 schema's patch metadata, and says so when it cannot.
        assert.doesNotMatch(configured.stderr, /error calculating patch from openapi spec/);
        const body = /Request Body: (\{"metadata".*)$/m.exec(configured.stderr);
        assert.ok(body, configured.stderr);
        assert.deepEqual(JSON.parse(body[1]).spec, { template: { spec: {
          '$setElementOrder/containers': [{ name: 'web' }],
          containers: [{ image: 'nginx:1.26', name: 'web' }, { $patch: 'delete', name: 'sidecar' }],
        } } });
        const got = await h.client.request('GET', `/apis/apps/v1/namespaces/default/deployments/${name}`);
        assert.deepEqual(got.json.spec.template.spec.containers.map((c: { name: string; image: string }) => [c.name, c.image]), [['web', 'nginx:1.26']]);
      } finally {
        const r = await h.client.request('DELETE', `/apis/apps/v1/namespaces/default/deployments/${name}`);
        assert.ok(r.status === 200 || r.status === 404, r.text);
      }
    });
  });
}

describeKubectl(V133, 'explain with OpenAPI v3 only', (h) => {
  it('explain configmap.data and namespace.spec still render from OpenAPI v3', async () => {
    for (const c of CASES.slice(0, 2)) {
      const r = await h.kubectl(['explain', c.args]);
      assert.deepEqual(r, { stdout: explainV3(V133, c.group, c.version, c.kind, c.path), stderr: '', code: 0, signal: null });
    }
  });
});
