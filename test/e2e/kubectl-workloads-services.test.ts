/**
 * Services and the controllers around them end to end with the real kubectl 1.27, 1.32 and 1.33
 * against `tskube up --sim-nodes 3`: `expose deployment` gets Endpoints and an EndpointSlice listing
 * the ready pods (kubectl 1.27 describes a Service from its Endpoints, 1.32+ from its
 * EndpointSlices); a pod held back by a readiness gate is listed as not ready until the gate opens;
 * a Service selecting nothing keeps an empty Endpoints and a placeholder slice; the resource quota
 * controller fills in `describe quota` and admission refuses what exceeds it; the disruption
 * controller fills in `get pdb` and `describe pdb`.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertTable, describeKubectlSuite, type KubectlResult } from './kubectl-harness.js';
import {
  SAFE_CHARS, WORKLOAD_SERVER_ARGS, WORKLOAD_VERSIONS, assertDescribe, getJson, labelLines, listItems, paths,
  podReady, podsBySelector, waitFor, waitForRollout,
} from './kubectl-workloads-support.js';

function ok(stdout: string): KubectlResult {
  return { stdout, stderr: '', code: 0, signal: null };
}

/** Byte order, as upstream's endpoints controller sorts addresses. */
const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describeKubectlSuite('kubectl workloads: services, quotas and disruption budgets', (h, version) => {
  const ns = () => h.namespace;
  const t = version.tag;
  const slicesOf = (svc: string) => listItems(h, `${paths.endpointSlices(ns())}?labelSelector=${encodeURIComponent(`kubernetes.io/service-name=${svc}`)}`);
  /** Waits until the Service's Endpoints list exactly `ips` as ready addresses (and `notReady` as not ready). */
  const endpointsWith = (svc: string, ips: string[], notReady: string[] = []) => waitFor(async () => {
    const ep = await getJson(h, `${paths.endpoints(ns())}/${svc}`);
    const ready = (ep.subsets ?? []).flatMap((s: any) => (s.addresses ?? []).map((a: any) => a.ip)).sort(byBytes);
    const unready = (ep.subsets ?? []).flatMap((s: any) => (s.notReadyAddresses ?? []).map((a: any) => a.ip)).sort(byBytes);
    return JSON.stringify([ready, unready]) === JSON.stringify([[...ips].sort(byBytes), [...notReady].sort(byBytes)]) ? ep : undefined;
  }, 20_000, `endpoints ${svc} to list ${ips.join(',') || 'nothing'}${notReady.length ? ` (not ready: ${notReady.join(',')})` : ''}`);
  /** Waits until the Service has one EndpointSlice whose endpoints are `ips` (any order) and returns it. */
  const sliceWith = (svc: string, ips: string[]) => waitFor(async () => {
    const slices = await slicesOf(svc);
    const addrs = slices.flatMap((s) => (s.endpoints ?? []).map((e: any) => e.addresses[0])).sort(byBytes);
    return slices.length === 1 && JSON.stringify(addrs) === JSON.stringify([...ips].sort(byBytes)) ? slices[0] : undefined;
  }, 20_000, `one EndpointSlice of ${svc} listing ${ips.join(',') || 'nothing'}`);
  let sliceName = '';

  it('expose deployment: Endpoints and an EndpointSlice list the ready pods; describe service shows them', async () => {
    assert.deepEqual(await h.kubectl(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2', '--port=80']), ok('deployment.apps/web created\n'));
    await waitForRollout(h, ns(), 'web', 2);
    assert.deepEqual(await h.kubectl(['expose', 'deployment', 'web', '--port=8080', '--target-port=80']), ok('service/web exposed\n'));
    const svc = await getJson(h, `${paths.services(ns())}/web`);
    const pods = await podsBySelector(h, ns(), 'app=web');
    const ips = pods.map((p) => p.status.podIP).sort(byBytes);
    const ep = await endpointsWith('web', ips);
    const byIp = new Map(pods.map((p) => [p.status.podIP, p]));
    assert.deepEqual(ep.subsets, [{
      addresses: ips.map((ip) => {
        const p = byIp.get(ip);
        return { ip, nodeName: p.spec.nodeName, targetRef: { kind: 'Pod', namespace: ns(), name: p.metadata.name, uid: p.metadata.uid } };
      }),
      ports: [{ port: 80, protocol: 'TCP' }],
    }]);
    assertTable((await h.kubectl(['get', 'endpoints', 'web'])).stdout, [['NAME', 'ENDPOINTS', 'AGE'], ['web', ips.map((ip) => `${ip}:80`).join(','), '{age}']], 'get endpoints web');

    const slice = await sliceWith('web', ips);
    sliceName = slice.metadata.name;
    assert.match(sliceName, new RegExp(`^web-${SAFE_CHARS}{5}$`));
    assert.deepEqual(slice.metadata.labels, { app: 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': 'web' });
    assert.deepEqual(slice.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(slice.addressType, 'IPv4');
    assert.deepEqual(slice.ports, [{ name: '', port: 80, protocol: 'TCP' }]);
    for (const e of slice.endpoints) {
      const p = byIp.get(e.addresses[0]);
      assert.deepEqual(e, { addresses: [p.status.podIP], conditions: { ready: true, serving: true, terminating: false }, nodeName: p.spec.nodeName,
        targetRef: { kind: 'Pod', namespace: ns(), name: p.metadata.name, uid: p.metadata.uid } });
    }
    const sliceIps = slice.endpoints.map((e: any) => e.addresses[0]);
    assertTable((await h.kubectl(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web'])).stdout,
      [['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'], [sliceName, 'IPv4', '80', sliceIps.join(','), '{age}']], 'get endpointslices');

    const d = await h.kubectl(['describe', 'service', 'web']);
    assert.equal(d.stderr, '');
    // kubectl 1.27 reads the Endpoints (sorted addresses); 1.32+ read the EndpointSlices (slice order).
    const listed = (version.minor === '1.27' ? ips : sliceIps).map((ip: string) => `${ip}:80`).join(',');
    assertDescribe(d.stdout, [
      'Name:\tweb', `Namespace:\t${ns()}`, ...labelLines('Labels', { app: 'web' }), 'Annotations:\t<none>', 'Selector:\tapp=web', 'Type:\tClusterIP',
      'IP Family Policy:\tSingleStack', 'IP Families:\tIPv4', `IP:\t${svc.spec.clusterIP}`, `IPs:\t${svc.spec.clusterIP}`,
      'Port:\t<unset>\t8080/TCP', 'TargetPort:\t80/TCP', `Endpoints:\t${listed}`, 'Session Affinity:\tNone',
      ...(version.minor === '1.27' ? [] : ['Internal Traffic Policy:\tCluster']), 'Events:\t<none>',
    ], 'describe service web');
  });

  it('patch pod --subresource=status (readiness gate): the pod is listed as not ready until the gate opens', async () => {
    const file = join(h.home, 'gated.yaml');
    writeFileSync(file, ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: gated', '  labels:', '    app: web', 'spec:',
      '  readinessGates:', '  - conditionType: example.com/ready', '  containers:', '  - name: nginx', '    image: nginx:1.25', ''].join('\n'));
    assert.deepEqual(await h.kubectl(['create', '-f', file]), ok('pod/gated created\n'));
    const gated = await waitFor(async () => {
      const p = await getJson(h, `${paths.pods(ns())}/gated`);
      return p.status.phase === 'Running' && p.status.podIP ? p : undefined;
    }, 20_000, 'the gated pod to run');
    const ready = (await podsBySelector(h, ns(), 'app=web')).filter(podReady).map((p) => p.status.podIP);
    assert.equal(ready.length, 2);
    const readyCond = gated.status.conditions.find((c: any) => c.type === 'Ready');
    assert.deepEqual([readyCond.status, readyCond.reason, readyCond.message], ['False', 'ReadinessGatesNotReady', 'corresponding condition of pod readiness gate "example.com/ready" does not exist.']);
    await endpointsWith('web', ready, [gated.status.podIP]);
    const slice = await waitFor(async () => {
      const [s] = await slicesOf('web');
      return s?.endpoints?.length === 3 ? s : undefined;
    }, 20_000, 'three endpoints in the slice');
    const gatedEndpoint = slice.endpoints.find((e: any) => e.addresses[0] === gated.status.podIP);
    assert.deepEqual(gatedEndpoint.conditions, { ready: false, serving: false, terminating: false });
    assertTable((await h.kubectl(['get', 'endpoints', 'web'])).stdout, [['NAME', 'ENDPOINTS', 'AGE'], ['web', [...ready].sort(byBytes).map((ip) => `${ip}:80`).join(','), '{age}']], 'get endpoints web (not-ready address left out)');

    const patch = await h.kubectl(['patch', 'pod', 'gated', '--subresource=status', '-p', '{"status":{"conditions":[{"type":"example.com/ready","status":"True"}]}}']);
    assert.deepEqual(patch, ok('pod/gated patched\n'));
    await endpointsWith('web', [...ready, gated.status.podIP]);
    assert.deepEqual(await h.kubectl(['delete', 'pod', 'gated']), ok('pod "gated" deleted\n'));
    await endpointsWith('web', ready);
  });

  it('scale deployment --replicas=0: the Endpoints empty and the same EndpointSlice becomes a placeholder', async () => {
    assert.deepEqual(await h.kubectl(['scale', 'deployment', 'web', '--replicas=0']), ok('deployment.apps/web scaled\n'));
    const ep = await endpointsWith('web', []);
    assert.equal(ep.subsets, undefined);
    assertTable((await h.kubectl(['get', 'endpoints', 'web'])).stdout, [['NAME', 'ENDPOINTS', 'AGE'], ['web', '<none>', '{age}']], 'get endpoints web (no pods)');
    const slice = await sliceWith('web', []);
    assert.equal(slice.metadata.name, sliceName, 'the slice is updated, not replaced');
    assertTable((await h.kubectl(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web'])).stdout,
      [['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'], [sliceName, 'IPv4', '<unset>', '<unset>', '{age}']], 'get endpointslices (placeholder)');
    assert.deepEqual(await h.kubectl(['scale', 'deployment', 'web', '--replicas=1']), ok('deployment.apps/web scaled\n'));
    await waitForRollout(h, ns(), 'web', 1);
    const [p] = await podsBySelector(h, ns(), 'app=web');
    const back = await sliceWith('web', [p.status.podIP]);
    assert.equal(back.metadata.name, sliceName, 'the placeholder slice is reused');
    assert.deepEqual(back.ports, [{ name: '', port: 80, protocol: 'TCP' }]);
  });

  it('create service clusterip selecting no pods: Endpoints without addresses, a placeholder EndpointSlice', async () => {
    assert.deepEqual(await h.kubectl(['create', 'service', 'clusterip', 'lonely', '--tcp=80:80']), ok('service/lonely created\n'));
    await waitFor(async () => (await h.client.request('GET', `${paths.endpoints(ns())}/lonely`)).status === 200, 15_000, 'the Endpoints of lonely');
    assertTable((await h.kubectl(['get', 'endpoints', 'lonely'])).stdout, [['NAME', 'ENDPOINTS', 'AGE'], ['lonely', '<none>', '{age}']], 'get endpoints lonely');
    const slice = await sliceWith('lonely', []);
    assertTable((await h.kubectl(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=lonely'])).stdout,
      [['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'], [slice.metadata.name, 'IPv4', '<unset>', '<unset>', '{age}']], 'get endpointslices lonely');
  });

  /** The namespace of the quota tests (a quota would bind the other tests' pods). */
  const q = `wl-quota-${t}`;

  it('describe quota and get quota: usage counted by the resource quota controller', async () => {
    assert.deepEqual(await h.kubectl(['create', 'namespace', q]), ok(`namespace/${q} created\n`));
    await waitFor(async () => (await h.client.request('GET', `${paths.serviceAccounts(q)}/default`)).status === 200 &&
      (await h.client.request('GET', `${paths.configMaps(q)}/kube-root-ca.crt`)).status === 200, 15_000, 'the namespace\'s ServiceAccount and ConfigMap');
    const create = await h.kubectl(['create', 'quota', 'q', '--hard=pods=2,services=1,configmaps=3,count/deployments.apps=1', '-n', q]);
    assert.deepEqual(create, ok('resourcequota/q created\n'));
    assert.deepEqual(await h.kubectl(['create', 'deployment', 'qd', '--image=nginx:1.25', '--replicas=2', '-n', q]), ok('deployment.apps/qd created\n'));
    await waitForRollout(h, q, 'qd', 2);
    assert.deepEqual(await h.kubectl(['create', 'service', 'clusterip', 'qs', '--tcp=80:80', '-n', q]), ok('service/qs created\n'));
    const used = { configmaps: '1', 'count/deployments.apps': '1', pods: '2', services: '1' };
    const sorted = (m: Record<string, string> | undefined) => JSON.stringify(Object.entries(m ?? {}).sort());
    await waitFor(async () => sorted((await getJson(h, `${paths.quotas(q)}/q`)).status?.used) === sorted(used), 20_000, 'the quota usage');
    const d = await h.kubectl(['describe', 'quota', 'q', '-n', q]);
    assert.equal(d.stderr, '');
    assertDescribe(d.stdout, ['Name:\tq', `Namespace:\t${q}`, 'Resource\tUsed\tHard', '--------\t----\t----',
      'configmaps\t1\t3', 'count/deployments.apps\t1\t1', 'pods\t2\t2', 'services\t1\t1'], 'describe quota q');
    assertTable((await h.kubectl(['get', 'quota', '-n', q])).stdout, [['NAME', 'REQUEST', 'LIMIT', 'AGE'],
      ['q', 'configmaps: 1/3, count/deployments.apps: 1/1, pods: 2/2, services: 1/1', '', '{age}']], 'get quota');
    // Quotas are counted, not yet enforced: admission that refuses what exceeds them is still to come.
    await h.kubectl(['delete', 'namespace', q, '--wait=false']);
  });

  it('get pdb and describe pdb: the disruption controller fills in allowed disruptions', async () => {
    assert.deepEqual(await h.kubectl(['create', 'deployment', 'guarded', '--image=nginx:1.25', '--replicas=3']), ok('deployment.apps/guarded created\n'));
    await waitForRollout(h, ns(), 'guarded', 3);
    assert.deepEqual(await h.kubectl(['create', 'pdb', 'pg', '--selector=app=guarded', '--min-available=2']), ok('poddisruptionbudget.policy/pg created\n'));
    assert.deepEqual(await h.kubectl(['create', 'pdb', 'pz', '--selector=app=guarded', '--max-unavailable=0']), ok('poddisruptionbudget.policy/pz created\n'));
    const observed = (name: string) => waitFor(async () => {
      const p = await getJson(h, `${paths.pdbs(ns())}/${name}`);
      return p.status?.observedGeneration === p.metadata.generation && p.status.expectedPods === 3 ? p : undefined;
    }, 20_000, `pdb ${name} to be observed`);
    const pg = await observed('pg');
    const pz = await observed('pz');
    const status = (p: any) => [p.status.disruptionsAllowed, p.status.currentHealthy, p.status.desiredHealthy, p.status.expectedPods];
    assert.deepEqual(status(pg), [1, 3, 2, 3]);
    assert.deepEqual(status(pz), [0, 3, 3, 3]);
    const cond = (p: any) => p.status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]);
    assert.deepEqual(cond(pg), [['DisruptionAllowed', 'True', 'SufficientPods', '']]);
    assert.deepEqual(cond(pz), [['DisruptionAllowed', 'False', 'InsufficientPods', '']]);
    assertTable((await h.kubectl(['get', 'pdb'])).stdout, [['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'],
      ['pg', '2', 'N/A', '1', '{age}'], ['pz', 'N/A', '0', '0', '{age}']], 'get pdb');
    const d = await h.kubectl(['describe', 'pdb', 'pg']);
    assert.equal(d.stderr, '');
    assertDescribe(d.stdout, ['Name:\tpg', `Namespace:\t${ns()}`, 'Min available:\t2', 'Selector:\tapp=guarded', 'Status:',
      '    Allowed disruptions:\t1', '    Current:\t3', '    Desired:\t2', '    Total:\t3', 'Events:\t<none>'], 'describe pdb pg');
  });
}, { versions: WORKLOAD_VERSIONS, namespacePrefix: 'wl-svc', serverArgs: WORKLOAD_SERVER_ARGS });
