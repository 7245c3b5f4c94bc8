import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinSchemas } from '../../src/api/index.js';
import { applyStrategicMergePatch } from '../../src/api/patch/strategic-merge.js';
import { ApiError } from '../../src/machinery/status.js';

const schemas = builtinSchemas();
const CM = 'io.k8s.api.core.v1.ConfigMap';
const NS = 'io.k8s.api.core.v1.Namespace';
const smp = (type: string, original: Record<string, unknown>, patch: unknown) => applyStrategicMergePatch(schemas, type, structuredClone(original), patch);

const owner = (uid: string, name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, uid });

describe('strategic merge patch', () => {
  it('merges maps key by key; null removes a key', () => {
    const out = smp(CM, { data: { a: '1', b: '2' }, metadata: { name: 'x', labels: { k: 'v' } } }, { data: { a: null, c: '3' }, metadata: { labels: { l: 'w' } } });
    assert.deepEqual(out, { data: { b: '2', c: '3' }, metadata: { name: 'x', labels: { k: 'v', l: 'w' } } });
  });

  it('merges lists with a merge key item by item, appending new ones', () => {
    const original = { metadata: { ownerReferences: [owner('u1', 'one'), owner('u2', 'two')] } };
    const out = smp(CM, original, { metadata: { ownerReferences: [{ uid: 'u2', name: 'renamed' }, owner('u3', 'three')] } });
    assert.deepEqual(out.metadata, { ownerReferences: [owner('u1', 'one'), { ...owner('u2', 'renamed') }, owner('u3', 'three')] });
  });

  it('deletes an item by its merge key with $patch: delete', () => {
    const out = smp(CM, { metadata: { ownerReferences: [owner('u1', 'one'), owner('u2', 'two')] } }, { metadata: { ownerReferences: [{ uid: 'u1', $patch: 'delete' }] } });
    assert.deepEqual(out.metadata, { ownerReferences: [owner('u2', 'two')] });
  });

  it('replaces a whole merging list with {"$patch": "replace"}', () => {
    const out = smp(CM, { metadata: { ownerReferences: [owner('u1', 'one')] } }, { metadata: { ownerReferences: [{ $patch: 'replace' }, owner('u9', 'nine')] } });
    assert.deepEqual(out.metadata, { ownerReferences: [owner('u9', 'nine')] });
  });

  it('unions merging scalar lists and removes values with $deleteFromPrimitiveList', () => {
    const a = smp(CM, { metadata: { finalizers: ['x/a', 'x/b'] } }, { metadata: { finalizers: ['x/b', 'x/c'] } });
    assert.deepEqual(a.metadata, { finalizers: ['x/a', 'x/b', 'x/c'] });
    const b = smp(CM, { metadata: { finalizers: ['x/a', 'x/b', 'x/c'] } }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['x/b'] } });
    assert.deepEqual(b.metadata, { finalizers: ['x/a', 'x/c'] });
  });

  it('replaces lists that do not merge', () => {
    const out = smp(NS, { spec: { finalizers: ['kubernetes', 'x/y'] } }, { spec: { finalizers: ['x/z'] } });
    assert.deepEqual(out.spec, { finalizers: ['x/z'] });
  });

  it('orders a merging list by $setElementOrder, keeping server-only items in place', () => {
    const original = { metadata: { ownerReferences: [owner('u1', 'one'), owner('s', 'server-only'), owner('u2', 'two')] } };
    const out = smp(CM, original, { metadata: { '$setElementOrder/ownerReferences': [{ uid: 'u2' }, { uid: 'u1' }] } });
    assert.deepEqual((out.metadata as any).ownerReferences.map((o: any) => o.uid), ['u2', 's', 'u1']);
  });

  it('keeps only the listed keys with $retainKeys, and replaces or deletes objects with $patch', () => {
    const r = smp(CM, { data: { a: '1', b: '2' } }, { data: { $retainKeys: ['b', 'c'], c: '3' } });
    assert.deepEqual(r.data, { b: '2', c: '3' });
    const rep = smp(CM, { data: { a: '1', b: '2' } }, { data: { $patch: 'replace', z: '9' } });
    assert.deepEqual(rep.data, { z: '9' });
    const del = smp(CM, { data: { a: '1' }, immutable: true }, { data: { $patch: 'delete' } });
    assert.deepEqual(del, { immutable: true });
  });

  it('merges fields the schema does not describe as a JSON merge patch', () => {
    const out = smp(CM, { extra: { a: [1, 2], b: 1 } }, { extra: { a: [3], b: null } });
    assert.deepEqual(out, { extra: { a: [3] } });
  });

  it('refuses an unknown $patch directive with a 400', () => {
    assert.throws(() => smp(CM, { data: {} }, { data: { $patch: 'explode' } }), (err: unknown) => err instanceof ApiError && err.code === 400 && err.message === 'Unknown patch type: explode');
  });
});
