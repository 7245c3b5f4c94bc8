import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cronScheduleError } from '../../src/apiserver/registry/batch/cron-schedule.js';
import { startHarness, type Harness } from './harness.js';

const NS = 'batch-test';
const BATCH = `/apis/batch/v1/namespaces/${NS}`;
const TABLE = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };
const MERGE = { 'Content-Type': 'application/merge-patch+json' };

function podTemplate(extra: Record<string, unknown> = {}, labels?: Record<string, string>): Record<string, unknown> {
  return { ...(labels ? { metadata: { labels } } : {}), spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }], ...extra } };
}

function job(name: string, spec: Record<string, unknown> = {}, labels?: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name }, spec: { template: podTemplate({}, labels), ...spec } };
}

function cronJob(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name }, spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: podTemplate({ restartPolicy: 'OnFailure' }) } }, ...spec } };
}

function ago(ms: number): string {
  return new Date(Date.now() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

describe('batch/v1 resources', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    assert.equal((await h.client.request('POST', '/api/v1/namespaces', { metadata: { name: NS } })).status, 201);
  });
  after(async () => { await h.stop(); });

  it('creates a job with upstream defaults and a generated selector', async () => {
    const r = await h.client.request('POST', `${BATCH}/jobs`, job('pi', {}, { app: 'pi' }));
    assert.equal(r.status, 201, r.text);
    const { spec, metadata, status } = r.json;
    const uid = metadata.uid;
    assert.equal(spec.completions, 1);
    assert.equal(spec.parallelism, 1);
    assert.equal(spec.backoffLimit, 6);
    assert.equal(spec.completionMode, 'NonIndexed');
    assert.equal(spec.suspend, false);
    assert.equal(spec.podReplacementPolicy, 'TerminatingOrFailed');
    assert.equal(spec.manualSelector, false);
    assert.deepEqual(spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    const expectedLabels = {
      app: 'pi', 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi',
    };
    assert.deepEqual(spec.template.metadata.labels, expectedLabels);
    // A job without labels of its own shares its template's labels, generated ones included.
    assert.deepEqual(metadata.labels, expectedLabels);
    assert.deepEqual(status, {});
    assert.equal(metadata.generation, 1);
  });

  it('gives a job without any labels those generated for its template', async () => {
    const r = await h.client.request('POST', `${BATCH}/jobs`, job('bare'));
    assert.equal(r.status, 201, r.text);
    const uid = r.json.metadata.uid;
    const expected = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'bare', 'controller-uid': uid, 'job-name': 'bare' };
    assert.deepEqual(r.json.metadata.labels, expected);
    assert.deepEqual((await h.client.request('GET', `${BATCH}/jobs/bare`)).json.metadata.labels, expected);
  });

  it('keeps a job\'s own labels and defaults parallel work queues', async () => {
    const r = await h.client.request('POST', `${BATCH}/jobs`, { ...job('queue', { parallelism: 3 }), metadata: { name: 'queue', labels: { team: 'a' } } });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.metadata.labels, { team: 'a' });
    assert.equal(r.json.spec.completions, undefined);
    assert.equal(r.json.spec.parallelism, 3);
  });

  it('refuses a pod template that restarts always, with upstream\'s message', async () => {
    const r = await h.client.request('POST', `${BATCH}/jobs`, { metadata: { name: 'always' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } });
    assert.equal(r.status, 422);
    assert.equal(r.json.message, 'Job.batch "always" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"');
    const odd = await h.client.request('POST', `${BATCH}/jobs`, job('odd', { template: podTemplate({ restartPolicy: 'Sometimes' }) }));
    assert.equal(odd.json.message, 'Job.batch "odd" is invalid: [spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never", '
      + 'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "OnFailure", "Never"]');
  });

  it('requires a selector matching the template when the selector is manual', async () => {
    const none = await h.client.request('POST', `${BATCH}/jobs`, job('manual', { manualSelector: true }, { app: 'm' }));
    assert.equal(none.json.message, 'Job.batch "manual" is invalid: [spec.selector: Required value, '
      + 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"m"}: `selector` does not match template `labels`]');
    const ok = await h.client.request('POST', `${BATCH}/jobs`, job('manual', { manualSelector: true, selector: { matchLabels: { app: 'm' } } }, { app: 'm' }));
    assert.equal(ok.status, 201, ok.text);
    assert.deepEqual(ok.json.spec.template.metadata.labels, { app: 'm' });
  });

  it('keeps the template of a running job immutable', async () => {
    const cur = (await h.client.request('GET', `${BATCH}/jobs/pi`)).json;
    const changed = structuredClone(cur);
    changed.spec.template.spec.containers[0].image = 'perl:5.36';
    const r = await h.client.request('PUT', `${BATCH}/jobs/pi`, changed);
    assert.equal(r.status, 422);
    assert.deepEqual(r.json.details.causes.map((c: any) => c.field), ['spec.template']);
    const more = await h.client.request('PATCH', `${BATCH}/jobs/pi`, { spec: { completions: 4 } }, MERGE);
    assert.equal(more.json.message, 'Job.batch "pi" is invalid: spec.completions: Invalid value: 4: field is immutable');
  });

  it('prints jobs as upstream: STATUS COMPLETIONS DURATION AGE | CONTAINERS IMAGES SELECTOR', async () => {
    const t0 = await h.client.request('GET', `${BATCH}/jobs/queue`, undefined, TABLE);
    assert.deepEqual(t0.json.columnDefinitions.map((c: any) => [c.name, c.priority]), [
      ['Name', 0], ['Status', 0], ['Completions', 0], ['Duration', 0], ['Age', 0], ['Containers', 1], ['Images', 1], ['Selector', 1]]);
    const queue = t0.json.rows[0].cells;
    assert.deepEqual([queue[1], queue[2], queue[3]], ['Running', '0/1 of 3', '']);
    const start = ago(200_000);
    const done = await h.client.request('PATCH', `${BATCH}/jobs/pi/status`, {
      status: { startTime: start, completionTime: ago(80_000), succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] },
    }, MERGE);
    assert.equal(done.status, 200, done.text);
    const t = await h.client.request('GET', `${BATCH}/jobs/pi`, undefined, TABLE);
    const [name, st, completions, duration, age, containers, images, selector] = t.json.rows[0].cells;
    assert.deepEqual([name, st, completions, duration, containers, images], ['pi', 'Complete', '1/1', '2m', 'pi', 'perl:5.34']);
    assert.match(age, /^\d+s$/);
    assert.equal(selector, `batch.kubernetes.io/controller-uid=${t.json.rows[0].object.metadata.uid}`);
    await h.client.request('PATCH', `${BATCH}/jobs/queue/status`, { status: { startTime: ago(30_000) } }, MERGE);
    const running = (await h.client.request('GET', `${BATCH}/jobs/queue`, undefined, TABLE)).json.rows[0].cells;
    assert.match(running[3], /^3\ds$/);
  });

  it('creates a cron job with defaults and prints SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE', async () => {
    const r = await h.client.request('POST', `${BATCH}/cronjobs`, cronJob('tick'));
    assert.equal(r.status, 201, r.text);
    const { spec } = r.json;
    assert.equal(spec.concurrencyPolicy, 'Allow');
    assert.equal(spec.suspend, false);
    assert.equal(spec.successfulJobsHistoryLimit, 3);
    assert.equal(spec.failedJobsHistoryLimit, 1);
    assert.equal(spec.jobTemplate.spec.template.spec.terminationGracePeriodSeconds, 30);
    assert.equal(spec.jobTemplate.spec.backoffLimit, undefined, 'the job template\'s job spec is not defaulted');
    assert.deepEqual(r.json.status, {});
    await h.client.request('PATCH', `${BATCH}/cronjobs/tick/status`, { status: { lastScheduleTime: ago(3 * 86_400_000), active: [{ kind: 'Job', name: 'tick-1', namespace: NS }] } }, MERGE);
    const t = await h.client.request('GET', `${BATCH}/cronjobs/tick`, undefined, TABLE);
    assert.deepEqual(t.json.columnDefinitions.map((c: any) => [c.name, c.type]), [
      ['Name', 'string'], ['Schedule', 'string'], ['Timezone', 'string'], ['Suspend', 'boolean'], ['Active', 'integer'], ['Last Schedule', 'string'],
      ['Age', 'string'], ['Containers', 'string'], ['Images', 'string'], ['Selector', 'string']]);
    const cells = t.json.rows[0].cells;
    assert.match(cells[6], /^\d+s$/);
    assert.deepEqual([...cells.slice(0, 6), ...cells.slice(7)], ['tick', '*/5 * * * *', '<none>', 'False', 1, '3d', 'pi', 'perl:5.34', '<none>']);
  });

  it('validates schedules and time zones with upstream\'s messages', async () => {
    const bad = await h.client.request('POST', `${BATCH}/cronjobs`, cronJob('bad', { schedule: 'every minute' }));
    assert.equal(bad.json.message, 'CronJob.batch "bad" is invalid: spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]');
    const tz = await h.client.request('POST', `${BATCH}/cronjobs`, cronJob('tz', { schedule: 'TZ=UTC 0 * * * *' }));
    assert.equal(tz.json.message, 'CronJob.batch "tz" is invalid: spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
    const zone = await h.client.request('POST', `${BATCH}/cronjobs`, cronJob('zone', { timeZone: 'Mars/Olympus' }));
    assert.equal(zone.json.message, 'CronJob.batch "zone" is invalid: spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus');
    const berlin = await h.client.request('POST', `${BATCH}/cronjobs`, cronJob('berlin', { timeZone: 'Europe/Berlin', schedule: '@hourly' }));
    assert.equal(berlin.status, 201, berlin.text);
    const policy = await h.client.request('POST', `${BATCH}/cronjobs`, cronJob('policy', { concurrencyPolicy: 'Sometimes' }));
    assert.equal(policy.json.message, 'CronJob.batch "policy" is invalid: spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"');
    const long = 'c'.repeat(53);
    const named = await h.client.request('POST', `${BATCH}/cronjobs`, cronJob(long));
    assert.equal(named.json.message, `CronJob.batch "${long}" is invalid: metadata.name: Invalid value: "${long}": must be no more than 52 characters`);
  });

  it('parses schedules as robfig/cron v3 does', () => {
    assert.equal(cronScheduleError('0 0 * * MON-FRI'), undefined);
    assert.equal(cronScheduleError('@every 1h30m'), undefined);
    assert.equal(cronScheduleError('*/15 0-6,18-23 1 jan,jul ?'), undefined);
    assert.equal(cronScheduleError(''), 'empty spec string');
    assert.equal(cronScheduleError('60 * * * *'), 'end of range (60) above maximum (59): 60');
    assert.equal(cronScheduleError('* * 0 * *'), 'beginning of range (0) below minimum (1): 0');
    assert.equal(cronScheduleError('5-1 * * * *'), 'beginning of range (5) beyond end of range (1): 5-1');
    assert.equal(cronScheduleError('*/0 * * * *'), 'step of range should be a positive number: */0');
    assert.equal(cronScheduleError('x * * * *'), 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
    assert.equal(cronScheduleError('1-2-3 * * * *'), 'too many hyphens: 1-2-3');
    assert.equal(cronScheduleError('1/2/3 * * * *'), 'too many slashes: 1/2/3');
    assert.equal(cronScheduleError('* * * * 7'), 'end of range (7) above maximum (6): 7');
    assert.equal(cronScheduleError('@often'), 'unrecognized descriptor: @often');
    assert.equal(cronScheduleError('@every 5x'), 'failed to parse duration @every 5x: time: unknown unit "x" in duration "5x"');
    assert.equal(cronScheduleError('@every 5'), 'failed to parse duration @every 5: time: missing unit in duration "5"');
    assert.equal(cronScheduleError('* * * * * *'), 'expected exactly 5 fields, found 6: [* * * * * *]');
  });

  it('lists cron jobs and jobs in discovery with their short names and the all category', async () => {
    const d = await h.client.request('GET', '/apis/batch/v1');
    assert.deepEqual(d.json.resources.map((r: any) => [r.name, r.shortNames ?? [], r.categories ?? []]), [
      ['cronjobs', ['cj'], ['all']], ['cronjobs/status', [], []], ['jobs', [], ['all']], ['jobs/status', [], []]]);
  });
});
