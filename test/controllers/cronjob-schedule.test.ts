import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareByStartTime, deleteFromActiveList, finishedConditionType, inActiveList, inActiveListByName, jobFromTemplate, jobName,
} from '../../src/controllers/cronjob/jobs.js';
import { formatSchedule, parseGoDurationMs, parseStandard } from '../../src/controllers/cronjob/schedule.js';
import { mostRecentScheduleTime, nextScheduleDelay, nextScheduleTime } from '../../src/controllers/cronjob/schedule-times.js';
import { formatApiTime, formatRfc1123Z, formatRfc3339InZone } from '../../src/controllers/cronjob/time-format.js';

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('cronjob schedules (robfig ParseStandard semantics)', () => {
  it('finds the first activation strictly after a time, rounding sub-seconds up', () => {
    const s = parseStandard('*/1 * * * *', 'UTC');
    assert.equal(iso(s.next(t('2024-01-01T00:00:00Z'))), '2024-01-01T00:01:00.000Z');
    assert.equal(iso(s.next(t('2024-01-01T00:00:30.500Z'))), '2024-01-01T00:01:00.000Z');
    assert.equal(iso(s.next(t('2024-01-01T00:00:59.999Z'))), '2024-01-01T00:01:00.000Z');
    assert.equal(iso(parseStandard('*/15 * * * *', 'UTC').next(t('2024-01-01T10:07:00Z'))), '2024-01-01T10:15:00.000Z');
  });

  it('reads the schedule in the TZ= / CRON_TZ= zone', () => {
    assert.equal(iso(parseStandard('TZ=America/New_York 0 9 * * *', 'UTC').next(t('2024-01-01T00:00:00Z'))), '2024-01-01T14:00:00.000Z');
    assert.equal(iso(parseStandard('CRON_TZ=Asia/Tokyo 0 9 * * *', 'UTC').next(t('2024-01-01T00:00:00Z'))), '2024-01-02T00:00:00.000Z');
    assert.equal(iso(parseStandard('0 9 * * *', 'Europe/Berlin').next(t('2024-07-01T00:00:00Z'))), '2024-07-01T07:00:00.000Z');
  });

  it('expands descriptors and @every as robfig does', () => {
    assert.equal(iso(parseStandard('@hourly', 'UTC').next(t('2024-01-01T10:30:00Z'))), '2024-01-01T11:00:00.000Z');
    assert.equal(iso(parseStandard('@weekly', 'UTC').next(t('2024-01-01T10:30:00Z'))), '2024-01-07T00:00:00.000Z');
    assert.equal(iso(parseStandard('@monthly', 'UTC').next(t('2024-01-15T00:00:00Z'))), '2024-02-01T00:00:00.000Z');
    assert.equal(iso(parseStandard('@every 1m30s', 'UTC').next(t('2024-01-01T10:00:00.700Z'))), '2024-01-01T10:01:30.000Z');
    assert.equal(iso(parseStandard('@every 500ms', 'UTC').next(t('2024-01-01T10:00:00.700Z'))), '2024-01-01T10:00:01.000Z');
    assert.equal(parseGoDurationMs('1h2m3.5s'), 3_723_500);
  });

  it('ORs restricted day-of-month and day-of-week fields, ANDs when one is a star', () => {
    // 2024-01-01 is a Monday: "1st of the month or Monday" next fires on Jan 8 (Monday).
    assert.equal(iso(parseStandard('0 0 1 * 1', 'UTC').next(t('2024-01-01T00:00:00Z'))), '2024-01-08T00:00:00.000Z');
    assert.equal(iso(parseStandard('0 0 1-31 * 1', 'UTC').next(t('2024-01-01T00:00:00Z'))), '2024-01-02T00:00:00.000Z');
    assert.equal(iso(parseStandard('0 0 */1 * 1', 'UTC').next(t('2024-01-01T00:00:00Z'))), '2024-01-08T00:00:00.000Z');
    assert.equal(iso(parseStandard('0 0 ? * 1', 'UTC').next(t('2024-01-01T00:00:00Z'))), '2024-01-08T00:00:00.000Z');
  });

  it('never fires for impossible dates and rejects bad specs with the parser message', () => {
    assert.equal(parseStandard('0 0 30 2 *', 'UTC').next(t('2024-01-01T00:00:00Z')), undefined);
    assert.throws(() => parseStandard('bad'), { message: 'expected exactly 5 fields, found 1: [bad]' });
    assert.throws(() => parseStandard('61 * * * *'), { message: 'end of range (61) above maximum (59): 61' });
  });

  it('formats the schedule with spec.timeZone as upstream', () => {
    assert.deepEqual(formatSchedule({ schedule: '0 9 * * *', timeZone: 'Europe/Berlin' }), { schedule: 'TZ=Europe/Berlin 0 9 * * *', usesTzPrefix: false });
    assert.deepEqual(formatSchedule({ schedule: 'CRON_TZ=UTC 0 9 * * *' }), { schedule: 'CRON_TZ=UTC 0 9 * * *', usesTzPrefix: true });
    assert.deepEqual(formatSchedule({ schedule: '0 9 * * *', timeZone: 'Mars/Olympus' }), { schedule: '0 9 * * *', usesTzPrefix: false });
    assert.deepEqual(formatSchedule({ schedule: '0 9 * * *' }), { schedule: '0 9 * * *', usesTzPrefix: false });
  });
});

