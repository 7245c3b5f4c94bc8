/** Names, reasons and messages of the Job controller, as upstream v1.32 writes them. */

/** The `source.component` of the controller's events. */
export const JOB_COMPONENT = 'job-controller';

/** Finalizer keeping a finished pod until the controller has counted it in the job status. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

/** Annotation (and, with PodIndexLabel, label) carrying an Indexed job pod's completion index. */
export const COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';

/** Environment variable through which an Indexed job's containers read their index. */
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';

/** `spec.managedBy` value naming this controller (any other value hands the job to someone else). */
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';

/** Upstream's cap on pods created or deleted, and on uncounted pods recorded, per sync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
export const MAX_UNCOUNTED_PODS = 500;

/** Generated names are cut to leave room for the 5 random characters (63 - 5). */
export const MAX_GENERATED_NAME_LENGTH = 58;

/** Condition reasons and their messages. */
export const reasons = {
  backoffLimitExceeded: 'BackoffLimitExceeded',
  deadlineExceeded: 'DeadlineExceeded',
  podFailurePolicy: 'PodFailurePolicy',
  successPolicy: 'SuccessPolicy',
  completionsReached: 'CompletionsReached',
} as const;

export const messages = {
  backoffLimitExceeded: 'Job has reached the specified backoff limit',
  deadlineExceeded: 'Job was active longer than specified deadline',
  completionsReached: 'Reached expected number of succeeded pods',
  jobCompleted: 'Job completed',
  tooManySucceeded: 'Too many succeeded pods running after completion count reached',
  unknownCompletionMode: 'Skipped Job sync because completion mode is unknown',
  suspended: 'Job suspended',
  resumed: 'Job resumed',
  createdPod: (name: string) => `Created pod: ${name}`,
  errorCreating: (err: string) => `Error creating: ${err}`,
  deletedPod: (name: string) => `Deleted pod: ${name}`,
  errorDeleting: (err: string) => `Error deleting: ${err}`,
};
