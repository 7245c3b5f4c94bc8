/**
 * What a freshly made ("zero") object of a built-in kind looks like to upstream before anything is
 * set: Go serializes struct-valued fields even when empty (`spec: {}`), fields without `omitempty`
 * with their zero value (`containers: null`, `replicas: 0`) and an unset time as `null`. Server-side
 * apply compares a created object against this zero object, so which containers already "exist"
 * decides whether a manager's FieldsV1 gets a `.` entry for them.
 *
 * The table lists, for every struct type reachable that way from a kind of tskube's groups, the
 * fields present in its zero value (a nested `struct` is expanded the same way). The facts come
 * from the Go field declarations of k8s.io/api and apimachinery v0.32 (pointer or not, omitempty).
 */
import type { Json } from './go-format.js';

const API = 'io.k8s.api';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

type ZeroField = Json | { struct: string };

const ZERO: Record<string, Record<string, ZeroField>> = {
  [`${API}.apps.v1.ControllerRevision`]: { metadata: { struct: `${META}.ObjectMeta` }, data: null, revision: 0 },
  [`${API}.apps.v1.DaemonSet`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.apps.v1.DaemonSetSpec` }, status: { struct: `${API}.apps.v1.DaemonSetStatus` } },
  [`${API}.apps.v1.DaemonSetSpec`]: { selector: null, template: { struct: `${API}.core.v1.PodTemplateSpec` }, updateStrategy: { struct: `${API}.apps.v1.DaemonSetUpdateStrategy` } },
  [`${API}.apps.v1.DaemonSetStatus`]: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 },
  [`${API}.apps.v1.DaemonSetUpdateStrategy`]: {},
  [`${API}.apps.v1.Deployment`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.apps.v1.DeploymentSpec` }, status: { struct: `${API}.apps.v1.DeploymentStatus` } },
  [`${API}.apps.v1.DeploymentSpec`]: { selector: null, template: { struct: `${API}.core.v1.PodTemplateSpec` }, strategy: { struct: `${API}.apps.v1.DeploymentStrategy` } },
  [`${API}.apps.v1.DeploymentStatus`]: {},
  [`${API}.apps.v1.DeploymentStrategy`]: {},
  [`${API}.apps.v1.ReplicaSet`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.apps.v1.ReplicaSetSpec` }, status: { struct: `${API}.apps.v1.ReplicaSetStatus` } },
  [`${API}.apps.v1.ReplicaSetSpec`]: { selector: null, template: { struct: `${API}.core.v1.PodTemplateSpec` } },
  [`${API}.apps.v1.ReplicaSetStatus`]: { replicas: 0 },
  [`${API}.apps.v1.StatefulSet`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.apps.v1.StatefulSetSpec` }, status: { struct: `${API}.apps.v1.StatefulSetStatus` } },
  [`${API}.apps.v1.StatefulSetSpec`]: { selector: null, template: { struct: `${API}.core.v1.PodTemplateSpec` }, serviceName: "", updateStrategy: { struct: `${API}.apps.v1.StatefulSetUpdateStrategy` } },
  [`${API}.apps.v1.StatefulSetStatus`]: { replicas: 0, availableReplicas: 0 },
  [`${API}.apps.v1.StatefulSetUpdateStrategy`]: {},
  [`${API}.autoscaling.v1.CrossVersionObjectReference`]: { kind: "", name: "" },
  [`${API}.autoscaling.v1.HorizontalPodAutoscaler`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.autoscaling.v1.HorizontalPodAutoscalerSpec` }, status: { struct: `${API}.autoscaling.v1.HorizontalPodAutoscalerStatus` } },
  [`${API}.autoscaling.v1.HorizontalPodAutoscalerSpec`]: { scaleTargetRef: { struct: `${API}.autoscaling.v1.CrossVersionObjectReference` }, maxReplicas: 0 },
  [`${API}.autoscaling.v1.HorizontalPodAutoscalerStatus`]: { currentReplicas: 0, desiredReplicas: 0 },
  [`${API}.autoscaling.v1.Scale`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.autoscaling.v1.ScaleSpec` }, status: { struct: `${API}.autoscaling.v1.ScaleStatus` } },
  [`${API}.autoscaling.v1.ScaleSpec`]: {},
  [`${API}.autoscaling.v1.ScaleStatus`]: { replicas: 0 },
  [`${API}.autoscaling.v2.CrossVersionObjectReference`]: { kind: "", name: "" },
  [`${API}.autoscaling.v2.HorizontalPodAutoscaler`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.autoscaling.v2.HorizontalPodAutoscalerSpec` }, status: { struct: `${API}.autoscaling.v2.HorizontalPodAutoscalerStatus` } },
  [`${API}.autoscaling.v2.HorizontalPodAutoscalerSpec`]: { scaleTargetRef: { struct: `${API}.autoscaling.v2.CrossVersionObjectReference` }, maxReplicas: 0 },
  [`${API}.autoscaling.v2.HorizontalPodAutoscalerStatus`]: { desiredReplicas: 0, currentMetrics: null },
  [`${API}.batch.v1.CronJob`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.batch.v1.CronJobSpec` }, status: { struct: `${API}.batch.v1.CronJobStatus` } },
  [`${API}.batch.v1.CronJobSpec`]: { schedule: "", jobTemplate: { struct: `${API}.batch.v1.JobTemplateSpec` } },
  [`${API}.batch.v1.CronJobStatus`]: {},
  [`${API}.batch.v1.Job`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.batch.v1.JobSpec` }, status: { struct: `${API}.batch.v1.JobStatus` } },
  [`${API}.batch.v1.JobSpec`]: { template: { struct: `${API}.core.v1.PodTemplateSpec` } },
  [`${API}.batch.v1.JobStatus`]: {},
  [`${API}.batch.v1.JobTemplateSpec`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.batch.v1.JobSpec` } },
  [`${API}.coordination.v1.Lease`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.coordination.v1.LeaseSpec` } },
  [`${API}.coordination.v1.LeaseSpec`]: {},
  [`${API}.core.v1.Binding`]: { metadata: { struct: `${META}.ObjectMeta` }, target: { struct: `${API}.core.v1.ObjectReference` } },
  [`${API}.core.v1.ComponentStatus`]: { metadata: { struct: `${META}.ObjectMeta` } },
  [`${API}.core.v1.ConfigMap`]: { metadata: { struct: `${META}.ObjectMeta` } },
  [`${API}.core.v1.DaemonEndpoint`]: { Port: 0 },
  [`${API}.core.v1.Endpoints`]: { metadata: { struct: `${META}.ObjectMeta` } },
  [`${API}.core.v1.Event`]: { metadata: { struct: `${META}.ObjectMeta` }, involvedObject: { struct: `${API}.core.v1.ObjectReference` }, source: { struct: `${API}.core.v1.EventSource` }, firstTimestamp: null, lastTimestamp: null, eventTime: null, reportingComponent: "", reportingInstance: "" },
  [`${API}.core.v1.EventSource`]: {},
  [`${API}.core.v1.LimitRange`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.core.v1.LimitRangeSpec` } },
  [`${API}.core.v1.LimitRangeSpec`]: { limits: null },
  [`${API}.core.v1.LoadBalancerStatus`]: {},
  [`${API}.core.v1.Namespace`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.core.v1.NamespaceSpec` }, status: { struct: `${API}.core.v1.NamespaceStatus` } },
  [`${API}.core.v1.NamespaceSpec`]: {},
  [`${API}.core.v1.NamespaceStatus`]: {},
  [`${API}.core.v1.Node`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.core.v1.NodeSpec` }, status: { struct: `${API}.core.v1.NodeStatus` } },
  [`${API}.core.v1.NodeDaemonEndpoints`]: { kubeletEndpoint: { struct: `${API}.core.v1.DaemonEndpoint` } },
  [`${API}.core.v1.NodeSpec`]: {},
  [`${API}.core.v1.NodeStatus`]: { daemonEndpoints: { struct: `${API}.core.v1.NodeDaemonEndpoints` }, nodeInfo: { struct: `${API}.core.v1.NodeSystemInfo` } },
  [`${API}.core.v1.NodeSystemInfo`]: { machineID: "", systemUUID: "", bootID: "", kernelVersion: "", osImage: "", containerRuntimeVersion: "", kubeletVersion: "", kubeProxyVersion: "", operatingSystem: "", architecture: "" },
  [`${API}.core.v1.ObjectReference`]: {},
  [`${API}.core.v1.PersistentVolume`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.core.v1.PersistentVolumeSpec` }, status: { struct: `${API}.core.v1.PersistentVolumeStatus` } },
  [`${API}.core.v1.PersistentVolumeClaim`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.core.v1.PersistentVolumeClaimSpec` }, status: { struct: `${API}.core.v1.PersistentVolumeClaimStatus` } },
  [`${API}.core.v1.PersistentVolumeClaimSpec`]: { resources: { struct: `${API}.core.v1.VolumeResourceRequirements` } },
  [`${API}.core.v1.PersistentVolumeClaimStatus`]: {},
  [`${API}.core.v1.PersistentVolumeSpec`]: {},
  [`${API}.core.v1.PersistentVolumeStatus`]: {},
  [`${API}.core.v1.Pod`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.core.v1.PodSpec` }, status: { struct: `${API}.core.v1.PodStatus` } },
  [`${API}.core.v1.PodSpec`]: { containers: null },
  [`${API}.core.v1.PodStatus`]: {},
  [`${API}.core.v1.PodStatusResult`]: { metadata: { struct: `${META}.ObjectMeta` }, status: { struct: `${API}.core.v1.PodStatus` } },
  [`${API}.core.v1.PodTemplate`]: { metadata: { struct: `${META}.ObjectMeta` }, template: { struct: `${API}.core.v1.PodTemplateSpec` } },
  [`${API}.core.v1.PodTemplateSpec`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.core.v1.PodSpec` } },
  [`${API}.core.v1.RangeAllocation`]: { metadata: { struct: `${META}.ObjectMeta` }, range: "", data: null },
  [`${API}.core.v1.ReplicationController`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.core.v1.ReplicationControllerSpec` }, status: { struct: `${API}.core.v1.ReplicationControllerStatus` } },
  [`${API}.core.v1.ReplicationControllerSpec`]: {},
  [`${API}.core.v1.ReplicationControllerStatus`]: { replicas: 0 },
  [`${API}.core.v1.ResourceQuota`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.core.v1.ResourceQuotaSpec` }, status: { struct: `${API}.core.v1.ResourceQuotaStatus` } },
  [`${API}.core.v1.ResourceQuotaSpec`]: {},
  [`${API}.core.v1.ResourceQuotaStatus`]: {},
  [`${API}.core.v1.Secret`]: { metadata: { struct: `${META}.ObjectMeta` } },
  [`${API}.core.v1.Service`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.core.v1.ServiceSpec` }, status: { struct: `${API}.core.v1.ServiceStatus` } },
  [`${API}.core.v1.ServiceAccount`]: { metadata: { struct: `${META}.ObjectMeta` } },
  [`${API}.core.v1.ServiceSpec`]: {},
  [`${API}.core.v1.ServiceStatus`]: { loadBalancer: { struct: `${API}.core.v1.LoadBalancerStatus` } },
  [`${API}.core.v1.VolumeResourceRequirements`]: {},
  [`${API}.discovery.v1.EndpointSlice`]: { metadata: { struct: `${META}.ObjectMeta` }, addressType: "", endpoints: null, ports: null },
  [`${API}.events.v1.Event`]: { metadata: { struct: `${META}.ObjectMeta` }, eventTime: null, regarding: { struct: `${API}.core.v1.ObjectReference` }, deprecatedSource: { struct: `${API}.core.v1.EventSource` }, deprecatedFirstTimestamp: null, deprecatedLastTimestamp: null },
  [`${API}.networking.v1.Ingress`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.networking.v1.IngressSpec` }, status: { struct: `${API}.networking.v1.IngressStatus` } },
  [`${API}.networking.v1.IngressClass`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.networking.v1.IngressClassSpec` } },
  [`${API}.networking.v1.IngressClassSpec`]: {},
  [`${API}.networking.v1.IngressLoadBalancerStatus`]: {},
  [`${API}.networking.v1.IngressSpec`]: {},
  [`${API}.networking.v1.IngressStatus`]: { loadBalancer: { struct: `${API}.networking.v1.IngressLoadBalancerStatus` } },
  [`${API}.networking.v1.NetworkPolicy`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.networking.v1.NetworkPolicySpec` } },
  [`${API}.networking.v1.NetworkPolicySpec`]: { podSelector: { struct: `${META}.LabelSelector` } },
  [`${API}.policy.v1.Eviction`]: { metadata: { struct: `${META}.ObjectMeta` } },
  [`${API}.policy.v1.PodDisruptionBudget`]: { metadata: { struct: `${META}.ObjectMeta` }, spec: { struct: `${API}.policy.v1.PodDisruptionBudgetSpec` }, status: { struct: `${API}.policy.v1.PodDisruptionBudgetStatus` } },
  [`${API}.policy.v1.PodDisruptionBudgetSpec`]: {},
  [`${API}.policy.v1.PodDisruptionBudgetStatus`]: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
  [`${API}.rbac.v1.ClusterRole`]: { metadata: { struct: `${META}.ObjectMeta` }, rules: null },
  [`${API}.rbac.v1.ClusterRoleBinding`]: { metadata: { struct: `${META}.ObjectMeta` }, roleRef: { struct: `${API}.rbac.v1.RoleRef` } },
  [`${API}.rbac.v1.Role`]: { metadata: { struct: `${META}.ObjectMeta` }, rules: null },
  [`${API}.rbac.v1.RoleBinding`]: { metadata: { struct: `${META}.ObjectMeta` }, roleRef: { struct: `${API}.rbac.v1.RoleRef` } },
  [`${API}.rbac.v1.RoleRef`]: { apiGroup: "", kind: "", name: "" },
  [`${API}.scheduling.v1.PriorityClass`]: { metadata: { struct: `${META}.ObjectMeta` }, value: 0 },
  [`${META}.LabelSelector`]: {},
  [`${META}.ListMeta`]: {},
  [`${META}.ObjectMeta`]: { creationTimestamp: null },
  [`${META}.PartialObjectMetadata`]: { metadata: { struct: `${META}.ObjectMeta` } },
  [`${META}.Status`]: { metadata: { struct: `${META}.ListMeta` } },
  [`${META}.Table`]: { metadata: { struct: `${META}.ListMeta` }, columnDefinitions: null, rows: null },
};

/**
 * The zero object of a type, as upstream's typed value of `new(T)` reads, with `apiVersion` and
 * `kind` set at the top. Types the table does not know yield `{}`.
 */
export function zeroObject(typeName: string, apiVersion: string, kind: string): { [key: string]: Json } {
  return { apiVersion, kind, ...zeroOf(typeName) };
}

function zeroOf(typeName: string): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [name, z] of Object.entries(ZERO[typeName] ?? {})) {
    out[name] = z !== null && typeof z === 'object' && !Array.isArray(z) && 'struct' in z ? zeroOf(z.struct as string) : (z as Json);
  }
  return out;
}