describe('cronjob schedule arithmetic', () => {
  const every = parseStandard('*/1 * * * *', 'UTC');
  const created = '2024-05-01T10:00:30Z';

  it('has nothing due before the first activation', () => {
    assert.deepEqual(mostRecentScheduleTime({ creationTimestamp: created }, t('2024-05-01T10:00:50Z'), every, true),
      { earliest: t(created), missed: 'none' });
    assert.deepEqual(nextScheduleTime({ creationTimestamp: created }, t('2024-05-01T10:00:50Z'), every), { missed: 'none', error: undefined });
  });

  it('finds the one due activation', () => {
    assert.deepEqual(mostRecentScheduleTime({ creationTimestamp: created }, t('2024-05-01T10:01:10Z'), every, true),
      { earliest: t(created), mostRecent: t('2024-05-01T10:01:00Z'), missed: 'none' });
  });

  it('picks the latest of several missed activations', () => {
    assert.deepEqual(mostRecentScheduleTime({ creationTimestamp: created }, t('2024-05-01T10:05:10Z'), every, true),
      { earliest: t(created), mostRecent: t('2024-05-01T10:05:00Z'), missed: 'few' });
  });

  it('counts more than 100 misses as many', () => {
    const r = mostRecentScheduleTime({ creationTimestamp: '2024-05-01T00:00:00Z' }, t('2024-05-01T02:00:30Z'), every, true);
    assert.deepEqual(r, { earliest: t('2024-05-01T00:00:00Z'), mostRecent: t('2024-05-01T02:00:00Z'), missed: 'many' });
  });

  it('counts from the last schedule time and the starting deadline', () => {
    const state = { creationTimestamp: '2024-05-01T00:00:00Z', lastScheduleTime: '2024-05-01T10:00:00Z', startingDeadlineSeconds: 30 };
    // The deadline moves the earliest time to 10:05:10; the next activation (10:06) is not due.
    assert.deepEqual(nextScheduleTime(state, t('2024-05-01T10:05:40Z'), every), { missed: 'none', error: undefined });
    // Without the deadline 10:05 is due.
    assert.deepEqual(nextScheduleTime({ ...state, startingDeadlineSeconds: null }, t('2024-05-01T10:05:40Z'), every),
      { time: t('2024-05-01T10:05:00Z'), missed: 'few', error: undefined });
  });

  it('reports a schedule that never fires', () => {
    const never = parseStandard('0 0 30 2 *', 'UTC');
    assert.deepEqual(nextScheduleTime({ creationTimestamp: created }, t('2024-05-01T10:05:40Z'), never),
      { missed: 'none', error: 'time difference between two schedules is less than 1 second' });
  });

  it('requeues 100 ms after the next activation', () => {
    assert.equal(nextScheduleDelay({ creationTimestamp: created }, t('2024-05-01T10:00:50Z'), every), 10_100);
    assert.equal(nextScheduleDelay({ creationTimestamp: created, lastScheduleTime: '2024-05-01T10:01:00Z' }, t('2024-05-01T10:01:00.500Z'), every), 59_600);
    assert.equal(nextScheduleDelay({ creationTimestamp: created, lastScheduleTime: '2024-05-01T10:01:00Z' }, t('2024-05-01T10:05:10Z'), every), 50_100);
  });
});

