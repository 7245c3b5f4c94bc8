import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from './harness.js';

const NS = 'rbac-test';
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const TABLE = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };
const MERGE = { 'Content-Type': 'application/merge-patch+json' };

describe('rbac.authorization.k8s.io/v1 resources', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    assert.equal((await h.client.request('POST', '/api/v1/namespaces', { metadata: { name: NS } })).status, 201);
  });
  after(async () => { await h.stop(); });

  it('creates roles and prints them with the default NAME CREATED AT columns', async () => {
    const r = await h.client.request('POST', `${RBAC}/namespaces/${NS}/roles`, {
      metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] }],
    });
    assert.equal(r.status, 201, r.text);
    const t = await h.client.request('GET', `${RBAC}/namespaces/${NS}/roles`, undefined, TABLE);
    assert.deepEqual(t.json.columnDefinitions.map((c: any) => [c.name, c.type, c.format]), [['Name', 'string', 'name'], ['Created At', 'date', '']]);
    assert.deepEqual(t.json.rows[0].cells, ['reader', r.json.metadata.creationTimestamp]);
  });

  it('requires verbs, api groups and resources in rules', async () => {
    const r = await h.client.request('POST', `${RBAC}/namespaces/${NS}/roles`, { metadata: { name: 'noverbs' }, rules: [{ apiGroups: [''], resources: ['pods'] }] });
    assert.equal(r.status, 422);
    assert.equal(r.json.message, 'Role.rbac.authorization.k8s.io "noverbs" is invalid: rules[0].verbs: Required value: verbs must contain at least one value');
    const urls = await h.client.request('POST', `${RBAC}/namespaces/${NS}/roles`, { metadata: { name: 'urls' }, rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }] });
    assert.equal(urls.json.message, 'Role.rbac.authorization.k8s.io "urls" is invalid: rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs');
    const cr = await h.client.request('POST', `${RBAC}/clusterroles`, { metadata: { name: 'health-reader' }, rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }, { verbs: ['get'] }] });
    assert.equal(cr.json.message, 'ClusterRole.rbac.authorization.k8s.io "health-reader" is invalid: [rules[1].apiGroups: Required value: resource rules must supply at least one api group, '
      + 'rules[1].resources: Required value: resource rules must supply at least one resource]');
  });

  it('defaults the API groups of bindings and prints NAME ROLE AGE | USERS GROUPS SERVICEACCOUNTS', async () => {
    const r = await h.client.request('POST', `${RBAC}/namespaces/${NS}/rolebindings`, {
      metadata: { name: 'readers' }, roleRef: { kind: 'Role', name: 'reader' },
      subjects: [{ kind: 'User', name: 'alice' }, { kind: 'User', name: 'bob' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', name: 'ci', namespace: NS }],
    });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.roleRef, { kind: 'Role', name: 'reader', apiGroup: 'rbac.authorization.k8s.io' });
    assert.deepEqual(r.json.subjects.map((s: any) => s.apiGroup), ['rbac.authorization.k8s.io', 'rbac.authorization.k8s.io', 'rbac.authorization.k8s.io', '']);
    const t = await h.client.request('GET', `${RBAC}/namespaces/${NS}/rolebindings/readers`, undefined, TABLE);
    assert.deepEqual(t.json.columnDefinitions.map((c: any) => [c.name, c.priority]),
      [['Name', 0], ['Role', 0], ['Age', 0], ['Users', 1], ['Groups', 1], ['ServiceAccounts', 1]]);
    const cells = t.json.rows[0].cells;
    assert.match(cells[2], /^\d+s$/);
    assert.deepEqual([cells[0], cells[1], ...cells.slice(3)], ['readers', 'Role/reader', 'alice, bob', 'devs', `${NS}/ci`]);
  });

  it('refuses to change the role reference of a binding', async () => {
    const r = await h.client.request('PATCH', `${RBAC}/namespaces/${NS}/rolebindings/readers`, { roleRef: { kind: 'ClusterRole', name: 'view' } }, MERGE);
    assert.equal(r.status, 422);
    assert.equal(r.json.message, 'RoleBinding.rbac.authorization.k8s.io "readers" is invalid: roleRef: Invalid value: '
      + 'rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"view"}: cannot change roleRef');
    const subjects = await h.client.request('PATCH', `${RBAC}/namespaces/${NS}/rolebindings/readers`, { subjects: [{ kind: 'User', name: 'carol' }] }, MERGE);
    assert.equal(subjects.status, 200, subjects.text);
  });

  it('validates cluster role bindings: cluster roles only, service accounts with a namespace', async () => {
    const r = await h.client.request('POST', `${RBAC}/clusterrolebindings`, {
      metadata: { name: 'bad' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'ci' }],
    });
    assert.equal(r.json.message, 'ClusterRoleBinding.rbac.authorization.k8s.io "bad" is invalid: [roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole", '
      + 'subjects[0].namespace: Required value]');
    const ok = await h.client.request('POST', `${RBAC}/clusterrolebindings`, { metadata: { name: 'viewers' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', name: 'all' }] });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json.metadata.namespace, undefined);
    const t = await h.client.request('GET', `${RBAC}/clusterrolebindings/viewers`, undefined, TABLE);
    const cells = t.json.rows[0].cells;
    assert.deepEqual([cells[0], cells[1], ...cells.slice(3)], ['viewers', 'ClusterRole/view', '', 'all', '']);
  });

  it('creates a missing role on PUT, as upstream allows for RBAC objects', async () => {
    const r = await h.client.request('PUT', `${RBAC}/namespaces/${NS}/roles/made-by-put`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'made-by-put' }, rules: [],
    });
    assert.equal(r.status, 201, r.text);
  });

  it('accepts role names that are path segments, like system:controller:… (upstream\'s RBAC name rule)', async () => {
    const r = await h.client.request('POST', `${RBAC}/clusterroles`, { metadata: { name: 'system:aggregate-to-view' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] });
    assert.equal(r.status, 201, r.text);
  });

  it('lists the four resources in discovery without short names', async () => {
    const d = await h.client.request('GET', RBAC);
    assert.deepEqual(d.json.resources.map((r: any) => [r.name, r.namespaced, r.shortNames ?? []]), [
      ['clusterrolebindings', false, []], ['clusterroles', false, []], ['rolebindings', true, []], ['roles', true, []]]);
  });
});
