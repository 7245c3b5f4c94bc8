import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SYSTEM_PRIORITY_CLASSES } from '../../src/apiserver/registry/scheduling/index.js';
import { startHarness, type Harness } from './harness.js';

const NS = 'misc-test';
const TABLE = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };
const MERGE = { 'Content-Type': 'application/merge-patch+json' };

function cells(table: any, ageIndex: number): unknown[] {
  const c = [...table.rows[0].cells];
  assert.match(String(c[ageIndex]), /^\d+s$/);
  c[ageIndex] = 'AGE';
  return c;
}

describe('coordination, events, discovery, policy and scheduling resources', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    assert.equal((await h.client.request('POST', '/api/v1/namespaces', { metadata: { name: NS } })).status, 201);
  });
  after(async () => { await h.stop(); });

  it('creates leases (also by PUT) and prints HOLDER AGE', async () => {
    const leases = `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`;
    const r = await h.client.request('PUT', `${leases}/leader`, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'leader' }, spec: { holderIdentity: 'node-a', leaseDurationSeconds: 15 } });
    assert.equal(r.status, 201, r.text);
    const t = await h.client.request('GET', `${leases}/leader`, undefined, TABLE);
    assert.deepEqual(t.json.columnDefinitions.map((c: any) => c.name), ['Name', 'Holder', 'Age']);
    assert.deepEqual(cells(t.json, 2), ['leader', 'node-a', 'AGE']);
    const bad = await h.client.request('POST', leases, { metadata: { name: 'bad' }, spec: { leaseDurationSeconds: 0 } });
    assert.equal(bad.json.message, 'Lease.coordination.k8s.io "bad" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0');
    const free = await h.client.request('POST', leases, { metadata: { name: 'free' }, spec: {} });
    assert.equal(free.status, 201, free.text);
    const list = await h.client.request('GET', leases, undefined, TABLE);
    assert.deepEqual(list.json.rows.map((row: any) => row.cells[1]), ['', 'node-a']);
  });

  it('validates events.k8s.io events strictly and prints them as upstream\'s event printer computes', async () => {
    const events = `/apis/events.k8s.io/v1/namespaces/${NS}/events`;
    const bare = await h.client.request('POST', events, { metadata: { name: 'bare' }, eventTime: '2024-05-01T10:00:00.000000Z', type: 'Normal' });
    assert.equal(bare.status, 422);
    assert.deepEqual(bare.json.details.causes.map((c: any) => `${c.field}: ${c.message}`), [
      'involvedObject.namespace: Invalid value: "": does not match event.namespace',
      'reportingController: Required value',
      'reportingController: Invalid value: "": name part must be non-empty',
      'reportingController: Invalid value: "": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character '
        + "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      'reportingInstance: Required value',
      'action: Required value',
      'reason: Required value',
    ]);
    const eventTime = new Date(Date.now() - 90_000).toISOString().replace('Z', '000Z');
    const r = await h.client.request('POST', events, {
      metadata: { name: 'pulled' }, eventTime, type: 'Normal', reason: 'Pulled', action: 'Pulling', note: '  Image pulled  ',
      reportingController: 'kubelet', reportingInstance: 'node-a', regarding: { kind: 'Pod', name: 'web-0', namespace: NS, fieldPath: 'spec.containers{web}' },
    });
    assert.equal(r.status, 201, r.text);
    const t = await h.client.request('GET', `${events}/pulled`, undefined, TABLE);
    assert.deepEqual(t.json.columnDefinitions.map((c: any) => [c.name, c.priority]), [['Last Seen', 0], ['Type', 0], ['Reason', 0], ['Object', 0],
      ['Subobject', 1], ['Source', 1], ['Message', 0], ['First Seen', 1], ['Count', 1], ['Name', 1]]);
    assert.deepEqual(t.json.rows[0].cells, ['90s', 'Normal', 'Pulled', 'pod/web-0', 'spec.containers{web}', 'kubelet, node-a', 'Image pulled', '90s', 1, 'pulled']);
    const changed = await h.client.request('PATCH', `${events}/pulled`, { reason: 'Other' }, MERGE);
    assert.equal(changed.json.message, 'Event.events.k8s.io "pulled" is invalid: reason: Invalid value: "Other": field is immutable');
    const d = await h.client.request('GET', '/apis/events.k8s.io/v1');
    assert.deepEqual(d.json.resources.map((x: any) => [x.name, x.shortNames]), [['events', ['ev']]]);
  });

  it('defaults endpoint slice ports and prints ADDRESSTYPE PORTS ENDPOINTS AGE', async () => {
    const slices = `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`;
    const r = await h.client.request('POST', slices, {
      metadata: { name: 'web-abc' }, addressType: 'IPv4',
      endpoints: [{ addresses: ['10.1.0.1'], deprecatedTopology: { 'kubernetes.io/hostname': 'node-a' } }, { addresses: ['10.1.0.2', '10.1.0.3'] }, { addresses: ['10.1.0.4'] }, { addresses: ['10.1.0.5'] }],
      ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }],
    });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.ports, [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'https', port: 443, protocol: 'TCP' }]);
    assert.deepEqual(r.json.endpoints[0], { addresses: ['10.1.0.1'] }, 'v1 drops writes of deprecatedTopology');
    assert.equal(r.json.metadata.generation, 1);
    const t = await h.client.request('GET', `${slices}/web-abc`, undefined, TABLE);
    assert.deepEqual(t.json.columnDefinitions.map((c: any) => c.name), ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
    assert.deepEqual(cells(t.json, 4), ['web-abc', 'IPv4', '80,443', '10.1.0.1,10.1.0.2,10.1.0.3 + 2 more...', 'AGE']);
    const empty = await h.client.request('POST', slices, { metadata: { name: 'empty' }, addressType: 'IPv6' });
    assert.equal(empty.status, 201, empty.text);
    const et = await h.client.request('GET', `${slices}/empty`, undefined, TABLE);
    assert.deepEqual(cells(et.json, 4), ['empty', 'IPv6', '<unset>', '<unset>', 'AGE']);
    const bad = await h.client.request('POST', slices, { metadata: { name: 'bad' }, addressType: 'IPv4', endpoints: [{ addresses: ['fe80::1'] }, { addresses: [] }] });
    assert.equal(bad.json.message, 'EndpointSlice.discovery.k8s.io "bad" is invalid: [endpoints[0].addresses[0]: Invalid value: "fe80::1": must be a valid IPv4 address, '
      + 'endpoints[0].addresses[0]: Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10), '
      + 'endpoints[1].addresses: Required value: must contain at least 1 address]');
    const moved = await h.client.request('PATCH', `${slices}/empty`, { addressType: 'IPv4' }, MERGE);
    assert.equal(moved.json.message, 'EndpointSlice.discovery.k8s.io "empty" is invalid: addressType: Invalid value: "IPv4": field is immutable');
  });

  it('creates pod disruption budgets with a zeroed status and prints MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE', async () => {
    const pdbs = `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets`;
    const r = await h.client.request('POST', pdbs, { metadata: { name: 'web' }, spec: { maxUnavailable: '30%', selector: { matchLabels: { app: 'web' } } } });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.status, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
    await h.client.request('PATCH', `${pdbs}/web/status`, { status: { disruptionsAllowed: 2, currentHealthy: 5, desiredHealthy: 3, expectedPods: 5 } }, MERGE);
    const t = await h.client.request('GET', `${pdbs}/web`, undefined, TABLE);
    assert.deepEqual(t.json.columnDefinitions.map((c: any) => [c.name, c.type]), [['Name', 'string'], ['Min Available', 'string'], ['Max Unavailable', 'string'],
      ['Allowed Disruptions', 'integer'], ['Age', 'string']]);
    assert.deepEqual(cells(t.json, 4), ['web', 'N/A', '30%', 2, 'AGE']);
    const both = await h.client.request('POST', pdbs, { metadata: { name: 'both' }, spec: { minAvailable: 1, maxUnavailable: '150%' } });
    assert.deepEqual(both.json.details.causes.map((c: any) => c.field), ['spec', 'spec.maxUnavailable']);
    assert.equal(both.json.details.causes[1].message, 'Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%');
    const d = await h.client.request('GET', '/apis/policy/v1');
    assert.deepEqual(d.json.resources.map((x: any) => [x.name, x.shortNames ?? []]), [['poddisruptionbudgets', ['pdb']], ['poddisruptionbudgets/status', []]]);
  });

  it('creates priority classes, keeps their value fixed and prints VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY', async () => {
    const pcs = '/apis/scheduling.k8s.io/v1/priorityclasses';
    const r = await h.client.request('POST', pcs, { metadata: { name: 'high' }, value: 1000, description: 'important' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.preemptionPolicy, 'PreemptLowerPriority');
    const t = await h.client.request('GET', `${pcs}/high`, undefined, TABLE);
    assert.deepEqual(t.json.columnDefinitions.map((c: any) => [c.name, c.type, c.priority]), [['Name', 'string', 0], ['Value', 'integer', 0],
      ['Global-Default', 'boolean', 0], ['Age', 'string', 0], ['PreemptionPolicy', 'string', 0]]);
    assert.deepEqual(cells(t.json, 3), ['high', 1000, false, 'AGE', 'PreemptLowerPriority']);
    const changed = await h.client.request('PATCH', `${pcs}/high`, { value: 2000 }, MERGE);
    assert.equal(changed.json.message, 'PriorityClass.scheduling.k8s.io "high" is invalid: value: Forbidden: may not be changed in an update.');
    const huge = await h.client.request('POST', pcs, { metadata: { name: 'huge' }, value: 1000000001 });
    assert.equal(huge.json.message, 'PriorityClass.scheduling.k8s.io "huge" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000');
    const fake = await h.client.request('POST', pcs, { metadata: { name: 'system-mine' }, value: 5 });
    assert.equal(fake.json.message, 'PriorityClass.scheduling.k8s.io "system-mine" is invalid: metadata.name: Forbidden: '
      + "priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class");
    const d = await h.client.request('GET', '/apis/scheduling.k8s.io/v1');
    assert.deepEqual(d.json.resources.map((x: any) => [x.name, x.shortNames, x.namespaced]), [['priorityclasses', ['pc'], false]]);
  });

  it('accepts the system priority classes it exports for startup', async () => {
    assert.deepEqual(SYSTEM_PRIORITY_CLASSES.map((c) => [c.metadata.name, c.value]), [['system-node-critical', 2000001000], ['system-cluster-critical', 2000000000]]);
    for (const pc of SYSTEM_PRIORITY_CLASSES) {
      const r = await h.client.request('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', pc);
      // The server may already have created them at startup.
      assert.ok(r.status === 201 || r.status === 409, r.text);
      const g = await h.client.request('GET', `/apis/scheduling.k8s.io/v1/priorityclasses/${pc.metadata.name}`);
      assert.equal(g.json.value, pc.value);
      assert.equal(g.json.description, pc.description);
    }
    const wrong = await h.client.request('PUT', '/apis/scheduling.k8s.io/v1/priorityclasses/system-node-critical', { metadata: { name: 'system-node-critical' }, value: 5 });
    assert.equal(wrong.status, 422);
  });
});
