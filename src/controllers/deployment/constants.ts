/** Names the deployment controller shares with kubectl and upstream: annotations, labels, reasons. */

/** The component name on the controller's events. */
export const COMPONENT = 'deployment-controller';

/** The controller kind written into ReplicaSet owner references. */
export const DEPLOYMENT_KIND = { apiVersion: 'apps/v1', kind: 'Deployment' } as const;

/** The label (and selector key) that ties a ReplicaSet and its pods to one pod template. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** Rollout sequence number of a ReplicaSet (and the current one of a Deployment). */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** Earlier revisions a ReplicaSet served before a rollback made it current again. */
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
/** The Deployment's spec.replicas when the ReplicaSet was last scaled. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
/** spec.replicas + maxSurge when the ReplicaSet was last scaled; used for proportional scaling. */
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
/** The extensions/v1beta1 rollback request, still honoured as an annotation. */
export const ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';
/** kubectl's last-applied-configuration annotation, never copied onto ReplicaSets. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** Longest revision-history annotation kept (characters). */
export const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;
/** Sync attempts of one key before the controller gives up on it until the next change. */
export const MAX_RETRIES = 15;
/** Go's math.MaxInt32: a progress deadline or history limit with this value means "none". */
export const MAX_INT32 = 2147483647;

/** Condition reasons (and rollback event reasons), as upstream spells them. */
export const Reason = {
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  FailedRSCreate: 'ReplicaSetCreateError',
  NewReplicaSet: 'NewReplicaSetCreated',
  FoundNewRS: 'FoundNewReplicaSet',
  NewRSAvailable: 'NewReplicaSetAvailable',
  TimedOut: 'ProgressDeadlineExceeded',
  Paused: 'DeploymentPaused',
  Resumed: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
  RollbackRevisionNotFound: 'DeploymentRollbackRevisionNotFound',
  RollbackTemplateUnchanged: 'DeploymentRollbackTemplateUnchanged',
  RollbackDone: 'DeploymentRollback',
} as const;
