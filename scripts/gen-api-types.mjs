#!/usr/bin/env node
/**
 * Generates tskube's descriptions of the built-in API types (src/api/<group>/<version>.ts) from the
 * published Go type definitions of Kubernetes.
 *
 * Usage: node scripts/gen-api-types.mjs <k8s.io/api checkout> <k8s.io/apimachinery checkout>
 *   (tskube follows tag v0.32.5 of both.)
 *
 * What it takes from the Go sources are facts only: type and field names, JSON names and
 * omitempty, protobuf field numbers, pointers, inline members, and the list and patch markers
 * (+listType, +listMapKey, +patchStrategy, +patchMergeKey and the patchStrategy/patchMergeKey
 * struct tags). Upstream's comments are never copied: every description in the output is tskube's
 * own, taken from src/api/<group>/<version>.descriptions.ts where one is written there, and
 * otherwise derived mechanically from the field's name and shape.
 *
 * The Go parser is deliberately small: it understands the regular layout of the API packages'
 * types.go files (one field per line, struct tags in back quotes, markers in the comment lines
 * right above a field), not Go in general.
 */
import { readFileSync, readdirSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The group-versions tskube serves, with the kinds whose types (and everything they reach) are emitted. */
const PACKAGES = [
  { dir: 'core/v1', group: '', kinds: ['Namespace', 'ConfigMap', 'Pod', 'Node', 'Service', 'Endpoints', 'Secret', 'ServiceAccount', 'Event', 'LimitRange', 'ResourceQuota', 'PodTemplate', 'ReplicationController', 'PersistentVolume', 'PersistentVolumeClaim', 'Binding'] },
  { dir: 'apps/v1', group: 'apps', kinds: ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ControllerRevision'] },
  { dir: 'autoscaling/v1', group: 'autoscaling', kinds: ['Scale', 'HorizontalPodAutoscaler'] },
  { dir: 'autoscaling/v2', group: 'autoscaling', kinds: ['HorizontalPodAutoscaler'] },
  { dir: 'batch/v1', group: 'batch', kinds: ['Job', 'CronJob'] },
  { dir: 'coordination/v1', group: 'coordination.k8s.io', kinds: ['Lease'] },
  { dir: 'events/v1', group: 'events.k8s.io', kinds: ['Event'] },
  { dir: 'discovery/v1', group: 'discovery.k8s.io', kinds: ['EndpointSlice'] },
  { dir: 'policy/v1', group: 'policy', kinds: ['PodDisruptionBudget', 'Eviction'] },
  { dir: 'networking/v1', group: 'networking.k8s.io', kinds: ['Ingress', 'IngressClass', 'NetworkPolicy'] },
  { dir: 'scheduling/v1', group: 'scheduling.k8s.io', kinds: ['PriorityClass'] },
  { dir: 'rbac/v1', group: 'rbac.authorization.k8s.io', kinds: ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'] },
];

/** meta/v1 types emitted whether or not a kind reaches them, and the one meta kind the server reads. */
const META_ROOTS = ['ObjectMeta', 'ListMeta', 'DeleteOptions', 'Preconditions'];
const META_KINDS = { DeleteOptions: { group: 'meta.k8s.io', version: 'v1', kind: 'DeleteOptions' } };

const META_PATH = 'k8s.io/apimachinery/pkg/apis/meta/v1';
const META_PREFIX = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** Types of other apimachinery packages that are shapes, not types. */
const SPECIAL = {
  'k8s.io/apimachinery/pkg/api/resource.Quantity': 'quantity',
  'k8s.io/apimachinery/pkg/util/intstr.IntOrString': 'intOrString',
  'k8s.io/apimachinery/pkg/runtime.RawExtension': 'rawExtension',
  'k8s.io/apimachinery/pkg/types.UID': 'string',
  'k8s.io/apimachinery/pkg/types.NodeName': 'string',
  [`${META_PATH}.Time`]: 'time',
  [`${META_PATH}.MicroTime`]: 'microTime',
  [`${META_PATH}.FieldsV1`]: 'rawJson',
};

const BUILTIN = { string: 'string', bool: 'bool', int32: 'int32', int64: 'int64', float64: 'double' };

// ---------------------------------------------------------------------------------------------
// Reading Go

/** Parses the top-level type declarations of one Go package directory. */
function readPackage(dir, importPath) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.startsWith('zz_generated') && f !== 'generated.pb.go' && !f.includes('swagger_doc'));
  const pkg = { importPath, structs: new Map(), named: new Map(), imports: new Map() };
  for (const f of files.sort()) parseFile(readFileSync(join(dir, f), 'utf8'), pkg);
  return pkg;
}

function parseFile(src, pkg) {
  const lines = src.split('\n');
  const imports = new Map();
  let i = 0;
  let comments = [];
  while (i < lines.length) {
    const line = lines[i];
    const imp = /^import\s+(?:(\w+)\s+)?"([^"]+)"/.exec(line);
    if (imp) { imports.set(imp[1] ?? imp[2].split('/').pop(), imp[2]); i++; continue; }
    if (/^import \($/.test(line)) {
      for (i++; i < lines.length && lines[i] !== ')'; i++) {
        const m = /^\s*(?:(\w+)\s+)?"([^"]+)"/.exec(lines[i]);
        if (m) imports.set(m[1] ?? m[2].split('/').pop(), m[2]);
      }
      i++;
      continue;
    }
    if (/^\/\//.test(line)) { comments.push(line); i++; continue; }
    const st = /^type (\w+) struct \{\s*$/.exec(line);
    if (st) {
      const fields = [];
      let fieldComments = [];
      for (i++; i < lines.length && lines[i] !== '}'; i++) {
        const l = lines[i].trim();
        if (l.startsWith('/*')) {
          while (i < lines.length && !lines[i].includes('*/')) i++;
          continue;
        }
        if (l.startsWith('//')) { fieldComments.push(l); continue; }
        if (l === '') { fieldComments = []; continue; }
        const m = /^(?:(\w+)\s+)?([*\[\]\w.{}]+)\s*(?:`([^`]*)`)?\s*(?:\/\/.*)?$/.exec(l);
        if (!m) throw new Error(`${pkg.importPath}: cannot read field line ${JSON.stringify(l)} of ${st[1]}`);
        fields.push({ goName: m[1] ?? null, goType: m[2], tags: parseTags(m[3] ?? ''), markers: markersOf(fieldComments) });
        fieldComments = [];
      }
      pkg.structs.set(st[1], { name: st[1], fields, markers: markersOf(comments), imports });
      comments = [];
      i++;
      continue;
    }
    const nt = /^type (\w+) ([*\[\]\w.]+)\s*$/.exec(line);
    if (nt) pkg.named.set(nt[1], { name: nt[1], goType: nt[2], imports, markers: markersOf(comments) });
    comments = [];
    i++;
  }
  for (const [k, v] of imports) pkg.imports.set(k, v);
}

function parseTags(s) {
  const out = {};
  for (const m of s.matchAll(/(\w+):"([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}

function markersOf(comments) {
  const out = {};
  for (const c of comments) {
    const m = /^\/\/\s*\+(\w+)=(\S+)/.exec(c);
    if (!m) continue;
    if (m[1] === 'listMapKey') (out.listMapKey ??= []).push(m[2]);
    else out[m[1]] = m[2];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Resolving types

const packages = new Map();

function pkgOf(importPath) {
  const p = packages.get(importPath);
  if (!p) throw new Error(`package ${importPath} was not read`);
  return p;
}

function openApiName(importPath, name) {
  if (importPath === META_PATH) return `${META_PREFIX}.${name}`;
  const m = /^k8s\.io\/api\/(.+)$/.exec(importPath);
  if (!m) throw new Error(`no OpenAPI name for ${importPath}.${name}`);
  return `io.k8s.api.${m[1].replace(/\//g, '.')}.${name}`;
}

/**
 * Resolves a Go type expression met in `pkg` (with the imports of its file) to a shape, noting the
 * structs it refers to in `reach`.
 */
function resolve(expr, pkg, imports, reach) {
  let pointer = false;
  if (expr.startsWith('*')) { pointer = true; expr = expr.slice(1); }
  if (expr === '[]byte') return { shape: { kind: 'bytes' }, pointer };
  if (expr.startsWith('[]')) return { shape: { kind: 'list', item: resolve(expr.slice(2), pkg, imports, reach).shape }, pointer };
  const mm = /^map\[([\w.]+)\](.+)$/.exec(expr);
  if (mm) return { shape: { kind: 'map', value: resolve(mm[2], pkg, imports, reach).shape }, pointer };
  if (BUILTIN[expr]) return { shape: { kind: BUILTIN[expr] }, pointer };
  let path = pkg.importPath;
  let name = expr;
  const q = /^(\w+)\.(\w+)$/.exec(expr);
  if (q) {
    path = imports.get(q[1]);
    if (!path) throw new Error(`${pkg.importPath}: unknown import ${q[1]}`);
    name = q[2];
  }
  const special = SPECIAL[`${path}.${name}`];
  if (special) return { shape: { kind: special }, pointer };
  const target = pkgOf(path);
  if (target.structs.has(name)) {
    reach(path, name);
    return { shape: { kind: 'ref', type: openApiName(path, name) }, pointer };
  }
  const named = target.named.get(name);
  if (named) {
    const r = resolve(named.goType, target, named.imports, reach);
    return { shape: r.shape, pointer: pointer || r.pointer };
  }
  throw new Error(`${pkg.importPath}: cannot resolve type ${expr}`);
}

function lowerFirst(s) {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** The fields of a struct in tskube's terms (facts only; descriptions come later). */
function fieldsOf(pkg, struct, reach) {
  const out = [];
  for (const f of struct.fields) {
    const proto = f.tags.protobuf;
    const json = f.tags.json ?? '';
    if (!proto || proto === '-' || json === '-') continue;
    const parts = proto.split(',');
    const number = Number(parts[1]);
    const protoName = parts.find((p) => p.startsWith('name='))?.slice(5);
    const [jsonName, ...opts] = json.split(',');
    const inline = opts.includes('inline');
    const goTypeName = f.goType.replace(/^\*/, '').split('.').pop();
    const name = inline ? (protoName ?? lowerFirst(goTypeName)) : jsonName;
    if (!name) throw new Error(`${struct.name}: a field without a name`);
    const { shape, pointer } = resolve(f.goType, pkg, struct.imports, reach);
    if (shape.kind === 'list') {
      const listType = f.markers.listType;
      if (listType) shape.listType = listType;
      if (f.markers.listMapKey) shape.listMapKeys = f.markers.listMapKey;
      const strategy = f.tags.patchStrategy ?? f.markers.patchStrategy;
      const mergeKey = f.tags.patchMergeKey ?? f.markers.patchMergeKey;
      if (strategy) shape.patchStrategy = strategy;
      if (mergeKey) shape.patchMergeKey = mergeKey;
    }
    if (inline && shape.kind !== 'ref') throw new Error(`${struct.name}: inline member ${name} is not a struct`);
    const omitempty = opts.includes('omitempty');
    out.push({ name, goName: f.goName ?? goTypeName, proto: number, shape, inline, keepZero: !inline && (pointer || !omitempty), pointer: !inline && pointer });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Descriptions

function words(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').toLowerCase();
}

function sentence(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function shortName(typeName) {
  return typeName.split('.').pop();
}

function shapeWords(shape) {
  switch (shape.kind) {
    case 'string': return 'a string';
    case 'bool': return 'a boolean';
    case 'int32': case 'int64': return 'an integer';
    case 'double': return 'a number';
    case 'bytes': return 'base64-encoded bytes';
    case 'time': return 'a timestamp';
    case 'microTime': return 'a timestamp with microseconds';
    case 'rawJson': return 'a JSON document';
    case 'quantity': return 'a resource quantity';
    case 'intOrString': return 'a number or a string';
    case 'rawExtension': return 'an embedded object';
    case 'ref': return `${/^[AEIOU]/.test(shortName(shape.type)) ? 'an' : 'a'} ${shortName(shape.type)}`;
    case 'map': return `a map of ${shapeWords(shape.value).replace(/^an? /, '')} values`;
    case 'list': return `a list of ${shapeWords(shape.item).replace(/^an? /, '')} items`;
    default: throw new Error(`unknown shape ${shape.kind}`);
  }
}

/** A plain description derived from the field's name and shape, for fields nobody described. */
function derivedFieldDescription(typeShort, f) {
  if (f.name === 'metadata' && f.shape.kind === 'ref' && shortName(f.shape.type) === 'ObjectMeta') return `Standard object metadata of the ${words(typeShort)}.`;
  if (f.name === 'metadata' && f.shape.kind === 'ref' && shortName(f.shape.type) === 'ListMeta') return 'Standard list metadata.';
  if (f.name === 'items' && typeShort.endsWith('List') && f.shape.kind === 'list') return `The ${words(typeShort.slice(0, -4))} objects in the list.`;
  if (f.name === 'spec' && f.shape.kind === 'ref') return `The desired state of the ${words(typeShort)}.`;
  if (f.name === 'status' && f.shape.kind === 'ref') return `The observed state of the ${words(typeShort)}, as last reported.`;
  if (f.inline) return `The members of ${shortName(f.shape.type)}, which sit directly in this object in JSON.`;
  return `${sentence(words(f.name))}: ${shapeWords(f.shape)}.`;
}

/** A plain description of a type nobody described. */
function derivedTypeDescription(short) {
  if (short.endsWith('List')) return `A list of ${words(short.slice(0, -4))} objects.`;
  if (short.endsWith('Spec')) return `The desired state of a ${words(short.slice(0, -4))}.`;
  if (short.endsWith('Status')) return `The observed state of a ${words(short.slice(0, -6))}.`;
  if (short.endsWith('Condition')) return `One observation of the state of a ${words(short.slice(0, -9))}.`;
  return `${sentence(words(short))}.`;
}

/** Reads the `'Type' | 'Type.field' → text` map of a descriptions module (a plain object literal). */
function readDescriptions(file) {
  if (!existsSync(file)) return {};
  const src = readFileSync(file, 'utf8');
  const start = src.indexOf('= {');
  const end = src.lastIndexOf('};');
  if (start < 0 || end < 0) throw new Error(`${file}: no object literal found`);
  return Function(`"use strict"; return ${src.slice(start + 2, end + 1)};`)();
}

// ---------------------------------------------------------------------------------------------
// Writing TypeScript

const SCALAR_CONST = { string: 'str', bool: 'bool', int32: 'i32', int64: 'i64', double: 'f64', bytes: 'bytes', time: 'time', microTime: 'microTime', rawJson: 'rawJson', quantity: 'quantity', intOrString: 'intOrString', rawExtension: 'rawExtension' };

function tsShape(shape, used) {
  if (SCALAR_CONST[shape.kind]) { used.add(SCALAR_CONST[shape.kind]); return SCALAR_CONST[shape.kind]; }
  if (shape.kind === 'ref') { used.add('ref'); return `ref('${shape.type}')`; }
  if (shape.kind === 'map') { used.add('mapOf'); return `mapOf(${tsShape(shape.value, used)})`; }
  if (shape.kind === 'list') {
    used.add('listOf');
    const opts = [];
    if (shape.listType) opts.push(`listType: '${shape.listType}'`);
    if (shape.listMapKeys) opts.push(`listMapKeys: [${shape.listMapKeys.map((k) => `'${k}'`).join(', ')}]`);
    if (shape.patchStrategy) opts.push(`patchStrategy: '${shape.patchStrategy}'`);
    if (shape.patchMergeKey) opts.push(`patchMergeKey: '${shape.patchMergeKey}'`);
    return `listOf(${tsShape(shape.item, used)}${opts.length ? `, { ${opts.join(', ')} }` : ''})`;
  }
  throw new Error(`unknown shape ${shape.kind}`);
}

const q = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function writeModule(file, constName, prefixConst, prefix, header, types, descriptions) {
  const used = new Set(['field']);
  const seen = new Set();
  const body = [];
  for (const t of types) {
    const short = shortName(t.name);
    seen.add(short);
    body.push('  {');
    body.push(`    name: '${t.name}',`);
    body.push(`    description: ${q(descriptions[short] ?? derivedTypeDescription(short))},`);
    if (t.gvk) body.push(`    gvk: { group: '${t.gvk.group}', version: '${t.gvk.version}', kind: '${t.gvk.kind}' },`);
    body.push('    fields: [');
    for (const f of t.fields) {
      const key = `${short}.${f.name}`;
      seen.add(key);
      const opts = [];
      if (f.keepZero) opts.push('keepZero: true');
      if (f.pointer) opts.push('pointer: true');
      if (f.inline) opts.push('inline: true');
      const d = descriptions[key] ?? derivedFieldDescription(short, f);
      body.push(`      field('${f.name}', ${f.proto}, ${tsShape(f.shape, used)}, ${q(d)}${opts.length ? `, { ${opts.join(', ')} }` : ''}),`);
    }
    body.push('    ],');
    body.push('  },');
  }
  for (const k of Object.keys(descriptions)) if (!seen.has(k)) console.warn(`${file}: description ${k} matches no emitted type or field`);
  const imports = [...used].sort();
  const text = [
    '// Generated by scripts/gen-api-types.mjs from the Go type definitions of k8s.io/api and apimachinery v0.32.5 (facts',
    '// only: names, field numbers, tags); descriptions are tskube\'s own, from the .descriptions.ts file',
    '// beside this one or derived from field names. Do not edit by hand: edit the descriptions and rerun.',
    `import { ${imports.join(', ')}, type TypeDef } from '../schema/shapes.js';`,
    '',
    `/** The package prefix of these type names. */`,
    `export const ${prefixConst} = '${prefix}';`,
    '',
    `/** ${header} */`,
    `export const ${constName}: TypeDef[] = [`,
    ...body,
    '];',
    '',
  ].join('\n');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

// ---------------------------------------------------------------------------------------------
// Main

function main() {
  const [apiDir, machineryDir] = process.argv.slice(2);
  if (!apiDir || !machineryDir) {
    console.error('usage: node scripts/gen-api-types.mjs <k8s.io/api checkout> <k8s.io/apimachinery checkout>');
    process.exit(2);
  }
  packages.set(META_PATH, readPackage(join(machineryDir, 'pkg/apis/meta/v1'), META_PATH));
  for (const p of PACKAGES) packages.set(`k8s.io/api/${p.dir}`, readPackage(join(apiDir, p.dir), `k8s.io/api/${p.dir}`));

  // Every struct reachable from the roots, per package, in discovery order.
  const emitted = new Map(); // importPath -> Map(name -> { name, gvk, fields })
  const queue = [];
  const reach = (path, name) => {
    let m = emitted.get(path);
    if (!m) emitted.set(path, (m = new Map()));
    if (m.has(name)) return;
    m.set(name, null);
    queue.push([path, name]);
  };
  const gvks = new Map();
  for (const name of META_ROOTS) reach(META_PATH, name);
  for (const [kind, gvk] of Object.entries(META_KINDS)) gvks.set(`${META_PATH}.${kind}`, gvk);
  for (const p of PACKAGES) {
    const path = `k8s.io/api/${p.dir}`;
    const pkg = pkgOf(path);
    const version = p.dir.split('/')[1];
    for (const kind of p.kinds) {
      for (const k of [kind, `${kind}List`]) {
        if (!pkg.structs.has(k)) {
          if (k === kind) throw new Error(`${path}: no type ${kind}`);
          continue;
        }
        gvks.set(`${path}.${k}`, { group: p.group, version, kind: k });
        reach(path, k);
      }
    }
  }
  while (queue.length > 0) {
    const [path, name] = queue.shift();
    const pkg = pkgOf(path);
    const fields = fieldsOf(pkg, pkg.structs.get(name), reach);
    emitted.get(path).set(name, { name: openApiName(path, name), gvk: gvks.get(`${path}.${name}`), fields });
  }

  const outputs = [{ path: META_PATH, file: 'src/api/meta/v1.ts', constName: 'META_V1_TYPES', header: 'meta/v1 types every object uses (ObjectMeta, ListMeta, DeleteOptions) and those the served kinds reach.' }];
  for (const p of PACKAGES) {
    const [g, v] = p.dir.split('/');
    outputs.push({ path: `k8s.io/api/${p.dir}`, file: `src/api/${g}/${v}.ts`, constName: `${g.toUpperCase()}_${v.toUpperCase()}_TYPES`, header: `${p.group || 'core'}/${v} types: the served kinds ${p.kinds.join(', ')}, their lists, and every type they reach.` });
  }
  for (const o of outputs) {
    const types = [...(emitted.get(o.path)?.values() ?? [])];
    const descFile = join(REPO, o.file.replace(/\.ts$/, '.descriptions.ts'));
    const prefixConst = o.constName.replace(/_V\d+_TYPES$/, '').replace(/_TYPES$/, '') + (o.constName.startsWith('AUTOSCALING') ? o.constName.match(/_V\d+/)[0] : '');
    writeModule(join(REPO, o.file), o.constName, prefixConst, openApiName(o.path, 'X').slice(0, -2), o.header, types, readDescriptions(descFile));
    console.log(`${o.file}: ${types.length} types`);
  }
}

main();