describe('cronjob jobs', () => {
  const cj = {
    apiVersion: 'batch/v1', kind: 'CronJob',
    metadata: { name: 'hello', namespace: 'ns1', uid: 'cj-uid' },
    spec: {
      schedule: '*/1 * * * *', timeZone: 'Europe/Berlin',
      jobTemplate: { metadata: { labels: { app: 'hello' }, annotations: { note: 'x' } }, spec: { backoffLimit: 2, template: { spec: { restartPolicy: 'Never' } } } },
    },
  };

  it('names jobs by the scheduled minute since the epoch', () => {
    assert.equal(jobName('hello', t('2024-05-01T10:00:00Z')), 'hello-28575960');
  });

  it('builds the job from the template with the scheduled-timestamp annotation and a controller reference', () => {
    assert.deepEqual(jobFromTemplate(cj, t('2024-05-01T10:00:00Z')), {
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: {
        name: 'hello-28575960', namespace: 'ns1', labels: { app: 'hello' },
        annotations: { note: 'x', 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2024-05-01T12:00:00+02:00' },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: 'cj-uid', controller: true, blockOwnerDeletion: true }],
      },
      spec: { backoffLimit: 2, template: { spec: { restartPolicy: 'Never' } } },
    });
    const utc = jobFromTemplate({ ...cj, spec: { ...cj.spec, timeZone: undefined } }, t('2024-05-01T10:00:00Z'));
    assert.equal(utc.metadata.annotations!['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2024-05-01T10:00:00Z');
  });

  it('tracks the active list by uid and name', () => {
    const c: any = { metadata: { name: 'c' }, status: { active: [{ name: 'a', namespace: 'ns1', uid: 'u1' }, { name: 'b', namespace: 'ns1', uid: 'u2' }] } };
    assert.equal(inActiveList(c, 'u2'), true);
    assert.equal(inActiveListByName(c, 'ns1', 'a'), true);
    assert.equal(inActiveListByName(c, 'ns2', 'a'), false);
    deleteFromActiveList(c, 'u1');
    deleteFromActiveList(c, 'u2');
    assert.deepEqual(c.status.active, []);
  });

  it('reads finished conditions and orders jobs by start time, unstarted last', () => {
    const job = (name: string, startTime?: string, cond?: string) => ({ metadata: { name }, status: { startTime, conditions: cond ? [{ type: cond, status: 'True' }] : [] } });
    assert.equal(finishedConditionType(job('a', undefined, 'Failed')), 'Failed');
    assert.equal(finishedConditionType(job('a', undefined, 'SuccessCriteriaMet')), undefined);
    const sorted = [job('d'), job('c', '2024-05-01T10:02:00Z'), job('b', '2024-05-01T10:01:00Z'), job('a', '2024-05-01T10:02:00Z')].sort(compareByStartTime);
    assert.deepEqual(sorted.map((j) => j.metadata.name), ['b', 'a', 'c', 'd']);
  });
});

describe('cronjob time formats', () => {
  it('writes Go layouts', () => {
    const ms = t('2024-05-01T10:00:00.750Z');
    assert.equal(formatApiTime(ms), '2024-05-01T10:00:00Z');
    assert.equal(formatRfc3339InZone(ms, ''), '2024-05-01T10:00:00Z');
    assert.equal(formatRfc3339InZone(ms, 'America/New_York'), '2024-05-01T06:00:00-04:00');
    assert.equal(formatRfc3339InZone(ms, 'Asia/Kolkata'), '2024-05-01T15:30:00+05:30');
    assert.equal(formatRfc3339InZone(t('2024-01-01T10:00:00Z'), 'Europe/London'), '2024-01-01T10:00:00Z');
    assert.equal(formatRfc1123Z(ms), 'Wed, 01 May 2024 10:00:00 +0000');
  });
});
