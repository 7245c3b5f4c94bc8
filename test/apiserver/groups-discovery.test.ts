import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from './harness.js';

const AGGREGATED = { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' };

/** The groups this suite covers, with their versions, preferred first. */
const GROUPS: Array<[string, string[]]> = [
  ['apps', ['v1']], ['events.k8s.io', ['v1']], ['autoscaling', ['v2', 'v1']], ['batch', ['v1']], ['networking.k8s.io', ['v1']], ['policy', ['v1']],
  ['rbac.authorization.k8s.io', ['v1']], ['scheduling.k8s.io', ['v1']], ['coordination.k8s.io', ['v1']], ['discovery.k8s.io', ['v1']],
];

describe('discovery of the non-core API groups', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.stop(); });

  it('lists each group with its versions, preferred version first, in upstream\'s relative order', async () => {
    const r = await h.client.request('GET', '/apis');
    assert.equal(r.json.kind, 'APIGroupList');
    const listed = r.json.groups.filter((g: any) => GROUPS.some(([name]) => name === g.name));
    assert.deepEqual(listed.map((g: any) => [g.name, g.versions.map((v: any) => v.version)]), GROUPS);
    for (const g of listed) assert.equal(g.preferredVersion.version, g.versions[0].version);
  });

  it('puts the workload resources in the all category, as kubectl get all expects', async () => {
    const r = await h.client.request('GET', '/apis', undefined, AGGREGATED);
    assert.equal(r.status, 200, r.text);
    const inAll: string[] = [];
    for (const g of r.json.items) {
      for (const v of g.versions) {
        for (const res of v.resources) if ((res.categories ?? []).includes('all')) inAll.push(`${res.resource}.${g.metadata.name}/${v.version}`);
      }
    }
    assert.deepEqual(inAll.sort(), [
      'cronjobs.batch/v1', 'daemonsets.apps/v1', 'deployments.apps/v1', 'horizontalpodautoscalers.autoscaling/v1', 'horizontalpodautoscalers.autoscaling/v2',
      'jobs.batch/v1', 'replicasets.apps/v1', 'statefulsets.apps/v1',
    ]);
  });

  it('describes the subresources of deployments in aggregated discovery', async () => {
    const r = await h.client.request('GET', '/apis', undefined, AGGREGATED);
    const apps = r.json.items.find((g: any) => g.metadata.name === 'apps');
    const dep = apps.versions[0].resources.find((x: any) => x.resource === 'deployments');
    assert.deepEqual(dep.responseKind, { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.equal(dep.scope, 'Namespaced');
    assert.deepEqual(dep.shortNames, ['deploy']);
    assert.deepEqual(dep.subresources.map((s: any) => [s.subresource, s.responseKind.kind]).sort(), [['scale', 'Scale'], ['status', 'Deployment']]);
  });
});
