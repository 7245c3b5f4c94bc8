import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SchedulerCache } from '../../src/scheduler/cache/cache.js';
import type { NodeInfo } from '../../src/scheduler/cache/node-info.js';
import { CycleState } from '../../src/scheduler/framework/cycle-state.js';
import { PodInfo } from '../../src/scheduler/framework/pod-info.js';
import { Code, type Status } from '../../src/scheduler/framework/status.js';
import { NodeAffinity } from '../../src/scheduler/plugins/node-affinity.js';
import { NodeName } from '../../src/scheduler/plugins/node-name.js';
import { NodePorts } from '../../src/scheduler/plugins/node-ports.js';
import { NodeResourcesFit } from '../../src/scheduler/plugins/node-resources-fit.js';
import { NodeUnschedulable } from '../../src/scheduler/plugins/node-unschedulable.js';
import { TaintToleration } from '../../src/scheduler/plugins/taint-toleration.js';
import { makeNode, makePod } from './helpers.js';

function nodeWith(node: any, pods: any[] = []): NodeInfo {
  const cache = new SchedulerCache();
  const ni = cache.addNode(node);
  for (const p of pods) cache.addPod({ ...p, spec: { ...p.spec, nodeName: node.metadata.name } });
  return ni;
}

const describe = (s: Status | null) => (s ? [Code[s.code], s.reasons.join(' | '), s.plugin] : null);
const pod = (p: any) => new PodInfo(p);
const state = () => new CycleState();

test('NodeUnschedulable rejects cordoned nodes unless the pod tolerates the unschedulable taint', () => {
  const pl = new NodeUnschedulable();
  const cordoned = nodeWith(makeNode('n1', { unschedulable: true }));
  assert.deepEqual(describe(pl.filter(state(), pod(makePod('p')), cordoned)), ['UnschedulableAndUnresolvable', 'node(s) were unschedulable', 'NodeUnschedulable']);
  const tolerant = makePod('t', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } });
  assert.equal(pl.filter(state(), pod(tolerant), cordoned), null);
  assert.equal(pl.filter(state(), pod(makePod('p')), nodeWith(makeNode('n2'))), null);
});

test('NodeName accepts only the named node', () => {
  const pl = new NodeName();
  const p = pod(makePod('p', { nodeName: 'n2' }));
  assert.deepEqual(describe(pl.filter(state(), p, nodeWith(makeNode('n1')))), ['UnschedulableAndUnresolvable', "node(s) didn't match the requested node name", 'NodeName']);
  assert.equal(pl.filter(state(), p, nodeWith(makeNode('n2'))), null);
  assert.equal(pl.filter(state(), pod(makePod('q')), nodeWith(makeNode('n1'))), null);
});

test('TaintToleration filter: the first untolerated NoSchedule/NoExecute taint is named', () => {
  const pl = new TaintToleration();
  const node = nodeWith(makeNode('n', { taints: [
    { key: 'soft', value: 'x', effect: 'PreferNoSchedule' },
    { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
    { key: 'node-role.kubernetes.io/control-plane', effect: 'NoExecute' },
  ] }));
  assert.deepEqual(describe(pl.filter(state(), pod(makePod('p')), node)), ['UnschedulableAndUnresolvable', 'node(s) had untolerated taint {dedicated: gpu}', 'TaintToleration']);
  const one = makePod('a', { spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] } });
  assert.deepEqual(describe(pl.filter(state(), pod(one), node)), ['UnschedulableAndUnresolvable', 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }', 'TaintToleration']);
  const wrongValue = makePod('b', { spec: { tolerations: [{ key: 'dedicated', value: 'cpu' }, { operator: 'Exists', effect: 'NoExecute' }] } });
  assert.equal(describe(pl.filter(state(), pod(wrongValue), node))?.[1], 'node(s) had untolerated taint {dedicated: gpu}');
  const all = makePod('c', { spec: { tolerations: [{ operator: 'Exists' }] } });
  assert.equal(pl.filter(state(), pod(all), node), null);
  const byKey = makePod('d', { spec: { tolerations: [{ key: 'dedicated', operator: 'Exists' }, { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoExecute' }] } });
  assert.equal(pl.filter(state(), pod(byKey), node), null);
});

test('NodeAffinity: nodeSelector and required terms (ORed terms, ANDed expressions, every operator)', () => {
  const pl = new NodeAffinity();
  const node = nodeWith(makeNode('n1', { labels: { zone: 'a', disk: 'ssd', cores: '16' } }));
  const fits = (spec: any) => {
    const p = pod(makePod('p', { spec }));
    const st = state();
    const pre = pl.preFilter(st, p);
    if (pre?.status?.code === Code.Skip) return 'skip';
    return pl.filter(st, p, node) === null;
  };
  const required = (...terms: any[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
  const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });
  assert.equal(fits({}), 'skip');
  assert.equal(fits({ nodeSelector: { zone: 'a', disk: 'ssd' } }), true);
  assert.equal(fits({ nodeSelector: { zone: 'b' } }), false);
  assert.equal(fits(required(expr('zone', 'In', ['a', 'b']))), true);
  assert.equal(fits(required(expr('zone', 'NotIn', ['a']))), false);
  assert.equal(fits(required(expr('missing', 'NotIn', ['a']))), true);
  assert.equal(fits(required(expr('disk', 'Exists'))), true);
  assert.equal(fits(required(expr('disk', 'DoesNotExist'))), false);
  assert.equal(fits(required(expr('cores', 'Gt', ['8']))), true);
  assert.equal(fits(required(expr('cores', 'Lt', ['8']))), false);
  assert.equal(fits(required(expr('zone', 'Gt', ['1']))), false);
  assert.equal(fits(required(expr('zone', 'In', ['b']), expr('disk', 'In', ['ssd']))), true, 'terms are ORed');
  assert.equal(fits(required({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'disk', operator: 'In', values: ['hdd'] }] })), false, 'expressions are ANDed');
  assert.equal(fits(required({})), false, 'an empty term matches nothing');
  assert.equal(fits(required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] })), true);
  assert.equal(fits({ ...required(expr('zone', 'In', ['a'])), nodeSelector: { disk: 'hdd' } }), false, 'both must hold');
  const rejected = pl.filter(state(), pod(makePod('p', { spec: { nodeSelector: { zone: 'z' } } })), node);
  assert.deepEqual(describe(rejected), ['UnschedulableAndUnresolvable', "node(s) didn't match Pod's node affinity/selector", 'NodeAffinity']);
});

