import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from './harness.js';

const CORE = '/api/v1/namespaces/default/events';
const NEW = '/apis/events.k8s.io/v1/namespaces/default/events';

describe('events: one store, two forms (core/v1 and events.k8s.io/v1)', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.stop(); });

  it('shows an events.k8s.io event through core/v1 with core names, and back', async () => {
    const ev = {
      apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'scheduled' },
      eventTime: '2026-01-02T03:04:05.000006Z', reportingController: 'tskube.io/scheduler', reportingInstance: 'scheduler-1',
      action: 'Binding', reason: 'Scheduled', type: 'Normal', note: 'Assigned default/p to n1',
      regarding: { kind: 'Pod', namespace: 'default', name: 'p', uid: 'u-p', apiVersion: 'v1' },
    };
    const c = await h.client.request('POST', NEW, ev);
    assert.equal(c.status, 201, c.text);
    assert.equal(c.json.apiVersion, 'events.k8s.io/v1');
    assert.equal(c.json.note, 'Assigned default/p to n1');
    const core = await h.client.request('GET', `${CORE}/scheduled`);
    assert.equal(core.status, 200);
    assert.equal(core.json.apiVersion, 'v1');
    assert.equal(core.json.message, 'Assigned default/p to n1');
    assert.equal(core.json.reportingComponent, 'tskube.io/scheduler');
    assert.deepEqual(core.json.involvedObject, ev.regarding);
    assert.equal(core.json.note, undefined);
    const selected = await h.client.request('GET', `${NEW}?fieldSelector=regarding.name%3Dp,reportingController%3Dtskube.io%2Fscheduler`);
    assert.deepEqual(selected.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['scheduled']);
    const coreSelected = await h.client.request('GET', `${CORE}?fieldSelector=involvedObject.name%3Dp`);
    assert.deepEqual(coreSelected.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['scheduled']);
  });

  it('validates by the form written and names the group asked for in errors', async () => {
    const missing = await h.client.request('GET', `${NEW}/nothing`);
    assert.equal(missing.status, 404);
    assert.equal(missing.json.message, 'events.events.k8s.io "nothing" not found');
    assert.deepEqual(missing.json.details, { name: 'nothing', group: 'events.k8s.io', kind: 'events' });
    const bare = await h.client.request('POST', NEW, { metadata: { name: 'bare' }, eventTime: '2026-01-02T03:04:05.000000Z', type: 'Normal' });
    assert.equal(bare.status, 422);
    assert.match(bare.json.message, /^Event\.events\.k8s\.io "bare" is invalid: /);
    const legacy = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'legacy' }, involvedObject: { kind: 'Pod', namespace: 'default', name: 'q' }, reason: 'Pulled', message: 'pulled', type: 'Normal', source: { component: 'kubelet' } };
    assert.equal((await h.client.request('POST', CORE, legacy)).status, 201, 'the core form keeps its looser rules');
    const seen = await h.client.request('GET', `${NEW}/legacy`);
    assert.equal(seen.json.note, 'pulled');
    assert.deepEqual(seen.json.deprecatedSource, { component: 'kubelet' });
  });
});
