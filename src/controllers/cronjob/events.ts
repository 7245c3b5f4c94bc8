/** Event reasons and messages of the CronJob controller, as upstream writes them. */

/** What the controller needs of an event recorder (the client library's EventRecorder fits). */
export interface Recorder {
  event(obj: { metadata: object }, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/** The `source.component` of the controller's events. */
export const CRONJOB_COMPONENT = 'cronjob-controller';

export const msg = {
  unexpectedJob: (name: string) => `Saw a job that the controller did not create or forgot: ${name}`,
  sawCompletedJob: (name: string, condition: string) => `Saw completed job: ${name}, condition: ${condition}`,
  missingJob: (name: string) => `Active job went missing: ${name}`,
  unknownTimeZone: (zone: string, err: string) => `invalid timeZone: ${JSON.stringify(zone)}: ${err}`,
  unparseableSchedule: (schedule: string, err: string) => `unparseable schedule: ${JSON.stringify(schedule)} : ${err}`,
  unparseableOnUpdate: (schedule: string) => `unparseable schedule for cronjob: ${schedule}`,
  invalidSchedule: (schedule: string, err: string) => `invalid schedule: ${schedule} : ${err}`,
  missSchedule: (when: string) => `Missed scheduled time to start a job: ${when}`,
  jobAlreadyActive: 'Not starting job because prior execution is running and concurrency policy is Forbid',
  tooManyMissed: 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
  unsupportedSchedule: (schedule: string) =>
    `CRON_TZ or TZ used in schedule ${JSON.stringify(schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`,
  failedGet: (err: string) => `Get job: ${err}`,
  failedCreate: (err: string) => `Error creating job: ${err}`,
  successfulCreate: (name: string) => `Created job ${name}`,
  failedDelete: (err: string) => `Deleted job: ${err}`,
  successfulDelete: (name: string) => `Deleted job ${name}`,
};
