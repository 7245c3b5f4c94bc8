/** A built-in resource as the client addresses it. */
export interface ResourceType {
  /** '' for the core group. */
  group: string;
  version: string;
  /** The resource's URL name, e.g. `deployments`. */
  plural: string;
  kind: string;
  namespaced: boolean;
}

const core = (plural: string, kind: string, namespaced = true): ResourceType => ({ group: '', version: 'v1', plural, kind, namespaced });
const of = (group: string, version: string, plural: string, kind: string, namespaced = true): ResourceType => ({ group, version, plural, kind, namespaced });

export const PODS = core('pods', 'Pod');
export const NODES = core('nodes', 'Node', false);
export const NAMESPACES = core('namespaces', 'Namespace', false);
export const SERVICES = core('services', 'Service');
export const ENDPOINTS = core('endpoints', 'Endpoints');
export const CONFIGMAPS = core('configmaps', 'ConfigMap');
export const SECRETS = core('secrets', 'Secret');
export const SERVICEACCOUNTS = core('serviceaccounts', 'ServiceAccount');
export const EVENTS = core('events', 'Event');
export const RESOURCEQUOTAS = core('resourcequotas', 'ResourceQuota');
export const LIMITRANGES = core('limitranges', 'LimitRange');
export const PODTEMPLATES = core('podtemplates', 'PodTemplate');
export const REPLICATIONCONTROLLERS = core('replicationcontrollers', 'ReplicationController');
export const PERSISTENTVOLUMECLAIMS = core('persistentvolumeclaims', 'PersistentVolumeClaim');
export const PERSISTENTVOLUMES = core('persistentvolumes', 'PersistentVolume', false);
export const LEASES = of('coordination.k8s.io', 'v1', 'leases', 'Lease');
export const DEPLOYMENTS = of('apps', 'v1', 'deployments', 'Deployment');
export const REPLICASETS = of('apps', 'v1', 'replicasets', 'ReplicaSet');
export const STATEFULSETS = of('apps', 'v1', 'statefulsets', 'StatefulSet');
export const DAEMONSETS = of('apps', 'v1', 'daemonsets', 'DaemonSet');
export const CONTROLLERREVISIONS = of('apps', 'v1', 'controllerrevisions', 'ControllerRevision');
export const JOBS = of('batch', 'v1', 'jobs', 'Job');
export const CRONJOBS = of('batch', 'v1', 'cronjobs', 'CronJob');
export const ENDPOINTSLICES = of('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice');
export const PODDISRUPTIONBUDGETS = of('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget');
export const PRIORITYCLASSES = of('scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', false);
export const HORIZONTALPODAUTOSCALERS = of('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler');
export const INGRESSES = of('networking.k8s.io', 'v1', 'ingresses', 'Ingress');
export const NETWORKPOLICIES = of('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy');
export const ROLES = of('rbac.authorization.k8s.io', 'v1', 'roles', 'Role');
export const ROLEBINDINGS = of('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding');
export const CLUSTERROLES = of('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false);
export const CLUSTERROLEBINDINGS = of('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false);

/** Every built-in resource the client knows, namespaced and cluster-scoped. */
export const BUILTIN_TYPES: readonly ResourceType[] = [
  PODS, NODES, NAMESPACES, SERVICES, ENDPOINTS, CONFIGMAPS, SECRETS, SERVICEACCOUNTS, EVENTS, RESOURCEQUOTAS,
  LIMITRANGES, PODTEMPLATES, REPLICATIONCONTROLLERS, PERSISTENTVOLUMECLAIMS, PERSISTENTVOLUMES, LEASES, DEPLOYMENTS,
  REPLICASETS, STATEFULSETS, DAEMONSETS, CONTROLLERREVISIONS, JOBS, CRONJOBS, ENDPOINTSLICES, PODDISRUPTIONBUDGETS,
  PRIORITYCLASSES, HORIZONTALPODAUTOSCALERS, INGRESSES, NETWORKPOLICIES, ROLES, ROLEBINDINGS, CLUSTERROLES, CLUSTERROLEBINDINGS,
];

/** `apps/v1` or `v1`. */
export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}
