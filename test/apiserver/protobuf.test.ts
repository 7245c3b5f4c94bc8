/**
 * Kubernetes protobuf request bodies. The bodies are written field by field with protobufjs's
 * Writer and upstream's field numbers, independently of the server's schema-derived decoder.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import protobuf from 'protobufjs';
import { startHarness, type Harness } from './harness.js';

const PB = { 'Content-Type': 'application/vnd.kubernetes.protobuf', Accept: 'application/json' };
const CM = '/api/v1/namespaces/default/configmaps';

/** `k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw}. */
function envelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const typeMeta = protobuf.Writer.create().uint32((1 << 3) | 2).string(apiVersion).uint32((2 << 3) | 2).string(kind).finish();
  const unknown = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(typeMeta).uint32((2 << 3) | 2).bytes(raw).finish();
  return Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), unknown]);
}

function mapEntry(w: protobuf.Writer, fieldNo: number, key: string, value: string | Uint8Array): void {
  const e = protobuf.Writer.create().uint32((1 << 3) | 2).string(key);
  if (typeof value === 'string') e.uint32((2 << 3) | 2).string(value);
  else e.uint32((2 << 3) | 2).bytes(value);
  w.uint32((fieldNo << 3) | 2).bytes(e.finish());
}

/** A ConfigMap as Go's generated marshaller writes it: every non-pointer scalar, empty or not. */
function configMapBytes(name: string): Uint8Array {
  const time = protobuf.Writer.create().uint32((1 << 3) | 0).int64(0).uint32((2 << 3) | 0).int32(0).finish();
  const meta = protobuf.Writer.create()
    .uint32((1 << 3) | 2).string(name)
    .uint32((2 << 3) | 2).string('')
    .uint32((3 << 3) | 2).string('')
    .uint32((4 << 3) | 2).string('')
    .uint32((5 << 3) | 2).string('')
    .uint32((6 << 3) | 2).string('')
    .uint32((7 << 3) | 0).int64(0)
    .uint32((8 << 3) | 2).bytes(time);
  mapEntry(meta, 11, 'app', 'demo');
  meta.uint32((14 << 3) | 2).string('example.com/keep');
  const w = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(meta.finish());
  mapEntry(w, 2, 'greeting', 'hello');
  mapEntry(w, 2, 'blank', '');
  mapEntry(w, 3, 'raw', Uint8Array.from([0, 1, 2, 255]));
  w.uint32((4 << 3) | 0).bool(false);
  return w.finish();
}

describe('protobuf request bodies', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.stop(); });

  it('creates a ConfigMap from a protobuf body, with the JSON form a JSON body would give', async () => {
    const r = await h.client.request('POST', CM, envelope('v1', 'ConfigMap', configMapBytes('from-pb')), PB);
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.data, { greeting: 'hello', blank: '' });
    assert.deepEqual(r.json.binaryData, { raw: 'AAEC/w==' });
    assert.equal(r.json.immutable, false);
    assert.deepEqual(r.json.metadata.labels, { app: 'demo' });
    assert.deepEqual(r.json.metadata.finalizers, ['example.com/keep']);
    assert.equal(r.json.metadata.generateName, undefined);
    assert.equal(r.json.metadata.generation, undefined);
    assert.match(r.json.metadata.creationTimestamp, /Z$/);
  });

  it('deletes with a protobuf DeleteOptions body, preconditions included', async () => {
    const created = (await h.client.request('POST', CM, { metadata: { name: 'pb-del' } })).json;
    const pre = protobuf.Writer.create().uint32((1 << 3) | 2).string('not-the-uid').finish();
    const wrong = protobuf.Writer.create().uint32((2 << 3) | 2).bytes(pre).finish();
    const r1 = await h.client.request('DELETE', `${CM}/pb-del`, envelope('meta.k8s.io/v1', 'DeleteOptions', wrong), PB);
    assert.equal(r1.status, 409);
    assert.equal(r1.json.message, `Operation cannot be fulfilled on configmaps "pb-del": Precondition failed: UID in precondition: not-the-uid, UID in object meta: ${created.metadata.uid}`);
    const ok = protobuf.Writer.create().uint32((4 << 3) | 2).string('Background').finish();
    const r2 = await h.client.request('DELETE', `${CM}/pb-del`, envelope('meta.k8s.io/v1', 'DeleteOptions', ok), PB);
    assert.equal(r2.status, 200);
    assert.equal((await h.client.request('GET', `${CM}/pb-del`)).status, 404);
  });

  it('answers 400 to a body without the k8s prefix, to a truncated message, and to another kind', async () => {
    const noMagic = await h.client.request('POST', CM, Buffer.from('{"metadata":{"name":"x"}}'), PB);
    assert.equal(noMagic.status, 400);
    assert.equal(noMagic.json.message, 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
    const truncated = envelope('v1', 'ConfigMap', configMapBytes('cut')).subarray(0, 20);
    const t = await h.client.request('POST', CM, truncated, PB);
    assert.equal(t.status, 400);
    assert.equal(t.json.reason, 'BadRequest');
    const other = await h.client.request('POST', CM, envelope('v1', 'Secret', configMapBytes('s')), PB);
    assert.equal(other.status, 400);
    assert.match(other.json.message, /^Secret in version "v1" cannot be handled as a ConfigMap/);
    assert.equal((await h.client.request('GET', '/readyz')).text, 'ok');
  });
});
