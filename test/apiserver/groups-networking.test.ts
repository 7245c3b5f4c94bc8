import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from './harness.js';

const NS = 'net-test';
const NET = `/apis/networking.k8s.io/v1/namespaces/${NS}`;
const TABLE = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };
const MERGE = { 'Content-Type': 'application/merge-patch+json' };

function backend(name = 'web', port: Record<string, unknown> = { number: 80 }): Record<string, unknown> {
  return { service: { name, port } };
}

function rule(host: string | undefined, path = '/'): Record<string, unknown> {
  return { ...(host ? { host } : {}), http: { paths: [{ path, pathType: 'Prefix', backend: backend() }] } };
}

function cells(table: any, ageIndex: number): unknown[] {
  const c = [...table.rows[0].cells];
  assert.match(String(c[ageIndex]), /^\d+s$/);
  c[ageIndex] = 'AGE';
  return c;
}

describe('networking.k8s.io/v1 resources', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    assert.equal((await h.client.request('POST', '/api/v1/namespaces', { metadata: { name: NS } })).status, 201);
  });
  after(async () => { await h.stop(); });

  it('creates an ingress with an empty load-balancer status and prints CLASS HOSTS ADDRESS PORTS AGE', async () => {
    const r = await h.client.request('POST', `${NET}/ingresses`, {
      metadata: { name: 'site' },
      spec: { ingressClassName: 'nginx', rules: [rule('a.example.com'), rule('b.example.com'), rule(undefined), rule('c.example.com'), rule('d.example.com')], tls: [{ hosts: ['a.example.com'], secretName: 'tls' }] },
    });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.status, { loadBalancer: {} });
    assert.equal(r.json.metadata.generation, 1);
    const st = await h.client.request('PATCH', `${NET}/ingresses/site/status`, { status: { loadBalancer: { ingress: [{ ip: '10.0.0.9' }, { hostname: 'lb.example.com' }, { ip: '10.0.0.2' }] } } }, MERGE);
    assert.equal(st.status, 200, st.text);
    const t = await h.client.request('GET', `${NET}/ingresses/site`, undefined, TABLE);
    assert.deepEqual(t.json.columnDefinitions.map((c: any) => c.name), ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age']);
    assert.deepEqual(cells(t.json, 5), ['site', 'nginx', 'a.example.com,b.example.com,c.example.com + 2 more...', '10.0.0.2,10.0.0.9,lb.example.com', '80, 443', 'AGE']);
    const plain = await h.client.request('POST', `${NET}/ingresses`, { metadata: { name: 'plain' }, spec: { defaultBackend: backend() } });
    assert.equal(plain.status, 201, plain.text);
    const pt = await h.client.request('GET', `${NET}/ingresses/plain`, undefined, TABLE);
    assert.deepEqual(cells(pt.json, 5), ['plain', '<none>', '*', '', '80', 'AGE']);
  });

  it('validates ingresses with upstream\'s messages', async () => {
    const none = await h.client.request('POST', `${NET}/ingresses`, { metadata: { name: 'empty' }, spec: {} });
    assert.equal(none.json.message, 'Ingress.networking.k8s.io "empty" is invalid: spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified');
    const noType = await h.client.request('POST', `${NET}/ingresses`, {
      metadata: { name: 'notype' }, spec: { rules: [{ host: 'x.example.com', http: { paths: [{ path: '/', backend: backend() }] } }] },
    });
    assert.equal(noType.json.message, 'Ingress.networking.k8s.io "notype" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified');
    const ip = await h.client.request('POST', `${NET}/ingresses`, { metadata: { name: 'ip' }, spec: { rules: [rule('10.1.2.3', 'relative')] } });
    assert.equal(ip.json.message, 'Ingress.networking.k8s.io "ip" is invalid: [spec.rules[0].host: Invalid value: "10.1.2.3": must be a DNS name, not an IP address, '
      + 'spec.rules[0].http.paths[0].path: Invalid value: "relative": must be an absolute path]');
    const port = await h.client.request('POST', `${NET}/ingresses`, { metadata: { name: 'port' }, spec: { defaultBackend: backend('web', {}) } });
    assert.equal(port.json.message, 'Ingress.networking.k8s.io "port" is invalid: spec.defaultBackend: Required value: port name or number is required');
  });

  it('creates cluster-scoped ingress classes and keeps their controller immutable', async () => {
    const r = await h.client.request('POST', '/apis/networking.k8s.io/v1/ingressclasses', {
      metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } },
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.metadata.namespace, undefined);
    assert.equal(r.json.spec.parameters.scope, 'Cluster');
    const t = await h.client.request('GET', '/apis/networking.k8s.io/v1/ingressclasses/nginx', undefined, TABLE);
    assert.deepEqual(t.json.columnDefinitions.map((c: any) => c.name), ['Name', 'Controller', 'Parameters', 'Age']);
    assert.deepEqual(cells(t.json, 3), ['nginx', 'k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/external-lb', 'AGE']);
    const moved = await h.client.request('PATCH', '/apis/networking.k8s.io/v1/ingressclasses/nginx', { spec: { controller: 'example.com/other' } }, MERGE);
    assert.equal(moved.json.message, 'IngressClass.networking.k8s.io "nginx" is invalid: spec.controller: Invalid value: "example.com/other": field is immutable');
    const bad = await h.client.request('POST', '/apis/networking.k8s.io/v1/ingressclasses', { metadata: { name: 'bad' }, spec: { controller: 'nginx' } });
    assert.equal(bad.json.message, 'IngressClass.networking.k8s.io "bad" is invalid: spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")');
  });

  it('defaults network policies and prints POD-SELECTOR AGE', async () => {
    const r = await h.client.request('POST', `${NET}/networkpolicies`, {
      metadata: { name: 'db' },
      spec: { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 5432 }] }], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] },
    });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.spec.policyTypes, ['Ingress', 'Egress']);
    assert.deepEqual(r.json.spec.ingress[0].ports, [{ port: 5432, protocol: 'TCP' }]);
    const all = await h.client.request('POST', `${NET}/networkpolicies`, { metadata: { name: 'deny' }, spec: { podSelector: {} } });
    assert.deepEqual(all.json.spec.policyTypes, ['Ingress']);
    const t = await h.client.request('GET', `${NET}/networkpolicies/db`, undefined, TABLE);
    assert.deepEqual(t.json.columnDefinitions.map((c: any) => c.name), ['Name', 'Pod-Selector', 'Age']);
    assert.deepEqual(cells(t.json, 2), ['db', 'role=db', 'AGE']);
    const dt = await h.client.request('GET', `${NET}/networkpolicies/deny`, undefined, TABLE);
    assert.deepEqual(cells(dt.json, 2), ['deny', '<none>', 'AGE']);
    const bad = await h.client.request('POST', `${NET}/networkpolicies`, { metadata: { name: 'bad' }, spec: { podSelector: {}, ingress: [{ from: [{}], ports: [{ port: 0 }] }] } });
    assert.equal(bad.json.message, 'NetworkPolicy.networking.k8s.io "bad" is invalid: [spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, '
      + 'spec.ingress[0].from[0]: Required value: must specify a peer]');
  });

  it('lists the networking resources with upstream\'s short names', async () => {
    const d = await h.client.request('GET', '/apis/networking.k8s.io/v1');
    const main = d.json.resources.filter((r: any) => ['ingressclasses', 'ingresses', 'networkpolicies', 'ingresses/status'].includes(r.name));
    assert.deepEqual(main.map((r: any) => [r.name, r.shortNames ?? [], r.namespaced]), [
      ['ingressclasses', [], false], ['ingresses', ['ing'], true], ['ingresses/status', [], true], ['networkpolicies', ['netpol'], true]]);
  });
});