test('NodeAffinity PreFilter narrows to metadata.name terms and rejects conflicting ones', () => {
  const pl = new NodeAffinity();
  const names = (terms: any[]) => {
    const out = pl.preFilter(state(), pod(makePod('p', { spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } } })));
    return out?.status ? describe(out.status) : out?.result?.nodeNames ? [...out.result.nodeNames].sort() : 'all';
  };
  const field = (...values: string[]) => ({ key: 'metadata.name', operator: 'In', values });
  assert.deepEqual(names([{ matchFields: [field('n1')] }, { matchFields: [field('n2')] }]), ['n1', 'n2']);
  assert.deepEqual(names([{ matchFields: [field('n1', 'n2'), field('n2', 'n3')] }]), ['n2']);
  assert.equal(names([{ matchFields: [field('n1')] }, { matchExpressions: [{ key: 'a', operator: 'Exists' }] }]), 'all');
  assert.deepEqual(names([{ matchFields: [field('n1'), field('n2')] }]), ['UnschedulableAndUnresolvable', 'pod affinity terms conflict', 'NodeAffinity']);
});

test('NodePorts: host port conflicts by IP and protocol, Skip without host ports', () => {
  const pl = new NodePorts();
  const withPorts = (name: string, ports: any[]) => makePod(name, { spec: { containers: [{ name: 'c', image: 'x', ports }] } });
  const node = nodeWith(makeNode('n'), [withPorts('existing', [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, hostPort: 53, protocol: 'UDP', hostIP: '10.0.0.1' }])]);
  const check = (ports: any[]) => describe(pl.filter(state(), pod(withPorts('p', ports)), node));
  const conflict = ['Unschedulable', "node(s) didn't have free ports for the requested pod ports", 'NodePorts'];
  assert.deepEqual(check([{ containerPort: 1, hostPort: 8080 }]), conflict);
  assert.deepEqual(check([{ containerPort: 1, hostPort: 8080, hostIP: '10.0.0.9' }]), conflict, 'wildcard holder blocks every IP');
  assert.equal(check([{ containerPort: 1, hostPort: 8080, protocol: 'UDP' }]), null);
  assert.deepEqual(check([{ containerPort: 1, hostPort: 53, protocol: 'UDP' }]), conflict, 'wildcard request collides with a specific IP');
  assert.equal(check([{ containerPort: 1, hostPort: 53, protocol: 'UDP', hostIP: '10.0.0.2' }]), null);
  assert.equal(pl.preFilter(state(), pod(makePod('plain')))?.status?.code, Code.Skip);
});

test('NodeResourcesFit filter: every short resource is named, in upstream order', () => {
  const pl = new NodeResourcesFit();
  const node = nodeWith(makeNode('n', { cpu: '2', memory: '1Gi', pods: '2', extra: { 'example.com/gpu': '1' } }), [makePod('e', { requests: [{ cpu: '1500m', memory: '512Mi' }] })]);
  const check = (p: any) => describe(pl.filter(state(), pod(p), node));
  assert.equal(check(makePod('fits', { requests: [{ cpu: '500m', memory: '512Mi' }] })), null);
  assert.deepEqual(check(makePod('cpu', { requests: [{ cpu: '600m' }] })), ['Unschedulable', 'Insufficient cpu', 'NodeResourcesFit']);
  assert.deepEqual(check(makePod('both', { requests: [{ cpu: '1', memory: '1Gi' }] })), ['Unschedulable', 'Insufficient cpu | Insufficient memory', 'NodeResourcesFit']);
  assert.deepEqual(check(makePod('gpu', { requests: [{ cpu: '100m', 'example.com/gpu': '2' }] })), ['Unschedulable', 'Insufficient example.com/gpu', 'NodeResourcesFit']);
  const full = nodeWith(makeNode('f', { pods: '1' }), [makePod('x')]);
  assert.deepEqual(describe(pl.filter(state(), pod(makePod('empty', { requests: [{}] })), full)), ['Unschedulable', 'Too many pods', 'NodeResourcesFit']);
  assert.deepEqual(describe(pl.filter(state(), pod(makePod('big', { requests: [{ cpu: '5' }] })), full)), ['Unschedulable', 'Too many pods | Insufficient cpu', 'NodeResourcesFit']);
});
