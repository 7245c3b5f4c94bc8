import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureClusterPki } from '../../src/apiserver/pki/cluster-pki.js';
import { startApiServer } from '../../src/apiserver/server.js';
import { startKubernetesServiceController } from '../../src/apiserver/registry/core/service-allocation/kubernetes-service.js';
import { TestClient, eventually } from '../support/client.js';
import { startEtcd } from '../support/etcd.js';
import { startHarness, type Harness } from './harness.js';

const NS = '/api/v1/namespaces';
const TABLE = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };
const IPS_KEY = '/registry/ranges/serviceips';
const PORTS_KEY = '/registry/ranges/servicenodeports';

function svc(name: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, ...extra }, spec };
}

/** 10.96.0.0/12 as a number range, and an address as a number. */
function ipNumber(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}
const RANGE_LOW = ipNumber('10.96.0.0');
const RANGE_HIGH = ipNumber('10.111.255.255');

/** The 422 upstream answers for a Service with these field errors. */
function invalidStatus(name: string, causes: Array<[field: string, reason: string, message: string]>): Record<string, unknown> {
  const parts = causes.map(([f, , m]) => `${f}: ${m}`);
  return {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
    message: `Service "${name}" is invalid: ${parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`}`,
    reason: 'Invalid',
    details: { name, kind: 'Service', causes: causes.map(([field, reason, message]) => ({ reason, message, field })) },
    code: 422,
  };
}

async function storedOffsets(h: Harness, key: string): Promise<number[]> {
  const kv = await h.cluster.storage.get(key);
  return kv ? JSON.parse(kv.value.toString()).allocated : [];
}

describe('services: defaults, cluster IPs, node ports, validation, tables', () => {
  let h: Harness;
  const S = `${NS}/svc/services`;
  before(async () => {
    h = await startHarness();
    assert.equal((await h.client.request('POST', NS, { metadata: { name: 'svc' } })).status, 201);
  });
  after(async () => { await h.stop(); });

  it('the kubernetes service exists in default with 10.96.0.1 and the API server port', async () => {
    const r = await h.client.request('GET', `${NS}/default/services/kubernetes`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.metadata.labels, { component: 'apiserver', provider: 'kubernetes' });
    assert.deepEqual(r.json.spec, {
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: h.cluster.port }],
      clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], sessionAffinity: 'None', type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack',
    });
    assert.deepEqual(r.json.status, { loadBalancer: {} });
    const t = await h.client.request('GET', `${NS}/default/services/kubernetes`, undefined, TABLE);
    assert.deepEqual(t.json.rows[0].cells.slice(0, 5), ['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP']);
    assert.equal(t.json.rows[0].cells[6], '<none>');
    const ep = await h.client.request('GET', `${NS}/default/endpoints/kubernetes`);
    assert.equal(ep.status, 200);
    assert.deepEqual(ep.json.metadata.labels, { 'endpointslice.kubernetes.io/skip-mirror': 'true' });
    assert.deepEqual(ep.json.subsets, [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: h.cluster.port, protocol: 'TCP' }] }]);
  });

  it('puts the kubernetes service back when it is deleted', async () => {
    const registry = h.cluster.apiServer.registries.get('/services')!;
    const controller = await startKubernetesServiceController(registry, { serviceClusterIpRange: '10.96.0.0/12', port: h.cluster.port }, 50);
    try {
      const d = await h.client.request('DELETE', `${NS}/default/services/kubernetes`);
      assert.equal(d.status, 200);
      await eventually(async () => (await h.client.request('GET', `${NS}/default/services/kubernetes`)).status === 200, 5000, 'the kubernetes service');
      const r = await h.client.request('GET', `${NS}/default/services/kubernetes`);
      assert.equal(r.json.spec.clusterIP, '10.96.0.1');
      assert.notEqual(r.json.metadata.uid, d.json.metadata.uid);
    } finally {
      await controller.stop();
    }
  });

  it('fills upstream defaults and allocates a cluster IP', async () => {
    const r = await h.client.request('POST', S, svc('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    assert.equal(r.status, 201);
    const ip = r.json.spec.clusterIP;
    assert.deepEqual(r.json.spec, {
      selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], sessionAffinity: 'None', type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'], clusterIP: ip, clusterIPs: [ip],
    });
    assert.deepEqual(r.json.status, { loadBalancer: {} });
    const g = await h.client.request('GET', `${S}/web`);
    assert.deepEqual(g.json, r.json);
  });

  it('allocates unique addresses in the range, from the upper band, across 50 creates', async () => {
    const created = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      h.client.request('POST', S, svc(`many-${i}`, { ports: [{ port: 80 }] }))));
    const ips = created.map((r) => { assert.equal(r.status, 201, r.text); return r.json.spec.clusterIP as string; });
    assert.equal(new Set(ips).size, 50);
    for (const ip of ips) {
      const n = ipNumber(ip);
      assert.ok(n > RANGE_LOW && n < RANGE_HIGH, `${ip} is in 10.96.0.0/12`);
      // The first 256 addresses are kept for requested IPs (upstream's static subrange).
      assert.ok(n >= ipNumber('10.96.1.1'), `${ip} is above the static band`);
    }
  });

  it('takes a requested cluster IP and refuses it twice with upstream Status', async () => {
    const r = await h.client.request('POST', S, svc('fixed', { clusterIP: '10.96.0.10', ports: [{ port: 80 }] }));
    assert.equal(r.status, 201);
    assert.deepEqual(r.json.spec.clusterIPs, ['10.96.0.10']);
    const again = await h.client.request('POST', S, svc('fixed-2', { clusterIP: '10.96.0.10', ports: [{ port: 80 }] }));
    assert.equal(again.status, 422);
    assert.deepEqual(again.json, invalidStatus('fixed-2', [['spec.clusterIPs', 'FieldValueInvalid',
      'Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated']]));
    const kube = await h.client.request('POST', S, svc('kube-ip', { clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ port: 80 }] }));
    assert.equal(kube.json.message, 'Service "kube-ip" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated');
  });

  it('refuses addresses outside the range and malformed ones', async () => {
    const out = await h.client.request('POST', S, svc('outside', { clusterIP: '192.168.1.1', ports: [{ port: 80 }] }));
    assert.equal(out.status, 422);
    assert.deepEqual(out.json, invalidStatus('outside', [['spec.clusterIPs', 'FieldValueInvalid',
      'Invalid value: []string{"192.168.1.1"}: failed to allocate IP 192.168.1.1: the provided IP (192.168.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12']]));
    const bad = await h.client.request('POST', S, svc('bad-ip', { clusterIP: 'abc', ports: [{ port: 80 }] }));
    assert.deepEqual(bad.json, invalidStatus('bad-ip', [['spec.clusterIPs[0]', 'FieldValueInvalid',
      'Invalid value: "abc": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']]));
    const mismatch = await h.client.request('POST', S, svc('mismatch', { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.21'], ports: [{ port: 80 }] }));
    assert.equal(mismatch.json.message, 'Service "mismatch" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.21"}: first value must match `clusterIP`');
    const v6 = await h.client.request('POST', S, svc('v6', { ipFamilies: ['IPv6'], ports: [{ port: 80 }] }));
    assert.equal(v6.json.message, 'Service "v6" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster');
    const dual = await h.client.request('POST', S, svc('dual', { ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 80 }] }));
    assert.equal(dual.json.message, 'Service "dual" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services');
  });

  it('answers the deleted service and frees its address for reuse', async () => {
    await h.client.request('POST', S, svc('reuse', { clusterIP: '10.96.0.30', ports: [{ port: 80 }] }));
    const d = await h.client.request('DELETE', `${S}/reuse`);
    assert.equal(d.status, 200);
    assert.equal(d.json.kind, 'Service');
    assert.equal(d.json.spec.clusterIP, '10.96.0.30');
    const again = await h.client.request('POST', S, svc('reuse-2', { clusterIP: '10.96.0.30', ports: [{ port: 80 }] }));
    assert.equal(again.status, 201);
  });

  it('deletes the endpoints of a deleted service', async () => {
    await h.client.request('POST', S, svc('with-ep', { ports: [{ port: 80 }] }));
    const ep = await h.client.request('POST', `${NS}/svc/endpoints`, {
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'with-ep' },
      subsets: [{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 80, protocol: 'TCP' }] }],
    });
    assert.equal(ep.status, 201, ep.text);
    assert.equal((await h.client.request('DELETE', `${S}/with-ep`)).status, 200);
    assert.equal((await h.client.request('GET', `${NS}/svc/endpoints/with-ep`)).status, 404);
  });

  it('a failed create gives its address back', async () => {
    await h.client.request('POST', S, svc('taken-name', { ports: [{ port: 80 }] }));
    const dup = await h.client.request('POST', S, svc('taken-name', { clusterIP: '10.96.0.40', ports: [{ port: 80 }] }));
    assert.equal(dup.status, 409);
    assert.equal((await h.client.request('POST', S, svc('after-409', { clusterIP: '10.96.0.40', ports: [{ port: 80 }] }))).status, 201);
  });

  it('a dry run shows placeholders and allocates nothing', async () => {
    const ips = await storedOffsets(h, IPS_KEY);
    const ports = await storedOffsets(h, PORTS_KEY);
    const r = await h.client.request('POST', `${S}?dryRun=All`, svc('dry', { type: 'NodePort', ports: [{ port: 80 }] }));
    assert.equal(r.status, 201);
    assert.equal(r.json.spec.clusterIP, '10.96.0.0');
    assert.equal(r.json.spec.ports[0].nodePort, 32769);
    assert.equal((await h.client.request('GET', `${S}/dry`)).status, 404);
    assert.deepEqual(await storedOffsets(h, IPS_KEY), ips);
    assert.deepEqual(await storedOffsets(h, PORTS_KEY), ports);
  });

  it('keeps allocated values when a manifest without them is resubmitted', async () => {
    const c = await h.client.request('POST', S, svc('resubmit', { type: 'NodePort', ports: [{ name: 'http', port: 80 }] }));
    const put = await h.client.request('PUT', `${S}/resubmit`, svc('resubmit', { type: 'NodePort', ports: [{ name: 'http', port: 80 }] }));
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json.spec.clusterIP, c.json.spec.clusterIP);
    assert.deepEqual(put.json.spec.clusterIPs, c.json.spec.clusterIPs);
    assert.equal(put.json.spec.ports[0].nodePort, c.json.spec.ports[0].nodePort);
  });

  it('clusterIP may not change once set', async () => {
    const c = await h.client.request('POST', S, svc('immutable', { ports: [{ port: 80 }] }));
    const changed = { ...c.json, spec: { ...c.json.spec, clusterIP: '10.96.0.77' } };
    const r = await h.client.request('PUT', `${S}/immutable`, changed);
    assert.equal(r.status, 422);
    assert.deepEqual(r.json, invalidStatus('immutable', [['spec.clusterIPs[0]', 'FieldValueInvalid',
      'Invalid value: []string{"10.96.0.77"}: may not change once set']]));
  });

  it('allocates node ports, shares one across protocols, and refuses taken or foreign ones', async () => {
    const auto = await h.client.request('POST', S, svc('np-auto', { type: 'NodePort', ports: [{ port: 80 }] }));
    assert.equal(auto.status, 201);
    const np = auto.json.spec.ports[0].nodePort;
    // Above the static band of 30000-32767 (upstream keeps its first 86 ports for requests).
    assert.ok(np >= 30086 && np <= 32767, `${np}`);
    assert.equal(auto.json.spec.externalTrafficPolicy, 'Cluster');
    const both = await h.client.request('POST', S, svc('np-both', { type: 'NodePort', ports: [{ name: 'tcp', port: 53 }, { name: 'udp', port: 53, protocol: 'UDP' }] }));
    assert.equal(both.json.spec.ports[0].nodePort, both.json.spec.ports[1].nodePort);
    const fixed = await h.client.request('POST', S, svc('np-fixed', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
    assert.equal(fixed.status, 201);
    assert.equal(fixed.json.spec.ports[0].nodePort, 30080);
    const ipsBefore = await storedOffsets(h, IPS_KEY);
    const taken = await h.client.request('POST', S, svc('np-taken', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
    assert.equal(taken.status, 422);
    assert.deepEqual(taken.json, invalidStatus('np-taken', [['spec.ports[0].nodePort', 'FieldValueInvalid',
      'Invalid value: 30080: provided port is already allocated']]));
    const outside = await h.client.request('POST', S, svc('np-out', { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }));
    assert.deepEqual(outside.json, invalidStatus('np-out', [['spec.ports[0].nodePort', 'FieldValueInvalid',
      'Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767']]));
    // The cluster IPs the refused creates had taken were given back.
    assert.deepEqual(await storedOffsets(h, IPS_KEY), ipsBefore);
  });

  it('releases node ports on delete and when the type no longer needs them', async () => {
    await h.client.request('POST', S, svc('np-del', { type: 'NodePort', ports: [{ port: 80, nodePort: 30081 }] }));
    assert.equal((await h.client.request('DELETE', `${S}/np-del`)).status, 200);
    assert.equal((await h.client.request('POST', S, svc('np-del-2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30081 }] }))).status, 201);

    await h.client.request('POST', S, svc('np-type', { type: 'NodePort', ports: [{ port: 80, nodePort: 30082 }] }));
    const p = await h.client.request('PATCH', `${S}/np-type`, { spec: { type: 'ClusterIP' } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(p.status, 200, p.text);
    assert.deepEqual(p.json.spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
    assert.equal(p.json.spec.externalTrafficPolicy, undefined);
    assert.equal((await h.client.request('POST', S, svc('np-type-2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30082 }] }))).status, 201);
  });

  it('allocates node ports when the type changes to NodePort, and stores them', async () => {
    await h.client.request('POST', S, svc('to-np', { ports: [{ port: 80 }] }));
    const p = await h.client.request('PATCH', `${S}/to-np`, { spec: { type: 'NodePort' } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(p.status, 200, p.text);
    const np = p.json.spec.ports[0].nodePort;
    assert.ok(np >= 30000 && np <= 32767, `${np}`);
    const g = await h.client.request('GET', `${S}/to-np`);
    assert.equal(g.json.spec.ports[0].nodePort, np);
    const offsets = await storedOffsets(h, PORTS_KEY);
    assert.ok(offsets.includes(np - 30000));
  });

  it('moves between ExternalName and ClusterIP, releasing and allocating the address', async () => {
    const c = await h.client.request('POST', S, svc('ext', { clusterIP: '10.96.0.60', ports: [{ port: 80 }] }));
    assert.equal(c.status, 201);
    const toExt = await h.client.request('PATCH', `${S}/ext`, { spec: { type: 'ExternalName', externalName: 'example.com' } },
      { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(toExt.status, 200, toExt.text);
    assert.equal(toExt.json.spec.clusterIP, undefined);
    assert.equal(toExt.json.spec.clusterIPs, undefined);
    assert.equal(toExt.json.spec.ipFamilies, undefined);
    assert.equal((await h.client.request('POST', S, svc('ext-ip', { clusterIP: '10.96.0.60', ports: [{ port: 80 }] }))).status, 201);
    const back = await h.client.request('PATCH', `${S}/ext`, { spec: { type: 'ClusterIP', externalName: null } },
      { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(back.status, 200, back.text);
    const ip = back.json.spec.clusterIP;
    assert.ok(ipNumber(ip) > RANGE_LOW && ipNumber(ip) < RANGE_HIGH, ip);
    assert.equal((await h.client.request('GET', `${S}/ext`)).json.spec.clusterIP, ip);
  });

  it('LoadBalancer services get node ports, a health check port with Local, and show <pending>', async () => {
    const lb = await h.client.request('POST', S, svc('lb', { type: 'LoadBalancer', selector: { app: 'lb' }, ports: [{ port: 443, targetPort: 'https' }] }));
    assert.equal(lb.status, 201, lb.text);
    assert.equal(lb.json.spec.allocateLoadBalancerNodePorts, true);
    assert.equal(lb.json.spec.externalTrafficPolicy, 'Cluster');
    const np = lb.json.spec.ports[0].nodePort;
    const local = await h.client.request('POST', S, svc('lb-local', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] }));
    assert.equal(local.status, 201, local.text);
    assert.ok(local.json.spec.healthCheckNodePort >= 30000 && local.json.spec.healthCheckNodePort <= 32767);
    const t = await h.client.request('GET', `${S}/lb`, undefined, TABLE);
    assert.deepEqual(t.json.rows[0].cells.slice(0, 5), ['lb', 'LoadBalancer', lb.json.spec.clusterIP, '<pending>', `443:${np}/TCP`]);
    assert.equal(t.json.rows[0].cells[6], 'app=lb');
    const st = await h.client.request('PUT', `${S}/lb/status`, { ...lb.json, status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } } });
    assert.equal(st.status, 200, st.text);
    assert.deepEqual(st.json.status, { loadBalancer: { ingress: [{ ip: '203.0.113.7', ipMode: 'VIP' }] } });
    const t2 = await h.client.request('GET', `${S}/lb`, undefined, TABLE);
    assert.equal(t2.json.rows[0].cells[3], '203.0.113.7');
  });

  it('headless services take no address', async () => {
    const r = await h.client.request('POST', S, svc('headless', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] }));
    assert.equal(r.status, 201);
    assert.deepEqual(r.json.spec.clusterIPs, ['None']);
    assert.deepEqual(r.json.spec.ipFamilies, ['IPv4']);
    assert.equal(r.json.spec.ipFamilyPolicy, 'SingleStack');
    const bare = await h.client.request('POST', S, svc('headless-bare', { clusterIP: 'None' }));
    assert.equal(bare.status, 201, bare.text);
    assert.deepEqual(bare.json.spec.ipFamilies, ['IPv4', 'IPv6']);
    assert.equal(bare.json.spec.ipFamilyPolicy, 'RequireDualStack');
    const t = await h.client.request('GET', `${S}/headless-bare`, undefined, TABLE);
    assert.deepEqual(t.json.rows[0].cells.slice(0, 5), ['headless-bare', 'ClusterIP', 'None', '<none>', '<none>']);
  });

  it('ExternalName services need externalName and show it', async () => {
    const missing = await h.client.request('POST', S, svc('ext-missing', { type: 'ExternalName' }));
    assert.deepEqual(missing.json, invalidStatus('ext-missing', [['spec.externalName', 'FieldValueRequired', 'Required value']]));
    const r = await h.client.request('POST', S, svc('ext-ok', { type: 'ExternalName', externalName: 'db.example.com' }));
    assert.equal(r.status, 201);
    assert.deepEqual(r.json.spec, { type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' });
    const t = await h.client.request('GET', `${S}/ext-ok`, undefined, TABLE);
    assert.deepEqual(t.json.rows[0].cells.slice(0, 5), ['ext-ok', 'ExternalName', '<none>', 'db.example.com', '<none>']);
  });

  it('validates with upstream field paths and messages', async () => {
    const noPorts = await h.client.request('POST', S, svc('v-noports', {}));
    assert.deepEqual(noPorts.json, invalidStatus('v-noports', [['spec.ports', 'FieldValueRequired', 'Required value']]));
    const dupName = await h.client.request('POST', S, svc('v-dup', { ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }));
    assert.deepEqual(dupName.json, invalidStatus('v-dup', [['spec.ports[1].name', 'FieldValueDuplicate', 'Duplicate value: "http"']]));
    const unnamed = await h.client.request('POST', S, svc('v-unnamed', { ports: [{ port: 80 }, { port: 81 }] }));
    assert.deepEqual(unnamed.json, invalidStatus('v-unnamed', [
      ['spec.ports[0].name', 'FieldValueRequired', 'Required value'], ['spec.ports[1].name', 'FieldValueRequired', 'Required value']]));
    const range = await h.client.request('POST', S, svc('v-range', { ports: [{ port: 70000 }] }));
    assert.deepEqual(range.json, invalidStatus('v-range', [
      ['spec.ports[0].port', 'FieldValueInvalid', 'Invalid value: 70000: must be between 1 and 65535, inclusive'],
      ['spec.ports[0].targetPort', 'FieldValueInvalid', 'Invalid value: 70000: must be between 1 and 65535, inclusive']]));
    const type = await h.client.request('POST', S, svc('v-type', { type: 'Foo', ports: [{ port: 80 }] }));
    assert.deepEqual(type.json, invalidStatus('v-type', [['spec.type', 'FieldValueNotSupported',
      'Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']]));
    const dupPort = await h.client.request('POST', S, svc('v-dupport', { ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }));
    assert.equal(dupPort.json.message, 'Service "v-dupport" is invalid: spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", '
      + 'AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}');
    const cipNodePort = await h.client.request('POST', S, svc('v-cip-np', { ports: [{ port: 80, nodePort: 30090 }] }));
    assert.deepEqual(cipNodePort.json, invalidStatus('v-cip-np', [['spec.ports[0].nodePort', 'FieldValueForbidden',
      "Forbidden: may not be used when `type` is 'ClusterIP'"]]));
    const name = await h.client.request('POST', S, svc('1web', { ports: [{ port: 80 }] }));
    assert.equal(name.json.message, 'Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case '
      + "alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
      + "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
    const protocol = await h.client.request('POST', S, svc('v-proto', { ports: [{ port: 80, protocol: 'HTTP' }] }));
    assert.equal(protocol.json.message, 'Service "v-proto" is invalid: spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"');
    const hcPort = await h.client.request('POST', S, svc('v-hc', { healthCheckNodePort: 30500, ports: [{ port: 80 }] }));
    assert.equal(hcPort.json.message, "Service \"v-hc\" is invalid: spec.healthCheckNodePort: Invalid value: 30500: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
  });

  it('prints the service table with upstream columns', async () => {
    const r = await h.client.request('GET', S, undefined, TABLE);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.columnDefinitions.map((c: { name: string; priority: number }) => [c.name, c.priority]), [
      ['Name', 0], ['Type', 0], ['Cluster-IP', 0], ['External-IP', 0], ['Port(s)', 0], ['Age', 0], ['Selector', 1]]);
    const fixed = r.json.rows.find((row: { cells: string[] }) => row.cells[0] === 'np-fixed');
    assert.deepEqual(fixed.cells.slice(1, 5), ['NodePort', fixed.cells[2], '<none>', '80:30080/TCP']);
    assert.match(fixed.cells[2], /^10\.\d+\.\d+\.\d+$/);
    const web = r.json.rows.find((row: { cells: string[] }) => row.cells[0] === 'web');
    assert.deepEqual([web.cells[4], web.cells[6]], ['80/TCP', 'app=web']);
  });
});

describe('services: allocation state survives restarts and is repaired', () => {
  it('keeps allocations, frees a leaked address and takes back a missing one', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tskube-svc-'));
    try {
      const first = await startHarness({ dataDir });
      const S = `${NS}/default/services`;
      const a = (await first.client.request('POST', S, svc('keep-a', { ports: [{ port: 80 }] }))).json;
      const b = await first.client.request('POST', S, svc('keep-b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30100 }] }));
      assert.equal(b.status, 201);
      // Damage the stored state: a leaked 10.96.0.50 (offset 49) and keep-a's address missing.
      const aOffset = ipNumber(a.spec.clusterIP) - ipNumber('10.96.0.1');
      const kv = (await first.cluster.storage.get(IPS_KEY))!;
      const state = JSON.parse(kv.value.toString());
      state.allocated = [...state.allocated.filter((o: number) => o !== aOffset), 49].sort((x: number, y: number) => x - y);
      delete state.recent;
      await first.cluster.storage.update(IPS_KEY, Buffer.from(JSON.stringify(state)), kv.modRevision);
      const oldPort = first.cluster.port;
      await first.stop();

      const second = await startHarness({ dataDir });
      try {
        const S2 = `${NS}/default/services`;
        const stolen = await second.client.request('POST', S2, svc('steal-a', { clusterIP: a.spec.clusterIP, ports: [{ port: 80 }] }));
        assert.equal(stolen.status, 422);
        assert.equal(stolen.json.message, `Service "steal-a" is invalid: spec.clusterIPs: Invalid value: []string{"${a.spec.clusterIP}"}: failed to allocate IP ${a.spec.clusterIP}: provided IP is already allocated`);
        assert.equal((await second.client.request('POST', S2, svc('leaked', { clusterIP: '10.96.0.50', ports: [{ port: 80 }] }))).status, 201);
        const port = await second.client.request('POST', S2, svc('steal-b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30100 }] }));
        assert.equal(port.json.message, 'Service "steal-b" is invalid: spec.ports[0].nodePort: Invalid value: 30100: provided port is already allocated');
        const offsets = (await second.client.request('GET', '/api/v1/services')).json.items
          .map((s: { spec: { clusterIP: string } }) => ipNumber(s.spec.clusterIP) - ipNumber('10.96.0.1')).sort((x: number, y: number) => x - y);
        const stored = JSON.parse((await second.cluster.storage.get(IPS_KEY))!.value.toString()).allocated;
        assert.deepEqual(stored, offsets);
        // The kubernetes service follows the API server to its new port.
        const kube = (await second.client.request('GET', `${S2}/kubernetes`)).json;
        assert.notEqual(second.cluster.port, oldPort);
        assert.equal(kube.spec.ports[0].targetPort, second.cluster.port);
        assert.equal(kube.spec.clusterIP, '10.96.0.1');
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('services: two API servers on one storage', () => {
  it('never hand out the same address or port twice', async () => {
    const h = await startHarness();
    const pki = await ensureClusterPki(h.cluster.dataDir, '127.0.0.1');
    const other = await startApiServer({ storage: h.cluster.storage, pki, port: 0, compactionIntervalMs: 0 });
    const client2 = new TestClient({ server: `https://127.0.0.1:${other.port}`, ca: h.cluster.credentials.ca, cert: h.cluster.credentials.cert, key: h.cluster.credentials.key });
    try {
      const S = `${NS}/default/services`;
      const created = await Promise.all(Array.from({ length: 30 }, (_, i) =>
        (i % 2 === 0 ? h.client : client2).request('POST', S, svc(`pair-${i}`, { type: 'NodePort', ports: [{ port: 80 }] }))));
      for (const r of created) assert.equal(r.status, 201, r.text);
      assert.equal(new Set(created.map((r) => r.json.spec.clusterIP)).size, 30);
      assert.equal(new Set(created.map((r) => r.json.spec.ports[0].nodePort)).size, 30);
      const race = await Promise.all([h.client, client2].map((c, i) =>
        c.request('POST', S, svc(`race-${i}`, { clusterIP: '10.96.0.99', ports: [{ port: 80 }] }))));
      assert.deepEqual(race.map((r) => r.status).sort(), [201, 422]);
      // One server sees an address the other released.
      assert.equal((await h.client.request('POST', S, svc('moved', { clusterIP: '10.96.0.98', ports: [{ port: 80 }] }))).status, 201);
      assert.equal((await client2.request('DELETE', `${S}/moved`)).status, 200);
      assert.equal((await h.client.request('POST', S, svc('moved-back', { clusterIP: '10.96.0.98', ports: [{ port: 80 }] }))).status, 201);
    } finally {
      client2.close();
      await other.close();
      await h.stop();
    }
  });
});

