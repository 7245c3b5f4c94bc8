import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hpaV1ToV2, hpaV2ToV1 } from '../../src/apiserver/registry/autoscaling/hpa-conversion.js';
import { startHarness, type Harness } from './harness.js';

const NS = 'hpa-test';
const V2 = `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`;
const V1 = `/apis/autoscaling/v1/namespaces/${NS}/horizontalpodautoscalers`;
const TABLE = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };
const MERGE = { 'Content-Type': 'application/merge-patch+json' };
const TARGET = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

describe('autoscaling HorizontalPodAutoscalers (v2 stored, v1 converted)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    assert.equal((await h.client.request('POST', '/api/v1/namespaces', { metadata: { name: NS } })).status, 201);
  });
  after(async () => { await h.stop(); });

  it('defaults a v2 autoscaler: min replicas, the CPU metric, a complete behavior', async () => {
    const r = await h.client.request('POST', V2, {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
      spec: { scaleTargetRef: TARGET, maxReplicas: 10, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.spec.minReplicas, 1);
    assert.deepEqual(r.json.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    assert.deepEqual(r.json.spec.behavior, {
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
    assert.equal(r.json.status.desiredReplicas, 0);
  });

  it('serves the v2 autoscaler as v1, with what v1 cannot hold in annotations', async () => {
    const r = await h.client.request('GET', `${V1}/web`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.apiVersion, 'autoscaling/v1');
    assert.deepEqual(r.json.spec, { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 80 });
    assert.deepEqual(r.json.metadata.annotations, {
      'autoscaling.alpha.kubernetes.io/behavior': '{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15},'
        + '{"Type":"Percent","Value":100,"PeriodSeconds":15}]},"ScaleDown":{"StabilizationWindowSeconds":60,"SelectPolicy":"Max","Policies":[{"Type":"Percent","Value":100,"PeriodSeconds":15}]}}',
    });
    assert.deepEqual(r.json.status, { currentReplicas: 0, desiredReplicas: 0 });
  });

  it('stores a v1 autoscaler as v2, and reads its CPU target back', async () => {
    const r = await h.client.request('POST', V1, {
      apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'cpu50' },
      spec: { scaleTargetRef: TARGET, maxReplicas: 4, targetCPUUtilizationPercentage: 50 },
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.apiVersion, 'autoscaling/v1');
    assert.equal(r.json.spec.targetCPUUtilizationPercentage, 50);
    assert.equal(r.json.spec.minReplicas, 1);
    const v2 = await h.client.request('GET', `${V2}/cpu50`);
    assert.deepEqual(v2.json.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
    const none = await h.client.request('POST', V1, { metadata: { name: 'implied' }, spec: { scaleTargetRef: TARGET, maxReplicas: 2 } });
    assert.equal(none.status, 201, none.text);
    assert.equal(none.json.spec.targetCPUUtilizationPercentage, 80, 'v1 always implied 80% CPU');
  });

  it('round-trips other metrics and current metrics through the v1 annotations', () => {
    const v2 = {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'm', annotations: { keep: 'me' } },
      spec: {
        scaleTargetRef: TARGET, minReplicas: 2, maxReplicas: 9,
        metrics: [
          { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1k' } } },
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        ],
      },
      status: {
        currentReplicas: 3, desiredReplicas: 3,
        currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 65, averageValue: '130m' } } }],
      },
    };
    const v1 = hpaV2ToV1(v2);
    assert.deepEqual(v1.metadata.annotations, {
      keep: 'me',
      'autoscaling.alpha.kubernetes.io/metrics': '[{"type":"Pods","pods":{"metricName":"qps","targetAverageValue":"1k"}}]',
      'autoscaling.alpha.kubernetes.io/current-metrics': '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":65,"currentAverageValue":"130m"}}]',
    });
    assert.equal(v1.spec.targetCPUUtilizationPercentage, 70);
    assert.equal(v1.status.currentCPUUtilizationPercentage, 65);
    const back = hpaV1ToV2(v1);
    assert.deepEqual(back.metadata.annotations, { keep: 'me' });
    assert.deepEqual(back.spec.metrics, [
      { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1k' } } },
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
    assert.deepEqual(back.status.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageValue: '130m', averageUtilization: 65 } } }]);
  });

  it('prints NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE in both versions', async () => {
    const st = await h.client.request('PATCH', `${V2}/web/status`, {
      status: { currentReplicas: 2, desiredReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 31, averageValue: '62m' } } }] },
    }, MERGE);
    assert.equal(st.status, 200, st.text);
    for (const base of [V2, V1]) {
      const t = await h.client.request('GET', `${base}/web`, undefined, TABLE);
      assert.deepEqual(t.json.columnDefinitions.map((c: any) => c.name), ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age']);
      const cells = t.json.rows[0].cells;
      assert.match(cells[6], /^\d+s$/);
      assert.deepEqual(cells.slice(0, 6), ['web', 'Deployment/web', 'cpu: 31%/80%', '1', 10, 2]);
    }
    const fresh = await h.client.request('GET', `${V2}/cpu50`, undefined, TABLE);
    assert.equal(fresh.json.rows[0].cells[2], 'cpu: <unknown>/50%');
  });

  it('validates replicas and the target reference with upstream\'s messages', async () => {
    const r = await h.client.request('POST', V2, { metadata: { name: 'bad' }, spec: { scaleTargetRef: { kind: 'Deployment' }, minReplicas: 3, maxReplicas: 2 } });
    assert.equal(r.status, 422);
    assert.equal(r.json.message, 'HorizontalPodAutoscaler.autoscaling "bad" is invalid: [spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`, '
      + 'spec.scaleTargetRef.name: Required value]');
    const zero = await h.client.request('POST', V1, { metadata: { name: 'zero' }, spec: { scaleTargetRef: TARGET, minReplicas: 0, maxReplicas: 0 } });
    assert.equal(zero.json.message, 'HorizontalPodAutoscaler.autoscaling "zero" is invalid: [spec.minReplicas: Invalid value: 0: must be greater than or equal to 1, '
      + 'spec.maxReplicas: Invalid value: 0: must be greater than 0, spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas]');
  });

  it('lists horizontalpodautoscalers in both versions, v2 preferred', async () => {
    const g = await h.client.request('GET', '/apis/autoscaling');
    assert.deepEqual(g.json.versions.map((v: any) => v.version), ['v2', 'v1']);
    assert.equal(g.json.preferredVersion.version, 'v2');
    for (const v of ['v2', 'v1']) {
      const d = await h.client.request('GET', `/apis/autoscaling/${v}`);
      const hpa = d.json.resources.find((r: any) => r.name === 'horizontalpodautoscalers');
      assert.deepEqual([hpa.shortNames, hpa.categories, hpa.singularName], [['hpa'], ['all'], 'horizontalpodautoscaler']);
    }
  });
});
