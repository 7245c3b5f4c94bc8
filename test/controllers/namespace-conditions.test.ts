/** The namespace controller's status conditions and discovery reading, without an API server. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NamespaceConditionUpdater, type NamespaceCondition } from '../../src/controllers/namespace/conditions.js';
import { deletableResourcesOf, GroupDiscoveryFailedError, parseGroupVersion } from '../../src/controllers/namespace/discovery.js';
import { gvrText } from '../../src/controllers/namespace/content.js';
import { ResourcesRemainingError } from '../../src/controllers/namespace/deleter.js';

const T0 = '2024-05-01T10:00:00Z';
const T1 = '2024-05-01T10:00:05Z';

describe('namespace conditions', () => {
  it('reports every failure as True with upstream reasons and messages, the rest as False', () => {
    const u = new NamespaceConditionUpdater(() => T0);
    u.discoveryFailed('Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server is currently unable to handle the request');
    u.contentDeletionFailed('unexpected items still remain in namespace: n for gvr: {apps v1 deployments}');
    u.contentDeletionFailed('b failed');
    u.contentTotals({
      remainingByResource: new Map([['pods.', 2], ['deployments.apps', 1]]),
      remainingByFinalizer: new Map([['example.com/b', 1], ['example.com/a', 2]]),
    });
    const status: { conditions?: NamespaceCondition[] } = {};
    assert.equal(u.apply(status), true);
    assert.deepEqual(status.conditions, [
      { type: 'NamespaceDeletionDiscoveryFailure', status: 'True', lastTransitionTime: T0, reason: 'DiscoveryFailed', message: 'Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: the server is currently unable to handle the request' },
      { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', lastTransitionTime: T0, reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
      { type: 'NamespaceDeletionContentFailure', status: 'True', lastTransitionTime: T0, reason: 'ContentDeletionFailed', message: 'Failed to delete all resource types, 2 remaining: b failed, unexpected items still remain in namespace: n for gvr: {apps v1 deployments}' },
      { type: 'NamespaceContentRemaining', status: 'True', lastTransitionTime: T0, reason: 'SomeResourcesRemain', message: 'Some resources are remaining: deployments.apps has 1 resource instances, pods. has 2 resource instances' },
      { type: 'NamespaceFinalizersRemaining', status: 'True', lastTransitionTime: T0, reason: 'SomeFinalizersRemain', message: 'Some content in the namespace has finalizers remaining: example.com/a in 2 resource instances, example.com/b in 1 resource instances' },
    ]);
  });

  it('changes nothing when nothing changed, and moves lastTransitionTime only when the status flips', () => {
    const status: { conditions?: NamespaceCondition[] } = {};
    const first = new NamespaceConditionUpdater(() => T0);
    first.contentTotals({ remainingByResource: new Map([['pods.', 1]]), remainingByFinalizer: new Map() });
    first.apply(status);
    const again = new NamespaceConditionUpdater(() => T1);
    again.contentTotals({ remainingByResource: new Map([['pods.', 1]]), remainingByFinalizer: new Map() });
    assert.equal(again.apply(status), false);
    const done = new NamespaceConditionUpdater(() => T1);
    done.contentTotals({ remainingByResource: new Map(), remainingByFinalizer: new Map() });
    assert.equal(done.apply(status), true);
    assert.deepEqual(status.conditions!.map((c) => [c.type, c.status, c.lastTransitionTime]), [
      ['NamespaceDeletionDiscoveryFailure', 'False', T0],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', T0],
      ['NamespaceDeletionContentFailure', 'False', T0],
      ['NamespaceContentRemaining', 'False', T1],
      ['NamespaceFinalizersRemaining', 'False', T0],
    ]);
  });

  it('words discovery failures, gvrs and the remaining-content error as upstream', () => {
    const err = new GroupDiscoveryFailedError(new Map([['b.io/v1', 'down'], ['a.io/v1', 'gone']]));
    assert.equal(err.message, 'unable to retrieve the complete list of server APIs: a.io/v1: gone, b.io/v1: down');
    assert.equal(gvrText({ group: '', version: 'v1', resource: 'pods', verbs: [] }), '{ v1 pods}');
    assert.equal(new ResourcesRemainingError(15).message, 'some content remains in the namespace, estimate 15 seconds before it is removed');
  });

  it('keeps the namespaced, deletable, top-level resources of a discovery list', () => {
    const unparsable: string[] = [];
    const found = deletableResourcesOf({
      groupVersion: 'v1',
      resources: [
        { name: 'pods', namespaced: true, verbs: ['create', 'delete', 'deletecollection', 'get', 'list'] },
        { name: 'pods/status', namespaced: true, verbs: ['get', 'patch', 'update'] },
        { name: 'bindings', namespaced: true, verbs: ['create'] },
        { name: 'nodes', namespaced: false, verbs: ['delete', 'list'] },
      ],
    }, unparsable);
    assert.deepEqual(found, [{ group: '', version: 'v1', resource: 'pods', verbs: ['create', 'delete', 'deletecollection', 'get', 'list'] }]);
    assert.deepEqual(deletableResourcesOf({ groupVersion: 'a/b/c', resources: [] }, unparsable), []);
    assert.deepEqual(unparsable, ['a/b/c']);
    assert.deepEqual(parseGroupVersion('apps/v1'), { group: 'apps', version: 'v1' });
  });
});