describe('services: two clusters sharing one etcd', () => {
  it('allocate through compare-and-swap without handing out a value twice', async () => {
    const etcd = await startEtcd();
    const a = await startHarness({ storage: 'etcd', etcdServers: etcd.endpoints });
    const b = await startHarness({ storage: 'etcd', etcdServers: etcd.endpoints });
    try {
      const S = `${NS}/default/services`;
      const created = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? a : b).client.request('POST', S, svc(`etcd-${i}`, { type: 'NodePort', ports: [{ port: 80 }] }))));
      for (const r of created) assert.equal(r.status, 201, r.text);
      assert.equal(new Set(created.map((r) => r.json.spec.clusterIP)).size, 20);
      assert.equal(new Set(created.map((r) => r.json.spec.ports[0].nodePort)).size, 20);
      const race = await Promise.all([a, b].map((h, i) =>
        h.client.request('POST', S, svc(`etcd-race-${i}`, { type: 'NodePort', ports: [{ port: 80, nodePort: 30200 }] }))));
      assert.deepEqual(race.map((r) => r.status).sort(), [201, 422]);
      const loser = race.find((r) => r.status === 422)!;
      assert.equal(loser.json.details.causes[0].message, 'Invalid value: 30200: provided port is already allocated');
    } finally {
      await a.stop();
      await b.stop();
      await etcd.stop();
    }
  });
});
